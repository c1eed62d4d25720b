"""The projection runner reads only the events its read models handle, and still reaches the head."""

from __future__ import annotations

from typing import Any

import psycopg
import pytest

from aggregates.powers.delegation import Delegation
from aggregates.powers.item import PowerItem
from infra.bootstrap import build_ledger
from infra.contexts import GovernanceLedger as Ledger
from projections.powers.inventory import TownPowerInventory
from projections.runner import EventHandlers, ProjectionRunner, _PipelinedCursor, topics_read
from tests.integration.projections.test_town_power_inventory import _delegate, _scenario, ctx
from tests.support import select


@pytest.fixture
def ledger(database_url: str) -> Ledger:
    """The town power inventory's scenario, recorded in the test's database."""
    return _scenario(build_ledger(database_url))


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


def test_only_the_handled_topics_are_read_and_the_position_passes_the_rest(ledger: Ledger) -> None:
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
    ledger: Ledger,
) -> None:
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

    assert recorded.calls == [
        "execute UPDATE a",
        "execute UPDATE b RETURNING x",
        "sync",
        "fetchall",
        "execute SELECT n",
        "sync",
        "fetchone",
    ]


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
    [rows] = select(url, "SELECT * FROM power_items, delegations ORDER BY 1, delegations.id")
    return rows


def test_a_page_that_failed_is_applied_again_whole(ledger: Ledger, database_url: str) -> None:
    runner = ProjectionRunner(ledger, [TownPowerInventory(), FailsOnce()], name="failing", page=4)
    with pytest.raises(RuntimeError, match="failing once"):
        runner.catch_up()
    assert 0 < runner.position() < runner.head()  # the pages before the failure committed
    runner.catch_up()
    assert runner.position() == runner.head()
    got = _inventory(database_url)

    ProjectionRunner(ledger, [TownPowerInventory()], name="clean").rebuild()
    assert _inventory(database_url) == got


def test_a_rebuild_that_fails_leaves_the_live_read_model_as_it_was(ledger: Ledger, database_url: str) -> None:
    runner = ProjectionRunner(ledger, [TownPowerInventory()], name="live")
    runner.catch_up()
    before = _inventory(database_url)

    with pytest.raises(RuntimeError, match="failing once"):
        ProjectionRunner(ledger, [TownPowerInventory(), FailsOnce()], name="live").rebuild()
    assert _inventory(database_url) == before and runner.position() == runner.head()
    assert runner.rebuild() == runner.head() and _inventory(database_url) == before


def test_a_rebuild_leaves_the_planners_statistics_current(ledger: Ledger, database_url: str) -> None:
    runner = ProjectionRunner(ledger, [TownPowerInventory()], name="inventory")
    runner.rebuild()
    with psycopg.connect(database_url) as conn:
        estimated = conn.execute("SELECT reltuples FROM pg_class WHERE relname = 'delegations'").fetchone()[0]
        rows = conn.execute("SELECT count(*) FROM delegations").fetchone()[0]
    assert rows > 0 and estimated == rows  # -1 (never analysed) after the TRUNCATE, without it


class IndexProbe(EventHandlers):
    """Notes, at each event, whether the inventory's query index exists."""

    tables, truncate = (), ()

    def __init__(self) -> None:
        self.handlers = {Delegation.Approved: self.probe}
        self.exists: list[bool] = []

    def probe(self, cur: Any, event: Any) -> None:
        cur.execute(  # in the schema the runner writes to (a rebuild's own)
            "SELECT count(*) AS n FROM pg_indexes WHERE indexname = 'delegations_town'"
            " AND schemaname = current_schema()"
        )
        self.exists.append(cur.fetchone()["n"] == 1)


def _indexes(url: str) -> list[tuple]:
    [indexes] = select(
        url, "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'delegations' ORDER BY 1"
    )
    return indexes


def test_a_rebuild_builds_the_query_indexes_once_at_its_end(ledger: Ledger, database_url: str) -> None:
    probe = IndexProbe()
    runner = ProjectionRunner(ledger, [TownPowerInventory(), probe], name="indexed", page=2)
    created = _indexes(database_url)
    assert "delegations_town" in dict(created)

    runner.rebuild()
    assert probe.exists == [False] * 3  # not kept up row by row while the tables fill
    assert _indexes(database_url) == created  # and there again, the same, at the end

    _delegate(ledger, "P3", "T1", "2022-05-01")
    probe.exists.clear()
    runner.catch_up()  # a catch-up, not a rebuild, keeps them
    assert probe.exists == [True]
    assert _indexes(database_url) == created


def test_a_query_index_is_named_where_it_is_created() -> None:
    from projections.runner import query_indexes

    class Odd:
        query_indexes = ["CREATE INDEX ON delegations (town)"]

    with pytest.raises(ValueError, match="CREATE INDEX IF NOT EXISTS name ON"):
        query_indexes([Odd()])
    assert list(query_indexes([TownPowerInventory()])) == ["delegations_town"]


class FailsToRead(ProjectionRunner):
    """Its read of the third page fails."""

    reads = 0

    def _read(self, start: int, head: int) -> Any:
        self.reads += 1
        if self.reads == 3:
            raise OSError("the log could not be read")
        return super()._read(start, head)


def _readers() -> list[str]:
    import threading

    return [t.name for t in threading.enumerate() if t.name == "projection-read-ahead"]


def test_a_failed_read_is_raised_by_the_catch_up_after_the_pages_before_it(ledger: Ledger) -> None:
    runner = FailsToRead(ledger, [TownPowerInventory()], name="unreadable", page=2)
    with pytest.raises(OSError, match="could not be read"):
        runner.catch_up()
    assert runner.position() == 4  # two pages of two positions each committed, then the failure
    assert _readers() == []
    assert runner.catch_up() == runner.head() - 4  # and it goes on from there


def test_a_failed_page_stops_the_reader_however_far_ahead_it_was(ledger: Ledger) -> None:
    runner = ProjectionRunner(ledger, [TownPowerInventory(), FailsOnce()], name="stopped", page=1)
    runner.read_ahead = 1  # the reader waits to hand over its next page when the failure comes
    with pytest.raises(RuntimeError, match="failing once"):
        runner.catch_up()
    assert _readers() == []


class CountsAnalyses(ProjectionRunner):
    analyse_after = 2

    def analyse(self) -> None:
        self.analysed = [*getattr(self, "analysed", []), self.position()]
        super().analyse()


def test_a_catch_up_refreshes_the_statistics_as_the_positions_passed_double(ledger: Ledger) -> None:
    runner = CountsAnalyses(ledger, [TownPowerInventory()], name="analysed", page=1)
    runner.catch_up()
    passed = runner.analysed
    assert len(passed) >= 3 and passed[0] >= 2
    assert all(later >= 2 * earlier for earlier, later in zip(passed, passed[1:]))
    assert passed[-1] * 2 > runner.head()  # the last before the head doubled again
