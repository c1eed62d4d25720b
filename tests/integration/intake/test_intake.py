"""The command intake against a real broker and a real PostgreSQL."""

from __future__ import annotations

from datetime import date

import psycopg

from aggregates.powers.delegation import Delegation
from aggregates.powers.item import PowerItem
from projections.powers.inventory import town_powers
from tests.support import Intake, declare, delegate, encoded, isolated_settings, propose, register


def _scalar(url: str, query: str) -> int:
    with psycopg.connect(url) as conn:
        return conn.execute(query).fetchone()[0]


def test_a_delegation_published_upstream_is_stored_and_shows_in_the_town_inventory(intake: Intake) -> None:
    commands = [register("P1"), declare(), *delegate("P1", "JB-CICHENG")]
    worker = intake.run(encoded(commands))

    assert worker.intake.stats.applied == 5
    delegation = worker.intake.ledger.repository.get(Delegation.create_id("B1", "P1", "JB-CICHENG"))
    assert delegation.status == "approved" and delegation.effective_on == date(2021, 7, 1)
    with intake.read_models() as cur:
        assert [r["code"] for r in town_powers(cur, "JB-CICHENG", date(2021, 7, 1))] == ["P1"]
        assert town_powers(cur, "JB-CICHENG", date(2021, 6, 30)) == []


def test_bad_messages_are_dead_lettered_with_their_reason_and_the_batch_goes_on(
    database_url: str, broker: str
) -> None:
    intake = Intake(database_url, broker, isolated_settings(partitions=1))
    malformed = b'{"type": "delegation.propose", "message_id": '
    uncatalogued = encoded([declare(), propose("NOPE", "JB-CICHENG")])
    messages = [(b"x", malformed), *uncatalogued, *encoded([register("P2")])]
    worker = intake.run(messages)

    assert (worker.intake.stats.applied, worker.intake.stats.dead_lettered) == (2, 2)
    assert worker.intake.ledger.find(PowerItem.create_id("P2")) is not None
    by_rule = {letter.rule: letter for letter in intake.dead_letters()}
    assert set(by_rule) == {"MalformedMessage", "ItemNotCatalogued"}
    assert by_rule["MalformedMessage"].original == malformed
    assert by_rule["ItemNotCatalogued"].original == uncatalogued[1][1]
    assert "NOPE" in by_rule["ItemNotCatalogued"].error
    assert by_rule["ItemNotCatalogued"].message_id == propose("NOPE", "JB-CICHENG").message_id
    assert _scalar(database_url, "SELECT count(*) FROM dead_letters WHERE published_at IS NULL") == 0


def test_a_message_delivered_twice_is_applied_once(intake: Intake) -> None:
    commands = [register("P3"), declare(), *delegate("P3", "JB-ZHUANGQIAO")]
    first = intake.run(encoded(commands + commands[:2]))
    events = _scalar(intake.database_url, "SELECT count(*) FROM ledger_events")
    second = intake.run(encoded(commands))

    assert (first.intake.stats.applied, first.intake.stats.duplicates) == (5, 2)
    assert (second.intake.stats.applied, second.intake.stats.duplicates) == (0, 5)
    assert _scalar(intake.database_url, "SELECT count(*) FROM ledger_events") == events
    assert _scalar(intake.database_url, "SELECT count(*) FROM intake_messages") == 5
