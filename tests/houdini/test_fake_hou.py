"""The fake ``hou`` module against the published stubs (types-houdini): same names, same parameters.

A test that passes against the fake must mean something in Houdini, so every
public function, class, method and enumeration value of the fake exists in
Houdini's API under the same name, on the same class, and takes its
parameters under the names (and in the order) Houdini gives them; the fake may
leave trailing ones out.
"""

from __future__ import annotations

import ast
import importlib.util
import inspect
from pathlib import Path
from types import ModuleType
from typing import Optional

import pytest

STUBS_SPEC = importlib.util.find_spec("hou-stubs")
STUBS = (
    Path(STUBS_SPEC.submodule_search_locations[0]) / "__init__.pyi"  # type: ignore[index]
    if STUBS_SPEC and STUBS_SPEC.submodule_search_locations
    else None
)

pytestmark = pytest.mark.skipif(STUBS is None, reason="types-houdini is not installed")

Parameters = Optional[list[str]]


def _parameters(function: ast.FunctionDef) -> Parameters:
    """Parameter names without ``self``, or None when the stub says only ``*args, **kwargs``."""
    arguments = function.args
    if arguments.vararg or arguments.kwarg:
        return None
    names = [a.arg for a in arguments.posonlyargs + arguments.args + arguments.kwonlyargs]
    return [name for name in names if name != "self"]


class Stubs:
    """hou's names: module functions, and classes with their bases, methods and attributes."""

    def __init__(self, path: Path) -> None:
        self.functions: dict[str, list[Parameters]] = {}
        self.classes: dict[str, tuple[list[str], dict[str, list[Parameters]], set[str]]] = {}
        for node in ast.parse(path.read_text("utf-8")).body:
            if isinstance(node, ast.FunctionDef):
                self.functions.setdefault(node.name, []).append(_parameters(node))
            elif isinstance(node, ast.ClassDef):
                methods: dict[str, list[Parameters]] = {}
                attributes = set()
                for item in node.body:
                    if isinstance(item, ast.FunctionDef):
                        methods.setdefault(item.name, []).append(_parameters(item))
                    elif isinstance(item, ast.AnnAssign) and isinstance(item.target, ast.Name):
                        attributes.add(item.target.id)
                bases = [base.id for base in node.bases if isinstance(base, ast.Name)]
                self.classes[node.name] = (bases, methods, attributes)

    def method(self, class_name: str, name: str) -> Optional[list[Parameters]]:
        """The method's overloads on the class or its nearest base that has it, else None."""
        if class_name not in self.classes:
            return None
        bases, methods, _ = self.classes[class_name]
        if name in methods:
            return methods[name]
        for base in bases:
            found = self.method(base, name)
            if found is not None:
                return found
        return None

    def attribute(self, class_name: str, name: str) -> bool:
        bases, _, attributes = self.classes.get(class_name, ([], {}, set()))
        return name in attributes or any(self.attribute(base, name) for base in bases)


@pytest.fixture(scope="module")
def stubs() -> Stubs:
    assert STUBS is not None
    return Stubs(STUBS)


def _takes(fake: list[str], overloads: list[Parameters]) -> bool:
    """Whether the fake's parameters are one overload's, or the leading part of one."""
    return any(real is None or real[: len(fake)] == fake for real in overloads)


def _fake_parameters(function: object) -> list[str]:
    variadic = (inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.VAR_KEYWORD)
    signature = inspect.signature(function)  # type: ignore[arg-type]
    return [
        name
        for name, parameter in signature.parameters.items()
        if name != "self" and parameter.kind not in variadic
    ]


def _own(hou: ModuleType) -> dict[str, object]:
    """The fake's public names that are its own (not what it imports)."""
    return {
        name: value
        for name, value in vars(hou).items()
        if not name.startswith("_") and getattr(value, "__module__", None) == hou.__name__
    }


def test_every_function_of_the_fake_is_houdinis_with_its_parameters(
    hou: ModuleType, stubs: Stubs
) -> None:
    wrong = {
        name: _fake_parameters(value)
        for name, value in _own(hou).items()
        if inspect.isfunction(value)
        and not _takes(_fake_parameters(value), stubs.functions.get(name, []))
    }

    assert wrong == {}


def test_every_class_method_and_value_of_the_fake_is_houdinis(
    hou: ModuleType, stubs: Stubs
) -> None:
    wrong = []
    for class_name, cls in _own(hou).items():
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
            if overloads is None or not _takes(_fake_parameters(function), overloads):
                wrong.append(f"{class_name}.{name}{tuple(_fake_parameters(function))}")

    assert wrong == [], "\n".join(wrong)
