"""The hash chain against deliberate tampering done directly in PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime

import psycopg
import pytest

from aggregates.base import Context
from aggregates.powers.item import ItemDetails
from infra.bootstrap import build_ledger
from infra.store.chain import GENESIS, head, link, verify

CTX = Context("qlqd-sync", "system", "权责清单系统", "m1", datetime(2021, 6, 1, tzinfo=UTC), reason="核定")


def _details(name: str) -> ItemDetails:
    return ItemDetails(name, "penalty", "supervisory", "城市绿化", "条例", "JB-GREEN")


@pytest.fixture
def ledger(database_url: str):
    ledger = build_ledger(database_url)
    for n in range(1, 6):
        ledger.register_power_item(CTX, f"P{n}", _details(f"事项{n}"))
    with ledger.batch() as batch:  # a batch of several events shares one transaction
        for n in range(6, 11):
            ledger.register_power_item(CTX, f"P{n}", _details(f"事项{n}"))
        ledger.commit(batch)
    ledger.amend_power_item(CTX, "P3", _details("事项3（修订）"))
    return ledger


def _tamper(database_url: str, *statements: str) -> None:
    with psycopg.connect(database_url) as conn:
        for statement in statements:
            conn.execute(statement)


def _check(ledger, digest=None):
    return verify(ledger.recorder.datastore, ledger.recorder.events_table_name, digest)


def test_an_untouched_log_verifies_and_its_head_is_the_last_event(ledger) -> None:
    verdict = _check(ledger)

    assert (verdict.ok, verdict.checked) == (True, 11)
    assert verdict.head == head(ledger.recorder.datastore)
    assert verdict.head is not None and verdict.head.position == 11


def test_the_chain_is_sha256_over_the_previous_link_and_the_stored_event(ledger) -> None:
    [first] = ledger.recorder.select_notifications(start=1, limit=1)
    with ledger.recorder.datastore.transaction(commit=False) as cur:
        cur.execute("SELECT link FROM event_chain WHERE notification_id = 1")
        stored = bytes(cur.fetchone()["link"])

    assert stored == link(GENESIS, 1, first.originator_id, first.originator_version, first.topic, first.state)


@pytest.mark.parametrize(
    ("tampering", "first_bad", "words"),
    [
        (
            [
                "UPDATE ledger_events SET state ="
                " convert_to(replace(convert_from(state, 'UTF8'), 'P4', 'P9'), 'UTF8')"
                " WHERE notification_id = 4"
            ],
            4,
            "changed",
        ),
        (["DELETE FROM ledger_events WHERE notification_id = 7"], 7, "removed"),
        (
            [
                "DELETE FROM ledger_events WHERE notification_id = 7",
                "DELETE FROM event_chain WHERE notification_id = 7",
            ],
            8,
            "removed",
        ),
        (
            [
                "INSERT INTO ledger_events (originator_id, originator_version, topic, state)"
                " SELECT gen_random_uuid(), 1, topic, state FROM ledger_events WHERE notification_id = 2"
            ],
            12,
            "inserted",
        ),
        (
            [
                "UPDATE ledger_events SET notification_id = -5 WHERE notification_id = 5",
                "UPDATE ledger_events SET notification_id = 5 WHERE notification_id = 6",
                "UPDATE ledger_events SET notification_id = 6 WHERE notification_id = -5",
            ],
            5,
            "moved",
        ),
    ],
)
def test_tampering_in_postgresql_is_named_at_its_first_bad_record(
    ledger,
    database_url: str,
    tampering: list[str],
    first_bad: int,
    words: str,
) -> None:
    _tamper(database_url, *tampering)

    verdict = _check(ledger)

    assert (verdict.ok, verdict.bad_position) == (False, first_bad)
    assert words in (verdict.problem or "")


def test_a_tamperer_who_recomputes_the_chain_is_caught_by_the_digest_kept_outside(
    ledger,
    database_url: str,
) -> None:
    digest = head(ledger.recorder.datastore)
    _tamper(
        database_url,
        "UPDATE ledger_events SET state ="
        " convert_to(replace(convert_from(state, 'UTF8'), 'P2', 'P8'), 'UTF8')"
        " WHERE notification_id = 2",
    )
    _recompute_chain(ledger, database_url)

    assert _check(ledger).ok  # the chain alone is consistent again
    verdict = _check(ledger, digest)
    assert (verdict.ok, verdict.bad_position) == (False, digest.position)
    assert "digest" in (verdict.problem or "")


def test_removing_events_from_the_end_is_caught_by_the_digest(ledger, database_url: str) -> None:
    digest = head(ledger.recorder.datastore)
    _tamper(
        database_url,
        "DELETE FROM ledger_events WHERE notification_id >= 10",
        "DELETE FROM event_chain WHERE notification_id >= 10",
    )

    assert _check(ledger).ok
    verdict = _check(ledger, digest)
    assert (verdict.ok, verdict.bad_position) == (False, 11)


def test_events_stored_after_a_digest_do_not_fail_it(ledger) -> None:
    digest = head(ledger.recorder.datastore)
    ledger.register_power_item(CTX, "P99", _details("后来的事项"))

    verdict = _check(ledger, digest)

    assert (verdict.ok, verdict.checked) == (True, 12)


def _recompute_chain(ledger, database_url: str) -> None:
    previous = GENESIS
    with psycopg.connect(database_url) as conn:
        rows = conn.execute(
            "SELECT notification_id, originator_id, originator_version, topic, state"
            " FROM ledger_events ORDER BY notification_id"
        ).fetchall()
        for position, originator_id, version, topic, state in rows:
            previous = link(previous, position, originator_id, version, topic, bytes(state))
            conn.execute("UPDATE event_chain SET link = %s WHERE notification_id = %s", (previous, position))
