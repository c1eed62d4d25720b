"""Integration tests for the embedded services and the test fixtures built on them."""

from __future__ import annotations

import uuid
from pathlib import Path

import psycopg
import pytest
from kafka import KafkaConsumer, KafkaProducer
from kafka.admin import KafkaAdminClient, NewTopic
from psycopg.conninfo import conninfo_to_dict

from infra.ops.embedded import ensure_database, stop_database
from infra.settings import Settings
from tests.conftest import fresh_database


def test_broker_round_trip(broker: str) -> None:
    topic = f"test-roundtrip-{uuid.uuid4().hex[:8]}"
    admin = KafkaAdminClient(bootstrap_servers=broker)
    try:
        admin.create_topics([NewTopic(topic, num_partitions=1, replication_factor=1)])
    finally:
        admin.close()

    producer = KafkaProducer(bootstrap_servers=broker)
    producer.send(topic, key=b"k", value=b"hello").get(timeout=10)
    producer.close()

    consumer = KafkaConsumer(
        topic,
        bootstrap_servers=broker,
        group_id=None,
        auto_offset_reset="earliest",
        consumer_timeout_ms=10_000,
    )
    try:
        first = next(iter(consumer), None)  # None if nothing arrives within the timeout
    finally:
        consumer.close()
    assert first is not None
    assert (first.key, first.value) == (b"k", b"hello")


def test_database_url_is_fresh_and_dropped(database_url: str, pg_server_url: str) -> None:
    with psycopg.connect(database_url, autocommit=True) as conn:
        (current,) = conn.execute("SELECT current_database()").fetchone()
        assert current.startswith("govledger_test_")
        conn.execute("CREATE TABLE ledger (id int PRIMARY KEY)")
        conn.execute("INSERT INTO ledger VALUES (1)")
        assert conn.execute("SELECT count(*) FROM ledger").fetchone() == (1,)

    # The fixture is a thin wrapper around fresh_database; check the teardown through it.
    with fresh_database(pg_server_url) as url:
        name = conninfo_to_dict(url)["dbname"]
        with psycopg.connect(url) as conn:
            assert conn.execute("SELECT current_database()").fetchone() == (name,)
    with psycopg.connect(pg_server_url) as conn:
        row = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
    assert row is None


@pytest.mark.postgres
@pytest.mark.timeout(120)
def test_ensure_database_starts_embedded_postgres(tmp_path: Path) -> None:
    settings = Settings(database_url="", state_dir=str(tmp_path / "state"))
    try:
        url = ensure_database(settings)
        assert ensure_database(settings) == url
        with psycopg.connect(url) as conn:
            assert conn.execute("SELECT 1").fetchone() == (1,)
    finally:
        stop_database(settings)
    assert (tmp_path / "state" / "pgdata" / "PG_VERSION").exists()
