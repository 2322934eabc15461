"""The fake ``nuke`` module against the published stubs (types-nuke): same names, same parameters.

A test that passes against the fake must mean something in Nuke, so every
public function, class and method of the fake exists in Nuke's API under the
same name, and takes its parameters under the names Nuke gives them.
"""

from __future__ import annotations

import inspect
from types import ModuleType

import pytest

from stubcheck import Parameters, Stubs, defined_in, fake_parameters, stub_files

STUB_FILES = stub_files("nuke-stubs")

pytestmark = pytest.mark.skipif(not STUB_FILES, reason="types-nuke is not installed")


@pytest.fixture(scope="module")
def stubs() -> Stubs:
    return Stubs(STUB_FILES)


def _exactly(fake: list[str], overloads: list[Parameters]) -> bool:
    """Whether the fake's parameters are those of one of the stub's definitions."""
    return any(real is None or real == fake for real in overloads)


def _in_nukes_api(name: str, value: object, stubs: Stubs) -> bool:
    if inspect.isclass(value):
        return name in stubs.classes
    return name in stubs.functions or name in stubs.variables


def test_every_function_and_class_of_the_fake_is_in_nukes_api(
    nuke: ModuleType, stubs: Stubs
) -> None:
    unknown = [
        name for name, value in defined_in(nuke).items() if not _in_nukes_api(name, value, stubs)
    ]
    assert unknown == []


def test_every_method_of_the_fake_is_in_nukes_api_with_nukes_parameter_names(
    nuke: ModuleType, stubs: Stubs
) -> None:
    problems = []
    for class_name, cls in defined_in(nuke).items():
        if not inspect.isclass(cls):
            continue
        for name, method in vars(cls).items():
            if name.startswith("_") or not inspect.isfunction(method):
                continue
            overloads = stubs.method(class_name, name)
            if overloads is None:
                problems.append(f"{class_name}.{name} is not in Nuke's API")
            elif not _exactly(fake_parameters(method), overloads):
                problems.append(f"{class_name}.{name}{fake_parameters(method)} not in {overloads}")
    assert problems == []


def test_the_fakes_functions_take_nukes_parameter_names(nuke: ModuleType, stubs: Stubs) -> None:
    problems = [
        f"{name}{fake_parameters(function)} not in {stubs.functions[name]}"
        for name, function in defined_in(nuke).items()
        if inspect.isfunction(function)
        and name in stubs.functions
        and not _exactly(fake_parameters(function), stubs.functions[name])
    ]
    assert problems == []
