"""The library's PostgreSQL recorder, plus the intake's bookkeeping in the same transaction.

Saving a batch writes, in one transaction: the events and their links in the hash
chain, the Kafka offsets the batch consumed, the message ids it saw (applied or
dead-lettered) and its dead letters.
A crash before the commit leaves none of them; after it, all of them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple

from eventsourcing.application import Application
from eventsourcing.persistence import IntegrityError, InterfaceError, OperationalError, StoredEvent
from eventsourcing.postgres import PostgresApplicationRecorder, PostgresDatastore
from eventsourcing.utils import retry
from psycopg.rows import args_row
from psycopg.sql import SQL, Composable, Composed, Identifier

from consumers.intake import IntakeProgress
from infra.store import chain as hash_chain
from infra.store.schema import TABLES

SCHEMA_LOCK = 0x676F766C  # an advisory lock id of our own, taken while creating the tables


class LoggedEvent(NamedTuple):
    """An event as the notification log holds it (what the mapper reads of a StoredEvent)."""

    id: int
    originator_id: Any
    originator_version: int
    topic: str
    state: bytes


def recorder_of(ledger: Application[Any]) -> LedgerRecorder:
    """The ledger's recorder, as the composition root configures it (`bootstrap.ledger_env`):
    the library types it as any application recorder, ours has the datastore."""
    recorder = ledger.recorder
    if not isinstance(recorder, LedgerRecorder):
        raise TypeError(f"the ledger records with {type(recorder).__name__}, not a LedgerRecorder")
    return recorder


class LedgerRecorder(PostgresApplicationRecorder):
    def __init__(self, datastore: PostgresDatastore, *, events_table_name: str) -> None:
        super().__init__(datastore, events_table_name=events_table_name)
        self.sql_create_statements.extend(Composed([SQL(statement)]) for statement in TABLES)

    def create_table(self) -> None:
        """As the library does; but two processes creating the schema at once can meet on
        the library's CREATE TYPE (done outside any lock, and the race answers a unique
        violation on pg_type, not the "already exists" it passes over): the type is then
        there, and trying again finds it."""
        try:
            super().create_table()
        except IntegrityError:
            super().create_table()

    def _create_table(self, curs: Any) -> None:
        """Under a lock held to the end of the transaction: workers starting together
        would otherwise replace the library's functions at the same moment and fail
        ("tuple concurrently updated")."""
        curs.execute("SELECT pg_advisory_xact_lock(%s)", (SCHEMA_LOCK,))
        super()._create_table(curs)

    @retry((InterfaceError, OperationalError), max_attempts=10, wait=0.2)
    def insert_events(self, stored_events: Sequence[StoredEvent], **kwargs: Any) -> Sequence[int]:
        """As the library does, in one transaction, but without pipeline mode: a large
        batch in pipeline mode stalled on a unix-socket connection (client and server
        each waiting for the other), and one round trip per batch costs nothing."""
        with self.datastore.get_connection() as conn, conn.transaction(), conn.cursor() as curs:
            if stored_events:  # the table lock first, as every writer of events takes it
                self._lock_table(curs)
                self._notify_channel(curs)
            self._insert_events(curs, stored_events, **kwargs)
            if not stored_events:
                return []
            self._insert_stored_events(curs, stored_events, **kwargs)
            positions = self._fetch_ids_after_insert_events(curs, stored_events, **kwargs)
            hash_chain.append(curs, self.events_table_name, stored_events, positions)
            return positions

    def _insert_stored_events(self, curs: Any, stored_events: Sequence[StoredEvent], **_: Any) -> None:
        """COPY the events in binary, under the table lock `insert_events` took (the library
        sends them as an array of composites in text, which costs more than the insert)."""
        statement = SQL(
            "COPY {} (originator_id, originator_version, topic, state) FROM STDIN (FORMAT BINARY)"
        ).format(Identifier(self.events_table_name))
        with curs.copy(statement) as copy:
            copy.set_types(["uuid", "int8", "text", "bytea"])
            for e in stored_events:
                copy.write_row((e.originator_id, e.originator_version, e.topic, e.state))

    def _fetch_ids_after_insert_events(
        self, curs: Any, stored_events: Sequence[StoredEvent], **_: Any
    ) -> Sequence[int]:
        # The table lock is held since before the COPY, so this session alone drew the
        # sequence meanwhile: the batch's notification ids are the last len(batch) drawn.
        curs.execute(
            "SELECT currval(pg_get_serial_sequence(%s, 'notification_id')) AS last",
            (self.events_table_name,),
        )
        last = curs.fetchone()["last"]
        return list(range(last - len(stored_events) + 1, last + 1))

    def _insert_events(
        self,
        curs: Any,
        stored_events: Sequence[StoredEvent],
        *,
        intake: IntakeProgress | None = None,
        **kwargs: Any,
    ) -> None:
        super()._insert_events(curs, stored_events, **kwargs)
        if intake is None:
            return
        curs.executemany(
            "INSERT INTO intake_offsets VALUES (%s, %s, %s, %s, %s) "
            "ON CONFLICT (consumer_group, cluster_id, topic, partition) "
            "DO UPDATE SET next_offset = EXCLUDED.next_offset",
            [
                (intake.consumer_group, intake.cluster_id, topic, partition, offset)
                for (topic, partition), offset in intake.next_offsets.items()
            ],
        )
        if intake.messages:  # a row per command: COPY, not a statement each
            with curs.copy(
                'COPY intake_messages (message_id, outcome, topic, partition, "offset")'
                " FROM STDIN (FORMAT BINARY)"
            ) as copy:
                copy.set_types(["text", "text", "text", "int4", "int8"])
                for row in intake.messages:
                    copy.write_row(row)
        if intake.dead_letters:
            curs.executemany(
                'INSERT INTO dead_letters (topic, partition, "offset", message_id, message_type,'
                " rule, error, original) VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
                intake.dead_letters,
            )

    def select_events_of(self, originator_ids: Sequence[Any]) -> list[StoredEvent]:
        """Every stored event of the given aggregates, in one read, in version order."""
        with self.datastore.transaction(commit=False) as curs:
            curs.execute(
                SQL(
                    "SELECT originator_id, originator_version, topic, state FROM {} "
                    "WHERE originator_id = ANY(%s) ORDER BY originator_id, originator_version"
                ).format(Identifier(self.events_table_name)),
                (list(originator_ids),),
            )
            return [
                StoredEvent(r["originator_id"], r["originator_version"], r["topic"], bytes(r["state"]))
                for r in curs.fetchall()
            ]

    @retry((InterfaceError, OperationalError), max_attempts=10, wait=0.2)
    def select_stored_after(
        self, start: int, stop: int, topics: Sequence[str], limit: int, share: tuple[int, int] | None = None
    ) -> list[LoggedEvent]:
        """The notification log after `start` up to `stop` (of `topics`, when given), as plain
        rows: a projection reads millions of them and needs no object per row beside its event.

        `share` (k, n) keeps only the events of share k of the aggregates split n ways, by a
        hash of their ids: every event of an aggregate falls in the same share, in order."""
        where: Composable = SQL("")
        params: list[Any] = [start, stop]
        if topics:
            where += SQL(" AND topic = ANY(%s)")
            params.append(list(topics))
        if share is not None:
            where += SQL(" AND (uuid_hash(originator_id) & 2147483647) %% %s = %s")
            params += [share[1], share[0]]
        params.append(limit)
        with self.datastore.get_connection() as conn, conn.cursor(row_factory=args_row(LoggedEvent)) as curs:
            curs.execute(
                SQL(
                    "SELECT notification_id, originator_id, originator_version, topic, state FROM {}"
                    " WHERE notification_id > %s AND notification_id <= %s{} ORDER BY notification_id"
                    " LIMIT %s"
                ).format(Identifier(self.events_table_name), where),
                params,
                prepare=True,
                binary=True,  # the state as stored, not hex-encoded and back
            )
            return curs.fetchall()

    def stored_offsets(self, consumer_group: str, cluster_id: str) -> dict[tuple[str, int], int]:
        with self.datastore.transaction(commit=False) as curs:
            curs.execute(
                "SELECT topic, partition, next_offset FROM intake_offsets "
                "WHERE consumer_group = %s AND cluster_id = %s",
                (consumer_group, cluster_id),
            )
            return {(r["topic"], r["partition"]): r["next_offset"] for r in curs.fetchall()}

    def seen_message_ids(self, message_ids: Sequence[str]) -> set[str]:
        if not message_ids:
            return set()
        with self.datastore.transaction(commit=False) as curs:
            curs.execute(
                "SELECT message_id FROM intake_messages WHERE message_id = ANY(%s)",
                (list(message_ids),),
            )
            return {r["message_id"] for r in curs.fetchall()}

    def unpublished_dead_letters(self, limit: int = 1000) -> list[dict[str, Any]]:
        with self.datastore.transaction(commit=False) as curs:
            curs.execute(
                "SELECT * FROM dead_letters WHERE published_at IS NULL ORDER BY id LIMIT %s",
                (limit,),
            )
            return list(curs.fetchall())

    def mark_published(self, dead_letter_ids: Sequence[int]) -> None:
        with self.datastore.transaction(commit=True) as curs:
            curs.execute(
                "UPDATE dead_letters SET published_at = now() WHERE id = ANY(%s)",
                (list(dead_letter_ids),),
            )
