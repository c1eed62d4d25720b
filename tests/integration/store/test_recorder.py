"""The ledger's recorder on a real PostgreSQL: events and intake bookkeeping, all or nothing."""

from __future__ import annotations

from datetime import UTC, datetime

import psycopg
import pytest
from eventsourcing.persistence import IntegrityError

from aggregates.base import Context
from aggregates.powers.item import ItemDetails, PowerItem
from consumers.intake import IntakeProgress
from infra.bootstrap import build_ledger

CTX = Context("qlqd-sync", "system", "权责清单系统", "m1", datetime(2021, 6, 1, tzinfo=UTC))


def details(name: str) -> ItemDetails:
    return ItemDetails(name, "penalty", "supervisory", "城市绿化", "条例", "JB-GREEN")


def _count(url: str, table: str) -> int:
    with psycopg.connect(url) as conn:
        return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def test_a_saved_batch_reports_the_notification_ids_its_events_were_given(database_url: str) -> None:
    ledger = build_ledger(database_url)
    ledger.register_power_item(CTX, "P0", details("先有的事项"))
    with ledger.batch() as batch:
        for n in range(1, 6):
            ledger.register_power_item(CTX, f"P{n}", details(f"事项{n}"))
        events = list(batch.events)
        positions = ledger.commit(batch)

    stored = ledger.recorder.select_notifications(start=2, limit=10)
    assert list(positions) == [n.id for n in stored] == [2, 3, 4, 5, 6]
    assert [e.originator_id for e in events] == [n.originator_id for n in stored]


def test_a_batch_that_collides_stores_neither_its_events_nor_its_offsets(database_url: str) -> None:
    writer, rival = build_ledger(database_url), build_ledger(database_url)
    writer.register_power_item(CTX, "P1", details("事项"))
    with writer.batch() as batch:
        writer.amend_power_item(Context(**{**CTX.__dict__, "reason": "更名"}), "P1", details("新名"))
        rival.retire_power_item(Context(**{**CTX.__dict__, "reason": "取消"}), "P1")  # commits first
        progress = IntakeProgress("g", "c", {("t", 0): 10}, [("m9", "applied", "t", 0, 9)])
        with pytest.raises(IntegrityError):
            writer.commit(batch, intake=progress)

    assert _count(database_url, "intake_offsets") == 0
    assert _count(database_url, "intake_messages") == 0
    assert build_ledger(database_url).repository.get(PowerItem.create_id("P1")).version == 2


def test_a_batch_without_events_still_records_what_it_consumed(database_url: str) -> None:
    ledger = build_ledger(database_url)
    with ledger.batch() as batch:
        progress = IntakeProgress(
            "g",
            "c",
            {("t", 0): 3},
            [("m1", "dead-lettered", "t", 0, 2)],
            [("t", 0, 2, "m1", "delegation.propose", "ItemNotCatalogued", "no such item", b"{}")],
        )
        ledger.commit(batch, intake=progress)

    assert ledger.recorder.stored_offsets("g", "c") == {("t", 0): 3}
    assert ledger.recorder.seen_message_ids(["m1", "m2"]) == {"m1"}
    assert [row["rule"] for row in ledger.recorder.unpublished_dead_letters()] == ["ItemNotCatalogued"]


def test_workers_starting_together_on_one_database_all_start(database_url: str) -> None:
    from concurrent.futures import ThreadPoolExecutor

    build_ledger(database_url).close()  # the tables exist; each start still replaces functions

    def start(_: int) -> str:
        build_ledger(database_url).close()
        return "started"

    with ThreadPoolExecutor(6) as pool:
        assert list(pool.map(start, range(12))) == ["started"] * 12
