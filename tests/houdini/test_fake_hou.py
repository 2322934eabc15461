"""The fake ``hou`` module against the published stubs (types-houdini): same names, same parameters.

A test that passes against the fake must mean something in Houdini, so every
public function, class, method and enumeration value of the fake exists in
Houdini's API under the same name, on the same class, and takes its
parameters under the names (and in the order) Houdini gives them; the fake may
leave trailing ones out.
"""

from __future__ import annotations

import inspect
from types import ModuleType

import pytest

from stubcheck import Parameters, Stubs, defined_in, fake_parameters, stub_files

STUB_FILES = stub_files("hou-stubs")

pytestmark = pytest.mark.skipif(not STUB_FILES, reason="types-houdini is not installed")


@pytest.fixture(scope="module")
def stubs() -> Stubs:
    return Stubs(STUB_FILES)


def _takes(fake: list[str], overloads: list[Parameters]) -> bool:
    """Whether the fake's parameters are one overload's, or the leading part of one."""
    return any(real is None or real[: len(fake)] == fake for real in overloads)


def test_every_function_of_the_fake_is_houdinis_with_its_parameters(
    hou: ModuleType, stubs: Stubs
) -> None:
    wrong = {
        name: fake_parameters(value)
        for name, value in defined_in(hou).items()
        if inspect.isfunction(value)
        and not _takes(fake_parameters(value), stubs.functions.get(name, []))
    }

    assert wrong == {}


def test_every_class_method_and_value_of_the_fake_is_houdinis(
    hou: ModuleType, stubs: Stubs
) -> None:
    wrong = []
    for class_name, cls in defined_in(hou).items():
        if not inspect.isclass(cls):
            continue
        if class_name not in stubs.classes:
            wrong.append(class_name)
            continue
        for name, member in vars(cls).items():
            if name.startswith("_"):
                continue
            if isinstance(member, hou.EnumValue):
                if not stubs.attribute(class_name, name):
                    wrong.append(f"{class_name}.{name}")
                continue
            function = member.__func__ if isinstance(member, staticmethod) else member
            if not inspect.isfunction(function):
                continue
            overloads = stubs.method(class_name, name)
            if overloads is None or not _takes(fake_parameters(function), overloads):
                wrong.append(f"{class_name}.{name}{tuple(fake_parameters(function))}")

    assert wrong == [], "\n".join(wrong)
