"""A rebuild in shares: the per-aggregate read models projected by processes of their own,
each over a share of the aggregates, end exactly where a rebuild in one process ends."""

from __future__ import annotations

import functools
import random
from collections.abc import Iterator
from typing import Any

import pytest

from benchmarks.as_of import load, plan
from infra import bootstrap
from infra.settings import Settings
from infra.store.checksum import state_digest
from projections.runner import SHADOW, ProjectionRunner, read_model_tables
from tests.conftest import fresh_database

SETTINGS = Settings(projection_page=700)  # many pages, so shares and pages cross


@pytest.fixture(scope="module")
def logged(pg_server_url: str) -> Iterator[str]:
    """A database with the log below (every test here rebuilds its read models from scratch)."""
    with fresh_database(pg_server_url) as url:
        _log(url).close()
        yield url


def _log(url: str) -> Any:
    """Two towns' delegations with recalls, transfers, re-delegations and amendments, and the
    demo's other families (read by read models that are not per aggregate)."""
    from infra.contexts import decode
    from infra.demo.run import _phases

    ledger = bootstrap.build_ledger(url)
    load(ledger, plan(2, random.Random(7)), 500)
    demo = [
        decode(type("Record", (), {"value": value})()).command
        for phase in _phases(Settings())
        for messages in phase.values()
        for _key, value in messages
    ]
    load(ledger, (command for command in demo if command is not None), 500)  # rules refuse a few
    return ledger


def _digest(ledger: Any, runner: ProjectionRunner) -> dict[str, Any]:
    return state_digest(ledger.recorder.datastore, read_model_tables(runner.read_models))


def test_the_shares_split_the_log_by_aggregate(logged: str) -> None:
    ledger = bootstrap.build_ledger(logged)
    head = ledger.recorder.max_notification_id()
    everything = ledger.recorder.select_stored_after(0, head, (), head)
    shares = [ledger.recorder.select_stored_after(0, head, (), head, (k, 3)) for k in range(3)]

    assert sorted(e.id for share in shares for e in share) == [e.id for e in everything]
    owner = {e.originator_id: k for k, share in enumerate(shares) for e in share}
    assert all(owner[e.originator_id] == k for k, share in enumerate(shares) for e in share)
    assert all(shares), "every share has aggregates of its own"


def test_a_rebuild_in_shares_ends_as_one_in_a_single_process(logged: str) -> None:
    ledger = bootstrap.build_ledger(logged)
    runner = bootstrap.build_projections(ledger, SETTINGS)
    assert {type(m).__name__ for m in runner.read_models if getattr(m, "per_aggregate", False)} == {
        "TownPowerInventory",
        "PowerHistory",
    }
    head = runner.head()

    assert runner.rebuild() == head
    single = _digest(ledger, runner)
    seen: list[int] = []
    assert (
        bootstrap.rebuild(
            ledger,
            logged,
            Settings(projection_page=700, rebuild_processes=3),
            lambda position, total: seen.append(position),
        )
        == head
    )

    assert _digest(ledger, runner) == single
    assert runner.position() == head and seen[-1] == head and seen == sorted(seen)
    with ledger.recorder.datastore.transaction(commit=False) as cur:
        cur.execute("SELECT name FROM projection_positions WHERE name LIKE '%@shadow%'")
        assert cur.fetchall() == []  # the build's and the shares' positions went with the rebuild's end
        cur.execute("SELECT count(*) AS n FROM pg_namespace WHERE nspname = %s", (SHADOW,))
        assert cur.fetchone()["n"] == 0  # and the schema it built in
        cur.execute("SELECT count(*) AS n FROM delegations")
        assert cur.fetchone()["n"] > 1000
    assert runner.run_once() == 0


def _failing_runner(
    url: str, names: Any, prefix: str, suffix: str, share: tuple[int, int], schema: str | None
) -> ProjectionRunner:
    runner = bootstrap.share_runner(url, SETTINGS, names, prefix, suffix, share, schema)
    if share[0] == 1:

        def broken(*args: Any) -> Any:
            raise RuntimeError("the database went away")

        runner.ledger.recorder.select_stored_after = broken  # type: ignore[attr-defined]  # a fault put in the recorder's read
    return runner


def test_a_share_that_fails_fails_the_rebuild_and_leaves_the_live_read_models_as_they_were(
    logged: str,
) -> None:
    ledger = bootstrap.build_ledger(logged)
    runner = bootstrap.build_projections(ledger, SETTINGS)
    head = runner.head()
    runner.rebuild()
    single = _digest(ledger, runner)

    with pytest.raises(RuntimeError, match="share-1-of-2"):
        runner.rebuild(processes=2, runner_of=functools.partial(_failing_runner, logged))
    assert _digest(ledger, runner) == single and runner.position() == head  # blue/green: live untouched
    assert runner.run_once() == 0 and runner.catch_up() == 0

    assert bootstrap.rebuild(ledger, logged, Settings(projection_page=700, rebuild_processes=2)) == head
    assert _digest(ledger, runner) == single and runner.position() == head


def test_when_every_read_model_is_per_aggregate_the_rebuilding_process_reads_no_event(logged: str) -> None:
    ledger = bootstrap.build_ledger(logged)
    full = bootstrap.build_projections(ledger, SETTINGS)
    runner = ProjectionRunner(
        ledger,
        [m for m in full.read_models if getattr(m, "per_aggregate", False)],
        page=SETTINGS.projection_page,
    )
    runner.rebuild()
    single = _digest(ledger, runner)
    reads: list[Any] = []
    recorder = ledger.recorder
    select = recorder.select_stored_after
    recorder.select_stored_after = lambda *args: reads.append(args) or select(*args)  # type: ignore[attr-defined]  # the recorder's reads counted

    assert (
        runner.rebuild(processes=2, runner_of=functools.partial(bootstrap.share_runner, logged, SETTINGS))
        == runner.head()
    )
    assert reads == [] and _digest(ledger, runner) == single
