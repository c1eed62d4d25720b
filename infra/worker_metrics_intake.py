"""The intake's metrics: commands by topic and outcome, throughput, batch time, consumer lag.

Outcomes come from what each committed batch recorded (the intake's `committed` progress:
the message ids with their outcome and position, the dead letters), so they count what PostgreSQL
holds, never a batch that was rolled back and retried. Lag is the broker's end offset of
each partition assigned to this worker minus the next offset the intake stored in
PostgreSQL for it (the intake keeps its offsets there, not in Kafka).
"""

from __future__ import annotations

import logging
import threading
import time
from collections import Counter as Tally
from collections import deque
from typing import Any

from kafka import KafkaConsumer, TopicPartition
from prometheus_client import Counter, Gauge, Histogram
from prometheus_client.core import GaugeMetricFamily

from infra.observability import Observer
from infra.recorder import IntakeProgress

log = logging.getLogger(__name__)
RECENT = 10  # batches the throughput gauge looks back over
IDLE_AFTER = 30.0  # seconds without a batch after which the throughput reads 0


def outcomes(records: list[Any], progress: IntakeProgress) -> Tally[tuple[str, str]]:
    """(topic, outcome) → records of a committed batch: applied, refused and dead_lettered as
    recorded; a record without a recorded outcome was a duplicate."""
    counts: Tally[tuple[str, str]] = Tally()
    taken: set[tuple[str, int, int]] = set()
    for _message_id, outcome, topic, partition, offset in progress.messages:
        counts[(topic, outcome.replace("-", "_"))] += 1
        taken.add((topic, partition, offset))
    for topic, partition, offset, *_rest in progress.dead_letters:
        if (topic, partition, offset) not in taken:  # could not be read as a command
            counts[(topic, "dead_lettered")] += 1
            taken.add((topic, partition, offset))
    for record in records:
        if (record.topic, record.partition, record.offset) not in taken:
            counts[(record.topic, "duplicate")] += 1
    return counts


class MeasuredIntake:
    """An `Intake` whose batches are timed and counted; everything else is the intake's own."""

    def __init__(self, intake: Any, observer: Observer) -> None:
        self.intake, registry = intake, observer.registry
        self.commands = Counter("govledger_intake_commands", "Commands taken in, by topic and outcome",
                                ["topic", "outcome"], registry=registry)
        self.events = Counter("govledger_intake_events", "Events the intake stored", registry=registry)
        self.seconds = Histogram("govledger_intake_batch_seconds", "Time to apply and commit one batch",
                                 buckets=(0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30), registry=registry)
        Gauge("govledger_intake_commands_per_second", f"Records per second over the last {RECENT} batches",
              registry=registry).set_function(self.rate)
        self.recent: deque[tuple[float, float, int]] = deque(maxlen=RECENT)  # started, ended, records

    def __getattr__(self, name: str) -> Any:
        return getattr(self.intake, name)

    def process(self, records: list[Any]) -> Any:
        started = time.monotonic()
        first = records[0]
        try:
            stats = self.intake.process(records)
        except Exception:
            log.exception("batch failed", extra={"records": len(records), "topic": first.topic,
                                                 "partition": first.partition, "offset": first.offset})
            raise
        ended = time.monotonic()
        self.seconds.observe(ended - started)
        self.recent.append((started, ended, len(records)))
        self.events.inc(stats.events)
        for (topic, outcome), count in outcomes(records, self.intake.committed).items():
            self.commands.labels(topic, outcome).inc(count)
        log.debug("batch committed", extra={"records": len(records), "seconds": round(ended - started, 3),
                                            **vars(stats)})
        return stats

    def rate(self) -> float:
        recent = list(self.recent)
        if not recent or time.monotonic() - recent[-1][1] > IDLE_AFTER:
            return 0.0
        span = recent[-1][1] - recent[0][0]
        return sum(n for _s, _e, n in recent) / span if span > 0 else 0.0


class IntakeLag:
    """Per assigned partition: broker end offset − offset stored in PostgreSQL, at each scrape."""

    def __init__(self, intake: Any, consumer: KafkaConsumer, bootstrap: str) -> None:
        self.intake, self.consumer, self.bootstrap = intake, consumer, bootstrap
        self._lock, self._ends_reader = threading.Lock(), None

    def assigned(self) -> set[TopicPartition]:
        try:
            return set(self.consumer.assignment())
        except RuntimeError:  # changed by a rebalance while being read
            return set()

    def close(self) -> None:
        with self._lock:
            if self._ends_reader is not None:
                self._ends_reader.close()
                self._ends_reader = None

    def collect(self) -> Any:
        assigned = sorted(self.assigned())
        stored = self.intake.stored_offsets()
        with self._lock:
            if self._ends_reader is None:
                self._ends_reader = KafkaConsumer(bootstrap_servers=self.bootstrap, enable_auto_commit=False,
                                                  client_id="govledger-intake-lag")
            ends = self._ends_reader.end_offsets(assigned) if assigned else {}
        lag = GaugeMetricFamily("govledger_intake_consumer_lag",
                                "Records on the broker the intake has not committed yet",
                                labels=["topic", "partition"])
        for tp in assigned:
            behind = ends.get(tp, 0) - stored.get((tp.topic, tp.partition), 0)
            lag.add_metric([tp.topic, str(tp.partition)], max(behind, 0))
        yield lag
        yield GaugeMetricFamily("govledger_intake_assigned_partitions",
                                "Partitions of the command topics assigned to this worker",
                                value=len(assigned))
