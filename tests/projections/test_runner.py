"""The projection runner reads only the events its read models handle, and still reaches the head."""

from __future__ import annotations

from typing import Any

import psycopg
import pytest

from aggregates.delegation import Delegation
from aggregates.power_item import PowerItem
from infra.bootstrap import build_ledger
from projections.runner import EventHandlers, ProjectionRunner, _PipelinedCursor, topics_read
from projections.town_power_inventory import TownPowerInventory
from tests.projections.test_town_power_inventory import _scenario, ctx


class Seen(EventHandlers):
    """Keeps the names of the events it was given (in memory: the runner's transaction is not needed)."""

    tables, truncate = (), ()

    def __init__(self, handled: tuple[type, ...] | None) -> None:
        self.seen: list[str] = []
        if handled is not None:
            self.handlers = {cls: self.keep for cls in handled}

    def keep(self, cur: Any, event: Any) -> None:
        self.seen.append(type(event).__qualname__)


class SeesAll:
    tables, truncate = (), ()

    def __init__(self) -> None:
        self.seen: list[str] = []

    def apply(self, cur: Any, event: Any) -> None:
        self.seen.append(type(event).__qualname__)


def test_only_the_handled_topics_are_read_and_the_position_passes_the_rest(database_url: str) -> None:
    ledger = build_ledger(database_url)
    _scenario(ledger)
    head = ledger.recorder.max_notification_id()
    approvals = Seen((Delegation.Approved, PowerItem.Amended))
    runner = ProjectionRunner(ledger, [approvals], name="approvals", page=2)

    assert runner.topics == tuple(sorted(topics_read([approvals])))
    assert runner.catch_up() == head and runner.position() == head
    assert approvals.seen == ["Delegation.Approved"] * 3 + ["PowerItem.Amended"]
    assert runner.run_once() == 0  # nothing new

    ledger.retire_power_item(ctx("2022-05-01", "事项取消"), "P3")  # not handled: passed over, not read
    assert runner.run_once() == ledger.recorder.max_notification_id() - head
    assert approvals.seen[-1] == "PowerItem.Amended"


def test_one_read_model_that_does_not_say_what_it_handles_makes_the_runner_read_everything(
    database_url: str,
) -> None:
    ledger = build_ledger(database_url)
    _scenario(ledger)
    everything, approvals = SeesAll(), Seen((Delegation.Approved,))
    runner = ProjectionRunner(ledger, [approvals, everything], name="all", page=5)

    assert runner.topics is None
    runner.catch_up()
    assert len(everything.seen) == ledger.recorder.max_notification_id()
    assert approvals.seen == ["Delegation.Approved"] * 3



class _Recorded:
    """A cursor and a pipeline that note what was asked of them, in order."""

    def __init__(self) -> None:
        self.calls: list[str] = []

    def execute(self, query: str, params: Any = None) -> None:
        self.calls.append(f"execute {query}")

    def fetchone(self) -> dict:
        self.calls.append("fetchone")
        return {"n": 1}

    def fetchall(self) -> list:
        self.calls.append("fetchall")
        return []

    def sync(self) -> None:
        self.calls.append("sync")


def test_a_read_models_fetch_waits_for_every_statement_sent_before_it() -> None:
    recorded = _Recorded()
    cur = _PipelinedCursor(recorded, recorded)

    cur.execute("UPDATE a")
    cur.execute("UPDATE b RETURNING x")
    assert cur.fetchall() == []
    cur.execute("SELECT n")
    assert cur.fetchone() == {"n": 1}

    assert recorded.calls == ["execute UPDATE a", "execute UPDATE b RETURNING x", "sync", "fetchall",
                              "execute SELECT n", "sync", "fetchone"]


class FailsOnce(EventHandlers):
    """Fails at the first approval it is given, once (a read model's bug, or the database gone)."""

    tables, truncate = (), ()

    def __init__(self) -> None:
        self.failed = False
        self.handlers = {Delegation.Approved: self.fail}

    def fail(self, cur: Any, event: Any) -> None:
        if not self.failed:
            self.failed = True
            raise RuntimeError("failing once")


def _inventory(url: str) -> list[tuple]:
    with psycopg.connect(url) as conn:
        return conn.execute("SELECT * FROM power_items, delegations ORDER BY 1, delegations.id").fetchall()


def test_a_page_that_failed_is_applied_again_whole(database_url: str) -> None:
    ledger = build_ledger(database_url)
    _scenario(ledger)
    clean = ProjectionRunner(ledger, [TownPowerInventory()], name="clean")
    clean.rebuild()
    expected = _inventory(database_url)

    failing = FailsOnce()
    runner = ProjectionRunner(ledger, [TownPowerInventory(), failing], name="failing", page=4)
    with pytest.raises(RuntimeError, match="failing once"):
        runner.rebuild()
    assert 0 < runner.position() < runner.head()  # the pages before the failure committed
    runner.catch_up()

    assert runner.position() == runner.head()
    assert _inventory(database_url) == expected


def test_a_rebuild_leaves_the_planners_statistics_current(database_url: str) -> None:
    ledger = build_ledger(database_url)
    _scenario(ledger)
    runner = ProjectionRunner(ledger, [TownPowerInventory()], name="inventory")
    runner.rebuild()
    with psycopg.connect(database_url) as conn:
        estimated = conn.execute("SELECT reltuples FROM pg_class WHERE relname = 'delegations'").fetchone()[0]
        rows = conn.execute("SELECT count(*) FROM delegations").fetchone()[0]
    assert rows > 0 and estimated == rows  # -1 (never analysed) after the TRUNCATE, without it
