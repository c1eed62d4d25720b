"""The HTTP server `govledger api` runs: uvicorn, in one process or several, bounded against
slow and many clients.

uvicorn closes a kept-alive connection that stays idle, but sets no deadline for reading a
request's head: a client that sends a header line every few seconds holds its connection
(and a slot of the process) for as long as it likes. `BoundedHttp` adds that deadline, and
uvicorn's own `limit_concurrency` bounds the connections served at once (beyond it, 503).

The protocol is uvicorn's httptools one (llhttp, in C) on uvloop: under a burst the
process spends its one core on parsing and the event loop, and these halve that cost
against the pure-Python h11 parser and asyncio's own loop (README, "API speed").

With `workers` above one, uvicorn starts that many processes on the one port, each making
the application from the environment (`infra.api.app:from_environment`, the settings as
`Settings.to_env` writes them); each keeps its own caches and personal-read limits.
"""

from __future__ import annotations

import asyncio
import os
import signal
from typing import Any

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from infra.settings import Settings


class BoundedHttp(HttpToolsProtocol):
    """uvicorn's HTTP/1.1 protocol with a deadline for each request's head: a connection
    that has not sent a whole request line and headers within `header_timeout` seconds of
    connecting, or of its last answer, is closed."""

    header_timeout = Settings.from_env().api.header_timeout  # a worker process reads it so too
    _head_deadline: asyncio.TimerHandle | None = None

    # uvicorn's own override narrows the transport the same way (and ignores it likewise)
    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm()

    def on_headers_complete(self) -> None:
        super().on_headers_complete()
        if self._in_flight():
            self._disarm()  # the head has come; the answer is the application's business

    def on_response_complete(self) -> None:
        super().on_response_complete()
        self._arm()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def _in_flight(self) -> bool:
        return self.cycle is not None and not self.cycle.response_complete

    def _arm(self) -> None:
        self._disarm()
        if not self._in_flight():
            self._head_deadline = self.loop.call_later(self.header_timeout, self._head_late)

    def _disarm(self) -> None:
        if self._head_deadline is not None:
            self._head_deadline.cancel()
            self._head_deadline = None

    def _head_late(self) -> None:
        self._head_deadline = None
        if not self._in_flight() and not self.transport.is_closing():
            self.transport.close()


def serve(app: Any, settings: Settings, host: str, port: int) -> None:
    """Serve `app` until SIGINT or SIGTERM (then exit normally, not killed); with several
    workers, each process makes its own from the environment."""
    import uvicorn

    for signum in (signal.SIGINT, signal.SIGTERM):  # uvicorn hands the signal back once it has
        signal.signal(signum, lambda _n, _f: None)  # shut down; then we exit 0, not killed
    common: dict[str, Any] = {
        "host": host,
        "port": port,
        "limit_concurrency": settings.api.max_connections,
        "log_level": "warning",
        "access_log": False,  # ours, in the app: JSON, with the token's name (infra/api/app.py)
        "log_config": None,  # the process's logging (infra/ops/logs.py) stays as configured
        "loop": "uvloop",
    }
    if settings.api.workers > 1:
        os.environ.update(settings.to_env())  # what each worker makes its application from
        uvicorn.run(
            "infra.api.app:from_environment",
            factory=True,
            workers=settings.api.workers,
            http="infra.api.server:BoundedHttp",
            **common,
        )
        return
    protocol = type("Http", (BoundedHttp,), {"header_timeout": settings.api.header_timeout})
    uvicorn.run(app, http=protocol, **common)
