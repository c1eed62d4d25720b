"""`govledger up` — the intake, projections, relay, linkage and API on one machine, as child
processes of one supervisor.

The embedded PostgreSQL and broker start first when none is configured (as for every other
command), the schema and topics are made once, then each child gets the same settings
through its environment and a metrics port of its own (the base port, +1, +2, ... in the
order of `plan`). A child that dies is started again after a backoff (1 s, doubling up to
30 s, back to 1 s once it has run a minute). A child that serves /health on its metrics port
(every one but the API) is asked every few seconds; once it has answered, a failing answer
(503: its loop has stopped, or, for the linkage, an agent is stuck) or none at all, for
`unhealthy_after` seconds in a row, gets it stopped (SIGTERM, then SIGKILL after the grace
period) and started again the same way. SIGTERM or SIGINT is passed on to every child; those
still running after the grace period are killed; then `up` exits 0.
"""

from __future__ import annotations

import argparse
import dataclasses
import http.client
import logging
import os
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import msgspec

from infra.settings import Settings

log = logging.getLogger(__name__)
KINDS = ("intake", "project", "relay", "linkage", "api")
SCALABLE = ("intake", "linkage")  # one consumer group each: more workers share the partitions
DEFAULT_METRICS_PORT = 9460
HEALTH_EVERY = 2.0  # seconds between two questions to a child's /health
HEALTH_TIMEOUT = 2.0  # seconds an answer may take before it counts as none
ROOT = Path(__file__).resolve().parents[2]


def add_command(sub: Any) -> None:
    up = sub.add_parser("up", help="run every worker (and the API) under one supervisor")
    for kind in SCALABLE:
        up.add_argument(f"--{kind}", type=int, default=1, metavar="N", help=f"{kind} workers (1)")
    up.add_argument("--only", help=f"a subset, comma-separated, of {','.join(KINDS)}")
    up.add_argument(
        "--metrics-port",
        type=int,
        help="the first child's metrics port "
        f"(GOVLEDGER_METRICS_PORT, else {DEFAULT_METRICS_PORT}); the next ones count up",
    )
    up.add_argument("--grace", type=float, default=20.0, help="seconds children get to stop (20)")
    up.add_argument(
        "--unhealthy-after",
        type=float,
        default=30.0,
        metavar="S",
        help="seconds a child's /health may fail in a row before it is restarted (30)",
    )


@dataclass
class Child:
    name: str
    kind: str
    metrics_port: int | None
    process: subprocess.Popen[bytes] | None = None
    started: float = 0.0
    backoff: float = 1.0
    due: float | None = 0.0  # when to start it (again); None while it runs
    restarts: int = 0  # since `up` started, whatever the cause
    asked: float = 0.0  # when its /health was last asked
    answered: bool = False  # its /health has answered since it (re)started
    failing_since: float | None = None  # its /health has failed since then (None: it passes)
    stopping: float | None = None  # when it was stopped for failing its /health


def plan(kinds: list[str], counts: dict[str, int], metrics_port: int) -> list[Child]:
    """The children, in order, each with its name and metrics port (the API has none: it
    serves /metrics itself)."""
    children, port = [], metrics_port
    for kind in KINDS:
        if kind not in kinds:
            continue
        number = counts.get(kind, 1)
        for i in range(1, number + 1):
            name = f"{kind}-{i}" if number > 1 else kind
            children.append(Child(name, kind, None if kind == "api" else port))
            port += kind != "api"
    return children


class Supervisor:
    def __init__(
        self, children: list[Child], settings: Settings, grace: float = 20.0, unhealthy_after: float = 30.0
    ) -> None:
        self.children, self.settings, self.grace = children, settings, grace
        self.unhealthy_after = unhealthy_after
        host = settings.ops.metrics_host  # where the children serve; a wildcard is reached on loopback
        self.health_host = {"0.0.0.0": "127.0.0.1", "::": "::1"}.get(host, host)

    def start(self, child: Child) -> None:
        port = child.metrics_port or 0
        env = {**os.environ, **self.settings.to_env(), "GOVLEDGER_METRICS_PORT": str(port)}
        child.process = subprocess.Popen(
            [sys.executable, "-m", "infra.cli.main", child.kind],
            env=env,
            cwd=ROOT,
            preexec_fn=_die_with_parent,
        )
        child.started, child.due = time.monotonic(), None
        child.asked, child.answered, child.failing_since, child.stopping = child.started, False, None, None
        log.info(
            "child started",
            extra={"child": child.name, "child_pid": child.process.pid, "metrics_port": child.metrics_port},
        )

    def watch(self, child: Child, now: float) -> None:
        """Notice a child that died and schedule it; stop one whose health has failed too
        long (killed if it outlasts the grace period); start it when its time has come."""
        if child.due is None and child.process is not None and child.process.poll() is not None:
            if now - child.started >= 60:
                child.backoff = 1.0
            child.due = now + child.backoff
            child.restarts += 1
            extra = {
                "child": child.name,
                "exit_code": child.process.returncode,
                "restart_in_s": child.backoff,
                "restarts": child.restarts,
            }
            if child.stopping is not None:
                log.warning("unhealthy child stopped; restarting", extra=extra)
            else:
                log.warning("child exited; restarting", extra=extra)
            child.backoff = min(child.backoff * 2, 30.0)
        elif child.due is None and child.process is not None:
            if child.stopping is None:
                self.check_health(child, now)
            elif now - child.stopping > self.grace:
                child.process.kill()
                child.stopping = now  # killed once; its exit is noticed above
                log.error("unhealthy child killed after the grace period", extra={"child": child.name})
        if child.due is not None and now >= child.due:
            self.start(child)

    def check_health(self, child: Child, now: float) -> None:
        """Ask a running child's /health (every HEALTH_EVERY seconds); stop it once it has failed
        `unhealthy_after` seconds in a row. A child counts from its first answer: until then
        it is starting."""
        if child.metrics_port is None or child.process is None or now - child.asked < HEALTH_EVERY:
            return
        child.asked = now
        status, body = self.health(child.metrics_port)
        if status == 200:
            child.answered, child.failing_since = True, None
            return
        if not child.answered:
            return
        if child.failing_since is None:
            child.failing_since = now
            log.warning(
                "child unhealthy",
                extra={
                    "child": child.name,
                    "status": status,
                    "health": body,
                    "restart_after_s": self.unhealthy_after,
                },
            )
        if now - child.failing_since >= self.unhealthy_after:
            log.error(
                "child unhealthy too long; restarting",
                extra={
                    "child": child.name,
                    "status": status,
                    "health": body,
                    "failing_for_s": round(now - child.failing_since, 1),
                    "restarts": child.restarts + 1,
                },
            )
            child.stopping = now
            child.process.terminate()

    def health(self, port: int) -> tuple[int, Any]:
        """A child's /health: its status and its body decoded (0 and None when it did not answer)."""
        connection = http.client.HTTPConnection(self.health_host, port, timeout=HEALTH_TIMEOUT)
        try:
            connection.request("GET", "/health")
            answer = connection.getresponse()
            status, raw = answer.status, answer.read()
        except (OSError, http.client.HTTPException):
            return 0, None
        finally:
            connection.close()
        try:
            return status, msgspec.json.decode(raw)
        except msgspec.DecodeError:
            return status, raw.decode(errors="replace")

    def run(self, stop: threading.Event) -> int:
        while not stop.is_set():
            for child in self.children:
                self.watch(child, time.monotonic())
            stop.wait(0.2)
        return self.shutdown()

    def shutdown(self) -> int:
        running = [(c, c.process) for c in self.children if c.process and c.process.poll() is None]
        log.info("stopping children", extra={"children": [c.name for c, _ in running]})
        for _child, process in running:
            process.terminate()  # SIGTERM: each worker finishes what it holds
        deadline = time.monotonic() + self.grace
        for child, process in running:
            try:
                code = process.wait(timeout=max(deadline - time.monotonic(), 0.1))
                log.info("child stopped", extra={"child": child.name, "exit_code": code})
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
                log.warning("child killed after the grace period", extra={"child": child.name})
        return 0


def _die_with_parent() -> None:
    """In the child, before exec: get SIGTERM if the supervisor itself dies (Linux)."""
    if sys.platform.startswith("linux"):
        import ctypes

        ctypes.CDLL(None).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def run(args: argparse.Namespace, settings: Settings) -> int:
    from infra import bootstrap
    from infra.contexts import FAMILIES
    from infra.kafka import clients as kafka
    from infra.ops.embedded import ensure_broker, ensure_database

    kinds = [k.strip() for k in args.only.split(",")] if args.only else list(KINDS)
    if unknown := set(kinds) - set(KINDS):
        raise SystemExit(f"unknown worker kind(s): {', '.join(sorted(unknown))}")
    settings = dataclasses.replace(
        settings, database_url=ensure_database(settings), kafka_bootstrap=ensure_broker(settings)
    )
    ledger = bootstrap.build_ledger(settings.database_url)  # the schema, once, before the children
    bootstrap.build_projections(ledger, settings)  # and the read models' tables
    kafka.ensure_topics(
        settings.kafka_bootstrap,
        settings,
        extra=[
            *settings.topics.event_topics(list(FAMILIES)).values(),
            settings.topics.metrics,
            settings.topics.ticks,
        ],
    )
    base = args.metrics_port or settings.ops.metrics_port or DEFAULT_METRICS_PORT
    children = plan(kinds, {kind: getattr(args, kind) for kind in SCALABLE}, base)
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda _n, _f: stop.set())
    log.info("up", extra={"children": [c.name for c in children], "broker": settings.kafka_bootstrap})
    code = Supervisor(children, settings, args.grace, args.unhealthy_after).run(stop)
    log.info("up stopped")
    return code
