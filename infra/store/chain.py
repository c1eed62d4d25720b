"""核验 — walks the event log and its hash chain, and names the first record that fails."""

from __future__ import annotations

import struct
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from psycopg.sql import SQL, Identifier

from infra.store import ciphers

# 防篡改 — the hash chain over the event log: each stored event linked to the one before.
#
# Every link is a digest over the previous link, the event's position in the log
# (notification id), its aggregate, version, topic and stored bytes: SHA-256, or SM3 where
# the ledger runs the gm suite (GOVLEDGER_CRYPTO=gm, infra/store/ciphers.py). Each link's
# row names its algorithm, so a ledger that switches suites chains on from the last link
# and every record is verified by the algorithm that made it. Links are written
# in the transaction that stores the events, under the events table lock every writer
# takes, so the chain follows the log's order exactly. Changing, removing, inserting or
# moving an event breaks the chain at that record; a tamperer who also recomputes the
# chain is caught by a digest (position and link) kept outside the system.


GENESIS = bytes(32)


def link(
    previous: bytes,
    position: int,
    originator_id: UUID,
    version: int,
    topic: str,
    state: bytes,
    algorithm: str = "sha256",
) -> bytes:
    parts = (
        previous,
        struct.pack(">qq", position, version),
        originator_id.bytes,
        topic.encode() + b"\0",
        state,
    )
    return ciphers.digest(algorithm, parts)


def append(
    curs: Any,
    events_table: str,
    stored: Sequence[Any],
    positions: Sequence[int],
    algorithm: str | None = None,
) -> None:
    """Chain the events just inserted (caller holds the events table lock), with `algorithm`
    or else the configured suite's digest."""
    algorithm = algorithm or ciphers.configured().digest
    curs.execute("SELECT link FROM event_chain ORDER BY notification_id DESC LIMIT 1")
    row = curs.fetchone()
    if row is None:  # a log kept before the chain existed: chain what it holds first
        older = _older_events(curs, events_table, positions[0])
        previous = _chain_rows(curs, older, GENESIS, algorithm)
    else:
        previous = bytes(row["link"])
    rows = zip(positions, ((e.originator_id, e.originator_version, e.topic, e.state) for e in stored))
    _chain_rows(curs, ((p, *event) for p, event in rows), previous, algorithm)


def _older_events(curs: Any, events_table: str, before: int) -> list[tuple[Any, ...]]:
    curs.execute(
        SQL(
            "SELECT notification_id, originator_id, originator_version, topic, state"
            " FROM {} WHERE notification_id < %s ORDER BY notification_id"
        ).format(Identifier(events_table)),
        (before,),
    )
    return [
        (r["notification_id"], r["originator_id"], r["originator_version"], r["topic"], bytes(r["state"]))
        for r in curs.fetchall()
    ]


def _chain_rows(curs: Any, events: Iterable[tuple[Any, ...]], previous: bytes, algorithm: str) -> bytes:
    with curs.copy("COPY event_chain (notification_id, link, algorithm) FROM STDIN (FORMAT BINARY)") as copy:
        copy.set_types(["int8", "bytea", "text"])
        for position, originator_id, version, topic, state in events:
            previous = link(previous, position, originator_id, version, topic, state, algorithm)
            copy.write_row((position, previous, algorithm))
    return previous


@dataclass(frozen=True)
class Digest:
    """What an auditor keeps outside the system: a position in the log and its link."""

    position: int
    link: bytes

    def __str__(self) -> str:
        return f"{self.position}:{self.link.hex()}"

    @classmethod
    def parse(cls, text: str) -> Digest:
        position, _, hexed = text.strip().partition(":")
        if not position.isdigit() or len(hexed) != 64:
            raise ValueError(f"not a digest (POSITION:HEX, the link's 64 hex digits): {text!r}")
        return cls(int(position), bytes.fromhex(hexed))


@dataclass(frozen=True)
class Verdict:
    checked: int
    head: Digest | None
    bad_position: int | None = None
    problem: str | None = None
    event: dict[str, Any] | None = None
    # where each algorithm took over, in log order: (first position, "sha256" | "sm3")
    algorithms: tuple[tuple[int, str], ...] = ()

    @property
    def ok(self) -> bool:
        return self.problem is None

    def answer(self) -> dict[str, Any]:
        """The verdict as the API and `audit verify --json` give it."""
        head = str(self.head) if self.head else None
        return {
            "ok": self.ok,
            "checked": self.checked,
            "head": head,
            "bad_position": self.bad_position,
            "problem": self.problem,
            "event": self.event,
        }


def digest_answer(head: Digest | None) -> dict[str, Any]:
    """The log's digest as the API and `audit digest --json` give it: the digest and its
    position, both null when the log is empty."""
    return {"digest": str(head) if head else None, "position": head.position if head else None}


_WALK = """SELECT coalesce(e.notification_id, c.notification_id) AS position, e.originator_id,
    e.originator_version, e.topic, e.state, c.link, c.algorithm
    FROM {} e FULL JOIN event_chain c ON c.notification_id = e.notification_id
    ORDER BY 1"""


def verify(datastore: Any, events_table: str, digest: Digest | None = None) -> Verdict:
    """Recompute the chain from the first event; stop at the first record that fails.

    With a digest, the chain must also pass through the digest's position with the
    digest's link: that catches a log rewritten together with its chain.
    """
    previous, checked, head = GENESIS, 0, None
    used: list[tuple[int, str]] = []  # where each algorithm took over
    for row in _walk(datastore, events_table):
        position = row["position"]
        if digest is not None and head is not None and head.position < digest.position < position:
            missing = "the event the digest names is missing: removed"
            return _bad(checked, head, digest.position, missing, row, used)
        problem = _problem(previous, row)
        if problem:
            return _bad(checked, head, position, problem, row, used)
        previous, checked = bytes(row["link"]), checked + 1
        head = Digest(position, previous)
        if not used or used[-1][1] != row["algorithm"]:
            used.append((position, row["algorithm"]))
        if digest is not None and position == digest.position and previous != digest.link:
            return _bad(
                checked,
                head,
                position,
                "the chain up to here differs from the digest:"
                " the log before it was rewritten and the chain recomputed",
                row,
                used,
            )
    if digest is not None and (head is None or head.position < digest.position):
        return Verdict(
            checked,
            head,
            digest.position,
            "the log ends before the digest's position: events were removed from its end",
            algorithms=tuple(used),
        )
    return Verdict(checked, head, algorithms=tuple(used))


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
    if row["algorithm"] not in ciphers.DIGESTS:
        return f"link made by an unknown algorithm {row['algorithm']!r}: changed"
    expected = link(
        previous,
        row["position"],
        row["originator_id"],
        row["originator_version"],
        row["topic"],
        bytes(row["state"]),
        row["algorithm"],
    )
    if expected != bytes(row["link"]):
        return "event does not match its link: changed, moved, or an event before it removed or inserted"
    return None


def _bad(
    checked: int,
    head: Digest | None,
    position: int,
    problem: str,
    row: Any,
    used: Sequence[tuple[int, str]] = (),
) -> Verdict:
    event = None
    if row is not None and row["originator_id"] is not None:
        event = {
            "position": row["position"],
            "aggregate": str(row["originator_id"]),
            "version": row["originator_version"],
            "topic": row["topic"],
        }
    return Verdict(checked, head, position, problem, event, tuple(used))


def head(datastore: Any) -> Digest | None:
    """The digest of the log as it stands: its last chained position and link."""
    with datastore.transaction(commit=False) as cur:
        cur.execute("SELECT notification_id, link FROM event_chain ORDER BY notification_id DESC LIMIT 1")
        row = cur.fetchone()
    return None if row is None else Digest(row["notification_id"], bytes(row["link"]))
