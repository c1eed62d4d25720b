"""The dry run beside the live ledger: it shares the store (read only) and nothing else, and waits
on no writer."""

from __future__ import annotations

import functools
import threading
from typing import Any

import msgspec
import psycopg
import pytest

from consumers import dry_run
from infra import bootstrap, contexts
from infra.kafka import clients as kafka
from infra.settings import Topics
from tests.support import apply_all, approve, propose, register, review

TOWN = "JB-CICHENG"


def _check(ledger: Any, *commands: Any) -> list[dry_run.Verdict]:
    values = [msgspec.json.encode(command) for command in commands]
    topic = functools.partial(kafka.command_topic, topics=Topics())
    batch = dry_run.records(enumerate(values, start=1), topic, kafka.command_key)
    return dry_run.check(ledger, contexts.COMMANDS, contexts.decoder(Topics()), batch)


@pytest.fixture()
def ledger(database_url: str) -> Any:
    """A ledger on the test's database with an item's delegation filed and reviewed."""
    ledger = bootstrap.build_ledger(database_url)
    assert apply_all(ledger, [register("LIVE-1"), propose("LIVE-1", TOWN), review("LIVE-1", TOWN)]) == []
    return ledger


def test_a_dry_run_beside_a_writers_open_batch_leaves_the_batch_and_the_cache_as_they_were(
    ledger: Any,
) -> None:
    cache = dict(ledger._cache)
    with ledger.batch() as writing:  # a writer of this process, mid-batch (the API's personal reads)
        [verdict] = _check(ledger, approve("LIVE-1", TOWN))
        assert ledger.open_batch is writing and (writing.events, writing.changed) == ([], {})
    assert (verdict.outcome, verdict.events) == ("applied", 3)
    assert dict(ledger._cache) == cache and ledger.vault is not None
    assert type(ledger.vault).__name__ == "PersonalDataVault"  # its own vault, not the dry run's


def test_a_dry_run_reads_on_while_a_writer_holds_the_event_logs_lock(ledger: Any, database_url: str) -> None:
    table = ledger.recorder.events_table_name
    found: list[list[dry_run.Verdict]] = []
    with psycopg.connect(database_url) as writer:
        writer.execute(f"LOCK TABLE {table} IN EXCLUSIVE MODE")  # as the intake's commit takes it
        running = threading.Thread(target=lambda: found.append(_check(ledger, approve("LIVE-1", TOWN))))
        running.start()
        running.join(timeout=30)
        assert not running.is_alive(), "the dry run waited on the writer's lock"
        writer.rollback()
    assert [v.outcome for v in found[0]] == ["applied"]


def test_a_dry_run_refuses_to_save_even_when_asked(ledger: Any) -> None:
    dry = dry_run.throwaway(ledger)

    with dry.batch() as batch, pytest.raises(dry_run.SavingRefused):
        dry.commit(batch)
