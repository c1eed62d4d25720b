"""`govledger api` against slow and many clients: a connection dribbling its request's head
is closed at the header deadline while others are served; beyond the bound on connections
served at once, a request is answered 503 rather than queued for ever."""

from __future__ import annotations

import socket
import time
from pathlib import Path

from tests.e2e.test_api_logs import api, get


def dribbling(port: int) -> socket.socket:
    conn = socket.create_connection(("127.0.0.1", port), timeout=10)
    conn.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\n")
    return conn


def closed_within(conn: socket.socket, seconds: float) -> bool:
    """Whether the server closes `conn` within `seconds`, while a header line goes every 0.3 s."""
    deadline = time.monotonic() + seconds
    conn.settimeout(0.3)
    while time.monotonic() < deadline:
        try:
            conn.sendall(b"X-Slow: 1\r\n")
            if conn.recv(1024) == b"":
                return True
        except TimeoutError:
            continue
        except OSError:  # reset or broken pipe: closed
            return True
    return False


def test_clients_dribbling_their_headers_are_dropped_at_the_deadline(
    database_url: str, tmp_path: Path
) -> None:
    with api(database_url, tmp_path / "api.log", GOVLEDGER_API_HEADER_TIMEOUT="1.5") as port:
        slow = [dribbling(port) for _ in range(40)]
        assert get(port, "/health")[0] == 200  # served meanwhile
        started = time.monotonic()
        assert all(closed_within(conn, 6) for conn in slow)
        assert time.monotonic() - started < 8
        assert get(port, "/health")[0] == 200
        for conn in slow:
            conn.close()


def test_beyond_the_bound_on_connections_a_request_is_answered_503(database_url: str, tmp_path: Path) -> None:
    env = {"GOVLEDGER_API_MAX_CONNECTIONS": "4", "GOVLEDGER_API_HEADER_TIMEOUT": "30"}
    with api(database_url, tmp_path / "api.log", **env) as port:
        held = [dribbling(port) for _ in range(4)]
        time.sleep(0.3)
        assert get(port, "/health")[0] == 503
        for conn in held:
            conn.close()
        time.sleep(0.3)
        assert get(port, "/health")[0] == 200
