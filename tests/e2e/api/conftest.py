"""The read API over the whole demo: one database for the session, one client per module."""

from __future__ import annotations

import dataclasses
import io
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from litestar.testing import TestClient
from rich.console import Console

from infra.api.access import ROLES, TokenStore
from infra.api.app import create_app
from infra.bootstrap import build_ledger
from infra.demo import run as demo
from infra.settings import Linkage, Settings
from tests.conftest import fresh_database
from tests.support import isolated_settings


@pytest.fixture(scope="session")
def demo_settings(pg_server_url: str, broker: str) -> Iterator[Settings]:
    """Settings of a database holding the whole demo (`govledger demo`, run once)."""
    with fresh_database(pg_server_url) as url:
        settings = dataclasses.replace(
            isolated_settings(),
            database_url=url,
            kafka_bootstrap=broker,
            linkage=Linkage(app_id=f"test-api-{uuid.uuid4().hex[:8]}"),
        )
        assert demo.run(settings, Console(file=io.StringIO(), width=200)) == 0
        yield settings


@pytest.fixture(scope="module")
def api(demo_settings: Settings) -> Iterator[tuple[TestClient[Any], dict[str, str]]]:
    """A client of the API on the demo, and a token for each role."""
    ledger = build_ledger(demo_settings.database_url)
    store = TokenStore(ledger.recorder.datastore)
    tokens = {role: store.issue(f"test-{role}-{uuid.uuid4().hex[:6]}", role) for role in ROLES}
    with TestClient(app=create_app(ledger, demo_settings)) as client:
        yield client, tokens


def auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}
