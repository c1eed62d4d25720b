"""The linkage worker's observer: its faust group's consumer lag, its heartbeat, readiness.

Faust commits its offsets to Kafka under the app id, so the lag of each partition the group
reads is the broker's end offset minus the group's committed offset, asked of the broker at
each scrape (from the server's thread, with clients of its own). The heartbeat is a faust
timer, so /health says whether the worker's event loop still turns; the same timer notes
whether partitions are assigned, which /ready reports.
"""

from __future__ import annotations

import threading
from typing import Any

from kafka import KafkaAdminClient, KafkaConsumer, TopicPartition
from prometheus_client.core import GaugeMetricFamily

from infra.observability import Observer, broker_check
from infra.settings import Settings

SOURCE_FAMILIES = ["powers", "duties", "linkage"]  # the event topics the linkage reads


class GroupLag:
    """Per partition of `topics` (and any other the group committed): end − committed."""

    def __init__(self, bootstrap: str, group: str, topics: list[str]) -> None:
        self.bootstrap, self.group, self.topics = bootstrap, group, topics
        self._lock = threading.Lock()
        self._admin: KafkaAdminClient | None = None
        self._reader: KafkaConsumer | None = None

    def lag(self) -> dict[TopicPartition, int]:
        with self._lock:
            if self._admin is None or self._reader is None:
                self._admin = KafkaAdminClient(bootstrap_servers=self.bootstrap,
                                               client_id="govledger-linkage-lag")
                self._reader = KafkaConsumer(bootstrap_servers=self.bootstrap,
                                             client_id="govledger-linkage-lag", enable_auto_commit=False)
            offsets = self._admin.list_group_offsets({self.group: None}).get(self.group, {})
            committed = {tp: max(meta.offset, 0) for tp, meta in offsets.items()}
            partitions = set(committed)
            for topic in self.topics:
                partitions |= {TopicPartition(topic, p)
                               for p in self._reader.partitions_for_topic(topic) or ()}
            ends = self._reader.end_offsets(sorted(partitions)) if partitions else {}
        return {tp: max(ends.get(tp, 0) - committed.get(tp, 0), 0) for tp in sorted(partitions)}

    def close(self) -> None:
        with self._lock:
            for client in (self._admin, self._reader):
                if client is not None:
                    client.close()
            self._admin = self._reader = None

    def collect(self) -> Any:
        family = GaugeMetricFamily("govledger_linkage_consumer_lag",
                                   "Records the linkage processors' group has not committed yet",
                                   labels=["topic", "partition"])
        for tp, behind in self.lag().items():
            family.add_metric([tp.topic, str(tp.partition)], behind)
        yield family


def observe_linkage(linkage: Any, bootstrap: str, settings: Settings) -> Observer:
    """Serve the linkage worker's endpoints; call before the faust worker starts."""
    observer = Observer("linkage", settings.ops)
    topics = [*settings.topics.event_topics(SOURCE_FAMILIES).values(), settings.topics.ticks]
    lag = GroupLag(bootstrap, settings.linkage.app_id, topics)
    observer.registry.register(lag)
    observer.closers.append(lag.close)
    assigned = {"partitions": 0}

    @linkage.app.timer(interval=1.0, name="govledger-heartbeat")
    async def heartbeat() -> None:
        observer.heartbeat.beat()
        assigned["partitions"] = len(linkage.app.consumer.assignment())

    observer.checks += [broker_check(bootstrap),
                        lambda: None if assigned["partitions"] else "no partitions assigned yet"]
    observer.serve()
    return observer
