"""The outbound relay: follows the event log and publishes each event to Kafka.

Events go out in log order, keyed by their aggregate so order per aggregate holds on
every partition. The relay's position is stored in PostgreSQL only after the broker
acknowledged the page, so a crash publishes the page again (consumers drop repeats by
`event_id`) and never loses or reorders an event. The producer is idempotent with one
request in flight, so a retried send cannot overtake an earlier one.
"""

from __future__ import annotations

from collections import Counter, OrderedDict
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

import msgspec
from kafka import KafkaProducer

from infra.contexts import family_of_event, published, to_contract
from infra.kafka.clients import client_options
from infra.settings import Settings

_encoder = msgspec.json.Encoder()


def relay_producer(bootstrap: str, settings: Settings) -> KafkaProducer:
    return KafkaProducer(
        bootstrap_servers=bootstrap,
        acks="all",
        enable_idempotence=True,
        max_in_flight_requests_per_connection=1,
        linger_ms=5,
        client_id="govledger-relay",
        **client_options(settings),
    )


@dataclass
class RelayStats:
    published: int = 0
    pages: int = 0
    by_topic: Counter[str] = field(default_factory=Counter)


class Relay:
    def __init__(
        self,
        ledger: Any,
        producer: KafkaProducer,
        topics: dict[str, str],
        name: str = "events",
        page: int = 2000,
        cache_size: int = 100_000,
    ) -> None:
        self.ledger, self.producer, self.topics = ledger, producer, topics
        self.name, self.page, self.cache_size = name, page, cache_size
        self.datastore = ledger.recorder.datastore
        self.stats = RelayStats()
        self._states: OrderedDict[UUID, Any] = OrderedDict()  # aggregate as of its last event
        with self.datastore.transaction(commit=True) as cur:
            cur.execute("INSERT INTO relay_positions VALUES (%s, 0) ON CONFLICT DO NOTHING", (name,))

    def position(self) -> int:
        with self.datastore.transaction(commit=False) as cur:
            cur.execute("SELECT position FROM relay_positions WHERE name = %s", (self.name,))
            return int(cur.fetchone()["position"])

    def run_once(self) -> int:
        """Publish the next page of events; return how many there were. A page that fails
        leaves nothing behind: the states it folded are dropped with the position unmoved,
        so the same relay can try the page again (the worker loop retries it)."""
        try:
            return self._publish_page()
        except Exception:
            self._states.clear()
            raise

    def _publish_page(self) -> int:
        start = self.position()
        notifications = self.ledger.recorder.select_notifications(
            start=start, limit=self.page, inclusive_of_start=False
        )
        if not notifications:
            return 0
        events = [self.ledger.mapper.to_domain_event(n) for n in notifications]
        self._load_missing(events)
        futures, sent = [], Counter[str]()
        for event in events:
            aggregate = event.mutate(self._states.pop(event.originator_id, None))
            self._states[event.originator_id] = aggregate
            if not published(event):
                continue
            contract = to_contract(event, aggregate)
            topic = self.topics[family_of_event(event)]
            futures.append(
                self.producer.send(
                    topic, key=str(event.originator_id).encode(), value=_encoder.encode(contract)
                )
            )
            sent[topic] += 1
        self.producer.flush()
        for future in futures:
            future.get(timeout=60)  # raises if the broker did not take it: position stays
        with self.datastore.transaction(commit=True) as cur:
            cur.execute(
                "UPDATE relay_positions SET position = %s WHERE name = %s AND position = %s",
                (notifications[-1].id, self.name, start),
            )
            if cur.rowcount != 1:
                raise RuntimeError("another relay moved the position meanwhile")
        while len(self._states) > self.cache_size:
            self._states.popitem(last=False)
        self.stats.published += len(futures)
        self.stats.by_topic.update(sent)
        self.stats.pages += 1
        return len(events)

    def _load_missing(self, events: list[Any]) -> None:
        """Fold, from the store, the aggregates whose state before this page is not cached."""
        first: dict[UUID, int] = {}
        for event in events:
            first.setdefault(event.originator_id, event.originator_version)
        missing = {
            i: v for i, v in first.items() if v > 1 and getattr(self._states.get(i), "version", None) != v - 1
        }
        if not missing:
            return
        for aggregate_id in missing:
            self._states.pop(aggregate_id, None)
        for stored in self.ledger.recorder.select_events_of(list(missing)):
            if stored.originator_version < missing[stored.originator_id]:
                event = self.ledger.mapper.to_domain_event(stored)
                self._states[stored.originator_id] = event.mutate(self._states.get(stored.originator_id))

    def catch_up(self) -> int:
        """Publish everything stored up to now; return how many events were read."""
        done = 0
        while read := self.run_once():
            done += read
        return done
