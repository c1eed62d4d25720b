"""Answers kept while the read models stand still.

An answer composed from many read models (the dashboard reads a dozen) is kept, encoded,
under its parameters and the read models' positions: while no projection has moved, and
for the same day (and, for a day still running, the same minute its figures are read at),
the same request gets the same bytes without reading the database beyond the positions.
A request that finds nothing kept composes the answer once; those that come meanwhile wait
for it rather than compose it again.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any

import msgspec


def positions(cur: Any) -> tuple[tuple[str, int], ...]:
    """Every projection's position: what an answer composed from the read models depends on."""
    cur.execute("SELECT name, position FROM projection_positions ORDER BY name")
    return tuple((row["name"], row["position"]) for row in cur.fetchall())


class Answers:
    """The last `size` answers, encoded, by key (their parameters and the positions)."""

    def __init__(self, size: int = 64) -> None:
        self.size = size
        self._kept: OrderedDict[Hashable, bytes] = OrderedDict()
        self._composing = threading.Lock()
        self.composed = 0  # how many answers were composed (the rest were kept ones)

    def encoded(self, key: Hashable, compose: Callable[[], Any]) -> bytes:
        kept = self._kept.get(key)
        if kept is not None:
            return kept
        with self._composing:
            kept = self._kept.get(key)  # composed meanwhile, by a request that came first
            if kept is None:
                kept = msgspec.json.encode(compose())
                self.composed += 1
                self._kept[key] = kept
                while len(self._kept) > self.size:
                    self._kept.popitem(last=False)
            return kept
