"""Liveness beyond the heartbeat: a linkage agent with records waiting that stops moving fails
/health, an idle one does not; `govledger up` restarts a child whose /health fails too long,
and leaves one that is still starting."""

from __future__ import annotations

import signal
import subprocess
import sys
from typing import Any

import msgspec
import pytest

from infra.ops.observability import Observer
from infra.ops.observers import AgentProgress
from infra.ops.supervisor import Child, Supervisor
from infra.settings import Ops, Settings, SettingsError
from tests.support import free_ports, http_get

CASES = ("govledger.events.linkage", 0)
TALLY = ("govledger-linkage-tally", 1)
READERS = {CASES: "cases", TALLY: "count"}


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_the_stuck_threshold_is_a_minute_unless_set_and_refuses_nought() -> None:
    assert Settings.from_env({}).linkage.stuck_after_s == 60.0
    assert Settings.from_env({"GOVLEDGER_LINKAGE_STUCK_AFTER_S": "4.5"}).linkage.stuck_after_s == 4.5
    with pytest.raises(SettingsError, match="GOVLEDGER_LINKAGE_STUCK_AFTER_S='0' is refused"):
        Settings.from_env({"GOVLEDGER_LINKAGE_STUCK_AFTER_S": "0"})


def test_an_idle_agent_with_nothing_waiting_is_never_stuck() -> None:
    clock = Clock()
    progress = AgentProgress(60.0, clock)
    for _ in range(10):
        progress.note(READERS, {CASES: 40, TALLY: None}, {CASES: 40, TALLY: 0})
        clock.now += 3600
    assert progress.stuck() is None


def test_an_agent_behind_that_does_not_move_is_stuck_after_the_threshold_named_with_its_partition() -> None:
    clock = Clock()
    progress = AgentProgress(60.0, clock)
    progress.note(READERS, {CASES: 40, TALLY: 7}, {CASES: 52, TALLY: 7})
    clock.now += 59
    progress.note(READERS, {CASES: 40, TALLY: 7}, {CASES: 55, TALLY: 7})
    assert progress.stuck() is None
    clock.now += 4
    stuck = progress.stuck()
    assert stuck is not None
    assert stuck["stuck"] == [
        {
            "agent": "cases",
            "topic": CASES[0],
            "partition": 0,
            "committed": 40,
            "end": 55,
            "lag": 15,
            "stuck_for_s": 63.0,
        }
    ]
    assert stuck["reason"] == (
        "stuck: agent cases on govledger.events.linkage/0 (15 records waiting, nothing committed for 63 s)"
    )


def test_an_agent_that_moves_or_catches_up_starts_its_clock_again() -> None:
    clock = Clock()
    progress = AgentProgress(60.0, clock)
    progress.note(READERS, {CASES: 40}, {CASES: 52})
    clock.now += 50
    progress.note(READERS, {CASES: 45}, {CASES: 60})  # moved, still behind
    clock.now += 50
    progress.note(READERS, {CASES: 45}, {CASES: 60})
    assert progress.stuck() is None
    progress.note(READERS, {CASES: 60}, {CASES: 60})  # caught up, then idle a long while
    clock.now += 600
    progress.note(READERS, {CASES: 60}, {CASES: 61})  # a record comes: behind from now, not from before
    assert progress.stuck() is None
    clock.now += 61
    assert progress.stuck() is not None


def test_the_highest_end_known_stands_when_a_later_answer_is_lower_or_missing() -> None:
    clock = Clock()
    progress = AgentProgress(10.0, clock)
    progress.note(READERS, {CASES: 40}, {CASES: 52})
    clock.now += 11
    progress.note(READERS, {CASES: 40}, {CASES: None})  # the broker did not answer
    stuck = progress.stuck()
    assert stuck is not None and stuck["stuck"][0]["end"] == 52


def test_a_rebalance_or_recovery_starts_every_clock_again() -> None:
    clock = Clock()
    progress = AgentProgress(10.0, clock)
    progress.note(READERS, {CASES: 40}, {CASES: 52})
    clock.now += 11
    assert progress.stuck() is not None
    progress.restart()
    assert progress.stuck() is None
    progress.note(READERS, {CASES: 40}, {CASES: 52})
    clock.now += 5
    assert progress.stuck() is None


def test_health_is_503_with_what_a_liveness_check_found_while_the_loop_still_beats() -> None:
    port = free_ports()
    observer = Observer("linkage", Ops(metrics_port=port))
    found: dict[str, Any] = {}
    observer.liveness.append(lambda: found or None)
    observer.serve()
    try:
        assert http_get(port, "/health")[0] == 200
        found.update(reason="stuck: agent cases on t/0", stuck=[{"agent": "cases"}])
        status, body = http_get(port, "/health")
        answer = msgspec.json.decode(body)
        assert status == 503 and answer["status"] == "stuck" and answer["reason"] == found["reason"]
        assert answer["heartbeat_age_s"] < 60  # the loop beats: it is the agent that is stuck
    finally:
        observer.close()


class Answers(Supervisor):
    """A supervisor whose children's /health answers are given by the test."""

    answer: tuple[int, Any] = (0, None)

    def health(self, port: int) -> tuple[int, Any]:
        return self.answer


def _running(child: Child, code: str = "") -> subprocess.Popen[bytes]:
    """`child` running `code`, then a minute's sleep; returns once the code has run."""
    child.process = subprocess.Popen(
        [sys.executable, "-c", f"import time; {code or 'pass'}; print(flush=True); time.sleep(60)"],
        stdout=subprocess.PIPE,
    )
    assert child.process.stdout is not None
    child.process.stdout.readline()
    child.started, child.asked, child.due = 0.0, 0.0, None
    return child.process


def test_up_stops_a_child_whose_health_fails_too_long_and_schedules_it_again() -> None:
    child = Child("linkage", "linkage", 9463)
    supervisor = Answers([child], Settings(), grace=5.0, unhealthy_after=30.0)
    process = _running(child)
    try:
        supervisor.answer = (200, {"status": "alive"})
        supervisor.watch(child, 2.0)
        supervisor.answer = (503, {"status": "stuck"})
        supervisor.watch(child, 4.0)
        supervisor.watch(child, 32.0)
        assert process.poll() is None and child.stopping is None  # 28 s failing: not yet
        supervisor.watch(child, 34.0)
        assert child.stopping == 34.0
        assert process.wait(timeout=10) == -signal.SIGTERM
        supervisor.watch(child, 35.0)
        assert (child.due, child.restarts) == (36.0, 1)
    finally:
        process.kill()
        process.wait()


def test_up_leaves_a_child_that_has_not_answered_yet_and_kills_one_that_ignores_sigterm() -> None:
    child = Child("intake", "intake", 9460)
    supervisor = Answers([child], Settings(), grace=5.0, unhealthy_after=30.0)
    process = _running(child, "import signal; signal.signal(signal.SIGTERM, signal.SIG_IGN)")
    try:
        for now in range(2, 100, 2):  # starting: no answer yet
            supervisor.watch(child, float(now))
        assert process.poll() is None and child.stopping is None
        supervisor.answer = (200, {"status": "alive"})
        supervisor.watch(child, 102.0)
        supervisor.answer = (0, None)  # answers no more
        supervisor.watch(child, 104.0)
        supervisor.watch(child, 134.0)
        assert child.stopping == 134.0
        supervisor.watch(child, 140.0)  # past the grace period: killed
        assert process.wait(timeout=10) == -signal.SIGKILL
    finally:
        process.kill()
        process.wait()
