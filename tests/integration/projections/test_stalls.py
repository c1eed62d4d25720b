"""A read model that fails on an event stalls there alone, says so everywhere, and goes on
once resumed after a fix, or once an operator skips the event (recorded)."""

from __future__ import annotations

import logging
import uuid
from typing import Any

import psycopg
import pytest
from eventsourcing.persistence import StoredEvent
from litestar.testing import TestClient

from aggregates.powers.delegation import Delegation
from infra import bootstrap
from infra.api.app import create_app
from infra.cli import main as cli
from infra.contexts import GovernanceLedger as Ledger
from infra.ops import observers
from infra.store.audit_trail import entity_id, trail
from infra.store.positions import PositionsCollector, ledger_positions, stalled_reason
from projections.powers.inventory import TownPowerInventory
from projections.runner import EventHandlers, ProjectionRunner
from tests.e2e.api.conftest import auth
from tests.integration.projections.test_town_power_inventory import _scenario
from tests.support import isolated_settings, select

APPROVED = f"{Delegation.Approved.__module__}:{Delegation.Approved.__qualname__}"


class Poisoned(EventHandlers):
    """Notes each approval in a table of its own, and fails on one of them until fixed."""

    tables = ("CREATE TABLE IF NOT EXISTS poisoned_seen (id uuid PRIMARY KEY)",)
    truncate = ("TRUNCATE poisoned_seen",)

    def __init__(self, poison: uuid.UUID) -> None:
        self.poison, self.fixed = poison, False
        self.handlers = {Delegation.Approved: self.note}

    def note(self, cur: Any, event: Any) -> None:
        if event.originator_id == self.poison and not self.fixed:
            raise KeyError(f"no row for {event.originator_id}")
        cur.execute("INSERT INTO poisoned_seen VALUES (%s)", (event.originator_id,))


@pytest.fixture
def ledger(database_url: str) -> Ledger:
    return _scenario(bootstrap.build_ledger(database_url))


def _approvals(ledger: Ledger) -> list[Any]:
    head = ledger.recorder.max_notification_id()
    return [n for n in ledger.recorder.select_stored_after(0, head, (), head) if n.topic == APPROVED]


def _until_settled(runner: ProjectionRunner, times: int = 30) -> None:
    for _ in range(times):
        runner.run_once()


def _samples(collector: Any) -> dict[tuple[str, str], float]:
    return {
        (family.name, sample.labels.get("name", "")): sample.value
        for family in collector.collect()
        for sample in family.samples
    }


def test_a_read_model_that_fails_on_an_event_stalls_there_alone_and_says_so_everywhere(
    ledger: Ledger, database_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    approvals = _approvals(ledger)
    bad = approvals[1]
    poisoned = Poisoned(bad.originator_id)
    runner = ProjectionRunner(ledger, [TownPowerInventory(), poisoned], page=3, retries=3)
    runner.retry_delay = 0.0
    head = runner.head()

    with caplog.at_level(logging.WARNING, logger="govledger.projections"):
        _until_settled(runner)
    states = runner.states()

    assert (
        states["town_power_inventory"]["position"] == head
        and states["town_power_inventory"]["state"] == "live"
    )
    stalled = states["poisoned"]
    assert stalled["state"] == "stalled" and stalled["failures"] == 3
    assert approvals[0].id <= stalled["position"] < bad.id  # everything before the event at fault
    fault = stalled["fault"]
    assert fault["event_id"] == bad.id and fault["topic"] == APPROVED
    assert fault["originator_id"] == str(bad.originator_id) and "KeyError" in fault["error"]
    [[(seen,)]] = select(database_url, "SELECT count(*) FROM poisoned_seen")
    assert seen == 1  # the approval before it kept, nothing after it
    errors = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert len(errors) == 1 and "poisoned" in errors[0].getMessage() and str(bad.id) in errors[0].getMessage()
    assert sum(r.levelno == logging.WARNING for r in caplog.records) == 2  # the two failures before

    datastore = ledger.recorder.datastore
    found = _samples(PositionsCollector(datastore))
    assert found[("govledger_projection_stalled", "poisoned")] == 1
    assert found[("govledger_projection_stalled", "town_power_inventory")] == 0
    assert found[("govledger_projection_lag", "poisoned")] == head - stalled["position"]
    loop = observers.observe_projections(runner, isolated_settings())
    status, body = loop.observer.ready()
    loop.close()
    assert status == 503 and f"poisoned at event {bad.id}" in body["reason"]
    assert ledger_positions(datastore)["projections"]["poisoned"]["fault"]["event_id"] == bad.id

    reader = ProjectionRunner(ledger, [TownPowerInventory(), poisoned], page=3)  # as a command line's
    assert reader.catch_up() == 0 and reader.states()["poisoned"]["state"] == "stalled"  # left where it is

    poisoned.fixed = True  # a fix deployed; the worker started again resumes it
    assert runner.resume() == ["poisoned"]
    _until_settled(runner, 3)
    assert runner.position() == head and runner.states()["poisoned"]["state"] == "live"
    [[(seen,)]] = select(database_url, "SELECT count(*) FROM poisoned_seen")
    assert seen == len(approvals) and stalled_reason(ledger_positions(datastore)) is None


def test_a_failure_that_passes_costs_a_retry_not_a_stall(ledger: Ledger) -> None:
    bad = _approvals(ledger)[0]
    poisoned = Poisoned(bad.originator_id)
    runner = ProjectionRunner(ledger, [poisoned], page=50, retries=3)
    runner.retry_delay = 0.0
    runner.run_once()
    assert runner.states()["poisoned"]["state"] == "failing"
    poisoned.fixed = True
    runner.run_once()
    state = runner.states()["poisoned"]
    assert state["state"] == "live" and state["failures"] == 0 and state["fault"] is None
    assert state["position"] == runner.head()


def test_without_retries_a_failure_is_raised_and_nothing_of_the_page_is_kept(ledger: Ledger) -> None:
    bad = _approvals(ledger)[1]
    runner = ProjectionRunner(ledger, [TownPowerInventory(), Poisoned(bad.originator_id)], page=1000)
    with pytest.raises(KeyError):
        runner.run_once()
    assert runner.position() == 0 and set(runner.states()) == {"town_power_inventory", "poisoned"}


def _corrupt_approval(ledger: Ledger) -> int:
    """An approval stored in a shape no upcast knows; returns its position in the log."""
    stored = StoredEvent(uuid.uuid4(), 1, APPROVED, b'{"unexpected": true}')
    [position] = ledger.recorder.insert_events([stored])
    return position


def test_an_event_no_read_model_can_decode_stalls_those_that_read_it_and_may_be_skipped_on_record(
    ledger: Ledger, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = isolated_settings()
    bad = _corrupt_approval(ledger)
    ledger.register_town(*_town())  # an event after it, of another context
    runner = bootstrap.build_projections(ledger, settings, retries=2)
    runner.retry_delay = 0.0
    _until_settled(runner, 10)
    states, head = runner.states(), runner.head()

    at_fault = sorted(name for name, s in states.items() if s["state"] == "stalled")
    assert at_fault == ["town_power_inventory"]  # the one that reads what the approval lacks
    assert all(s["position"] == head for name, s in states.items() if name not in at_fault)
    assert all(states[name]["fault"]["event_id"] == bad for name in at_fault)

    with TestClient(app=create_app(ledger, settings)) as client:  # answers say they are stale
        tokens: Any = client.app.state.tokens
        reader = tokens.issue("stale-reader", "reader")
        powers = client.get("/api/v1/towns/T1/powers", headers=auth(reader))
        structure = client.get("/api/v1/towns/T9/structure", headers=auth(reader))
        ready = client.get("/ready").json()
    assert powers.status_code == 200
    stale = powers.headers["govledger-stale"]
    assert f"town_power_inventory; state=stalled; position={bad - 1}" in stale and f"event={bad}" in stale
    assert "govledger-stale" not in structure.headers  # another context's read models are current
    assert "town_power_inventory at event" in ready["stalled"]

    monkeypatch.setenv("GOVLEDGER_DATABASE_URL", database_url)
    skip = ["project", "--skip", f"town_power_inventory@{bad}"]
    assert cli.main(skip) == 2  # no reason given
    assert cli.main(["project", "--skip", f"town_power_inventory@{bad + 1}", "--reason", "x"]) == 1
    assert cli.main(["project", "--skip", f"no_such_model@{bad}", "--reason", "x"]) == 1
    assert cli.main([*skip, "--reason", "损坏的测试事件", "--actor", "ops-zhang"]) == 0

    _until_settled(runner, 3)
    states, head = runner.states(), runner.head()  # (the skip's own record is in the log too)
    assert all(s["state"] == "live" and s["position"] == head for s in states.values())
    [entry] = [
        e
        for e in trail(ledger, entity_id("read-model/town_power_inventory"))
        if e["event"].endswith("Skipped")
    ]
    assert entry["actor"] == "ops-zhang" and entry["reason"] == "损坏的测试事件"
    assert entry["position"] > bad


def _town() -> tuple[Any, ...]:
    from aggregates.organisation.town import TownDetails
    from tests.integration.projections.test_town_power_inventory import ctx

    return ctx("2022-01-01"), "T9", TownDetails("九镇", "宁波市江北区", "town", "5+X")


class LosesTheDatabase(Poisoned):
    """Meets a lost connection at one approval (as the server going away mid-page would)."""

    def note(self, cur: Any, event: Any) -> None:
        if event.originator_id == self.poison and not self.fixed:
            raise psycopg.OperationalError("server closed the connection unexpectedly")
        super().note(cur, event)


def test_a_lost_database_is_raised_to_be_waited_out_and_never_counted_against_a_read_model(
    ledger: Ledger,
) -> None:
    model = LosesTheDatabase(_approvals(ledger)[0].originator_id)
    runner = ProjectionRunner(ledger, [TownPowerInventory(), model], page=1000, retries=1)
    for _ in range(3):
        with pytest.raises(Exception, match="server closed the connection"):  # as psycopg or the library says
            runner.run_once()
    states = runner.states()
    assert {s["state"] for s in states.values()} == {"live"} and runner.position() == 0  # nothing kept
    assert all(s["failures"] == 0 and s["fault"] is None for s in states.values())
    model.fixed = True
    runner.run_once()
    assert runner.position() == runner.head()
