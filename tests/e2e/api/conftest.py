"""The read API over the whole demo: one database for the session, one client per module."""

from __future__ import annotations

import dataclasses
import io
import logging
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from litestar.testing import TestClient
from rich.console import Console

from infra.api.access import ROLES, TokenStore
from infra.api.app import create_app
from infra.bootstrap import build_ledger
from infra.demo import run as demo
from infra.ops import logs
from infra.settings import Linkage, Settings
from tests.conftest import fresh_database
from tests.support import isolated_settings


@dataclasses.dataclass(frozen=True)
class DemoRun:
    """The demo run once for the session: its settings, what it printed and what it logged."""

    settings: Settings
    printed: str
    logged: list[str]


class _Kept(logging.Handler):
    """Keeps each log line as a worker writes it (JSON)."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.setFormatter(logs.JsonLines())
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


@contextmanager
def every_log_line() -> Iterator[list[str]]:
    """Every line our packages log meanwhile (DEBUG included) and libraries' warnings."""
    kept, ours = _Kept(), [logging.getLogger(name) for name in logs.OURS]
    levels = [logger.level for logger in ours]
    logging.getLogger().addHandler(kept)
    for logger in ours:
        logger.setLevel(logging.DEBUG)
    try:
        yield kept.lines
    finally:
        logging.getLogger().removeHandler(kept)
        for logger, level in zip(ours, levels):
            logger.setLevel(level)


@pytest.fixture(scope="session")
def demo_run(pg_server_url: str, broker: str) -> Iterator[DemoRun]:
    """A database holding the whole demo (`govledger demo`, run once)."""
    with fresh_database(pg_server_url) as url:
        settings = dataclasses.replace(
            isolated_settings(),
            database_url=url,
            kafka_bootstrap=broker,
            linkage=Linkage(app_id=f"test-api-{uuid.uuid4().hex[:8]}"),
        )
        printed = io.StringIO()
        with every_log_line() as logged:
            assert demo.run(settings, Console(file=printed, width=200)) == 0
        yield DemoRun(settings, printed.getvalue(), logged)


@pytest.fixture(scope="session")
def demo_settings(demo_run: DemoRun) -> Settings:
    """Settings of a database holding the whole demo."""
    return demo_run.settings


@pytest.fixture
def logged() -> Iterator[list[str]]:
    """Every line logged during the test, as `every_log_line` keeps them."""
    with every_log_line() as lines:
        yield lines


@pytest.fixture(scope="module")
def api(demo_settings: Settings) -> Iterator[tuple[TestClient[Any], dict[str, str]]]:
    """A client of the API on the demo, and a token for each role."""
    with build_ledger(demo_settings.database_url) as ledger:  # its pool closed with the module
        store = TokenStore(ledger.recorder.datastore)
        tokens = {role: store.issue(f"test-{role}-{uuid.uuid4().hex[:6]}", role) for role in ROLES}
        with TestClient(app=create_app(ledger, demo_settings)) as client:
            yield client, tokens


def auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}
