"""Answers kept while the read models stand still.

An answer composed from many read models (the dashboard reads a dozen) is kept, encoded,
under its parameters and the read models' positions: while no projection has moved, and
for the same day (and, for a day still running, the same minute its figures are read at),
the same request gets the same bytes without reading the database beyond the positions.
A request that finds nothing kept composes the answer once; those that come meanwhile wait
for it rather than compose it again.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, Literal

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


class Views:
    """Whole answers of the read views, kept while the read models stand still.

    A GET under /api/v1/ (but the audit views and personal data, which read the event log
    and record reads, and the operators' positions) is answered from the read models only,
    so the same path and query, asked with a token of the same role, while no projection has
    moved and within the same minute (answers that depend on the clock, such as which cases
    are overdue now, are read to the minute), has the same answer: it is kept, and replayed
    (304 to a client that holds it) without the route or the database beyond the positions,
    which are read at most every `fresh` seconds (a projection's own lag is far longer).
    Requests that come while an answer is being composed wait for it rather than compose it
    again.
    """

    SKIP = ("/api/v1/audit/", "/api/v1/people/", "/api/v1/ops/")

    def __init__(self, tokens: Any, datastore: Any, size: int = 2048, fresh: float = 0.05) -> None:
        self.tokens, self.datastore, self.size, self.fresh = tokens, datastore, size, fresh
        self._kept: OrderedDict[Hashable, tuple[int, list[tuple[bytes, bytes]], bytes]] = OrderedDict()
        self._positions: tuple[float, tuple[tuple[str, int], ...]] = (0.0, ())
        self._lock = threading.Lock()
        self.composing: dict[Hashable, asyncio.Event] = {}  # keys being composed (event loop only)

    def candidate(self, scope: Any) -> bool:
        """Whether the request may be kept (a GET of a read view); cheap, on the event loop."""
        path = scope["path"]
        return scope["method"] == "GET" and path.startswith("/api/v1/") and not path.startswith(self.SKIP)

    def key(self, scope: Any) -> tuple[Hashable, Any] | None:
        """The candidate request's key and its token's principal; None when it is not kept
        (no known token). Blocking (token and positions): call it off the event loop."""
        token = _bearer(scope)
        principal = self.tokens.principal(token) if token else None
        return None if principal is None else (self._key(scope, principal.role, self.positions()), principal)

    def key_at_hand(self, scope: Any) -> tuple[Hashable, Any] | None | Literal[False]:
        """The key as `key` gives it, when the token and the positions were read lately
        enough to need no database; False when they were not (then ask `key`, off the loop)."""
        token = _bearer(scope)
        if not token:
            return None
        known, principal = self.tokens.seen(token)
        read_at, found = self._positions
        if not known or time.monotonic() - read_at >= self.fresh:
            return False
        return None if principal is None else (self._key(scope, principal.role, found), principal)

    @staticmethod
    def _key(scope: Any, role: str, positions: Hashable) -> Hashable:
        minute = int(time.time() // 60)
        return scope["path"], scope.get("query_string", b""), role, positions, minute

    def positions(self) -> tuple[tuple[str, int], ...]:
        now = time.monotonic()
        with self._lock:
            read_at, found = self._positions
            if now - read_at < self.fresh:
                return found
        with self.datastore.transaction(commit=False) as cur:
            found = positions(cur)
        with self._lock:
            self._positions = (now, found)
        return found

    def get(self, key: Hashable) -> tuple[int, list[tuple[bytes, bytes]], bytes] | None:
        with self._lock:
            return self._kept.get(key)

    def keep(self, key: Hashable, status: int, headers: list[tuple[bytes, bytes]], body: bytes) -> None:
        with self._lock:
            self._kept[key] = (status, headers, body)
            while len(self._kept) > self.size:
                self._kept.popitem(last=False)


def _bearer(scope: Any) -> str | None:
    scheme, _, token = dict(scope["headers"]).get(b"authorization", b"").decode("latin-1").partition(" ")
    return token.strip() or None if scheme.lower() == "bearer" else None
