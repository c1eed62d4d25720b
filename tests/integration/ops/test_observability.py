"""Each worker's metrics, health and readiness; the ledger's positions; the API's ops routes."""

from __future__ import annotations

import dataclasses
import time
from typing import Any

import msgspec
from litestar import Litestar
from litestar.datastructures import State
from litestar.testing import TestClient
from prometheus_client.parser import text_string_to_metric_families

from consumers.intake import IntakeProgress
from infra import bootstrap
from infra.api import ops
from infra.kafka import clients as kafka
from infra.ops.observability import Observer, broker_check
from infra.ops.observers import observe_intake, outcomes
from infra.settings import Ops
from infra.store.positions import ledger_positions
from projections.runner import model_names
from tests.conftest import fresh_database
from tests.support import (
    apply_all,
    declare,
    delegate,
    encoded,
    free_ports,
    http_get,
    isolated_settings,
    register,
)


def samples(text: bytes) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    """(sample name, sorted labels) → value, from a Prometheus text exposition."""
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(text.decode())
        for s in family.samples
    }


def _wait(predicate: Any, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def test_health_turns_503_when_the_loop_stops_beating_and_200_when_it_beats_again() -> None:
    port = free_ports()
    observer = Observer("project", Ops(metrics_port=port), stale_after=0.3)
    assert observer.serve() == port
    try:
        status, body = http_get(port, "/health")
        assert status == 200 and msgspec.json.decode(body)["status"] == "alive"
        _wait(lambda: http_get(port, "/health")[0] == 503)
        assert msgspec.json.decode(http_get(port, "/health")[1])["status"] == "stalled"
        should_stop = observer.beating(lambda: False)
        assert should_stop() is False
        assert http_get(port, "/health")[0] == 200
    finally:
        observer.close()


def test_ready_gives_the_first_failing_check_and_metrics_are_text_exposition() -> None:
    port = free_ports(2)
    closed = port + 1  # nothing listens there
    observer = Observer("relay", Ops(metrics_port=port))
    observer.checks += [lambda: None, broker_check(f"127.0.0.1:{closed}", timeout=0.5)]
    observer.serve()
    try:
        status, body = http_get(port, "/ready")
        assert status == 503
        assert msgspec.json.decode(body)["reason"] == f"broker unreachable at 127.0.0.1:{closed}"
        observer.checks.pop()
        assert http_get(port, "/ready") == (200, b'{"status":"ready","worker":"relay"}')
        found = samples(http_get(port, "/metrics")[1])
        assert found[("govledger_heartbeat_age_seconds", (("worker", "relay"),))] >= 0
        assert ("process_resident_memory_bytes", ()) in found
        assert http_get(port, "/elsewhere")[0] == 404
    finally:
        observer.close()


def test_a_committed_batch_counts_each_record_by_topic_and_recorded_outcome() -> None:
    class Record:
        def __init__(self, topic: str, offset: int) -> None:
            self.topic, self.partition, self.offset = topic, 0, offset

    progress = IntakeProgress("g", "c")
    progress.messages += [
        ("m1", "applied", "p", 0, 0),
        ("m2", "refused", "d", 0, 0),
        ("m3", "dead-lettered", "p", 0, 2),
    ]
    progress.dead_letters += [
        ("d", 0, 0, "m2", "t", "R", "e", b""),
        ("p", 0, 2, "m3", "t", "R", "e", b""),
        ("d", 0, 1, None, None, "MalformedMessage", "e", b""),
    ]
    records = [Record("p", 0), Record("p", 1), Record("p", 2), Record("d", 0), Record("d", 1)]

    assert dict(outcomes(records, progress)) == {
        ("p", "applied"): 1,
        ("p", "duplicate"): 1,
        ("p", "dead_lettered"): 1,
        ("d", "refused"): 1,
        ("d", "dead_lettered"): 1,
    }


def test_positions_and_lags_of_projections_and_relays_come_from_the_database(database_url: str) -> None:
    ledger = bootstrap.build_ledger(database_url)
    apply_all(ledger, [declare(), register("P1"), *delegate("P1", "T1")])
    head = ledger.recorder.max_notification_id()
    runner = bootstrap.build_projections(ledger, isolated_settings())
    runner.page = 2
    runner.run_once()
    position = runner.position()  # past two events the read models handle, and any between
    with ledger.recorder.datastore.transaction(commit=True) as cur:
        cur.execute("INSERT INTO relay_positions VALUES ('events', 1)")

    assert 2 <= position < head
    found = ledger_positions(ledger.recorder.datastore)
    assert found["head"] == head and found["relays"] == {"events": {"position": 1, "lag": head - 1}}
    assert set(found["projections"]) == set(model_names(runner.read_models))  # one position each
    assert found["projections"]["town_power_inventory"] == {
        "position": position,
        "lag": head - position,
        "state": "live",
        "version": 1,
    }


def test_the_api_serves_health_and_readiness_openly_and_positions_and_metrics(database_url: str) -> None:
    ledger = bootstrap.build_ledger(database_url)
    runner = bootstrap.build_projections(ledger, isolated_settings())
    apply_all(ledger, [declare(), register("P1")])
    runner.catch_up()
    app = Litestar(
        route_handlers=ops.ROUTES, state=State({"ledger": ledger, "settings": isolated_settings()})
    )
    with TestClient(app=app) as client:
        assert client.get("/health").json() == {"status": "alive", "worker": "api"}
        assert client.get("/ready").status_code == 200
        head = ledger.recorder.max_notification_id()
        positions = client.get("/api/v1/ops/positions").json()
        assert positions["head"] == head and positions["relays"] == {}
        assert positions["projections"]["town_power_inventory"] == {
            "position": head,
            "lag": 0,
            "state": "live",
            "version": 1,
        }
        found = samples(client.get("/metrics").content)
        assert found[("govledger_event_log_head", ())] == head
        assert found[("govledger_projection_lag", (("name", "town_power_inventory"),))] == 0
        assert found[("govledger_projection_stalled", (("name", "town_power_inventory"),))] == 0
    assert {h.opt.get("roles") for h in (ops.metrics, ops.positions)} == {("operator",)}
    assert not ops.health.opt.get("roles") and not ops.ready.opt.get("roles")


def test_the_intake_counts_commands_by_topic_and_outcome_and_reports_no_lag_once_caught_up(
    database_url: str, broker: str
) -> None:
    port = free_ports()
    settings = dataclasses.replace(isolated_settings(), ops=Ops(metrics_port=port))
    ledger = bootstrap.build_ledger(database_url)
    worker = bootstrap.build_intake_worker(ledger, broker, settings)
    observer = observe_intake(worker, ledger, broker, settings)
    producer = kafka.producer(broker, settings)
    powers = [declare(), register("P1"), *delegate("P1", "T1"), register("P1")]  # the last repeats
    targets = kafka.publish(producer, settings.topics.commands, encoded(powers))
    targets.update(kafka.publish(producer, settings.topics.duties, [(b"k", b"{not json")]))
    done = lambda: all(worker.intake.positions.get(k, 0) >= v for k, v in targets.items())
    deadline = time.monotonic() + 30
    try:
        worker.run(observer.beating(lambda: done() or time.monotonic() > deadline))
        assert done()
        assert http_get(port, "/ready")[0] == 200
        found = samples(http_get(port, "/metrics")[1])
    finally:
        worker.consumer.close()
        worker.after_commit.kafka.close()
        producer.close()
        observer.close()

    def counted(topic: str, outcome: str) -> float:
        return found.get(("govledger_intake_commands_total", (("outcome", outcome), ("topic", topic))), 0)

    assert counted(settings.topics.commands, "applied") == 5
    assert counted(settings.topics.commands, "duplicate") == 1
    assert counted(settings.topics.duties, "dead_lettered") == 1
    assert found[("govledger_intake_events_total", ())] == ledger.recorder.max_notification_id()
    assert found[("govledger_intake_batch_seconds_count", ())] >= 1
    assert found[("govledger_intake_assigned_partitions", ())] == 3 * len(
        kafka.command_topics(settings.topics)
    )
    lags = {labels: v for (name, labels), v in found.items() if name == "govledger_intake_consumer_lag"}
    assert len(lags) == 3 * len(kafka.command_topics(settings.topics)) and set(lags.values()) == {0}
    assert found[("govledger_event_log_head", ())] == ledger.recorder.max_notification_id()


def test_the_api_is_not_ready_when_its_database_is_gone(pg_server_url: str) -> None:
    with fresh_database(pg_server_url) as url:
        ledger = bootstrap.build_ledger(url)
    app = Litestar(
        route_handlers=ops.ROUTES, state=State({"ledger": ledger, "settings": isolated_settings()})
    )
    with TestClient(app=app) as client:
        answer = client.get("/ready")
        assert answer.status_code == 503
        assert answer.json()["reason"].startswith("database unreachable")
        assert client.get("/health").status_code == 200
    ledger.recorder.datastore.close()


def test_in_the_api_only_an_operator_reads_metrics_and_positions(database_url: str) -> None:
    from infra.api.access import OPERATOR, READER, TokenStore
    from infra.api.app import create_app

    ledger = bootstrap.build_ledger(database_url)
    store = TokenStore(ledger.recorder.datastore)
    operator, reader = store.issue("ops-test", OPERATOR), store.issue("reader-test", READER)
    with TestClient(app=create_app(ledger, isolated_settings())) as client:
        for path in ("/metrics", "/api/v1/ops/positions"):
            assert client.get(path).status_code == 401
            assert client.get(path, headers={"Authorization": f"Bearer {reader}"}).status_code == 403
            assert client.get(path, headers={"Authorization": f"Bearer {operator}"}).status_code == 200
        assert client.get("/health").status_code == 200 and client.get("/ready").status_code == 200
