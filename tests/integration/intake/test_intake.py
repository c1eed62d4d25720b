"""The command intake against a real broker and a real PostgreSQL."""

from __future__ import annotations

from datetime import date

import msgspec
import psycopg
from kafka import KafkaConsumer

from aggregates.powers.delegation import Delegation
from aggregates.powers.item import PowerItem
from contracts.deadletter import DeadLetter
from infra import bootstrap
from projections.powers.inventory import town_powers
from tests.support import declare, delegate, encoded, isolated_settings, propose, register, run_intake


def _scalar(url: str, query: str) -> int:
    with psycopg.connect(url) as conn:
        return conn.execute(query).fetchone()[0]


def test_a_delegation_published_upstream_is_stored_and_shows_in_the_town_inventory(
    database_url: str, broker: str
) -> None:
    settings = isolated_settings()
    commands = [register("P1"), declare(), *delegate("P1", "JB-CICHENG")]
    worker = run_intake(database_url, broker, settings, encoded(commands))

    assert worker.intake.stats.applied == 5
    delegation = worker.intake.ledger.repository.get(Delegation.create_id("B1", "P1", "JB-CICHENG"))
    assert delegation.status == "approved" and delegation.effective_on == date(2021, 7, 1)
    ledger = bootstrap.build_ledger(database_url)
    bootstrap.build_projections(ledger, settings).catch_up()
    with ledger.recorder.datastore.transaction() as cur:
        assert [r["code"] for r in town_powers(cur, "JB-CICHENG", date(2021, 7, 1))] == ["P1"]
        assert town_powers(cur, "JB-CICHENG", date(2021, 6, 30)) == []


def test_bad_messages_are_dead_lettered_with_their_reason_and_the_batch_goes_on(
    database_url: str, broker: str
) -> None:
    settings = isolated_settings(partitions=1)
    malformed = b'{"type": "delegation.propose", "message_id": '
    uncatalogued = encoded([declare(), propose("NOPE", "JB-CICHENG")])
    messages = [(b"x", malformed), *uncatalogued, *encoded([register("P2")])]
    worker = run_intake(database_url, broker, settings, messages)

    assert (worker.intake.stats.applied, worker.intake.stats.dead_lettered) == (2, 2)
    assert worker.intake.ledger.find(PowerItem.create_id("P2")) is not None
    consumer = KafkaConsumer(
        settings.topics.dead_letters,
        bootstrap_servers=broker,
        auto_offset_reset="earliest",
        consumer_timeout_ms=5000,
    )
    letters = [msgspec.json.decode(r.value, type=DeadLetter) for r in consumer]
    consumer.close()
    by_rule = {letter.rule: letter for letter in letters}
    assert set(by_rule) == {"MalformedMessage", "ItemNotCatalogued"}
    assert by_rule["MalformedMessage"].original == malformed
    assert by_rule["ItemNotCatalogued"].original == uncatalogued[1][1]
    assert "NOPE" in by_rule["ItemNotCatalogued"].error
    assert by_rule["ItemNotCatalogued"].message_id == propose("NOPE", "JB-CICHENG").message_id
    assert _scalar(database_url, "SELECT count(*) FROM dead_letters WHERE published_at IS NULL") == 0


def test_a_message_delivered_twice_is_applied_once(database_url: str, broker: str) -> None:
    settings = isolated_settings()
    commands = [register("P3"), declare(), *delegate("P3", "JB-ZHUANGQIAO")]
    first = run_intake(database_url, broker, settings, encoded(commands + commands[:2]))
    events = _scalar(database_url, "SELECT count(*) FROM ledger_events")
    second = run_intake(database_url, broker, settings, encoded(commands))

    assert (first.intake.stats.applied, first.intake.stats.duplicates) == (5, 2)
    assert (second.intake.stats.applied, second.intake.stats.duplicates) == (0, 5)
    assert _scalar(database_url, "SELECT count(*) FROM ledger_events") == events
    assert _scalar(database_url, "SELECT count(*) FROM intake_messages") == 5
