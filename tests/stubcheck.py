"""The published stubs of a DCC's Python API, read to hold its hand-written fake to them.

A test that passes against a fake must mean something in the DCC, so the
``tests/<dcc>/test_fake_*.py`` modules check every public name of a fake
against the stub package (``types-nuke``, ``types-houdini``): the same names,
on the same classes, with the parameter names the DCC gives them. This is the
reading they share; each module keeps its own rule for what counts as a match.
"""

from __future__ import annotations

import ast
import importlib.util
import inspect
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Optional

#: A stub's parameter names without ``self``; None when it says only ``*args, **kwargs``.
Parameters = Optional[list[str]]


def stub_files(package: str) -> list[Path]:
    """The ``.pyi`` files of an installed stub package (``"nuke-stubs"``); none when missing."""
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        return []
    return sorted(Path(spec.submodule_search_locations[0]).glob("*.pyi"))


def stub_parameters(function: ast.FunctionDef) -> Parameters:
    """A stub function's parameter names (positional and keyword-only) without ``self``."""
    arguments = function.args
    if arguments.vararg or arguments.kwarg:
        return None
    names = [a.arg for a in arguments.posonlyargs + arguments.args + arguments.kwonlyargs]
    return [name for name in names if name != "self"]


@dataclass
class StubClass:
    """A class of the stubs: its bases by name, its methods (every overload) and attributes."""

    bases: list[str]
    methods: dict[str, list[Parameters]] = field(default_factory=dict)
    attributes: set[str] = field(default_factory=set)


class Stubs:
    """The names the stubs declare: module functions (every overload), module variables and
    classes."""

    def __init__(self, paths: list[Path]) -> None:
        self.functions: dict[str, list[Parameters]] = {}
        self.variables: set[str] = set()
        self.classes: dict[str, StubClass] = {}
        for path in paths:
            for node in ast.parse(path.read_text("utf-8")).body:
                if isinstance(node, ast.FunctionDef):
                    self.functions.setdefault(node.name, []).append(stub_parameters(node))
                elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
                    self.variables.add(node.target.id)
                elif isinstance(node, ast.ClassDef):
                    self.classes[node.name] = _stub_class(node)

    def method(self, class_name: str, name: str) -> Optional[list[Parameters]]:
        """The method's overloads on the class or its nearest base that has it; None if none has."""
        if class_name not in self.classes:
            return None
        stub = self.classes[class_name]
        if name in stub.methods:
            return stub.methods[name]
        for base in stub.bases:
            found = self.method(base, name)
            if found is not None:
                return found
        return None

    def attribute(self, class_name: str, name: str) -> bool:
        """Whether the class or one of its bases declares the attribute ``name``."""
        stub = self.classes.get(class_name)
        return stub is not None and (
            name in stub.attributes or any(self.attribute(base, name) for base in stub.bases)
        )


def _stub_class(node: ast.ClassDef) -> StubClass:
    stub = StubClass([base.id for base in node.bases if isinstance(base, ast.Name)])
    for item in node.body:
        if isinstance(item, ast.FunctionDef):
            stub.methods.setdefault(item.name, []).append(stub_parameters(item))
        elif isinstance(item, ast.AnnAssign) and isinstance(item.target, ast.Name):
            stub.attributes.add(item.target.id)
    return stub


def fake_parameters(function: object) -> list[str]:
    """A fake function's parameter names without ``self`` and without ``*args, **kwargs``."""
    variadic = (inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.VAR_KEYWORD)
    signature = inspect.signature(function)  # type: ignore[arg-type]
    return [
        name
        for name, parameter in signature.parameters.items()
        if name != "self" and parameter.kind not in variadic
    ]


def defined_in(module: ModuleType) -> dict[str, object]:
    """The fake's public functions and classes that are its own (not what it imports)."""
    return {
        name: value
        for name, value in vars(module).items()
        if not name.startswith("_")
        and (inspect.isfunction(value) or inspect.isclass(value))
        and getattr(value, "__module__", None) == module.__name__
    }
