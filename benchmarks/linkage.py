"""Linkage routing: cases/s through the faust worker beside a raw aiokafka baseline.

The events topics are filled first (700 items held by 20 towns, then N case reports, as
the relay would publish them); the worker is started and the clock runs from its first
dispatch to its Nth on the linkage command topic. Baseline, same broker, same run: an
aiokafka loop that consumes the same N reports, decodes each with msgspec and produces one
message per report (consume-and-produce with no framework).

    .venv/bin/python benchmarks/linkage.py [--cases 20000]

Uses GOVLEDGER_KAFKA_BOOTSTRAP if set, else an embedded broker.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import sys
import tempfile
import time
import uuid
from datetime import date, timedelta
from pathlib import Path

import msgspec
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from kafka import KafkaConsumer, KafkaProducer

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks import figures
from consumers.linkage import SOURCE_FAMILIES
from contracts.linkage.events import LinkageEvent
from infra.kafka import clients as kafka
from infra.ops.linkage_process import LinkageProcess
from infra.settings import Linkage, Settings
from tests.integration.intake.published import T0, holding, item, raw, reported
from tests.support import own_topics

ITEMS, TOWNS = 700, 20


def fill(bootstrap: str, topics: dict[str, str], cases: int) -> None:
    producer = KafkaProducer(bootstrap_servers=bootstrap, linger_ms=5, acks="all")
    for i in range(ITEMS):
        code = f"P{i:04d}"
        producer.send(topics["powers"], key=code.encode(), value=raw(item(code, f"D{i % 30:02d}")))
        for t in range(TOWNS):
            if (i + t) % 4:  # three quarters of the pairs delegated
                producer.send(
                    topics["powers"],
                    key=f"{code}/{t}".encode(),
                    value=raw(holding(code, f"T{t:02d}", date(2021, 7, 1))),
                )
    for n in range(cases):
        subject = {"item": f"P{n % ITEMS:04d}"} if n % 3 else {"category": "litter"}
        event = reported(f"C{n:06d}", f"T{n % TOWNS:02d}", T0 + timedelta(seconds=n), **subject)
        producer.send(topics["linkage"], key=f"C{n:06d}".encode(), value=raw(event))
    producer.flush()


def routed(bootstrap: str, topic: str, cases: int, timeout: float) -> tuple[float, int, list[float]]:
    """Seconds from the first dispatch on `topic` to the `cases`-th, by the moments the
    worker sent them (the records' timestamps: the reader joins its group late, and would
    otherwise count a backlog read at once as if it had been routed at once); how many
    came; and the rate of each quarter of them."""
    consumer = KafkaConsumer(
        topic,
        bootstrap_servers=bootstrap,
        auto_offset_reset="earliest",
        consumer_timeout_ms=int(timeout * 1000),
        group_id=f"bench-{uuid.uuid4()}",
    )
    sent: dict[bytes, float] = {}
    for record in consumer:
        sent.setdefault(record.key, record.timestamp / 1000)
        if len(sent) >= cases:
            break
    consumer.close()
    moments = sorted(sent.values())
    if len(moments) < 8:
        return float("nan"), len(moments), []
    quarters = [moments[i * len(moments) // 4 : (i + 1) * len(moments) // 4 + 1] for i in range(4)]
    rates = [(len(q) - 1) / max(q[-1] - q[0], 1e-3) for q in quarters]
    return moments[-1] - moments[0], len(moments), rates


async def baseline(bootstrap: str, source: str, cases: int) -> float:
    decoder = msgspec.json.Decoder(LinkageEvent)
    out = f"bench-baseline-{uuid.uuid4().hex[:8]}"
    consumer = AIOKafkaConsumer(
        source, bootstrap_servers=bootstrap, auto_offset_reset="earliest", group_id=f"bench-{uuid.uuid4()}"
    )
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, linger_ms=5)
    await consumer.start()
    await producer.start()
    done, started = 0, None
    try:
        while done < cases:
            batches = await consumer.getmany(timeout_ms=1000, max_records=2000)
            for records in batches.values():
                started = started or time.perf_counter()
                for r in records:
                    event = decoder.decode(r.value)
                    await producer.send(out, key=r.key, value=msgspec.json.encode(event.payload))
                    done += 1
        await producer.flush()
        return time.perf_counter() - started
    finally:
        await consumer.stop()
        await producer.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=20_000)
    parser.add_argument("--timeout", type=float, default=600)
    args = parser.parse_args()
    tag = uuid.uuid4().hex[:8]
    settings = Settings(
        topics=own_topics(f"bench.{tag}"),
        linkage=Linkage(app_id=f"bench-linkage-{tag}", clock="ticks"),
    )
    with figures.broker() as bootstrap, tempfile.TemporaryDirectory() as tmp:
        topics = settings.topics.event_topics(list(SOURCE_FAMILIES))
        kafka.ensure_topics(
            bootstrap, settings, extra=[*topics.values(), settings.topics.ticks, settings.topics.metrics]
        )
        fill(bootstrap, topics, args.cases)
        print(f"filled: {ITEMS} items, {ITEMS * TOWNS * 3 // 4} holdings, {args.cases} reports")
        seconds = asyncio.run(baseline(bootstrap, topics["linkage"], args.cases))
        base = args.cases / seconds
        print(f"baseline aiokafka consume+decode+produce: {base:,.0f} records/s")
        with LinkageProcess(dataclasses.replace(settings), bootstrap, Path(tmp) / "linkage.log"):
            seconds, count, quarters = routed(bootstrap, settings.topics.linkage, args.cases, args.timeout)
        rate = count / seconds
        print(
            f"faust routing (report -> repartition -> route -> dispatch): {count} cases in "
            f"{seconds:.1f} s = {rate:,.0f} cases/s; ratio to baseline {rate / base:.3f};"
            f" by quarter {', '.join(f'{q:,.0f}' for q in quarters)} cases/s"
        )


if __name__ == "__main__":
    main()
