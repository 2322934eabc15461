"""The fake ``nuke`` module against the published stubs (types-nuke): same names, same parameters.

A test that passes against the fake must mean something in Nuke, so every
public function, class and method of the fake exists in Nuke's API under the
same name, and takes its parameters under the names Nuke gives them.
"""

from __future__ import annotations

import ast
import importlib.util
import inspect
from pathlib import Path
from types import ModuleType
from typing import Optional

import pytest

STUBS_SPEC = importlib.util.find_spec("nuke-stubs")
STUBS = Path(STUBS_SPEC.submodule_search_locations[0]) if STUBS_SPEC else None  # type: ignore[index]

pytestmark = pytest.mark.skipif(STUBS is None, reason="types-nuke is not installed")


class Stub:
    """The stubs' names: module functions, classes with their bases and methods' parameters."""

    def __init__(self, folder: Path) -> None:
        self.functions: dict[str, Optional[list[str]]] = {}
        self.classes: dict[str, tuple[list[str], dict[str, Optional[list[str]]]]] = {}
        for path in folder.glob("*.pyi"):
            for node in ast.parse(path.read_text()).body:
                if isinstance(node, ast.FunctionDef):
                    self.functions[node.name] = _parameters(node)
                elif isinstance(node, ast.ClassDef):
                    methods = {
                        item.name: _parameters(item)
                        for item in node.body
                        if isinstance(item, ast.FunctionDef)
                    }
                    bases = [base.id for base in node.bases if isinstance(base, ast.Name)]
                    self.classes[node.name] = (bases, methods)
                elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
                    self.functions[node.target.id] = None

    def method(self, class_name: str, name: str) -> tuple[bool, Optional[list[str]]]:
        """Whether the class (or a base) has the method, and its parameter names if explicit."""
        if class_name not in self.classes:
            return False, None
        bases, methods = self.classes[class_name]
        if name in methods:
            return True, methods[name]
        for base in bases:
            found, parameters = self.method(base, name)
            if found:
                return True, parameters
        return False, None


def _parameters(function: ast.FunctionDef) -> Optional[list[str]]:
    """Parameter names, or None when the stub only says ``*args, **kwargs``."""
    arguments = function.args
    if arguments.vararg or arguments.kwarg:
        return None
    return [a.arg for a in arguments.posonlyargs + arguments.args if a.arg != "self"]


def _fake_parameters(function: object) -> list[str]:
    variadic = (inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.VAR_KEYWORD)
    signature = inspect.signature(function)  # type: ignore[arg-type]
    return [
        name
        for name, parameter in signature.parameters.items()
        if name != "self" and parameter.kind not in variadic
    ]


def _public(namespace: dict[str, object]) -> dict[str, object]:
    return {name: value for name, value in namespace.items() if not name.startswith("_")}


def _defined_in(module: ModuleType) -> dict[str, object]:
    return {
        name: value
        for name, value in _public(vars(module)).items()
        if (inspect.isfunction(value) or inspect.isclass(value))
        and getattr(value, "__module__", "") == module.__name__
    }


def test_every_function_and_class_of_the_fake_is_in_nukes_api(nuke: ModuleType) -> None:
    stub = Stub(STUBS)  # type: ignore[arg-type]
    unknown = [
        name
        for name, value in _defined_in(nuke).items()
        if name not in (stub.classes if inspect.isclass(value) else stub.functions)
    ]
    assert unknown == []


def test_every_method_of_the_fake_is_in_nukes_api_with_nukes_parameter_names(
    nuke: ModuleType,
) -> None:
    stub = Stub(STUBS)  # type: ignore[arg-type]
    problems = []
    for class_name, cls in _defined_in(nuke).items():
        if not inspect.isclass(cls):
            continue
        for name, method in _public(vars(cls)).items():
            if not inspect.isfunction(method):
                continue
            found, parameters = stub.method(class_name, name)
            if not found:
                problems.append(f"{class_name}.{name} is not in Nuke's API")
            elif parameters is not None and _fake_parameters(method) != parameters:
                problems.append(f"{class_name}.{name}{_fake_parameters(method)} != {parameters}")
    assert problems == []


def test_the_fakes_functions_take_nukes_parameter_names(nuke: ModuleType) -> None:
    stub = Stub(STUBS)  # type: ignore[arg-type]
    problems = [
        f"{name}{_fake_parameters(function)} != {stub.functions[name]}"
        for name, function in _defined_in(nuke).items()
        if inspect.isfunction(function)
        and stub.functions.get(name) is not None
        and _fake_parameters(function) != stub.functions[name]
    ]
    assert problems == []
