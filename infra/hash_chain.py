"""防篡改 — the hash chain over the event log: each stored event linked to the one before.

Every link is SHA-256 over the previous link, the event's position in the log
(notification id), its aggregate, version, topic and stored bytes. Links are written
in the transaction that stores the events, under the events table lock every writer
takes, so the chain follows the log's order exactly. Changing, removing, inserting or
moving an event breaks the chain at that record; a tamperer who also recomputes the
chain is caught by a digest (position and link) kept outside the system.
"""

from __future__ import annotations

import hashlib
import struct
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from psycopg.sql import SQL, Identifier

GENESIS = bytes(32)
TABLE = """CREATE TABLE IF NOT EXISTS event_chain (
    notification_id bigint PRIMARY KEY, link bytea NOT NULL)"""


def link(previous: bytes, position: int, originator_id: UUID, version: int, topic: str,
         state: bytes) -> bytes:
    digest = hashlib.sha256(previous)
    digest.update(struct.pack(">qq", position, version))
    digest.update(originator_id.bytes)
    digest.update(topic.encode() + b"\0")
    digest.update(state)
    return digest.digest()


def append(curs: Any, events_table: str, stored: Sequence[Any], positions: Sequence[int]) -> None:
    """Chain the events just inserted (caller holds the events table lock)."""
    curs.execute("SELECT link FROM event_chain ORDER BY notification_id DESC LIMIT 1")
    row = curs.fetchone()
    if row is None:  # a log kept before the chain existed: chain what it holds first
        previous = _chain_rows(curs, _older_events(curs, events_table, positions[0]), GENESIS)
    else:
        previous = bytes(row["link"])
    rows = zip(positions, ((e.originator_id, e.originator_version, e.topic, e.state) for e in stored))
    _chain_rows(curs, ((p, *event) for p, event in rows), previous)


def _older_events(curs: Any, events_table: str, before: int) -> list[tuple[Any, ...]]:
    curs.execute(SQL("SELECT notification_id, originator_id, originator_version, topic, state"
                     " FROM {} WHERE notification_id < %s ORDER BY notification_id")
                 .format(Identifier(events_table)), (before,))
    return [(r["notification_id"], r["originator_id"], r["originator_version"], r["topic"],
             bytes(r["state"])) for r in curs.fetchall()]


def _chain_rows(curs: Any, events: Iterable[tuple[Any, ...]], previous: bytes) -> bytes:
    with curs.copy("COPY event_chain (notification_id, link) FROM STDIN (FORMAT BINARY)") as copy:
        copy.set_types(["int8", "bytea"])
        for position, originator_id, version, topic, state in events:
            previous = link(previous, position, originator_id, version, topic, state)
            copy.write_row((position, previous))
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
            raise ValueError(f"not a digest (POSITION:SHA256HEX): {text!r}")
        return cls(int(position), bytes.fromhex(hexed))
