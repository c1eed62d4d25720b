"""The duplicate window through the intake: a redelivery inside it is dropped; once its message
id is pruned, a redelivery is taken as a new message and meets the ledger's rules again."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import psycopg

from infra.settings import Settings
from infra.store.retention import prune
from tests.support import Intake, declare, encoded, propose, register, review


def _scalar(url: str, query: str) -> int:
    with psycopg.connect(url) as conn:
        return conn.execute(query).fetchone()[0]


def _days_on(worker: Any, days: int) -> datetime:
    """The database's clock moved on by `days`."""
    with worker.intake.ledger.recorder.datastore.transaction(commit=False) as cur:
        cur.execute("SELECT now() AS now")
        return cur.fetchone()["now"] + timedelta(days=days)


COMMANDS = [register("RET-1"), declare("RET"), propose("RET-1", "JB-CICHENG", "RET")]


def test_a_redelivery_inside_the_window_is_still_dropped_as_a_duplicate(intake: Intake) -> None:
    commands = [*COMMANDS, review("RET-1", "JB-CICHENG", "RET")]
    first = intake.run(encoded(commands))
    events = _scalar(intake.database_url, "SELECT count(*) FROM ledger_events")

    pruned = prune(first.intake.ledger.recorder.datastore, Settings(), now=_days_on(first, 29))
    again = intake.run(encoded(commands))

    assert pruned.message_ids == 0
    assert (again.intake.stats.duplicates, again.intake.stats.applied, again.intake.stats.dead_lettered) == (
        4,
        0,
        0,
    )
    assert _scalar(intake.database_url, "SELECT count(*) FROM ledger_events") == events


def test_a_redelivery_after_the_window_is_taken_as_new_and_the_rules_decide_what_it_records(
    intake: Intake,
) -> None:
    """A creation resent unchanged records nothing; a step the delegation has already taken is
    refused by its rule and dead-lettered, where inside the window both were dropped unread."""
    started = review("RET-1", "JB-CICHENG", "RET")
    first = intake.run(encoded([*COMMANDS, started]))
    events = _scalar(intake.database_url, "SELECT count(*) FROM ledger_events")

    pruned = prune(first.intake.ledger.recorder.datastore, Settings(), now=_days_on(first, 31))
    again = intake.run(encoded([register("RET-1"), started]))

    assert pruned.message_ids == 4
    stats = again.intake.stats
    assert (stats.duplicates, stats.applied, stats.dead_lettered) == (0, 1, 1)
    assert _scalar(intake.database_url, "SELECT count(*) FROM ledger_events") == events
    [letter] = [letter for letter in intake.dead_letters() if letter.message_id == started.message_id]
    assert letter.rule == "NotAwaitingReview"
    assert _scalar(intake.database_url, "SELECT count(*) FROM intake_messages") == 2  # known again
