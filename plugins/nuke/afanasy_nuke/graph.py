"""Walking a Nuke node graph upstream, once, whatever holds the graph (Nuke or a parsed .nk)."""

from __future__ import annotations

from typing import Callable, Hashable, Iterable, TypeVar

Node = TypeVar("Node", bound=Hashable)

_NOTHING: frozenset[str] = frozenset()


def upstream_marks(
    starts: Iterable[Node],
    inputs_of: Callable[[Node], list[Node]],
    marks_of: Callable[[Node], frozenset[str]],
) -> dict[Node, frozenset[str]]:
    """For each start node, the union of the marks of every node upstream of it (itself included).

    Each node is visited once however many starts share it, so a script with
    a thousand Writes over one long tree costs one walk, not a thousand. The
    walk is iterative (trees deeper than Python's recursion limit are fine)
    and a cycle, which Nuke forbids but a hand-edited .nk may hold, ends it.
    """
    done: dict[Node, frozenset[str]] = {}
    entered: dict[Node, list[Node]] = {}  # the inputs of nodes waiting for them
    for start in starts:
        pending: list[tuple[Node, bool]] = [(start, False)]
        while pending:
            node, inputs_done = pending.pop()
            if node in done:
                continue
            if inputs_done:
                upstream = [done.get(up, _NOTHING) for up in entered[node]]
                done[node] = _union(marks_of(node), upstream)
                continue
            if node in entered:
                continue  # a cycle: this node is already waiting for its inputs
            inputs = entered[node] = inputs_of(node)
            pending.append((node, True))
            pending.extend((up, False) for up in inputs if up not in done)
    return done


def _union(own: frozenset[str], upstream: list[frozenset[str]]) -> frozenset[str]:
    """Share the sets when nothing new joins them: most nodes only pass their input's on."""
    non_empty = [marks for marks in upstream if marks]
    if not own and len(non_empty) <= 1:
        return non_empty[0] if non_empty else _NOTHING
    return own.union(*non_empty)
