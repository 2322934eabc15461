"""Everything afserver would reject, crash on, or silently mangle, found before sending.

The released afserver (CGRU 3.4.1) crashes on a job it rejects (no blocks, a
block that is neither numeric nor has tasks) and quietly "fixes" much else: a
block without a command, ``frame_last < frame_first``, ``frames_per_task: 0``,
bytes that are not UTF-8 (see shared/protocol/PROTOCOL.md). :func:`problems`
lists every such thing with its place (``blocks[1].frames_per_task``) so that
a person can fix them all at once; :func:`check` refuses the job.
"""

from __future__ import annotations

import re
import typing
from collections import defaultdict
from dataclasses import fields
from functools import lru_cache
from typing import Any, Callable, Iterator, Optional, Union

from afcore.errors import JobInvalid, Problem
from afcore.job import Block, BlockFlags, Job, Task

MAX_PRIORITY = 250
JOB_MASKS = (
    "hosts_mask",
    "hosts_mask_exclude",
    "depend_mask",
    "depend_mask_global",
    "need_os",
    "need_properties",
)
BLOCK_MASKS = (
    "hosts_mask",
    "hosts_mask_exclude",
    "depend_mask",
    "tasks_depend_mask",
    "need_properties",
)

Found = Callable[[str, str], None]


def problems(job: Job) -> list[Problem]:
    """Every problem of the job, in document order; empty when the job is fine to send."""
    found: list[Problem] = []

    def add(where: str, message: str) -> None:
        found.append(Problem(where, message))

    _fields_problems(job, "", add)
    _job_problems(job, add)
    names: dict[str, int] = {}
    for index, block in enumerate(_items(job.blocks, "blocks", add)):
        where = f"blocks[{index}]"
        if not isinstance(block, Block):
            add(where, f"must be a block object, got {type(block).__name__}")
            continue
        _fields_problems(block, where + ".", add)
        tasks = _items(block.tasks, f"{where}.tasks", add)
        for number, task in enumerate(tasks):
            if isinstance(task, Task):
                _fields_problems(task, f"{where}.tasks[{number}].", add)
            else:
                add(f"{where}.tasks[{number}]", f"must be a task object, got {type(task).__name__}")
        _block_problems(block, tasks, where, add)
        _duplicate_name(block, index, names, add)
        _task_command_problems(block, tasks, where, add)
    return _grouped(found)


def _items(value: Any, where: str, add: Found) -> list:
    """A list of blocks or tasks; anything else (a JSON ``null``, an object) is a problem."""
    if isinstance(value, list):
        return value
    if value is not None:
        add(where, f"must be a list, got {type(value).__name__}")
    return []


def check(job: Job) -> None:
    """Raise :class:`JobInvalid` listing every problem; return quietly when there is none."""
    found = problems(job)
    if found:
        raise JobInvalid(found)


def infer_numeric_flags(job: Job) -> list[str]:
    """Mark blocks that have a frame range but neither the numeric flag nor tasks as numeric.

    The seed documentation's minimal job JSON has no ``flags``; the server then
    sees a block with zero tasks and (3.4.1) crashes. Returns one note per
    block changed, for the caller to show.
    """
    notes = []
    for index, block in enumerate(job.blocks if isinstance(job.blocks, list) else []):
        if not isinstance(block, Block) or _is_numeric(block) or block.tasks:
            continue
        if _integer(block.frame_first) is None or _integer(block.frame_last) is None:
            continue
        block.set_flag(BlockFlags.NUMERIC)
        notes.append(
            f'blocks[{index}] "{block.name}": has frames {block.frame_first}-{block.frame_last} '
            "but no numeric flag; set flags bit 0 (numeric) so the server makes tasks of the range"
        )
    return notes


# --- the job and its blocks ---


def _job_problems(job: Job, add: Found) -> None:
    if isinstance(job.name, str) and not job.name.strip():
        add("name", "is empty: give the job a name")
    if isinstance(job.user_name, str) and not job.user_name.strip():
        add("user_name", "is empty: afserver refuses a job without a user; set AF_USERNAME")
    priority = _integer(job.priority)
    if priority is not None and not 0 <= priority <= MAX_PRIORITY:
        add("priority", f"must be from 0 to {MAX_PRIORITY}, got {priority}")
    _mask_problems(job, JOB_MASKS, "", add)
    if not job.blocks:
        add(
            "blocks",
            "the job has no blocks: add at least one (afserver 3.4.1 crashes on such a job)",
        )


def _block_problems(block: Block, tasks: list, where: str, add: Found) -> None:
    if isinstance(block.name, str) and not block.name.strip():
        add(f"{where}.name", "is empty: name the block (depend masks find blocks by name)")
    flags = _integer(block.flags) or 0
    numeric = _is_numeric(block)
    if numeric:
        _frame_problems(block, where, add)
        if tasks:
            add(
                f"{where}.tasks",
                f"the block is numeric (flags bit 0) and also has {len(tasks)} tasks: "
                "the server ignores the tasks; drop the flag or the tasks",
            )
        if not _text(block.command).strip():
            add(f"{where}.command", "is empty: the render client would have nothing to run")
    elif not tasks:
        add(where, _neither_numeric_nor_tasks(block))
    per_task = _integer(block.frames_per_task)
    if per_task == 0 or (numeric and per_task is not None and per_task < 0):
        add(f"{where}.frames_per_task", f"must be >= 1, got {per_task}")
    increment = _integer(block.frames_inc)
    if increment is not None and increment < 1:
        add(f"{where}.frames_inc", f"must be >= 1, got {increment}")
    capacity = _integer(block.capacity)
    if capacity is not None and capacity < 1:
        add(f"{where}.capacity", f"must be >= 1, got {capacity}")
    if flags & BlockFlags.MULTIHOST:
        _multihost_problems(block, where, add)
    _mask_problems(block, BLOCK_MASKS, where + ".", add)


def _neither_numeric_nor_tasks(block: Block) -> str:
    message = (
        "is neither numeric (flags bit 0) nor has tasks: the server rejects the job "
        "(and afserver 3.4.1 crashes)"
    )
    first, last = _integer(block.frame_first), _integer(block.frame_last)
    if first is not None and last is not None:
        message += f"; it has frames {first}-{last}: make it numeric (Block.set_numeric)"
    return message


def _frame_problems(block: Block, where: str, add: Found) -> None:
    first, last = _integer(block.frame_first), _integer(block.frame_last)
    if block.frame_first is None or block.frame_last is None:
        add(where, "is numeric but has no frame_first / frame_last: set the frame range")
    elif first is not None and last is not None and last < first:
        add(
            f"{where}.frame_last",
            f"must be >= frame_first ({first}), got {last}: the server would make a single task",
        )


def _multihost_problems(block: Block, where: str, add: Found) -> None:
    low, high = _integer(block.multihost_min), _integer(block.multihost_max)
    if low is None or low < 1:
        add(f"{where}.multihost_min", f"must be >= 1 for a multihost block, got {low}")
    elif high is None or high < low:
        add(f"{where}.multihost_max", f"must be >= multihost_min ({low}), got {high}")


def _task_command_problems(block: Block, tasks: list, where: str, add: Found) -> None:
    """Explicit tasks need a command somewhere: their own, or the block's."""
    if _is_numeric(block) or _text(block.command).strip():
        return
    for number, task in enumerate(tasks):
        if isinstance(task, Task) and not _text(task.command).strip():
            add(
                f"{where}.tasks[{number}].command",
                "is empty and the block has no command either: nothing to run",
            )


def _duplicate_name(block: Block, index: int, names: dict[str, int], add: Found) -> None:
    if not isinstance(block.name, str) or not block.name.strip():
        return
    first = names.setdefault(block.name, index)
    if first != index:
        add(
            f"blocks[{index}].name",
            f'"{block.name}" is also the name of blocks[{first}]: depend masks find blocks '
            "by name, so give each block its own",
        )


def _mask_problems(
    model: Union[Job, Block], masks: tuple[str, ...], prefix: str, add: Found
) -> None:
    for name in masks:
        pattern = getattr(model, name)
        if isinstance(pattern, str) and pattern:
            error = _regex_error(pattern)
            if error:
                add(prefix + name, error)


@lru_cache(maxsize=1024)
def _regex_error(pattern: str) -> Optional[str]:
    """Why Afanasy could not use the pattern as a regular expression, or None."""
    try:
        re.compile(pattern)
    except re.error as error:
        message = (
            f"{pattern!r} is not a valid regular expression: {error.msg} at position {error.pos}"
        )
        if pattern.startswith(("*", "?", "+")):
            message += " (masks are regular expressions: use '.*' for 'anything', not '*')"
        return message
    return None


# --- types and text, from the model's own field types ---


Checker = Callable[[Any], Optional[str]]


def _fields_problems(model: Union[Job, Block, Task], prefix: str, add: Found) -> None:
    checkers = _CHECKERS[type(model)]
    for name, value in vars(model).items():
        if value is None or value is False or (not value and type(value) is not int):
            continue  # unset: the defaults always fit
        plain = type(value) is int or (type(value) is str and value.isascii())
        if plain and _PLAIN[type(model)].get(name) is type(value):
            continue  # the common case, settled without the general checks below
        expected = checkers.get(name)
        if expected is None:
            continue
        wrong = expected(value)
        if wrong:
            add(prefix + name, f"must be {wrong}, got {value!r} ({type(value).__name__})")
            continue
        for text in _texts(value):
            error = _utf8_error(text)
            if error:
                add(prefix + name, error)
                break


def _checker(hint: Any) -> Checker:
    """A check for one field type: it returns what was expected, or None when the value fits."""
    origin, arguments = typing.get_origin(hint), typing.get_args(hint)
    if origin is Union:  # Optional[X]; None itself never reaches a check
        return _checker(next(a for a in arguments if a is not type(None)))
    if origin is list:
        return _list_of(*_SCALARS[arguments[0]])
    if origin is dict and arguments[1] is not Any:
        return _mapping_of(*_SCALARS[arguments[1]])
    if origin is dict:
        return lambda value: None if isinstance(value, dict) else "a JSON object"
    fits, expected, _ = _SCALARS[hint]
    return lambda value: None if fits(value) else expected


def _list_of(fits: Callable[[Any], bool], _: str, plural: str) -> Checker:
    def check(value: Any) -> Optional[str]:
        ok = isinstance(value, list) and all(fits(item) for item in value)
        return None if ok else f"a list of {plural}"

    return check


def _mapping_of(fits: Callable[[Any], bool], _: str, plural: str) -> Checker:
    def check(value: Any) -> Optional[str]:
        ok = isinstance(value, dict) and all(_is_text(k) and fits(v) for k, v in value.items())
        return None if ok else f"a mapping of names to {plural}"

    return check


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_text(value: Any) -> bool:
    """Text, or bytes: those get their own, clearer message from the UTF-8 check."""
    return isinstance(value, (str, bytes))


#: Field type -> (fits, what one is called, what several are called).
_SCALARS: dict[Any, tuple[Callable[[Any], bool], str, str]] = {
    int: (_is_int, "a whole number", "whole numbers"),
    str: (_is_text, "text", "texts"),
    bool: (lambda value: isinstance(value, bool), "true or false", "true / false values"),
}


def _texts(value: Any) -> Iterator[Union[str, bytes]]:
    """Every text inside a value: itself, list items, mapping keys and values, nested."""
    if isinstance(value, (str, bytes)):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _texts(key)
            yield from _texts(item)
    elif isinstance(value, list):
        for item in value:
            yield from _texts(item)


def _field_checkers(model: type) -> dict[str, Checker]:
    """The check of every field of a model but its nested blocks / tasks."""
    hints = typing.get_type_hints(model)
    nested = ("blocks", "tasks")
    return {f.name: _checker(hints[f.name]) for f in fields(model) if f.name not in nested}


_CHECKERS = {model: _field_checkers(model) for model in (Job, Block, Task)}


def _plain_types(model: type) -> dict[str, type]:
    """Fields typed plain ``int`` or ``str`` (or Optional of one): what a fast path can settle."""
    plain: dict[str, type] = {}
    for name, hint in typing.get_type_hints(model).items():
        arguments = [a for a in typing.get_args(hint) if a is not type(None)]
        kind = arguments[0] if typing.get_origin(hint) is Union and len(arguments) == 1 else hint
        if kind in (int, str):
            plain[name] = kind
    return plain


_PLAIN = {model: _plain_types(model) for model in (Job, Block, Task)}


def _utf8_error(text: Union[str, bytes]) -> Optional[str]:
    """Why the text cannot go out as UTF-8 (the server would store the raw bytes), or None."""
    if isinstance(text, bytes):
        try:
            text.decode("utf-8")
        except UnicodeDecodeError as error:
            return f"is bytes that are not UTF-8 (byte {text[error.start]:#04x} at {error.start})"
        return "is bytes, not text: decode it first (value.decode('utf-8'))"
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as error:
        raw = ord(text[error.start])
        shown = f"byte {raw - 0xDC00:#04x}" if 0xDC80 <= raw <= 0xDCFF else f"U+{raw:04X}"
        return (
            f"is not valid UTF-8 text ({shown} at character {error.start}): it was probably "
            "read with the wrong encoding; fix the name or path it came from"
        )
    return None


def _integer(value: Any) -> Optional[int]:
    """The value when it is a whole number (its type is checked elsewhere), else None."""
    return value if _is_int(value) else None


def _is_numeric(block: Block) -> bool:
    return bool((_integer(block.flags) or 0) & BlockFlags.NUMERIC)


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


# --- one problem repeated in many tasks reads as one line ---

_TASK_PLACE = re.compile(r"^(blocks\[\d+\]\.tasks)\[(\d+)\](.*)$")
_SHOWN = 3


def _grouped(found: list[Problem]) -> list[Problem]:
    """Fold the same message for many tasks of a block into one problem naming a few of them."""
    groups: dict[tuple[str, str, str], list[int]] = defaultdict(list)
    for problem in found:
        match = _TASK_PLACE.match(problem.where)
        if match:
            groups[(match.group(1), match.group(3), problem.message)].append(int(match.group(2)))
    if all(len(numbers) == 1 for numbers in groups.values()):
        return found
    out = []
    for problem in found:
        match = _TASK_PLACE.match(problem.where)
        if not match:
            out.append(problem)
            continue
        numbers = groups.get((match.group(1), match.group(3), problem.message))
        if numbers is None or numbers[0] != int(match.group(2)):
            continue
        if len(numbers) == 1:
            out.append(problem)
        else:
            others = ", ".join(str(n) for n in numbers[1 : _SHOWN + 1])
            more = f" and {len(numbers) - 1 - _SHOWN:,} more" if len(numbers) - 1 > _SHOWN else ""
            out.append(Problem(problem.where, f"{problem.message} (so are tasks {others}{more})"))
    return out
