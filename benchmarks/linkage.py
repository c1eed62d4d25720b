"""Linkage routing: cases/s through the faust worker at several volumes, each beside two
baselines on the same input.

For each N of `--cases` (5,000, 50,000 and 200,000 by default) fresh topics are filled
(700 items held by 20 towns, then N case reports, as the relay would publish them). Then,
on the same broker, in the same run:
- a raw aiokafka loop that consumes the N reports, decodes each with msgspec and produces
  one message per report (consume-and-produce with no framework): what the broker and the
  client allow;
- a trivial faust agent, one hop, reports in and the same bytes out: what faust allows;
- the linkage worker (`govledger linkage`): the catalogue read in full, each report routed
  where it arrives, its dispatch command produced.
Rates are counted by the moments the outputs were sent (their records' timestamps), from
the first to the Nth; the worker's peak RSS is its kernel high-water mark.

    .venv/bin/python benchmarks/linkage.py [--cases 5000 50000 200000]

Uses GOVLEDGER_KAFKA_BOOTSTRAP if set, else an embedded broker.
"""

from __future__ import annotations

import asyncio
import dataclasses
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import date, timedelta
from pathlib import Path
from typing import Any

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


def trivial(bootstrap: str, source: str, out: str, app_id: str) -> None:
    """The faust baseline's worker (run as a child process): one agent, one hop, each
    report's bytes sent on unchanged."""
    import faust

    app = faust.App(
        app_id,
        broker=f"kafka://{bootstrap}",
        store="memory://",
        topic_replication_factor=1,
        broker_session_timeout=6,
        broker_heartbeat_interval=1,
        consumer_auto_offset_reset="earliest",
        processing_guarantee="at_least_once",
        web_enabled=False,
        autodiscover=False,
    )
    raw_topic = {"key_serializer": "raw", "value_serializer": "raw"}
    outputs = app.topic(out, **raw_topic)

    @app.agent(app.topic(source, **raw_topic))
    async def forward(stream: Any) -> None:
        async for key, value in stream.items():
            outputs.send_soon(key=key, value=value)

    faust.Worker(app, loglevel="WARNING", quiet=True).execute_from_commandline()


def peak_rss_mb(pid: int) -> float:
    """The process's peak resident set so far (VmHWM), in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def scale(bootstrap: str, cases: int, timeout: float, tmp: Path) -> dict[str, Any]:
    """One volume: fill fresh topics, then the three runs on them; their figures."""
    tag = uuid.uuid4().hex[:8]
    settings = Settings(
        topics=own_topics(f"bench.{tag}"),
        linkage=Linkage(app_id=f"bench-linkage-{tag}", clock="ticks"),
    )
    topics = settings.topics.event_topics(list(SOURCE_FAMILIES))
    plain_out = f"bench.{tag}.faust-out"
    kafka.ensure_topics(
        bootstrap,
        settings,
        extra=[*topics.values(), settings.topics.ticks, settings.topics.metrics, plain_out],
    )
    fill(bootstrap, topics, cases)
    print(f"{cases:,} reports: filled ({ITEMS} items, {ITEMS * TOWNS * 3 // 4} holdings first)")
    base = cases / asyncio.run(baseline(bootstrap, topics["linkage"], cases))
    print(f"  raw aiokafka consume+decode+produce: {base:,.0f} records/s")
    child = subprocess.Popen(
        [
            sys.executable,
            __file__,
            "--trivial",
            bootstrap,
            topics["linkage"],
            plain_out,
            f"bench-faust-{tag}",
        ],
        stdout=subprocess.DEVNULL,
        stderr=(tmp / f"faust-{tag}.log").open("wb"),
    )
    try:
        seconds, count, _ = routed(bootstrap, plain_out, cases, timeout)
    finally:
        child.terminate()
        child.wait()
    plain = count / seconds
    print(f"  trivial faust agent, one hop: {plain:,.0f} records/s")
    with LinkageProcess(dataclasses.replace(settings), bootstrap, tmp / f"linkage-{tag}.log") as worker:
        seconds, count, quarters = routed(bootstrap, settings.topics.linkage, cases, timeout)
        rss = peak_rss_mb(worker.process.pid) if worker.process else float("nan")
    rate = count / seconds
    print(
        f"  linkage worker (catalogue read whole; report -> route -> dispatch): {count:,} cases in"
        f" {seconds:.1f} s = {rate:,.0f} cases/s; by quarter {', '.join(f'{q:,.0f}' for q in quarters)};"
        f" ratio to raw {rate / base:.3f}, to trivial faust {rate / plain:.2f}; worker peak RSS {rss:,.0f} MB"
    )
    return {
        "cases": cases,
        "routed": count,
        "cases_per_s": round(rate),
        "quarters_per_s": [round(q) for q in quarters],
        "raw_aiokafka_per_s": round(base),
        "trivial_faust_per_s": round(plain),
        "worker_peak_rss_mb": round(rss),
    }


def main() -> None:
    if sys.argv[1:2] == ["--trivial"]:
        trivial(*sys.argv[2:6])
        return
    parser = figures.arguments(__doc__ or "")
    parser.add_argument("--cases", type=int, nargs="+", default=[5_000, 50_000, 200_000])
    parser.add_argument("--timeout", type=float, default=600)
    args = parser.parse_args()
    with figures.broker() as bootstrap, tempfile.TemporaryDirectory() as tmp:
        found = [scale(bootstrap, n, args.timeout, Path(tmp)) for n in args.cases]
    print(f"{'cases':>10}{'cases/s':>10}{'raw aiokafka':>14}{'trivial faust':>15}{'peak RSS MB':>13}")
    for one in found:
        print(
            f"{one['cases']:>10,}{one['cases_per_s']:>10,}{one['raw_aiokafka_per_s']:>14,}"
            f"{one['trivial_faust_per_s']:>15,}{one['worker_peak_rss_mb']:>13,}"
        )
    first, last = found[0], found[-1]
    ratio = last["cases_per_s"] / first["cases_per_s"]
    print(f"rate at {last['cases']:,} : rate at {first['cases']:,} = {ratio:.2f} (target >= 0.8)")
    print(
        f"target >= 2,000 cases/s at {last['cases']:,}: {last['cases_per_s']:,} cases/s, "
        + ("met" if last["cases_per_s"] >= 2000 else "missed")
    )
    figures.record("linkage", {"scales": found, "ratio_last_to_first": round(ratio, 2)}, args.results)


if __name__ == "__main__":
    main()
