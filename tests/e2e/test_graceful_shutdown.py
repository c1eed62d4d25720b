"""SIGTERM stops the intake after the batch in flight: exit 0, a last log line with its
stats, and a restart that applies every remaining command exactly once."""

from __future__ import annotations

import dataclasses
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psycopg

from infra.bootstrap import build_ledger
from infra.contexts import GovernanceLedger as Ledger
from infra.contexts import apply
from infra.kafka import clients as kafka
from tests.support import declare, delegate, encoded, isolated_settings, register

ITEMS, TOWNS = [f"G{i:02d}" for i in range(40)], [f"T{j:02d}" for j in range(25)]


def _count(url: str, sql: str, *params: object) -> int:
    with psycopg.connect(url) as conn:
        return int(conn.execute(sql, params).fetchone()[0])


def _committed(url: str, group: str) -> int:
    return _count(
        url, "SELECT coalesce(sum(next_offset), 0) FROM intake_offsets WHERE consumer_group = %s", group
    )


def _wait_for(predicate, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "timed out waiting for the intake"
        time.sleep(0.02)


def _intake(env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    with log.open("wb") as err:
        return subprocess.Popen(
            [sys.executable, "-m", "infra.cli.main", "intake"], env=env, stdout=subprocess.DEVNULL, stderr=err
        )


def _last_line(log: Path) -> dict:
    return json.loads(log.read_text().strip().splitlines()[-1])


def test_sigterm_finishes_the_batch_in_flight_and_a_restart_applies_the_rest_once(
    database_url: str, broker: str, tmp_path: Path
) -> None:
    settings = dataclasses.replace(
        isolated_settings(), database_url=database_url, kafka_bootstrap=broker, max_poll_records=50
    )
    commands = [declare(), *map(register, ITEMS)]
    commands += [command for item in ITEMS for town in TOWNS for command in delegate(item, town)]
    total = sum(
        kafka.publish(kafka.producer(broker, settings), settings.topics.commands, encoded(commands)).values()
    )
    env = {**os.environ, **settings.to_env()}
    group = settings.consumer_group
    build_ledger(database_url)  # the tables, so progress can be watched from the start

    first = _intake(env, tmp_path / "first.log")
    _wait_for(lambda: _committed(database_url, group) >= total // 4)
    first.send_signal(signal.SIGTERM)
    assert first.wait(timeout=30) == 0
    stopped = _last_line(tmp_path / "first.log")
    at_stop = _committed(database_url, group)
    recorded = _count(database_url, "SELECT count(*) FROM intake_messages")
    assert at_stop < total, "the intake finished before it could be stopped"
    assert stopped["message"] == "intake stopped" and stopped["level"] == "INFO"
    assert stopped["applied"] == recorded == at_stop  # every committed offset has its command, and
    assert stopped["batches"] >= 1  # the log counts exactly what was committed

    second = _intake(env, tmp_path / "second.log")
    _wait_for(lambda: _committed(database_url, group) >= total)
    second.send_signal(signal.SIGTERM)
    assert second.wait(timeout=30) == 0
    assert _last_line(tmp_path / "second.log")["applied"] == len(commands) - recorded

    oracle = Ledger()  # the same commands, applied once each, in memory
    for command in commands:
        apply(oracle, command)
    assert _count(database_url, "SELECT count(*) FROM intake_messages WHERE outcome = 'applied'") == len(
        commands
    )
    assert _count(database_url, "SELECT count(*) FROM ledger_events") == oracle.recorder.max_notification_id()
    assert (
        _count(
            database_url,
            "SELECT count(*) FROM (SELECT originator_id FROM ledger_events"
            " GROUP BY originator_id HAVING max(originator_version) <> count(*)) AS gaps",
        )
        == 0
    )
