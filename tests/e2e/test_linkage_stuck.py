"""A linkage agent that stops fetching while its worker's loop turns on (faust-streaming #175,
#523, #629), under `govledger up`: the worker's /health turns 503 naming the agent and the
partitions it is stuck on, `up` restarts the worker, and every case reported is routed once,
none lost and none twice.

The worker is asked to stop fetching its case partitions through its test-only hook
(`LINKAGE_TEST_PAUSE_FILE`, infra/cli/linkage.py), between two batches of reports."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from functools import partial
from pathlib import Path
from typing import Any

import psycopg
import pytest

from contracts.linkage import commands as c
from infra.cli.linkage import TEST_PAUSE_FILE
from infra.kafka import clients as kafka
from infra.settings import Linkage, Settings
from tests.e2e.test_up import _children, _wait_for
from tests.support import case_command, encoded, free_ports, http_get, own_topics

STUCK_AFTER_S, UNHEALTHY_AFTER_S = 4.0, 3.0
BATCH = 20
_case = partial(case_command, "stuck")


def _report(producer: Any, settings: Settings, first: int) -> list[str]:
    """Report BATCH cases of daily matters (routed to their town with no catalogue needed)."""
    numbers = [f"K{n:03d}" for n in range(first, first + BATCH)]
    reports = [
        _case(c.ReportCase, n / 100, c.CaseReport(case=case, source="grid", town="T1", category="noise"))
        for n, case in enumerate(numbers, first)
    ]
    kafka.publish(producer, settings.topics.linkage, encoded(reports))
    return numbers


def _dispatches(url: str) -> dict[str, int]:
    """Each case's dispatched events in the case history read model."""
    with psycopg.connect(url) as conn:
        if not conn.execute("SELECT to_regclass('linkage_case_events') IS NOT NULL").fetchone()[0]:
            return {}
        rows = conn.execute(
            "SELECT c.number, count(e.case_id) FROM linkage_cases c"
            " LEFT JOIN linkage_case_events e ON e.case_id = c.id AND e.event = 'dispatched'"
            " GROUP BY c.number"
        ).fetchall()
    return {number: count for number, count in rows if count}


def _waiting(port: int) -> set[float]:
    """The worker's `linkage_agent_stuck_seconds`, one per partition its agents hold (0: nothing
    waits there)."""
    text = http_get(port, "/metrics")[1].decode()
    return {
        float(line.rpartition(" ")[2])
        for line in text.splitlines()
        if line.startswith("govledger_linkage_agent_stuck_seconds{")
    }


@pytest.mark.slow
@pytest.mark.timeout(180)
def test_a_stuck_agent_fails_health_and_up_restarts_it_with_every_case_routed_once(
    database_url: str, broker: str, tmp_path: Path
) -> None:
    tag = uuid.uuid4().hex[:8]
    settings = Settings(
        database_url=database_url,
        kafka_bootstrap=broker,
        consumer_group=f"test-stuck-intake-{tag}",
        topics=own_topics(f"stuck.{tag}", partitions=3),
        session_timeout_ms=6000,
        linkage=Linkage(app_id=f"test-stuck-linkage-{tag}", clock="ticks", stuck_after_s=STUCK_AFTER_S),
    )
    port = free_ports(4)  # intake, project, relay, linkage: the order of `plan`
    linkage_port, pause = port + 3, tmp_path / "pause-cases"
    log = tmp_path / "up.log"
    with log.open("wb") as err:
        up = subprocess.Popen(
            [
                *(sys.executable, "-m", "infra.cli.main", "up"),
                *("--only", "intake,project,relay,linkage", "--metrics-port", str(port)),
                *("--grace", "15", "--unhealthy-after", str(UNHEALTHY_AFTER_S)),
            ],
            env={**os.environ, **settings.to_env(), TEST_PAUSE_FILE: str(pause)},
            stdout=subprocess.DEVNULL,
            stderr=err,
        )
    producer = kafka.producer(broker, settings)
    try:
        for child_port in range(port, port + 4):
            _wait_for(lambda p=child_port: http_get(p, "/ready")[0] == 200, 60, f"/ready on {child_port}")
        sent = _report(producer, settings, 0)
        _wait_for(lambda: len(_dispatches(database_url)) == BATCH, 30, "the first reports to be routed")
        _wait_for(lambda: _waiting(linkage_port) == {0.0}, 30, "every agent to have committed all it read")
        assert http_get(linkage_port, "/health")[0] == 200  # idle with nothing waiting: alive, for good
        [first] = _children(up, "linkage")

        pause.touch()
        _wait_for(lambda: not pause.exists(), 10, "the worker to stop fetching its case partitions")
        stopped = time.monotonic()
        sent += _report(producer, settings, BATCH)
        _wait_for(lambda: http_get(linkage_port, "/health")[0] == 503, 30, "/health to fail")
        failed = time.monotonic()
        health = json.loads(http_get(linkage_port, "/health")[1])
        _wait_for(
            lambda: [p.pid for p in _children(up, "linkage")] not in ([], [first.pid]),
            30,
            "up to restart the linkage worker",
        )
        restarted = time.monotonic()
        _wait_for(lambda: len(_dispatches(database_url)) == 2 * BATCH, 120, "the held reports to be routed")
        routed = time.monotonic()
        _wait_for(lambda: http_get(linkage_port, "/health")[0] == 200, 30, "the new worker to be alive")
        up.send_signal(signal.SIGTERM)
        assert up.wait(timeout=30) == 0
    except AssertionError as failure:
        tail = log.read_text(errors="replace")[-5000:]
        raise AssertionError(f"{failure}\nthe end of up's log:\n{tail}") from failure
    finally:
        producer.close()
        if up.poll() is None:
            up.kill()
    print(
        f"from the stop: 503 after {failed - stopped:.1f} s, restarted after {restarted - stopped:.1f} s,"
        f" every case routed after {routed - stopped:.1f} s"
    )

    assert health["status"] == "stuck" and health["stuck_after_s"] == STUCK_AFTER_S
    cases_topic = settings.topics.event_topics(["linkage"])["linkage"]
    assert {s["agent"] for s in health["stuck"]} == {"cases"}
    assert {s["topic"] for s in health["stuck"]} == {cases_topic}
    assert all(s["lag"] > 0 and s["stuck_for_s"] >= STUCK_AFTER_S for s in health["stuck"])
    assert f"agent cases on {cases_topic}/" in health["reason"]

    dispatches = _dispatches(database_url)
    assert sorted(dispatches) == sorted(sent)  # none lost
    assert set(dispatches.values()) == {1}  # none twice
    text = log.read_text()
    assert '"message":"child unhealthy too long; restarting"' in text and '"child":"linkage"' in text
    assert '"message":"unhealthy child stopped; restarting"' in text
