"""`govledger up`: the workers under one supervisor, a killed one brought back, SIGTERM for all;
and intake workers of one group sharing the partitions."""

from __future__ import annotations

import dataclasses
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import psutil
import psycopg

from infra import bootstrap
from infra.kafka import clients as kafka
from infra.ops.supervisor import plan
from infra.settings import Settings
from tests.support import declare, delegate, encoded, free_ports, http_get, isolated_settings, register


def _wait_for(predicate: Any, timeout: float = 30.0, what: str = "") -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.1)


def _approved(url: str) -> int:
    with psycopg.connect(url) as conn:
        row = conn.execute("SELECT to_regclass('delegations') IS NOT NULL").fetchone()
        if not row[0]:
            return 0
        return int(conn.execute("SELECT count(*) FROM delegations WHERE status = 'approved'").fetchone()[0])


def _children(up: subprocess.Popen[bytes], kind: str) -> list[psutil.Process]:
    """The live children of `up` running `govledger KIND`."""
    found = []
    for child in psutil.Process(up.pid).children():
        try:
            if child.status() != psutil.STATUS_ZOMBIE and child.cmdline()[-1] == kind:
                found.append(child)
        except (psutil.NoSuchProcess, psutil.ZombieProcess, IndexError):
            continue
    return found


def _publish(broker: str, topic: str, items: list[str]) -> int:
    """Register the items and delegate each to T1; how many commands that took."""
    commands = [declare(), *map(register, items)]
    commands += [c for item in items for c in delegate(item, "T1")]
    producer = kafka.producer(broker, Settings())
    kafka.publish(producer, topic, encoded(commands))
    producer.close()
    return len(commands)


def test_the_plan_numbers_scaled_workers_and_gives_each_but_the_api_a_metrics_port() -> None:
    children = plan(["intake", "project", "linkage", "api"], {"intake": 2, "linkage": 1}, 9460)
    assert [(c.name, c.metrics_port) for c in children] == [
        ("intake-1", 9460),
        ("intake-2", 9461),
        ("project", 9462),
        ("linkage", 9463),
        ("api", None),
    ]


def test_up_runs_the_workers_restarts_a_killed_one_and_stops_all_on_sigterm(
    database_url: str, broker: str, tmp_path: Path
) -> None:
    settings = dataclasses.replace(isolated_settings(), database_url=database_url, kafka_bootstrap=broker)
    port = free_ports(3)
    log = tmp_path / "up.log"
    with log.open("wb") as err:
        up = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "infra.cli.main",
                "up",
                "--only",
                "intake,project,relay",
                "--metrics-port",
                str(port),
                "--grace",
                "15",
            ],
            env={**os.environ, **settings.to_env()},
            stdout=subprocess.DEVNULL,
            stderr=err,
        )
    try:
        for child_port in (port, port + 1, port + 2):  # intake, project, relay
            _wait_for(lambda p=child_port: http_get(p, "/ready")[0] == 200, what=f"/ready on {child_port}")
        _publish(broker, settings.topics.commands, ["U1", "U2", "U3"])
        _wait_for(lambda: _approved(database_url) == 3, what="the read model")

        [intake] = _children(up, "intake")
        intake.kill()
        _wait_for(
            lambda: [c.pid for c in _children(up, "intake")] not in ([], [intake.pid]),
            what="the intake to be started again",
        )
        _wait_for(lambda: http_get(port, "/ready")[0] == 200, what="the new intake to be ready")
        _publish(broker, settings.topics.commands, ["U4", "U5"])
        _wait_for(lambda: _approved(database_url) == 5, what="the read model after the restart")
        _wait_for(
            lambda: b'govledger_relay_lag{name="events"} 0.0' in http_get(port + 2, "/metrics")[1],
            what="the relay to catch up",
        )
        children = [c.pid for kind in ("intake", "project", "relay") for c in _children(up, kind)]
        assert len(children) == 3

        up.send_signal(signal.SIGTERM)
        assert up.wait(timeout=30) == 0
    finally:
        if up.poll() is None:
            up.kill()
    assert not [pid for pid in children if psutil.pid_exists(pid)]
    text = log.read_text()
    assert '"message":"child exited; restarting"' in text and '"child":"intake"' in text
    for kind in ("intake", "projections", "relay"):
        assert f'"message":"{kind} stopped"' in text


def test_two_intake_workers_in_one_group_split_the_partitions_and_apply_everything_once(
    database_url: str, broker: str
) -> None:
    settings = isolated_settings()
    workers = [
        bootstrap.build_intake_worker(bootstrap.build_ledger(database_url), broker, settings)
        for _ in range(2)
    ]
    stop = threading.Event()
    threads = [threading.Thread(target=w.run, args=(stop.is_set,), daemon=True) for w in workers]
    for thread in threads:
        thread.start()

    def assignments() -> list[set[Any]]:
        try:
            return [set(w.consumer.assignment()) for w in workers]
        except RuntimeError:  # read during a rebalance
            return [set(), set()]

    everything = {
        (t, p) for t in kafka.command_topics(settings.topics) for p in range(settings.topics.partitions)
    }
    split = lambda: (
        all(assignments())
        and sorted((tp.topic, tp.partition) for a in assignments() for tp in a) == sorted(everything)
    )
    try:
        _wait_for(split, what="both workers to hold partitions")
        first, second = assignments()
        assert first and second and not first & second
        sent = _publish(broker, settings.topics.commands, [f"S{i}" for i in range(12)])
        _wait_for(lambda: sum(w.intake.stats.applied for w in workers) == sent, what="every command applied")
        assert all(w.intake.stats.applied > 0 for w in workers)
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=10)
        for worker in workers:
            worker.consumer.close()
            worker.after_commit.kafka.close()
    with psycopg.connect(database_url) as conn:
        applied = conn.execute("SELECT count(*) FROM intake_messages WHERE outcome = 'applied'").fetchone()[0]
    assert applied == sent
