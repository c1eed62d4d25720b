"""Killing the intake worker mid-run neither loses nor doubles a command."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import psycopg

from infra.bootstrap import build_ledger
from infra.contexts import GovernanceLedger as Ledger
from infra.contexts import apply
from infra.kafka import clients as kafka
from tests.support import declare, delegate, encoded, isolated_settings, register

ITEMS, TOWNS = [f"P{i:02d}" for i in range(40)], [f"T{j}" for j in range(10)]


def _committed(url: str, group: str) -> int:
    with psycopg.connect(url) as conn:
        row = conn.execute(
            "SELECT coalesce(sum(next_offset), 0) FROM intake_offsets WHERE consumer_group = %s",
            (group,),
        ).fetchone()
        return int(row[0])


def _wait_for(predicate, timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "timed out waiting for the intake"
        time.sleep(0.05)


def _intake(env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "infra.cli.main", "intake"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def test_killing_the_intake_mid_run_loses_and_doubles_nothing(database_url: str, broker: str) -> None:
    settings = isolated_settings()
    commands = [declare(), *map(register, ITEMS)]
    commands += [command for item in ITEMS for town in TOWNS for command in delegate(item, town)]
    targets = kafka.publish(kafka.producer(broker, settings), settings.topics.commands, encoded(commands))
    total = sum(targets.values())
    env = {
        **os.environ,
        "GOVLEDGER_DATABASE_URL": database_url,
        "GOVLEDGER_KAFKA_BOOTSTRAP": broker,
        "GOVLEDGER_TOPIC_COMMANDS": settings.topics.commands,
        "GOVLEDGER_TOPIC_DUTIES": settings.topics.duties,
        "GOVLEDGER_TOPIC_ORGANISATION": settings.topics.organisation,
        "GOVLEDGER_TOPIC_STAFFING": settings.topics.staffing,
        "GOVLEDGER_TOPIC_APPRAISALS": settings.topics.appraisals,
        "GOVLEDGER_TOPIC_DEADLETTERS": settings.topics.dead_letters,
        "GOVLEDGER_CONSUMER_GROUP": settings.consumer_group,
        "GOVLEDGER_MAX_POLL_RECORDS": "50",
    }

    build_ledger(database_url)  # the tables, so progress can be watched from the start
    first = _intake(env)
    _wait_for(lambda: _committed(database_url, settings.consumer_group) >= total // 4)
    first.kill()
    first.wait()
    at_kill = _committed(database_url, settings.consumer_group)
    assert at_kill < total, "the worker finished before it could be killed"

    second = _intake(env)
    _wait_for(lambda: _committed(database_url, settings.consumer_group) >= total)
    second.terminate()
    assert second.wait(timeout=30) == 0

    oracle = Ledger()  # the same commands, applied once each, in memory
    for command in commands:
        apply(oracle, command)
    with psycopg.connect(database_url) as conn:
        events = conn.execute("SELECT count(*) FROM ledger_events").fetchone()[0]
        applied = conn.execute("SELECT count(*) FROM intake_messages WHERE outcome = 'applied'")
        gaps = conn.execute(
            "SELECT count(*) FROM (SELECT originator_id FROM ledger_events GROUP BY originator_id"
            " HAVING max(originator_version) <> count(*)) AS g"
        ).fetchone()[0]
        assert applied.fetchone()[0] == len(commands)
    assert events == oracle.recorder.max_notification_id()
    assert gaps == 0
