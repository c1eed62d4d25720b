"""The outbound relay through a real broker and PostgreSQL: every event, in order, once or more."""

from __future__ import annotations

import uuid
from collections import defaultdict

import msgspec
import pytest
from kafka import KafkaConsumer

from contracts.powers.events import PowerEvent
from infra.bootstrap import build_ledger
from infra.contexts import published
from infra.kafka.relay import Relay, relay_producer
from infra.settings import Settings
from tests.integration.projections.test_town_power_inventory import _scenario

_decoder = msgspec.json.Decoder(PowerEvent)


def _published(broker: str, topic: str) -> list[tuple[bytes, PowerEvent]]:
    consumer = KafkaConsumer(
        topic, bootstrap_servers=broker, auto_offset_reset="earliest", consumer_timeout_ms=4000
    )
    records = [(r.key, _decoder.decode(r.value)) for r in consumer]
    consumer.close()
    return records


def _stored(ledger) -> list[tuple[str, int]]:
    """The published events of the log, in log order (internal bookkeeping stays in)."""
    head = ledger.recorder.max_notification_id()
    events = map(ledger.mapper.to_domain_event, ledger.recorder.select_notifications(start=1, limit=head))
    return [(str(e.originator_id), e.originator_version) for e in events if published(e)]


@pytest.fixture
def topic() -> str:
    return f"test.events.powers.{uuid.uuid4().hex[:8]}"


def test_the_relay_publishes_every_event_keyed_by_its_aggregate_in_order(
    database_url: str, broker: str, topic: str
) -> None:
    ledger = build_ledger(database_url)
    _scenario(ledger)
    relay = Relay(ledger, relay_producer(broker, Settings()), {"powers": topic}, page=4)

    assert relay.catch_up() == ledger.recorder.max_notification_id()

    published = _published(broker, topic)
    pairs = [(e.aggregate_id, e.aggregate_version) for _, e in published]
    assert sorted(pairs) == sorted(_stored(ledger))
    assert _in_order_per_aggregate(pairs)
    assert all(key.decode() == e.aggregate_id for key, e in published)
    assert relay.position() == ledger.recorder.max_notification_id()


class _CrashAfterPublishing(Relay):
    def run_once(self) -> int:
        original = self.datastore.transaction

        def crash(commit: bool = False):
            if commit:
                raise ConnectionError("the relay died before recording its position")
            return original(commit=commit)

        self.datastore.transaction = crash  # type: ignore[method-assign]  # a crash put in the transaction
        try:
            return super().run_once()
        finally:
            self.datastore.transaction = original  # type: ignore[method-assign]  # the transaction put back


def test_a_relay_that_dies_after_publishing_republishes_and_loses_nothing(
    database_url: str, broker: str, topic: str
) -> None:
    ledger = build_ledger(database_url)
    _scenario(ledger)
    Relay(ledger, relay_producer(broker, Settings()), {"powers": topic}, page=5).run_once()
    with pytest.raises(ConnectionError):
        _CrashAfterPublishing(
            ledger, relay_producer(broker, Settings()), {"powers": topic}, page=5
        ).run_once()

    restarted = Relay(
        build_ledger(database_url), relay_producer(broker, Settings()), {"powers": topic}, page=5
    )
    restarted.catch_up()

    published = [(e.aggregate_id, e.aggregate_version) for _, e in _published(broker, topic)]
    assert len(published) > len(_stored(ledger))  # the page in flight went out twice
    unique = list(dict.fromkeys(published))  # what a consumer keeps, dropping repeated event ids
    assert sorted(unique) == sorted(_stored(ledger))
    assert _in_order_per_aggregate(unique)


class _FailsOnce(_CrashAfterPublishing):
    failed = False

    def run_once(self) -> int:
        if self.failed:
            return Relay.run_once(self)
        self.failed = True
        return super().run_once()


def test_the_same_relay_goes_on_after_a_failed_page(database_url: str, broker: str, topic: str) -> None:
    ledger = build_ledger(database_url)
    _scenario(ledger)
    relay = _FailsOnce(ledger, relay_producer(broker, Settings()), {"powers": topic}, page=5)
    with pytest.raises(ConnectionError):
        relay.run_once()

    relay.catch_up()  # the page again, from the stored position, on states folded afresh

    unique = list(dict.fromkeys((e.aggregate_id, e.aggregate_version) for _, e in _published(broker, topic)))
    assert sorted(unique) == sorted(_stored(ledger))
    assert relay.position() == ledger.recorder.max_notification_id()


def _in_order_per_aggregate(pairs: list[tuple[str, int]]) -> bool:
    versions: dict[str, list[int]] = defaultdict(list)
    for aggregate, version in pairs:
        versions[aggregate].append(version)
    return all(v == list(range(v[0], v[0] + len(v))) for v in versions.values())
