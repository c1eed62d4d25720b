"""Answers of the read views kept while the read models stand still (`Views`)."""

from __future__ import annotations

import asyncio
import threading
import time
from collections import OrderedDict
from collections.abc import Hashable
from typing import Any

import anyio

from infra.api.access import bearer_token
from infra.store.positions import EVENTS_TABLE


class Views:
    """Whole answers of the read views, kept while the read models stand still.

    A GET under /api/v1/ (but the audit views and personal data, which read the event log
    and record reads, and the operators' positions) is answered from the read models only,
    so the same path and query, asked with a token of the same role and scope, while no projection has
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
        self._positions: tuple[float, tuple[tuple[str, int, str], ...]] = (0.0, ())
        self.stale: dict[str, str] = {}  # by read model: why its answers are not current
        self._lock = threading.Lock()
        self._reading: asyncio.Future[tuple[tuple[str, int, str], ...]] | None = None  # (event loop only)
        self.composing: dict[Hashable, asyncio.Event] = {}  # keys being composed (event loop only)

    def candidate(self, scope: Any) -> bool:
        """Whether the request may be kept (a GET of a read view); cheap, on the event loop."""
        path = scope["path"]
        return scope["method"] == "GET" and path.startswith("/api/v1/") and not path.startswith(self.SKIP)

    async def key(self, scope: Any) -> tuple[Hashable, Any] | None:
        """The candidate request's key and its token's principal; None when it is not kept
        (no known token). The token and the positions are read from the database only when
        not read lately, off the event loop, and the positions by one read at a time: the
        requests that find them stale together wait for that one."""
        token = _bearer(scope)
        if not token:
            return None
        known, principal = self.tokens.seen(token)
        if not known:
            principal = await anyio.to_thread.run_sync(self.tokens.principal, token)
        if principal is None or principal.expired():
            return None  # refused by the guard: never answered from what is kept
        read_at, found = self._positions
        if time.monotonic() - read_at >= self.fresh:
            if self._reading is None:
                self._reading = asyncio.ensure_future(anyio.to_thread.run_sync(self.positions))
                self._reading.add_done_callback(self._read)
            found = await asyncio.shield(self._reading)
        return self._key(scope, (principal.role, principal.scope), found), principal

    def _read(self, _done: Any) -> None:
        self._reading = None

    @staticmethod
    def _key(scope: Any, role: Hashable, positions: Hashable) -> Hashable:
        minute = int(time.time() // 60)
        return scope["path"], scope.get("query_string", b""), role, positions, minute

    def positions(self) -> tuple[tuple[str, int, str], ...]:
        """The read models' positions and states, read now (blocking); and `stale` kept: for
        each read model that is stalled or being rebuilt for a new version, what an answer
        from it says of that (`Govledger-Stale`)."""
        now = time.monotonic()
        with self.datastore.transaction(commit=False) as cur:  # what the kept answers depend on
            cur.execute("SELECT name, position, state, fault FROM projection_positions ORDER BY name")
            rows = cur.fetchall()
            behind = [r for r in rows if r["state"] in ("stalled", "rebuilding")]
            head = 0
            if behind:
                cur.execute(f"SELECT coalesce(max(notification_id), 0) AS head FROM {EVENTS_TABLE}")
                head = int(cur.fetchone()["head"])
        found = tuple((row["name"], row["position"], row["state"]) for row in rows)
        stale = {r["name"]: _stale(r, head) for r in behind}
        with self._lock:
            self._positions, self.stale = (now, found), stale
        return found

    def get(self, key: Hashable) -> tuple[int, list[tuple[bytes, bytes]], bytes] | None:
        with self._lock:
            return self._kept.get(key)

    def keep(self, key: Hashable, status: int, headers: list[tuple[bytes, bytes]], body: bytes) -> None:
        with self._lock:
            self._kept[key] = (status, headers, body)
            while len(self._kept) > self.size:
                self._kept.popitem(last=False)


def _stale(row: Any, head: int) -> str:
    """`name; state=stalled; position=P; behind=N; event=E`: a read model's answers are as at
    position P, N events behind the log (E: the event it stalled at)."""
    text = f"{row['name']}; state={row['state']}; position={row['position']}; behind={head - row['position']}"
    if row["fault"]:
        text += f"; event={row['fault']['event_id']}"
    return text


def _bearer(scope: Any) -> str | None:
    return bearer_token(dict(scope["headers"]).get(b"authorization", b"").decode("latin-1"))
