"""Which ROPs wait for which: the dependencies a ROP network encodes, worked out without Houdini.

Houdini renders a ROP's inputs before the ROP. On the farm each rendering ROP
is a block, so a block waits for the nearest rendering ROPs upstream of it:

- a Merge (or Null) only gathers its inputs: what follows it waits for all of
  them, but they do not wait for each other;
- a bypassed ROP renders nothing and passes its inputs on;
- a Fetch renders the ROP it names: what follows the Fetch waits for that ROP,
  and that ROP waits for what feeds the Fetch;
- a Batch renders its inputs in one process (their blocks become single tasks);
- a Wedge renders its output driver once per wedge: it is a block of its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Optional

from afanasy_houdini.roptypes import BATCH, FETCH, STRUCTURE_TYPES, WEDGE

_NONE: frozenset[str] = frozenset()


@dataclass(frozen=True)
class RopLink:
    """One ROP as the network sees it: its wiring, not its settings."""

    path: str
    type_name: str
    #: Paths of the nodes connected to its inputs, in input order.
    inputs: tuple[str, ...] = ()
    bypassed: bool = False
    #: The node a Fetch renders, or a Wedge's output driver ("" if none).
    source: str = ""


class Network:
    """The dependency structure of a set of ROPs (paths not among them count as nothing)."""

    def __init__(self, links: Iterable[RopLink]) -> None:
        self._links = {link.path: link for link in links}
        self._provided: dict[str, frozenset[str]] = {}
        self._fetched: Optional[dict[str, list[RopLink]]] = None

    def is_target(self, path: str) -> bool:
        """Whether the ROP at ``path`` renders something itself (a block on the farm)."""
        link = self._links.get(path)
        return link is not None and link.type_name not in STRUCTURE_TYPES

    def provides(self, path: str) -> frozenset[str]:
        """The rendering ROPs whose completion rendering ``path`` stands for.

        For a rendering ROP that is the ROP itself; for a Merge, a bypassed ROP
        or a Fetch, the nearest rendering ROPs behind it.
        """
        if path not in self._provided:
            self._resolve(path)
        return self._provided.get(path, _NONE)

    def depends_on(self, path: str) -> frozenset[str]:
        """The rendering ROPs the target at ``path`` waits for."""
        link = self._links[path]
        feeds = [i for i in link.inputs if not (link.type_name == WEDGE and i == link.source)]
        waits = set(self._union(feeds))
        for fetch in self._fetches_of(path):
            waits |= self._union(fetch.inputs)
        waits.discard(path)
        return frozenset(waits)

    def batched(self) -> dict[str, str]:
        """Targets fed into a Batch ROP, each with the Batch's path: they render in one process."""
        found: dict[str, str] = {}
        for link in self._links.values():
            if link.type_name == BATCH and not link.bypassed:
                for target in self._union(link.inputs):
                    found.setdefault(target, link.path)
        return found

    def wedge_drivers(self) -> set[str]:
        """ROPs a Wedge renders: the Wedge's block renders them, once per wedge."""
        return {
            target
            for link in self._links.values()
            if link.type_name == WEDGE and link.source
            for target in self.provides(link.source)
        }

    def upstream(self, paths: Iterable[str]) -> set[str]:
        """``paths`` and every target they wait for, directly or not."""
        found: set[str] = set()
        pending = list(paths)
        while pending:
            path = pending.pop()
            if path in found or not self.is_target(path):
                continue
            found.add(path)
            pending.extend(self.depends_on(path))
        return found

    def _union(self, paths: Iterable[str]) -> frozenset[str]:
        provided = [self.provides(path) for path in paths]
        return frozenset().union(*provided) if provided else _NONE

    def _fetches_of(self, target: str) -> list[RopLink]:
        """Every Fetch that ends up rendering ``target`` (a Fetch may fetch a Fetch)."""
        if self._fetched is None:
            self._fetched = {}
            for link in self._links.values():
                if link.type_name == FETCH:
                    self._fetched.setdefault(self._fetch_end(link), []).append(link)
        return self._fetched.get(target, [])

    def _fetch_end(self, fetch: RopLink) -> str:
        """The path a chain of Fetches starting at ``fetch`` finally renders."""
        seen = {fetch.path}
        end = fetch.source
        while end in self._links and self._links[end].type_name == FETCH and end not in seen:
            seen.add(end)
            end = self._links[end].source
        return end

    def _feeds(self, link: RopLink) -> tuple[str, ...]:
        """The nodes whose ``provides`` make up this one's (none for a rendering ROP)."""
        if link.bypassed or link.type_name in STRUCTURE_TYPES:
            source = (link.source,) if link.type_name == FETCH and link.source else ()
            return (*link.inputs, *source)
        return ()

    def _resolve(self, start: str) -> None:
        """Fill ``_provided`` for ``start`` and what feeds it, without recursion (deep chains)."""
        entered: set[str] = set()
        pending: list[tuple[str, bool]] = [(start, False)]
        while pending:
            path, feeds_done = pending.pop()
            if path in self._provided:
                continue
            link = self._links.get(path)
            if link is None:
                self._provided[path] = _NONE
                continue
            feeds = self._feeds(link)
            if not feeds and not (link.bypassed or link.type_name in STRUCTURE_TYPES):
                self._provided[path] = frozenset({path})
            elif feeds_done:
                parts = [self._provided.get(feed, _NONE) for feed in feeds]
                self._provided[path] = frozenset().union(*parts) if parts else _NONE
            elif path not in entered:  # a second visit while entered is a Fetch cycle: skip it
                entered.add(path)
                pending.append((path, True))
                pending.extend((feed, False) for feed in feeds if feed not in self._provided)
