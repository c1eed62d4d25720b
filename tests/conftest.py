"""Fixtures for integration tests: a real Kafka-compatible broker and a real PostgreSQL."""

from __future__ import annotations

import os
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest
from psycopg import sql

from infra.ops.embedded import EmbeddedBroker, ensure_database, stop_database
from infra.settings import Settings

LOCAL_POSTGRES_URL = "postgresql://postgres@127.0.0.1:5432/postgres"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark tests by the real services they use, so they can be selected with ``-m``."""
    for item in items:
        fixtures = getattr(item, "fixturenames", ())
        if "database_url" in fixtures or "pg_server_url" in fixtures:
            item.add_marker(pytest.mark.postgres)
        if "broker" in fixtures:
            item.add_marker(pytest.mark.kafka)


@pytest.fixture(scope="session")
def broker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A fresh in-memory broker for the test session; yields its ``127.0.0.1:PORT``."""
    with EmbeddedBroker(tmp_path_factory.mktemp("broker")) as running:
        yield running.bootstrap


def _with_database(url: str, name: str) -> str:
    """The same server URL, pointing at database ``name``."""
    return urlunsplit(urlsplit(url)._replace(path=f"/{name}"))


def _accepts_connections(url: str) -> bool:
    try:
        with psycopg.connect(url, connect_timeout=2):
            return True
    except psycopg.OperationalError:
        return False


@pytest.fixture(scope="session")
def pg_server_url() -> Iterator[str]:
    """The PostgreSQL server to test against (its maintenance database URL).

    In order of preference: ``GOVLEDGER_TEST_DATABASE_URL``, a local server on port
    5432, or an embedded pgserver in a temporary directory.
    """
    configured = os.environ.get("GOVLEDGER_TEST_DATABASE_URL")
    if configured:
        yield configured
    elif _accepts_connections(LOCAL_POSTGRES_URL):
        yield LOCAL_POSTGRES_URL
    else:
        with tempfile.TemporaryDirectory(prefix="govledger-pg-") as state_dir:
            settings = Settings(state_dir=state_dir)
            try:
                yield ensure_database(settings)
            finally:
                stop_database(settings)


@contextmanager
def fresh_database(server_url: str) -> Iterator[str]:
    """Create an empty database with a unique name on ``server_url``, yield its URL, drop it."""
    name = f"govledger_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield _with_database(server_url, name)
    finally:
        with psycopg.connect(server_url, autocommit=True) as conn:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


@pytest.fixture
def database_url(pg_server_url: str) -> Iterator[str]:
    """A freshly created, empty database for one test; dropped afterwards."""
    with fresh_database(pg_server_url) as url:
        yield url


@pytest.fixture
def cli_database(database_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """The test's database, with the command line pointed at it (GOVLEDGER_DATABASE_URL)."""
    monkeypatch.setenv("GOVLEDGER_DATABASE_URL", database_url)
    return database_url
