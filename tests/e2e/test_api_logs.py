"""`govledger api` as deployed (uvicorn, our logging): one JSON object a line, a line a
request naming the token (never the token itself), refusals at INFO even with the access
log off, and a 500's reference, path, token name and traceback in one line."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import psycopg

from infra.api.access import TokenStore
from infra.bootstrap import build_ledger
from tests.support import free_ports

ROOT = Path(__file__).resolve().parents[2]


def get(port: int, path: str, token: str | None = None) -> tuple[int, Any]:
    """The status and the JSON answer (the text, where the server itself answered, not JSON)."""
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}", headers={"Authorization": f"Bearer {token}"} if token else {}
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            status, body = answer.status, answer.read()
    except urllib.error.HTTPError as e:
        status, body = e.code, e.read()
    try:
        return status, json.loads(body)
    except ValueError:
        return status, body.decode()


@contextmanager
def api(database_url: str, log: Path, **env: str) -> Iterator[int]:
    """`govledger api` on a free port, its stderr in `log`, until it has stopped."""
    port = free_ports()
    variables = {
        **os.environ,
        "GOVLEDGER_DATABASE_URL": database_url,
        "GOVLEDGER_API_PORT": str(port),
        "GOVLEDGER_LOG_FORMAT": "json",
        **env,
    }
    with open(log, "wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "infra.cli.main", "api"], cwd=ROOT, env=variables, stderr=out
        )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if get(port, "/health")[0] == 200:
                    break
            except OSError:
                pass
            assert process.poll() is None and time.monotonic() < deadline, log.read_text()[-2000:]
            time.sleep(0.2)
        yield port
    finally:
        process.terminate()
        process.wait(30)


def lines(log: Path) -> list[dict[str, Any]]:
    text = log.read_text().strip()
    return [json.loads(line) for line in text.splitlines()]  # every line one JSON object


def test_requests_refusals_and_a_500_each_leave_one_json_line(database_url: str, tmp_path: Path) -> None:
    ledger = build_ledger(database_url)  # its datastore lives with it
    store = TokenStore(ledger.recorder.datastore)
    reader, operator = store.issue("wall-screen", "reader"), store.issue("ops-desk", "operator")
    log = tmp_path / "api.log"
    with api(database_url, log) as port:
        assert get(port, "/api/v1/dashboard?on=2021-12-01", reader)[0] == 200
        assert get(port, "/api/v1/dashboard", None)[0] == 401
        assert get(port, "/api/v1/dashboard", operator)[0] == 403
        with psycopg.connect(database_url, autocommit=True) as conn:
            conn.execute("DROP TABLE linkage_metrics")  # a fault of ours, not of the request
        status, problem = get(port, "/api/v1/linkage/metrics?period=2021&secret=x", reader)
        assert status == 500
    found = lines(log)

    requests = [
        line for line in found if line["logger"] == "infra.api.requests" and line["path"] != "/health"
    ]
    assert [(r["method"], r["path"], r["status"], r["token"]) for r in requests] == [
        ("GET", "/api/v1/dashboard", 200, "wall-screen"),
        ("GET", "/api/v1/dashboard", 401, None),
        ("GET", "/api/v1/dashboard", 403, "ops-desk"),
        ("GET", "/api/v1/linkage/metrics", 500, "wall-screen"),
    ]
    assert all(r["level"] == "INFO" and r["duration_ms"] >= 0 for r in requests)
    assert not any(reader in line or operator in line for line in log.read_text().splitlines())
    [error] = [line for line in found if line["level"] == "ERROR"]
    reference = problem["detail"].removeprefix("reference ")
    assert (error["reference"], error["path"], error["token"]) == (
        reference,
        "/api/v1/linkage/metrics",
        "wall-screen",
    )
    assert "Traceback" in error["error"] and "linkage_metrics" in error["error"]


def test_with_the_access_log_off_only_refusals_are_logged(database_url: str, tmp_path: Path) -> None:
    ledger = build_ledger(database_url)  # its datastore lives with it
    store = TokenStore(ledger.recorder.datastore)
    reader = store.issue("wall-screen", "reader")
    log = tmp_path / "api.log"
    with api(database_url, log, GOVLEDGER_API_ACCESS_LOG="false") as port:
        assert get(port, "/api/v1/dashboard?on=2021-12-01", reader)[0] == 200
        assert get(port, "/api/v1/dashboard", "not-a-token")[0] == 401

    requests = [line for line in lines(log) if line["logger"] == "infra.api.requests"]
    assert [(r["status"], r["level"]) for r in requests] == [(401, "INFO")]
