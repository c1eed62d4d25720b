"""核验 — walks the event log and its hash chain, and names the first record that fails."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from psycopg.sql import SQL, Identifier

from infra.hash_chain import GENESIS, Digest, link


@dataclass(frozen=True)
class Verdict:
    checked: int
    head: Digest | None
    bad_position: int | None = None
    problem: str | None = None
    event: dict[str, Any] | None = None

    @property
    def ok(self) -> bool:
        return self.problem is None


_WALK = """SELECT coalesce(e.notification_id, c.notification_id) AS position, e.originator_id,
    e.originator_version, e.topic, e.state, c.link
    FROM {} e FULL JOIN event_chain c ON c.notification_id = e.notification_id
    ORDER BY 1"""


def verify(datastore: Any, events_table: str, digest: Digest | None = None) -> Verdict:
    """Recompute the chain from the first event; stop at the first record that fails.

    With a digest, the chain must also pass through the digest's position with the
    digest's link: that catches a log rewritten together with its chain.
    """
    previous, checked, head = GENESIS, 0, None
    for row in _walk(datastore, events_table):
        position = row["position"]
        if digest is not None and head is not None and head.position < digest.position < position:
            return _bad(checked, head, digest.position, "the event the digest names is missing: removed", row)
        problem = _problem(previous, row)
        if problem:
            return _bad(checked, head, position, problem, row)
        previous, checked = bytes(row["link"]), checked + 1
        head = Digest(position, previous)
        if digest is not None and position == digest.position and previous != digest.link:
            return _bad(checked, head, position, "the chain up to here differs from the digest:"
                        " the log before it was rewritten and the chain recomputed", row)
    if digest is not None and (head is None or head.position < digest.position):
        return Verdict(checked, head, digest.position, "the log ends before the digest's position:"
                       " events were removed from its end")
    return Verdict(checked, head)


def _walk(datastore: Any, events_table: str) -> Iterator[dict[str, Any]]:
    """Events and links side by side, in log order, read through a server-side cursor."""
    with datastore.get_connection() as conn, conn.transaction(), conn.cursor(name="verify_chain") as cur:
        cur.itersize = 5000
        cur.execute(SQL(_WALK).format(Identifier(events_table)))
        yield from cur


def _problem(previous: bytes, row: dict[str, Any]) -> str | None:
    if row["link"] is None:
        return "event outside the chain: inserted after the fact"
    if row["state"] is None:
        return "event missing from the log (its link remains): removed"
    expected = link(previous, row["position"], row["originator_id"], row["originator_version"],
                    row["topic"], bytes(row["state"]))
    if expected != bytes(row["link"]):
        return ("event does not match its link: changed, moved, or an event before it"
                " removed or inserted")
    return None


def _bad(checked: int, head: Digest | None, position: int, problem: str, row: Any) -> Verdict:
    event = None
    if row is not None and row["originator_id"] is not None:
        event = {"position": row["position"], "aggregate": str(row["originator_id"]),
                 "version": row["originator_version"], "topic": row["topic"]}
    return Verdict(checked, head, position, problem, event)


def head(datastore: Any) -> Digest | None:
    """The digest of the log as it stands: its last chained position and link."""
    with datastore.transaction(commit=False) as cur:
        cur.execute("SELECT notification_id, link FROM event_chain ORDER BY notification_id DESC LIMIT 1")
        row = cur.fetchone()
    return None if row is None else Digest(row["notification_id"], bytes(row["link"]))
