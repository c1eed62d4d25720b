"""One run's stack: its own database and topics, and the workers as child processes.

Workers are the real `govledger intake|project|relay|linkage` processes, so a drill can
kill them with SIGKILL and start them again, as an operator or an orchestrator would.
Progress is read from PostgreSQL (stored offsets, positions, the log's head).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
from psycopg import sql
from psycopg.conninfo import make_conninfo

from infra import bootstrap
from infra.contexts import FAMILIES
from infra.kafka import clients as kafka
from infra.settings import Linkage, Settings
from infra.store.checksum import state_digest
from projections.runner import read_model_tables
from tests.support import own_topics

ROOT = Path(__file__).resolve().parents[2]
# How soon a killed worker's partitions go to the others; short for small smoke runs.
SESSION_TIMEOUT_MS = int(os.environ.get("GOVLEDGER_SESSION_TIMEOUT_MS", "6000"))
COMMAND = {"intake": "intake", "project": "project", "relay": "relay", "linkage": "linkage"}


def on_server(server_url: str, statement: str, name: str) -> str:
    """CREATE or DROP database `name` on the server; return its URL."""
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(sql.SQL(statement).format(sql.Identifier(name)))
    return make_conninfo(server_url, dbname=name)


@dataclass(frozen=True)
class Site:
    """Where runs make their stacks: the PostgreSQL server that gets their databases, the
    broker that gets their topics, and the folder that gets their workers' logs."""

    server_url: str
    broker: str
    logs: Path

    def stack(self, label: str, **options: Any) -> Stack:
        return Stack(self.server_url, self.broker, self.logs, label, **options)


class Stack:
    """A database, topics and consumer groups of its own on a shared broker; workers by role
    (`intake`, `project`, `relay`, `linkage`; `intake-2` is a second intake worker)."""

    def __init__(
        self, server_url: str, broker: str, logs: Path, label: str, max_poll_records: int = 1000
    ) -> None:
        tag = f"{label}-{uuid.uuid4().hex[:6]}"
        self.server_url, self.name = server_url, f"govledger_drill_{tag.replace('-', '_')}"
        self.url = on_server(server_url, "CREATE DATABASE {}", self.name)
        self.broker, self.logs = broker, logs / tag
        self.logs.mkdir(parents=True, exist_ok=True)
        self.settings = Settings(
            database_url=self.url,
            kafka_bootstrap=broker,
            consumer_group=f"drill-{tag}",
            max_poll_records=max_poll_records,
            session_timeout_ms=SESSION_TIMEOUT_MS,
            topics=own_topics(f"drill.{tag}", partitions=6),
            linkage=Linkage(app_id=f"drill-linkage-{tag}", clock="ticks"),
        )
        # the tables (the relay's positions too: progress is read before it starts), before any worker
        self.ledger = bootstrap.build_ledger(self.url)
        self.runner = bootstrap.build_projections(self.ledger, self.settings)
        self.workers: dict[str, subprocess.Popen[bytes]] = {}
        self.targets: dict[tuple[str, int], int] = {}
        self.published: list[list[tuple[bytes | None, bytes]]] = []  # to publish them again
        self.ensure_topics()

    def ensure_topics(self) -> str:
        events = self.settings.topics.event_topics(list(FAMILIES))
        return kafka.ensure_topics(
            self.broker,
            self.settings,
            extra=[*events.values(), self.settings.topics.metrics, self.settings.topics.ticks],
        )

    def env(self) -> dict[str, str]:
        return {**os.environ, **self.settings.to_env(), "GOVLEDGER_LOG_FORMAT": "text"}

    def start(self, role: str) -> None:
        command = COMMAND[role.split("-")[0]]
        with (self.logs / f"{role}.log").open("ab") as log:
            self.workers[role] = subprocess.Popen(
                [sys.executable, "-m", "infra.cli.main", command],
                cwd=ROOT,
                env=self.env(),
                stdout=log,
                stderr=subprocess.STDOUT,
            )

    def kill(self, role: str) -> None:
        """SIGKILL: no clean-up, no last commit."""
        process = self.workers.pop(role)
        process.kill()
        process.wait()

    def crashed(self) -> list[str]:
        return [role for role, p in self.workers.items() if p.poll() is not None]

    def stop(self) -> None:
        """SIGTERM (the linkage worker, whose state is all on the broker: SIGKILL, faster)."""
        for role, process in self.workers.items():
            process.send_signal(signal.SIGKILL if role == "linkage" else signal.SIGTERM)
        for process in self.workers.values():
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        self.workers.clear()

    def publish(self, messages: list[tuple[bytes | None, bytes]]) -> None:
        """Publish each message on its family's topic; remember where each partition ends."""
        self.published.append(messages)
        by_topic: dict[str, list[tuple[bytes | None, bytes]]] = {}
        for key, value in messages:
            by_topic.setdefault(kafka.command_topic(value, self.settings.topics), []).append((key, value))
        producer = kafka.producer(self.broker, self.settings)
        for topic, batch in by_topic.items():
            for where, end in kafka.publish(producer, topic, batch).items():
                self.targets[where] = max(self.targets.get(where, 0), end)
        producer.close()

    def query(self, statement: str, *params: Any, rows: bool = False) -> Any:
        with psycopg.connect(self.url, connect_timeout=5) as conn:
            found = conn.execute(statement, params)
            return found.fetchall() if rows else found.fetchone()[0]

    def intake_done(self) -> bool:
        stored = {
            (t, p): offset
            for t, p, offset in self.query(
                "SELECT topic, partition, max(next_offset) FROM intake_offsets WHERE consumer_group"
                " = %s GROUP BY topic, partition",
                self.settings.consumer_group,
                rows=True,
            )
        }
        return all(stored.get(where, 0) >= end for where, end in self.targets.items())

    def head(self) -> int:
        return int(self.query("SELECT coalesce(max(notification_id), 0) FROM ledger_events"))

    def position(self, table: str) -> int:
        return int(self.query(f"SELECT coalesce(max(position), 0) FROM {table}"))

    # how far every read model has come (a rebuild's own positions, `name@shadow`, aside)
    PROJECTED = "SELECT coalesce(min(position), 0) FROM projection_positions WHERE name NOT LIKE '%%@%%'"

    def projected(self) -> int:
        return int(self.query(self.PROJECTED))

    def dispatched(self) -> int:
        return int(
            self.query("SELECT count(*) FROM ledger_events WHERE topic LIKE %s", "%LinkageCase.Dispatched")
        )

    def digest(self) -> dict[str, Any]:
        self.ledger.close()  # its pooled connections may predate a restart of the server
        self.ledger = bootstrap.build_ledger(self.url)
        return state_digest(self.ledger.recorder.datastore, read_model_tables(self.runner.read_models))

    def __enter__(self) -> Stack:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def close(self, keep: bool = False) -> None:
        self.stop()
        self.ledger.close()
        if not keep:
            on_server(self.server_url, "DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name)
