"""Probes of the latency benchmark: a power item's registration, sent to the command topic,
and when it arrives on each of PATHS — at plain kafka-python consumers of the topic, in the
event log and in a read model (PostgreSQL LISTEN/NOTIFY). Each watcher is a thread that
stamps arrivals with perf_counter.

The read-model watcher puts triggers in the benchmark's own database: a `power_items` row
whose code starts with the probe prefix sends a notification, and so does a stored
`PowerItem.Registered` event (its aggregate id, prefixed "stored:"); PostgreSQL delivers
notifications when the inserting transaction commits — the moment a reader can see the row,
and the moment the intake's batch holding the command committed.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

import msgspec
import psycopg
from kafka import KafkaConsumer, KafkaProducer, TopicPartition

from aggregates.powers.item import PowerItem
from tests.support import register

PREFIX = "PROBE"
PATHS = {
    "ledger": "publish -> power_items row visible",
    "stored": "  of it: publish -> event stored",
    "kafka": "baseline: publish -> plain consumer",
    "kafka_500": "  the same, fetch max wait 500 ms",
}
# The plain consumers' settings. The broker here (tansu) answers a fetch that found nothing only
# after part of its max wait (~150 ms of kafka-python's default 500), not as soon as a record
# comes, so the baseline asks with 10 ms (the transport's own cost, as Kafka's long poll gives
# it); the second consumer keeps the intake's default to show what that wait costs.
CONSUMERS: dict[str, dict[str, Any]] = {"kafka": {"fetch_max_wait_ms": 10}, "kafka_500": {}}
CHANNEL = "bench_probe_seen"
TRIGGERS = f"""
CREATE OR REPLACE FUNCTION {CHANNEL}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN PERFORM pg_notify('{CHANNEL}', NEW.code); RETURN NEW; END $$;
CREATE OR REPLACE TRIGGER {CHANNEL} AFTER INSERT ON power_items FOR EACH ROW
WHEN (NEW.code LIKE '{PREFIX}%') EXECUTE FUNCTION {CHANNEL}();
CREATE OR REPLACE FUNCTION {CHANNEL}_stored() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN PERFORM pg_notify('{CHANNEL}', 'stored:' || NEW.originator_id); RETURN NEW; END $$;
CREATE OR REPLACE TRIGGER {CHANNEL}_stored AFTER INSERT ON {{events}} FOR EACH ROW
WHEN (NEW.topic LIKE '%PowerItem.Registered') EXECUTE FUNCTION {CHANNEL}_stored();
"""


class Arrivals:
    """Arrival times by probe code, shared between the watchers and the prober."""

    def __init__(self) -> None:
        self.at: dict[str, float] = {}
        self.changed = threading.Condition()

    def mark(self, code: str) -> None:
        now = time.perf_counter()
        with self.changed:
            self.at.setdefault(code, now)
            self.changed.notify_all()

    def wait(self, code: str, timeout: float) -> bool:
        with self.changed:
            return self.changed.wait_for(lambda: code in self.at, timeout)


def stored(code: str) -> str:
    """The arrival key of a probe's event in the log (the power item's aggregate id)."""
    return f"stored:{PowerItem.create_id(code)}"


def watch_read_model(
    url: str, events_table: str, arrivals: Arrivals, stop: threading.Event
) -> threading.Thread:
    """Install the triggers, listen, and mark each probe's event and row as they commit."""
    conn = psycopg.connect(url, autocommit=True)
    conn.execute(TRIGGERS.format(events=events_table))
    conn.execute(f"LISTEN {CHANNEL}")

    def run() -> None:
        with conn:
            while not stop.is_set():
                for note in conn.notifies(timeout=0.2):
                    arrivals.mark(note.payload)

    thread = threading.Thread(target=run, name="read-model-watcher", daemon=True)
    thread.start()
    return thread


def consumed(code: str, label: str) -> str:
    """The arrival key of a probe at the plain consumer called `label`."""
    return f"{label}:{code}"


def watch_topic(
    bootstrap: str, topic: str, arrivals: Arrivals, stop: threading.Event, label: str, **config: object
) -> threading.Thread:
    """Consume `topic` from its end (every partition, no group; kafka-python's defaults, as the
    intake has them, unless `config` says otherwise) and mark each probe as it arrives."""
    consumer = KafkaConsumer(
        bootstrap_servers=bootstrap, enable_auto_commit=False, client_id=f"bench-{label}", **config
    )
    deadline, partitions = time.monotonic() + 30, None
    while not partitions and time.monotonic() < deadline:
        partitions = consumer.partitions_for_topic(topic) or time.sleep(0.2)
    if not partitions:
        raise RuntimeError(f"topic {topic} has no partitions")
    consumer.assign([TopicPartition(topic, p) for p in partitions])
    consumer.seek_to_end()
    for tp in consumer.assignment():
        consumer.position(tp)  # resolve the end now, so no probe sent from here on is skipped
    prefix = PREFIX.encode()

    def run() -> None:
        try:
            while not stop.is_set():
                for records in consumer.poll(timeout_ms=200).values():
                    for record in records:
                        if record.key and record.key.startswith(prefix):
                            arrivals.mark(consumed(record.key.decode(), label))
        finally:
            consumer.close()

    thread = threading.Thread(target=run, name=f"topic-watcher-{label}", daemon=True)
    thread.start()
    return thread


def _key(path: str, code: str) -> str:
    """Where a probe's arrival on `path` is marked."""
    return code if path == "ledger" else stored(code) if path == "stored" else consumed(code, path)


def send(producer: KafkaProducer, topic: str, code: str) -> float:
    """Publish a probe (a power item's registration, keyed by its code); when it was sent."""
    value = msgspec.json.encode(register(code))
    sent = time.perf_counter()
    producer.send(topic, key=code.encode(), value=value)
    return sent


def probe_all(
    producer: KafkaProducer,
    topic: str,
    arrivals: Arrivals,
    tag: str,
    count: int,
    interval: float,
    linger: float,
) -> dict[str, list[float | None]]:
    """`count` probes, `interval` apart: the milliseconds each took on each of PATHS (None: not
    within `linger` seconds of the last one)."""
    sent: dict[str, float] = {}
    start = time.perf_counter()
    for n in range(count):
        time.sleep(max(0.0, start + n * interval - time.perf_counter()))
        code = f"{PREFIX}-{tag}-{n:05d}"
        sent[code] = send(producer, topic, code)
    deadline = time.perf_counter() + linger
    for code in sent:
        for path in PATHS:
            arrivals.wait(_key(path, code), max(0.0, deadline - time.perf_counter()))
    at = dict(arrivals.at)
    took = lambda key, t: (at[key] - t) * 1000 if key in at else None
    return {path: [took(_key(path, c), t) for c, t in sent.items()] for path in PATHS}


def warm_up(
    producer: KafkaProducer, topic: str, arrivals: Arrivals, tag: str, workers: dict[str, Any], where: Path
) -> None:
    """One probe through first: the intake's group join and the first commits."""
    code = f"{PREFIX}-{tag}-warm"
    send(producer, topic, code)
    deadline = time.monotonic() + 120
    while not all(arrivals.wait(_key(path, code), 0.5) for path in PATHS):
        dead = [kind for kind, w in workers.items() if w.poll() is not None]
        if dead or time.monotonic() > deadline:
            logs = "".join((where / f"{kind}.log").read_text()[-1500:] for kind in workers)
            raise RuntimeError(f"the warm-up probe did not come through (workers exited: {dead})\n{logs}")
