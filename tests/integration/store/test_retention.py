"""Retention on a real PostgreSQL: message ids kept for the duplicate window, published dead
letters for their retention, the unpublished ones and the event log whatever their age."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import psycopg
import pytest

from aggregates.base import Context
from aggregates.powers.item import ItemDetails, PowerItem
from consumers.intake import IntakeProgress
from infra.bootstrap import build_ledger
from infra.settings import Settings
from infra.store import audit_trail
from infra.store.chain import head, verify
from infra.store.checksum import state_digest
from infra.store.retention import Pruned, prune

T0 = datetime(2024, 1, 1, 12, tzinfo=UTC)
KEEP_FOR_EVER = Settings(duplicate_window_days=0, dead_letter_retention_days=0)


def _message_ids(url: str, received: dict[str, datetime]) -> None:
    """Message ids as the intake records them, each received at its moment."""
    with psycopg.connect(url) as conn:
        for n, (message_id, at) in enumerate(received.items()):
            conn.execute(
                'INSERT INTO intake_messages (message_id, outcome, topic, partition, "offset", received_at)'
                " VALUES (%s, 'applied', 't', 0, %s, %s)",
                (message_id, n, at),
            )


def _dead_letter(url: str, failed: datetime, published: datetime | None) -> int:
    with psycopg.connect(url) as conn:
        return conn.execute(
            'INSERT INTO dead_letters (topic, partition, "offset", message_id, message_type, rule, error,'
            " original, failed_at, published_at) VALUES ('t', 0, 0, NULL, NULL, 'MalformedMessage',"
            " 'not JSON', '{', %s, %s) RETURNING id",
            (failed, published),
        ).fetchone()[0]


def _ids(url: str, query: str) -> list:
    with psycopg.connect(url) as conn:
        return [row[0] for row in conn.execute(query).fetchall()]


def _count(url: str, table: str) -> int:
    [count] = _ids(url, f"SELECT count(*) FROM {table}")
    return count


def _days(url: str, table: str, column: str) -> list[int]:
    """The days after T0 on which the table's rows were stamped (`column`)."""
    with psycopg.connect(url) as conn:
        query = f"SELECT DISTINCT extract(day FROM {column} - %s)::int FROM {table} ORDER BY 1"
        return [row[0] for row in conn.execute(query, (T0,)).fetchall()]


def test_day_after_day_the_tables_hold_the_last_30_days_of_message_ids_and_90_of_published_dead_letters(
    database_url: str,
) -> None:
    """120 days, each with 5 message ids and 2 dead letters published at noon, pruned at 13:00:
    the tables stop growing at 30 and 90 days' worth and hold exactly those days."""
    ledger = build_ledger(database_url)
    datastore = ledger.recorder.datastore
    largest = {"intake_messages": 0, "dead_letters": 0}
    for day in range(120):
        noon = T0 + timedelta(days=day)
        _message_ids(database_url, {f"m-{day}-{n}": noon for n in range(5)})
        for _ in range(2):
            _dead_letter(database_url, failed=noon, published=noon)
        prune(datastore, Settings(), now=noon + timedelta(hours=1))
        largest = {table: max(most, _count(database_url, table)) for table, most in largest.items()}

    assert largest == {"intake_messages": 30 * 5, "dead_letters": 90 * 2}
    assert _days(database_url, "intake_messages", "received_at") == list(range(90, 120))
    assert _days(database_url, "dead_letters", "published_at") == list(range(30, 120))


def test_a_dead_letter_never_published_is_kept_however_old_and_a_published_one_counts_from_its_publication(
    database_url: str,
) -> None:
    ledger = build_ledger(database_url)
    long_ago = T0 - timedelta(days=3650)
    waiting = _dead_letter(database_url, failed=long_ago, published=None)
    published_late = _dead_letter(database_url, failed=long_ago, published=T0 - timedelta(days=10))
    _dead_letter(database_url, failed=long_ago, published=T0 - timedelta(days=91))  # past its 90 days

    pruned = prune(ledger.recorder.datastore, Settings(), now=T0)

    assert pruned.dead_letters == 1
    assert _ids(database_url, "SELECT id FROM dead_letters ORDER BY id") == [waiting, published_late]
    assert [row["id"] for row in ledger.recorder.unpublished_dead_letters()] == [waiting]
    ledger.recorder.mark_published([waiting])  # published now: kept 90 days from now
    far = datetime.now(UTC) + timedelta(days=89)
    assert prune(ledger.recorder.datastore, Settings(), now=far).dead_letters == 1  # the late one
    assert _ids(database_url, "SELECT id FROM dead_letters") == [waiting]
    assert prune(ledger.recorder.datastore, Settings(), now=far + timedelta(days=2)).dead_letters == 1


def test_pruning_goes_batch_after_batch_until_everything_past_the_window_is_gone(database_url: str) -> None:
    ledger = build_ledger(database_url)
    datastore = ledger.recorder.datastore
    _message_ids(database_url, {f"old-{n}": T0 - timedelta(days=31, minutes=n) for n in range(25)})
    _message_ids(database_url, {f"new-{n}": T0 - timedelta(days=29) for n in range(3)})
    for _ in range(25):
        _dead_letter(database_url, failed=T0 - timedelta(days=200), published=T0 - timedelta(days=100))

    pruned = prune(datastore, Settings(), now=T0, batch=10)

    assert pruned == Pruned(25, 25, T0 - timedelta(days=30), T0 - timedelta(days=90))
    assert sorted(_ids(database_url, "SELECT message_id FROM intake_messages")) == ["new-0", "new-1", "new-2"]
    assert _count(database_url, "dead_letters") == 0


def test_nought_days_keeps_message_ids_and_dead_letters_for_ever(database_url: str) -> None:
    ledger = build_ledger(database_url)
    datastore = ledger.recorder.datastore
    century_ago = T0 - timedelta(days=36000)
    _message_ids(database_url, {"m-old": century_ago})
    _dead_letter(database_url, failed=century_ago, published=century_ago)

    assert prune(datastore, KEEP_FOR_EVER, now=T0) == Pruned(0, 0, None, None)
    assert prune(datastore, Settings(duplicate_window_days=0), now=T0) == Pruned(
        0, 1, None, T0 - timedelta(days=90)
    )
    assert _ids(database_url, "SELECT message_id FROM intake_messages") == ["m-old"]


def test_a_moment_without_its_offset_is_refused(database_url: str) -> None:
    ledger = build_ledger(database_url)
    with pytest.raises(ValueError, match="aware"):
        prune(ledger.recorder.datastore, Settings(), now=datetime(2024, 1, 1))


def _details(name: str) -> ItemDetails:
    return ItemDetails(name, "penalty", "supervisory", "城市绿化", "条例", "JB-GREEN")


def test_the_hash_chain_the_audit_trail_and_the_state_digest_are_unchanged_by_pruning(
    database_url: str,
) -> None:
    """Events whose message ids and dead letters are all pruned: the log, its chain (also
    against the digest an auditor kept) and each entity's trail, message ids included, stay."""
    ledger = build_ledger(database_url)
    for n in range(1, 4):
        ctx = Context("qlqd-sync", "system", "权责清单系统", f"m{n}", T0)
        with ledger.batch() as batch:
            ledger.register_power_item(ctx, f"P{n}", _details(f"事项{n}"))
            ledger.amend_power_item(
                Context(**{**ctx.__dict__, "reason": "更名"}), f"P{n}", _details(f"新名{n}")
            )
            letter = ("t", 0, 10 + n, f"bad{n}", "power.register", "MalformedMessage", "no", b"{}")
            progress = IntakeProgress(
                "g", "c", {("t", 0): 20 + n}, [(f"m{n}", "applied", "t", 0, n)], [letter]
            )
            ledger.commit(batch, intake=progress)
    ledger.recorder.mark_published([row["id"] for row in ledger.recorder.unpublished_dead_letters()])
    datastore, events = ledger.recorder.datastore, ledger.recorder.events_table_name
    kept = head(datastore)
    trails = [audit_trail.trail(ledger, PowerItem.create_id(f"P{n}")) for n in range(1, 4)]
    digest = state_digest(datastore)

    pruned = prune(datastore, Settings(), now=datetime.now(UTC) + timedelta(days=365))

    assert (pruned.message_ids, pruned.dead_letters) == (3, 3)
    assert (_count(database_url, "intake_messages"), _count(database_url, "dead_letters")) == (0, 0)
    verdict = verify(datastore, events, kept)
    assert (verdict.ok, verdict.checked, verdict.head) == (True, 6, kept)
    assert [audit_trail.trail(ledger, PowerItem.create_id(f"P{n}")) for n in range(1, 4)] == trails
    assert [entry["message_id"] for trail in trails for entry in trail] == [
        "m1",
        "m1",
        "m2",
        "m2",
        "m3",
        "m3",
    ]
    assert state_digest(datastore) == digest
    assert ledger.recorder.stored_offsets("g", "c") == {("t", 0): 23}  # offsets are no message ids


def _plan(url: str, query: str) -> str:
    with psycopg.connect(url) as conn:
        conn.execute("SET enable_seqscan = off")  # a few rows: PostgreSQL would read the table anyway
        return "\n".join(row[0] for row in conn.execute(f"EXPLAIN {query}").fetchall())


def test_the_pruning_finds_its_rows_by_index_made_at_start_on_a_database_made_before(
    database_url: str,
) -> None:
    build_ledger(database_url).close()
    with psycopg.connect(database_url) as conn:  # as a database made before retention
        conn.execute("DROP INDEX intake_messages_received")
        conn.execute("DROP INDEX dead_letters_published")
    build_ledger(database_url).close()

    ids = "SELECT message_id FROM intake_messages WHERE received_at < now() LIMIT 10"
    assert "Index Scan using intake_messages_received" in _plan(database_url, ids)
    letters = "SELECT id FROM dead_letters WHERE published_at IS NOT NULL AND published_at < now() LIMIT 10"
    assert "using dead_letters_published" in _plan(database_url, letters)
