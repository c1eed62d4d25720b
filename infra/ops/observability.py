"""What each worker shows operators: Prometheus metrics, liveness and readiness over HTTP.

A worker started with `GOVLEDGER_METRICS_PORT` > 0 serves on `metrics_host:port`:
`GET /metrics` (text exposition), `GET /health` (200 while its loop beats, 503 once it has
not beaten for `stale_after` seconds, or once a liveness check finds it stuck, with what the
check found) and `GET /ready` (200 when every readiness check passes, else 503 with the
first reason). Each worker registers what it measures in its observer's registry
(`infra/worker_metrics*.py`).
"""

from __future__ import annotations

import logging
import socket
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import msgspec
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Gauge, generate_latest
from prometheus_client.platform_collector import PlatformCollector
from prometheus_client.process_collector import ProcessCollector

from infra.settings import Ops

log = logging.getLogger(__name__)
Check = Callable[[], "str | None"]  # None when fine, else why not
# None while the worker moves, else what is stuck and for how long (merged into /health's body)
Liveness = Callable[[], "dict[str, Any] | None"]


class Heartbeat:
    """The time the worker's loop last went round; stale after `stale_after` seconds."""

    def __init__(self, stale_after: float = 60.0) -> None:
        self.stale_after, self.last = stale_after, time.monotonic()

    def beat(self) -> None:
        self.last = time.monotonic()

    def age(self) -> float:
        return time.monotonic() - self.last

    def alive(self) -> bool:
        return self.age() < self.stale_after


class Observer:
    """One worker's registry, heartbeat and readiness checks, and the server showing them."""

    def __init__(self, worker: str, ops: Ops, stale_after: float = 60.0) -> None:
        self.worker, self.ops = worker, ops
        self.registry = CollectorRegistry()
        ProcessCollector(registry=self.registry)
        PlatformCollector(registry=self.registry)
        self.heartbeat = Heartbeat(stale_after)
        self.checks: list[Check] = []
        self.liveness: list[Liveness] = []  # beside the heartbeat: work that stopped while the loop turns
        self.closers: list[Callable[[], Any]] = []  # clients the collectors opened
        Gauge(
            "govledger_heartbeat_age_seconds",
            "Seconds since the worker's loop last went round",
            ["worker"],
            registry=self.registry,
        ).labels(worker).set_function(self.heartbeat.age)
        self.server: ThreadingHTTPServer | None = None

    def beating(self, should_stop: Callable[[], bool]) -> Callable[[], bool]:
        """`should_stop`, beating the heartbeat each time the loop asks it."""

        def ask() -> bool:
            self.heartbeat.beat()
            return should_stop()

        return ask

    def health(self) -> tuple[int, dict[str, Any]]:
        body = {"worker": self.worker, "heartbeat_age_s": round(self.heartbeat.age(), 3)}
        if not self.heartbeat.alive():
            return 503, {"status": "stalled", **body}
        for check in self.liveness:
            if (stuck := check()) is not None:
                return 503, {"status": "stuck", **body, **stuck}
        return 200, {"status": "alive", **body}

    def ready(self) -> tuple[int, dict[str, Any]]:
        for check in self.checks:
            try:
                reason = check()
            except Exception as error:
                reason = f"{type(error).__name__}: {error}"
            if reason is not None:
                return 503, {"status": "not ready", "worker": self.worker, "reason": reason}
        return 200, {"status": "ready", "worker": self.worker}

    def serve(self) -> int | None:
        """Serve the endpoints in a daemon thread when a port is configured; the port."""
        if self.ops.metrics_port <= 0:
            return None
        self.server = ThreadingHTTPServer((self.ops.metrics_host, self.ops.metrics_port), _handler(self))
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, name="metrics", daemon=True).start()
        log.info(
            "metrics served",
            extra={
                "worker": self.worker,
                "host": self.ops.metrics_host,
                "port": self.server.server_address[1],
            },
        )
        return int(self.server.server_address[1])

    def close(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
        for close in self.closers:
            close()


def _handler(observer: Observer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            path = self.path.split("?", 1)[0]
            if path == "/metrics":
                return self._send(200, generate_latest(observer.registry), CONTENT_TYPE_LATEST)
            answers = {"/health": observer.health, "/ready": observer.ready}
            if path not in answers:
                return self._send(404, b'{"status":"not found"}', "application/json")
            status, body = answers[path]()
            return self._send(status, msgspec.json.encode(body), "application/json")

        def _send(self, status: int, body: bytes, kind: str) -> None:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            log.debug("metrics request: " + format, *args)

    return Handler


def database_check(datastore: Any) -> Check:
    def check() -> str | None:
        with datastore.transaction(commit=False) as cur:
            cur.execute("SELECT 1")
        return None

    return check


def broker_check(bootstrap: str, timeout: float = 2.0) -> Check:
    """Whether any of the bootstrap servers accepts a connection."""

    def check() -> str | None:
        for server in bootstrap.split(","):
            host, _, port = server.strip().rpartition(":")
            try:
                socket.create_connection((host or "127.0.0.1", int(port)), timeout=timeout).close()
                return None
            except OSError:
                continue
        return f"broker unreachable at {bootstrap}"

    return check
