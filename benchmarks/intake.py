"""Intake backfill: delegation commands through Kafka into the event store.

Prints commands/s through the whole intake (consume, decode, rules, one transaction
per batch) beside a baseline measured in the same run on the same PostgreSQL: raw
batched INSERTs of the same number of rows, 100 rows per transaction.

    .venv/bin/python benchmarks/intake.py [--commands 100000]

Uses GOVLEDGER_KAFKA_BOOTSTRAP if set, else an embedded broker; creates and drops its
own database on GOVLEDGER_BENCH_SERVER_URL (default: the local PostgreSQL on 5432).
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
import uuid
from pathlib import Path

import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from infra import bootstrap, kafka, runtime  # noqa: E402
from infra.embedded import EmbeddedBroker  # noqa: E402
from infra.settings import Settings, Topics  # noqa: E402
from tests.support import delegate, encoded, register  # noqa: E402

SERVER = os.environ.get("GOVLEDGER_BENCH_SERVER_URL", "postgresql://postgres@127.0.0.1:5432/postgres")


def commands(count: int) -> list:
    items = [f"P{i:04d}" for i in range(700)]  # ~700 items per town, as in Jiangsu
    towns = [f"T{j:04d}" for j in range(count // (3 * len(items)) + 1)]
    out = list(map(register, items))
    for town in towns:
        for item in items:
            out.extend(delegate(item, town))
            if len(out) >= count + len(items):
                return out
    return out


def baseline(url: str, rows: int, payload: bytes) -> float:
    with psycopg.connect(url) as conn:
        conn.execute("CREATE TABLE baseline (id uuid, version int, topic text, state bytea,"
                     " PRIMARY KEY (id, version))")
        conn.commit()
        started = time.perf_counter()
        for start in range(0, rows, 100):
            with conn.cursor() as cur:
                cur.executemany("INSERT INTO baseline VALUES (%s, %s, %s, %s)",
                                [(uuid.uuid4(), 1, "Delegation.Approved", payload)
                                 for _ in range(min(100, rows - start))])
            conn.commit()
        return rows / (time.perf_counter() - started)


def run(count: int, broker: str) -> None:
    name = f"govledger_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(SERVER, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    url = SERVER.rsplit("/", 1)[0] + f"/{name}"
    try:
        tag = uuid.uuid4().hex[:6]
        settings = Settings(consumer_group=f"bench-{tag}", max_poll_records=2000,
                            topics=Topics(commands=f"bench.commands.{tag}",
                                          duties=f"bench.duties.{tag}",
                                          organisation=f"bench.organisation.{tag}",
                                          dead_letters=f"bench.dlq.{tag}", partitions=6))
        messages = encoded(commands(count))
        runtime.tune_garbage_collector()  # as every govledger process does
        worker = bootstrap.build_intake_worker(bootstrap.build_ledger(url), broker, settings)
        started = time.perf_counter()
        targets = kafka.publish(kafka.producer(broker), settings.topics.commands, messages)
        published = time.perf_counter() - started
        first_batch: list[float] = []
        process = worker.intake.process

        def timed(records: list) -> object:  # the clock starts at the first batch
            first_batch or first_batch.append(time.perf_counter())
            return process(records)

        worker.intake.process = timed  # type: ignore[method-assign]
        started = time.perf_counter()
        done = lambda: all(worker.intake.positions.get(k, 0) >= v for k, v in targets.items())  # noqa: E731
        stats = worker.run(done)
        ended = time.perf_counter()
        elapsed, joined = ended - first_batch[0], first_batch[0] - started
        worker.consumer.close()
        rate = len(messages) / elapsed
        sample = len(messages[-1][1])
        base = baseline(url, stats.events, b"x" * sample)
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"commands published        {len(messages):>10,}  ({len(messages) / published:,.0f}/s)")
        print(f"intake: applied           {stats.applied:>10,}  dead-lettered {stats.dead_lettered}")
        print(f"intake: events stored     {stats.events:>10,}  in {stats.batches} batches")
        print(f"intake: wall time         {elapsed:>10.1f} s from the first batch"
              f" (the group join before it: {joined:.1f} s)")
        print(f"intake: commands/s        {rate:>10,.0f}")
        print(f"intake: events/s          {stats.events / elapsed:>10,.0f}")
        print(f"baseline: raw INSERT rows/s (100 per transaction) {base:>10,.0f}")
        print(f"ratio intake commands/s : baseline rows/s = {rate / base:.2f}")
        print(f"peak RSS of this process  {rss:>10,.0f} MB")
    finally:
        with psycopg.connect(SERVER, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE {name} WITH (FORCE)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--commands", type=int, default=100_000)
    count = parser.parse_args().commands
    configured = os.environ.get("GOVLEDGER_KAFKA_BOOTSTRAP")
    if configured:
        run(count, configured)
        return
    with tempfile.TemporaryDirectory() as state, EmbeddedBroker(state) as broker:
        run(count, broker.bootstrap)


if __name__ == "__main__":
    main()
