"""Services drill (b) may restart: a PostgreSQL of its own (pgserver's binaries, in a fresh
data directory, never the machine's shared server) and a broker on a fixed port and
cluster id, so that clients find "the same" broker again after a restart."""

from __future__ import annotations

import os
import socket
import subprocess
import time
import uuid
import warnings
from pathlib import Path

with warnings.catch_warnings():  # platformdirs warns when XDG_RUNTIME_DIR is unset
    warnings.simplefilter("ignore")
    import pgserver
    from pgserver import _commands

from infra.ops.embedded import broker_command, free_port


class OwnPostgres:
    """A PostgreSQL in `root` (unix socket there); `restart` stops it abruptly (like a crash:
    recovery from the WAL at the next start), keeps it down `down` seconds, starts it again."""

    def __init__(self, root: Path) -> None:
        self.pgdata = root / "pgdata"
        self.pgdata.mkdir(parents=True, exist_ok=True)
        self.server = pgserver.get_server(self.pgdata, cleanup_mode="stop")
        info = self.server.get_postmaster_info()
        self.url, self.socket_dir = self.server.get_uri(), info.socket_dir
        self.user = "pgserver" if os.geteuid() == 0 else None

    def _ctl(self, *args: str) -> None:
        kwargs = {"user": self.user} if self.user else {}
        _commands.pg_ctl(list(args), pgdata=self.pgdata, timeout=120, **kwargs)

    def restart(self, down: float = 3.0) -> None:
        self._ctl("-m", "immediate", "-w", "stop")
        time.sleep(down)
        self._ctl("-w", "-o", '-h ""', "-o", f"-k {self.socket_dir}", "-l", str(self.pgdata / "log"), "start")

    def stop(self) -> None:
        """Stop it (pgserver's own clean-up knows only the server it started first)."""
        self._ctl("-m", "fast", "-w", "stop")


class FixedBroker:
    """The Kafka-compatible broker on one port and cluster id across restarts. Its storage
    is memory: a restart loses every topic, as a lost broker would."""

    def __init__(self, root: Path) -> None:
        self.port = free_port()
        self.bootstrap, self.log = f"127.0.0.1:{self.port}", root / "broker.log"
        self.cluster = f"drill-{uuid.uuid4().hex}"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                broker_command(self.port, self.cluster), stdout=log, stderr=subprocess.STDOUT
            )
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.5).close()
                return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError(f"the broker did not come up; see {self.log}")

    def stop(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait()
            self.process = None

    def restart(self, down: float = 3.0) -> None:
        self.stop()
        time.sleep(down)
        self.start()
