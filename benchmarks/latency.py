"""Command to read model: how long one command takes from publish to visible, under load.

Starts the intake and projection workers as child processes (`govledger intake`, `govledger
project`) on a database and topics of their own, publishes delegation commands in the
background at a fixed rate (200/s, as benchmarks/intake.py builds them), and every ~100 ms a
probe: a power item's registration, timed from just before it is sent until its
`power_items` row is visible (committed; see benchmarks/probes.py), and until its event is
stored (the intake's part of it). Baseline, same run, same messages: each probe timed to its
arrival at a plain kafka-python consumer of the same topic in a thread (the raw path without
the ledger: produce, broker, fetch; see probes.CONSUMERS); ratio of the p99s. Target: p99 < 250 ms.

    .venv/bin/python benchmarks/latency.py [--probes 300] [--rate 200]
"""

from __future__ import annotations

import os
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path
from typing import Any

from kafka import KafkaProducer

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks import figures
from benchmarks.intake import commands
from benchmarks.probes import CONSUMERS, PATHS, Arrivals, probe_all, warm_up, watch_read_model, watch_topic
from infra.bootstrap import build_ledger, build_projections
from infra.kafka import clients as kafka
from infra.settings import Settings
from tests.support import encoded, own_topics

TARGET_P99_MS = 250.0


def settings_for(url: str, servers: str, tag: str) -> Settings:
    return Settings(
        database_url=url,
        kafka_bootstrap=servers,
        consumer_group=f"bench-{tag}",
        topics=own_topics(f"bench.{tag}", events=False),  # the events go where deployed ones do
    )


def background(
    producer: KafkaProducer,
    topic: str,
    messages: list[tuple[Any, bytes]],
    rate: float,
    stop: threading.Event,
    sent: list[float],
) -> None:
    """Publish the messages at `rate` a second until stopped; `sent` gets [count, seconds]."""
    start, count = time.perf_counter(), 0
    for key, value in messages:
        if stop.wait(max(0.0, start + count / rate - time.perf_counter())):
            break
        producer.send(topic, key=key, value=value)
        count += 1
    sent[:] = [count, time.perf_counter() - start]


def positions(ledger: Any) -> tuple[int, int]:
    """The event log's head and how far every read model has come."""
    with ledger.recorder.datastore.transaction(commit=False) as cur:
        cur.execute("SELECT min(position) AS done FROM projection_positions WHERE name NOT LIKE '%@%'")
        done = cur.fetchone()["done"]
    return ledger.recorder.max_notification_id() or 0, done or 0


def report(found: dict[str, list[float | None]], load: list[float], rate: float) -> dict[str, Any]:
    """Print each path's percentiles, the ratio and the target; the figures to record."""
    out: dict[str, Any] = {}
    print(figures.header("path (ms)", f"{'probes':>8}{'unseen':>8}"))
    for path, ms in found.items():
        seen = [m for m in ms if m is not None]
        out[path] = {**figures.percentiles(seen), "probes": len(ms), "unseen": len(ms) - len(seen)}
        print(figures.row(PATHS[path], out[path], f"{len(ms):>8}{out[path]['unseen']:>8}"))
    count, seconds = load
    print(f"background: {count:,} delegation commands at {count / seconds:,.1f}/s (asked {rate:.0f}/s)")
    out["ratio_p99"] = round(out["ledger"]["p99"] / out["kafka"]["p99"], 2)
    print(f"ratio p99 ledger : raw Kafka = {out['ratio_p99']:.2f}")
    p99 = out["ledger"]["p99"]
    print(f"target p99 < {TARGET_P99_MS:.0f} ms: {p99:.2f} ms, {'met' if p99 < TARGET_P99_MS else 'missed'}")
    return {**out, "background_per_s": round(count / seconds, 1)}


def run(count: int, interval: float, rate: float, settle: float, results: Path) -> None:
    tag, load_average = uuid.uuid4().hex[:8], os.getloadavg()[0]
    with figures.scratch_database() as url, figures.broker() as servers, tempfile.TemporaryDirectory() as tmp:
        settings = settings_for(url, servers, tag)
        topic = settings.topics.commands
        kafka.ensure_topics(servers, settings)
        ledger = build_ledger(url)
        build_projections(ledger, settings)  # the read models' tables, for the probes' trigger
        stop, arrivals, load = threading.Event(), Arrivals(), [0, 1.0]
        watch_read_model(url, ledger.recorder.events_table_name, arrivals, stop)
        for label, config in CONSUMERS.items():
            watch_topic(servers, topic, arrivals, stop, label, **config)
        env = {**settings.to_env(), "GOVLEDGER_METRICS_PORT": "0"}
        workers: dict[str, Any] = {}
        prober = KafkaProducer(bootstrap_servers=servers, acks="all", linger_ms=0, client_id="bench-probe")
        publisher = kafka.producer(servers, settings)
        messages = encoded(
            commands(int(rate * (settle + count * interval + 60)))
        )  # 700 items, then delegations
        loader = threading.Thread(target=background, args=(publisher, topic, messages, rate, stop, load))
        try:
            for kind in ("project", "intake"):  # one after the other (see figures.started)
                workers[kind] = figures.started(kind, env, Path(tmp) / f"{kind}.log")
            warm_up(prober, topic, arrivals, tag, workers, Path(tmp))
            loader.start()
            time.sleep(settle)
            print(
                f"{count} probes every {interval * 1000:.0f} ms, under {rate:.0f} commands/s"
                f" (started {settle:.0f} s before); intake and projections as child processes"
            )
            found = probe_all(prober, topic, arrivals, tag, count, interval, linger=15.0)
        finally:
            stop.set()
            if loader.is_alive():
                loader.join(30)
            exits = {kind: figures.stop(w) for kind, w in workers.items()}
            prober.close()
            publisher.close()
        head, done = positions(ledger)
        ledger.close()
        print(
            f"at the end: {head:,} events stored, {done:,} projected; workers exited {exits};"
            f" the machine's load average (1 min) before the run: {load_average:.1f}"
        )
        figures.record(
            "latency",
            {
                "probes": count,
                "interval_ms": interval * 1000,
                "rate_per_s": rate,
                "load_average_1m": round(load_average, 2),
                **report(found, load, rate),
                "target_p99_ms": TARGET_P99_MS,
            },
            results,
        )


def main() -> None:
    parser = figures.arguments(__doc__)
    parser.add_argument("--probes", type=int, default=300, help="probes (300)")
    parser.add_argument("--interval", type=float, default=0.1, help="seconds between probes (0.1)")
    parser.add_argument("--rate", type=float, default=200.0, help="background commands a second (200)")
    parser.add_argument("--settle", type=float, default=5.0, help="seconds of load before probing (5)")
    args = parser.parse_args()
    run(args.probes, args.interval, args.rate, args.settle, args.results)


if __name__ == "__main__":
    main()
