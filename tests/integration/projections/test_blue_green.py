"""Rebuilding read models blue/green: built aside from the log while the live ones answer and
move on, then swapped in at once; and by itself when a read model's version changes."""

from __future__ import annotations

import random
import threading
from collections.abc import Iterator
from datetime import date
from typing import Any

import psycopg
import pytest

from benchmarks import as_of
from infra import bootstrap
from infra.cli import workers
from infra.settings import Settings
from infra.store.checksum import state_digest
from projections.powers.inventory import TownPowerInventory
from projections.runner import SHADOW, ProjectionRunner, model_names, read_model_tables
from tests.conftest import fresh_database

SETTINGS = Settings(projection_page=300)  # many pages, so the build takes a while


@pytest.fixture
def logged(pg_server_url: str) -> Iterator[str]:
    """A database holding 700 items delegated to one town, recalls, transfers and amendments."""
    with fresh_database(pg_server_url) as url:
        ledger = bootstrap.build_ledger(url)
        as_of.load(ledger, as_of.plan(1, random.Random(3)), 500)
        ledger.close()
        yield url


def _more(ledger: Any, town: int, items: int = 40) -> None:
    """Another town given `items` items, as a department would while the rebuild runs."""
    refs = [{"batch": "B1", "item": f"P{n:04d}", "town": f"T9{town:03d}"} for n in range(items)]
    commands = (c for ref in refs for c in as_of._delegate(ref, date(2023, 3, 1), "grant"))
    as_of.load(ledger, iter(commands), 60)


def _oid(cur: Any, table: str) -> int:
    cur.execute("SELECT %s::regclass::oid AS oid", (table,))
    return int(cur.fetchone()["oid"])


def _inventory_digest(ledger: Any, runner: ProjectionRunner) -> Any:
    models = [m for m in runner.read_models if isinstance(m, TownPowerInventory)]
    return state_digest(ledger.recorder.datastore, read_model_tables(models))["tables"]


def test_readers_never_see_a_read_model_empty_partial_or_going_back_while_it_is_rebuilt(logged: str) -> None:
    ledger = bootstrap.build_ledger(logged)
    live = bootstrap.build_projections(ledger, SETTINGS, retries=3)
    live.catch_up()
    with ledger.recorder.datastore.transaction(commit=False) as cur:
        before = {t: _oid(cur, t) for t in ("delegations", "duty_admissions", "power_item_versions")}
    stop, seen, moved = threading.Event(), [], []

    def read() -> None:  # a reader of the live table and its position, all along
        with psycopg.connect(logged, autocommit=True) as conn:
            while not stop.is_set():
                seen.append(
                    conn.execute(
                        "SELECT (SELECT count(*) FROM delegations),"
                        " (SELECT position FROM projection_positions WHERE name = 'town_power_inventory')"
                    ).fetchone()
                )

    def write_and_project() -> None:  # departments go on delegating; the worker goes on projecting
        for town in range(6):
            _more(ledger, town)
            moved.append(live.run_once())
        while not stop.is_set() and live.run_once():
            pass

    threads = [threading.Thread(target=read), threading.Thread(target=write_and_project)]
    for thread in threads:
        thread.start()
    try:
        done = bootstrap.rebuild(ledger, logged, SETTINGS, only=["town_power_inventory"])
        threads[1].join()
    finally:
        stop.set()
        for thread in threads:
            thread.join()
    live.catch_up()

    counts, positions = [c for c, _ in seen], [p for _, p in seen]
    assert len(seen) > 50 and done > 0 and any(moved)
    assert min(counts) > 0 and counts == sorted(counts)  # never empty, partial or going back
    assert positions == sorted(positions)
    assert counts[-1] > counts[0]  # the delegations made meanwhile are there
    with ledger.recorder.datastore.transaction(commit=False) as cur:
        after = {t: _oid(cur, t) for t in before}
        cur.execute("SELECT count(*) AS n FROM pg_namespace WHERE nspname LIKE 'read_model_%%'")
        assert cur.fetchone()["n"] == 0  # the shadow and the retired tables gone
    assert after["delegations"] != before["delegations"]  # swapped in
    assert after["duty_admissions"] == before["duty_admissions"]  # others left alone
    assert after["power_item_versions"] == before["power_item_versions"]
    assert live.position() == live.head()

    rebuilt = _inventory_digest(ledger, live)
    bootstrap.rebuild(ledger, logged, Settings(projection_page=5000, rebuild_processes=1))
    assert _inventory_digest(ledger, live) == rebuilt  # as a rebuild of everything at rest builds it


def test_a_rebuild_names_only_read_models_that_exist_and_one_runs_at_a_time(logged: str) -> None:
    ledger = bootstrap.build_ledger(logged)
    runner = bootstrap.build_projections(ledger, SETTINGS)
    with pytest.raises(ValueError, match="no read model nonesuch; there are town_power_inventory"):
        runner.rebuild(only=["nonesuch"])
    with psycopg.connect(logged, autocommit=True) as other:
        other.execute("SELECT pg_advisory_lock(72220231)")  # as a rebuild elsewhere holds it
        with pytest.raises(RuntimeError, match="another rebuild is running"):
            runner.rebuild(only=["town_power_inventory"])


def test_a_new_version_of_a_read_model_is_rebuilt_blue_green_by_the_worker_by_itself(
    logged: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    ledger = bootstrap.build_ledger(logged)
    bootstrap.build_projections(ledger, SETTINGS).catch_up()
    expected = _inventory_digest(ledger, bootstrap.build_projections(ledger, SETTINGS))
    _more(ledger, 1)  # what the worker projects while the new version is built

    monkeypatch.setattr(TownPowerInventory, "version", 2, raising=False)  # the next release's
    runner = bootstrap.build_projections(ledger, SETTINGS, retries=3)
    assert runner.outdated == {"town_power_inventory"}
    stop = threading.Event()
    rebuilding = workers._rebuild_outdated(ledger, runner, Settings(database_url=logged), stop)
    assert rebuilding is not None
    states = runner.states()
    assert states["town_power_inventory"]["state"] == "rebuilding"
    while rebuilding.is_alive():  # the others go on meanwhile
        runner.run_once()
        rebuilding.join(0.05)
    runner.catch_up()

    states = runner.states()
    assert runner.outdated == set() and runner.position() == runner.head()
    assert (
        states["town_power_inventory"]["version"] == 2 and states["town_power_inventory"]["state"] == "live"
    )
    assert all(s["version"] == 1 for name, s in states.items() if name != "town_power_inventory")
    assert _inventory_digest(ledger, runner) != expected  # the delegations made meanwhile in it
    with ledger.recorder.datastore.transaction(commit=False) as cur:
        cur.execute("SELECT count(*) AS n FROM delegations WHERE town = 'T9001'")
        assert cur.fetchone()["n"] == 40
    assert set(model_names(runner.read_models)) == set(runner.states())


def test_the_one_position_of_an_earlier_release_becomes_each_read_models_own(logged: str) -> None:
    ledger = bootstrap.build_ledger(logged)
    runner = bootstrap.build_projections(ledger, SETTINGS)
    runner.catch_up()
    head = runner.head()
    with ledger.recorder.datastore.transaction(commit=True) as cur:  # as an earlier release left it
        cur.execute("DELETE FROM projection_positions")
        cur.execute("INSERT INTO projection_positions (name, position) VALUES ('read_models', %s)", (head,))
        cur.execute(f"DROP SCHEMA IF EXISTS {SHADOW} CASCADE")

    upgraded = bootstrap.build_projections(ledger, SETTINGS)
    states = upgraded.states()
    assert set(states) == set(model_names(upgraded.read_models))
    assert {s["position"] for s in states.values()} == {head} and upgraded.run_once() == 0
    with ledger.recorder.datastore.transaction(commit=False) as cur:
        cur.execute("SELECT count(*) AS n FROM projection_positions WHERE name = 'read_models'")
        assert cur.fetchone()["n"] == 0
