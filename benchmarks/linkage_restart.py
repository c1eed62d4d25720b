"""Linkage restart: a worker stopped and started again while it holds N open cases, beside
the same worker started holding nothing.

For each store (`--stores`: memory, rocksdb) and each N of `--cases` (20,000 and 1,000,000
by default), each a fresh run on a broker of its own: fresh topics get the catalogue (700
items held by 20 towns, as in benchmarks/linkage.py) and N case reports; one linkage worker
routes them, and the benchmark answers each `case.dispatch` it sends with the
`case.dispatched` event the intake and the relay would publish (round 1, the command's tier,
parties, deadlines and basis), so the worker takes every case into its table and timetable
the way it does in production. Once the worker's group has committed every report,
dispatched event and tally record (its committed offsets, against what was produced), the
worker's peak RSS is noted (its kernel high-water mark, children included); it is stopped
with SIGTERM, as an operator would, and started again with the same app id and data folder.
From the new process's start:
- ready: its /ready answers 200 (partitions assigned, catalogue read; faust starts the timer
  that notes the partitions, and the catalogue's reader, only once the tables are recovered);
- first dispatch: its `case.dispatch` of a case reported just after the restart, checked
  against the routing the catalogue decides.
Then, unless --no-verify, the clock is moved past every sign-for deadline, a slice of cases
per tick, and the sign-for supervisions are counted: the restarted worker must supervise
each of the N cases, or it lost some in the restart.
Baseline, same broker, same run: the same worker on fresh topics with the same catalogue
and no case, started from nothing, measured the same way.

    .venv/bin/python benchmarks/linkage_restart.py [--cases 20000 1000000] [--stores memory rocksdb]

The worker needs no database: the ledger's part (intake and relay) is played by the
benchmark for the linkage's topics. Uses GOVLEDGER_KAFKA_BOOTSTRAP if set (every run on
that broker), else an embedded broker per run, and then the worker runs with
GOVLEDGER_LINKAGE_RECOVERY_CHECK off (see infra/settings.py). A run that fails is reported
and recorded, and the others still go.
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any, Literal

import msgspec
import psutil
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from aiokafka import TopicPartition as AioPartition
from kafka import KafkaConsumer, KafkaProducer, TopicPartition

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks import figures
from benchmarks.linkage import ITEMS, TOWNS
from consumers.linkage import SOURCE_FAMILIES
from consumers.linkage import routing as linkage_routing
from consumers.linkage.app import Catalogue
from contracts.envelope import Actor
from contracts.linkage import commands as c
from contracts.linkage import events as ev
from infra.kafka import clients as kafka
from infra.ops.embedded import free_port
from infra.ops.linkage_process import LinkageProcess, committed
from infra.settings import Linkage, Ops, Settings
from tests.integration.intake.published import T0, holding, item, raw
from tests.support import own_topics

REPORTER = Actor(id="grid-app", role="grid worker", system="网格化管理平台")
TICK_SLICE = 20_000  # cases each verification tick makes due
_dispatch = msgspec.json.Decoder(c.DispatchCase)


class _Payload(msgspec.Struct):
    case: str
    deadline: str | None = None


class _Command(msgspec.Struct):
    """What the verification reads of the worker's commands: their type, case and deadline."""

    type: str
    payload: _Payload


_command = msgspec.json.Decoder(_Command)
STORES: dict[str, Literal["memory", "rocksdb"]] = {"memory": "memory", "rocksdb": "rocksdb"}


def settings_for(tag: str, store: str, data_dir: Path) -> Settings:
    """A worker of its own (topics, app id, data folder, endpoint port), on the ticks clock."""
    return Settings(
        topics=own_topics(f"bench.{tag}"),
        linkage=Linkage(
            app_id=f"bench-restart-{tag}",
            clock="ticks",
            store=STORES[store],
            data_dir=str(data_dir),
            # The embedded broker reports a partition's end as its last batch's first offset + 1,
            # below what a stopped RocksDB worker kept; with a Kafka of one's own, keep the check.
            recovery_check=bool(os.environ.get("GOVLEDGER_KAFKA_BOOTSTRAP")),
        ),
        ops=Ops(metrics_port=free_port(), log_format="text"),
    )


def case_topic(settings: Settings) -> str:
    return settings.topics.event_topics(["linkage"])["linkage"]


def reported(case: str, n: int, at: datetime) -> ev.CaseReported:
    """Report `n`'s event as the relay publishes it (town, item or category as in
    benchmarks/linkage.py: two thirds about an item, the rest litter)."""
    about, category = (f"P{n % ITEMS:04d}", None) if n % 3 else (None, "litter")
    facts = ev.CaseFacts(
        case=case, source="grid", town=f"T{n % TOWNS:02d}", reported_at=at, item=about, category=category
    )
    return ev.CaseReported(
        event_id=f"{case}:1",
        aggregate_id=case,
        aggregate_version=1,
        recorded_at=at,
        effective_at=at,
        actor=REPORTER,
        message_id=f"report/{case}",
        payload=facts,
    )


def dispatched(command: c.DispatchCase) -> ev.CaseDispatched:
    """The event the intake records for a first dispatch, as the relay publishes it."""
    p, at = command.payload, command.effective_at or command.occurred_at
    return ev.CaseDispatched(
        event_id=f"{p.case}:2",
        aggregate_id=p.case,
        aggregate_version=2,
        recorded_at=at,
        effective_at=at,
        actor=command.actor,
        message_id=command.message_id,
        correlation_id=command.correlation_id,
        causation_id=command.message_id,
        payload=ev.Dispatched(**msgspec.structs.asdict(p), round=1),
    )


def catalogue_events() -> Iterator[tuple[bytes, Any]]:
    """The catalogue of benchmarks/linkage.py: 700 items, three quarters of (item, town) held."""
    for i in range(ITEMS):
        code = f"P{i:04d}"
        yield code.encode(), item(code, f"D{i % 30:02d}")
        for t in range(TOWNS):
            if (i + t) % 4:
                yield f"{code}/{t}".encode(), holding(code, f"T{t:02d}", date(2021, 7, 1))


async def fill(bootstrap: str, settings: Settings, cases: int) -> Catalogue:
    """The catalogue and `cases` reports onto the settings' topics; the catalogue as the
    worker will hold it (to check its routing against)."""
    catalogue, topics = Catalogue(), settings.topics.event_topics(list(SOURCE_FAMILIES))
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, linger_ms=5, acks="all")
    await producer.start()
    try:
        pending = []
        for key, event in catalogue_events():
            catalogue.apply(event)
            pending.append(await producer.send(topics["powers"], key=key, value=raw(event)))
        for n in range(cases):
            case = f"C{n:07d}"
            event = reported(case, n, T0 + timedelta(seconds=n))
            pending.append(await producer.send(topics["linkage"], key=case.encode(), value=raw(event)))
            if len(pending) >= 20_000:
                await asyncio.gather(*pending)
                pending.clear()
        await asyncio.gather(*pending)
    finally:
        await producer.stop()
    return catalogue


async def answer(
    bootstrap: str, settings: Settings, cases: int, worker: LinkageProcess, timeout: float
) -> tuple[int, list[float]]:
    """The intake and the relay's part: each `case.dispatch` the worker sends answered with its
    `case.dispatched` on the case events topic, until `cases` cases are. How many tally records
    the worker will make of them (one per party), and their sign-for deadlines (POSIX)."""
    commands = settings.topics.linkage
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False, group_id=None)
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, linger_ms=5, acks="all")
    await consumer.start()
    await producer.start()
    answered: set[str] = set()
    deltas, sign_for, deadline = 0, list[float](), time.monotonic() + timeout
    try:
        while not consumer.partitions_for_topic(commands):
            await consumer.topics()
            await asyncio.sleep(0.2)
        partitions = [AioPartition(commands, p) for p in sorted(consumer.partitions_for_topic(commands))]
        consumer.assign(partitions)
        await consumer.seek_to_beginning(*partitions)
        pending = []
        while len(answered) < cases:
            if time.monotonic() > deadline or not worker.alive():
                raise RuntimeError(f"{len(answered):,} of {cases:,} cases dispatched; see {worker.log}")
            batches = await consumer.getmany(timeout_ms=500, max_records=5000)
            for records in batches.values():
                for record in records:
                    command = _dispatch.decode(record.value)
                    p = command.payload
                    if p.case in answered:
                        continue  # sent again (a worker may repeat what it had not committed)
                    answered.add(p.case)
                    deltas += 1 + len(p.cooperating)
                    sign_for.append(p.sign_for_by.timestamp())
                    value = raw(dispatched(command))
                    pending.append(await producer.send(case_topic(settings), key=record.key, value=value))
            if len(pending) >= 20_000:
                await asyncio.gather(*pending)
                pending.clear()
        await asyncio.gather(*pending)
    finally:
        await consumer.stop()
        await producer.stop()
    return deltas, sign_for


def taken(
    bootstrap: str, settings: Settings, wanted: dict[str, int], worker: LinkageProcess, timeout: float
) -> None:
    """Wait until the worker's group has committed `wanted` records of each topic (offsets are
    dense, so the sum over partitions of committed offsets counts what it has taken)."""
    deadline = time.monotonic() + timeout
    while True:
        done = committed(bootstrap, settings.linkage.app_id)
        if all(done[topic] >= n for topic, n in wanted.items()):
            return
        if time.monotonic() > deadline or not worker.alive():
            have = {topic: done[topic] for topic in wanted}
            raise RuntimeError(f"taken {have} of {wanted}; see {worker.log}")
        time.sleep(1)


def peak_rss_mb(pid: int) -> float:
    """The peak resident set (VmHWM) of the process and its children, in MB."""
    total = 0
    root = psutil.Process(pid)
    for process in [root, *root.children(recursive=True)]:
        try:
            for line in Path(f"/proc/{process.pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    total += int(line.split()[1])
        except FileNotFoundError:
            pass
    return total / 1024


def stop(worker: LinkageProcess, grace: float = 600) -> tuple[float, int | None]:
    """SIGTERM, as an operator stops it (SIGKILL after `grace` seconds): seconds taken, exit code."""
    assert worker.process is not None
    started = time.monotonic()
    code = figures.stop(worker.process, grace)
    return time.monotonic() - started, code


def answers(port: int, path: str) -> int | None:
    """The worker endpoint's status code; None while nothing listens."""
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=1) as answer:
            return int(answer.status)
    except urllib.error.HTTPError as refused:  # 503: not ready, or stalled
        return int(refused.code)
    except OSError:  # not listening yet
        return None


def start(
    bootstrap: str, settings: Settings, log: Path, case: str, n: int, catalogue: Catalogue, timeout: float
) -> tuple[LinkageProcess, dict[str, Any]]:
    """Start a worker and report case `case` at once; seconds from the start to /ready and to
    the worker's dispatch of that case, whether that dispatch is the one the catalogue decides,
    how many other dispatches it sent meanwhile (cases held before, routed again), and when
    its /health first said it had stalled, if it did (its heartbeat is a faust timer, and faust
    starts timers once the tables are recovered)."""
    commands = settings.topics.linkage
    watcher = KafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False)
    partitions = [TopicPartition(commands, p) for p in sorted(watcher.partitions_for_topic(commands) or ())]
    watcher.assign(partitions)
    watcher.seek_to_end(*partitions)
    for tp in partitions:
        watcher.position(tp)  # from here on: what the new worker sends
    event = reported(case, n, T0 + timedelta(seconds=n))
    expected = linkage_routing.route(
        event, catalogue.routes.get(linkage_routing.routing_key(event) or ""), settings.linkage
    )
    producer = KafkaProducer(bootstrap_servers=bootstrap, acks="all")
    found: dict[str, Any] = {"ready_s": None, "dispatch_s": None, "correct": None, "other_dispatches": 0}
    found["stalled_s"] = None
    started, since_ms = time.monotonic(), time.time() * 1000
    worker = LinkageProcess(settings, bootstrap, log).__enter__()
    try:
        producer.send(case_topic(settings), key=case.encode(), value=raw(event))
        producer.flush()
        producer.close()
        while found["ready_s"] is None or found["dispatch_s"] is None:
            if found["ready_s"] is None:
                port, now = settings.ops.metrics_port, time.monotonic() - started
                if answers(port, "/ready") == 200:
                    found["ready_s"] = now
                elif found["stalled_s"] is None and answers(port, "/health") == 503:
                    found["stalled_s"] = now
            for records in watcher.poll(timeout_ms=50).values():
                for record in records:
                    if record.key != case.encode():
                        # the broker's under-reported end puts the watcher a few records early
                        found["other_dispatches"] += record.timestamp >= since_ms
                    elif found["dispatch_s"] is None:
                        found["dispatch_s"] = time.monotonic() - started
                        got = _dispatch.decode(record.value).payload
                        found["correct"] = got == msgspec.convert(msgspec.to_builtins(expected), c.Dispatch)
            if not worker.alive():
                raise RuntimeError(f"the worker stopped:\n{log.read_text(errors='replace')[-3000:]}")
            if time.monotonic() - started > timeout:
                raise RuntimeError(f"no dispatch of {case} in {timeout:.0f} s; see {log}")
    except BaseException:
        worker.__exit__(None, None, None)
        raise
    finally:
        watcher.close()
    return worker, found


def verify(
    bootstrap: str, settings: Settings, sign_for: list[float], worker: LinkageProcess, timeout: float
) -> int:
    """Move the clock past every sign-for deadline, `TICK_SLICE` more cases a tick, each tick
    once the last one's supervisions are in (a tick's commands wait in the worker's producer
    buffer, ~2 KB each); how many cases the worker supervised for signing: every case it holds."""
    commands, moments = settings.topics.linkage, sorted(sign_for)
    watcher = KafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False)
    partitions = [TopicPartition(commands, p) for p in sorted(watcher.partitions_for_topic(commands) or ())]
    watcher.assign(partitions)
    watcher.seek_to_end(*partitions)
    for tp in partitions:
        watcher.position(tp)
    producer = KafkaProducer(bootstrap_servers=bootstrap, acks="all")
    supervised: set[str] = set()
    deadline = time.monotonic() + timeout
    try:
        for n, first in enumerate(range(0, len(moments), TICK_SLICE), start=1):
            due = min(first + TICK_SLICE, len(moments))  # cases whose deadline the tick passes
            at = datetime.fromtimestamp(moments[due - 1] + 1, UTC)
            producer.send(settings.topics.ticks, value=msgspec.json.encode(c.ClockTick(at=at)))
            producer.flush()
            last_news = time.monotonic()
            while len(supervised) < due and time.monotonic() < deadline:
                for records in watcher.poll(timeout_ms=500, max_records=10_000).values():
                    for record in records:
                        command = _command.decode(record.value)
                        if command.type == "case.supervise" and command.payload.deadline == "sign_for":
                            supervised.add(command.payload.case)
                            last_news = time.monotonic()
                if time.monotonic() - last_news > 15:  # quiet: has the worker taken the tick?
                    if committed(bootstrap, settings.linkage.app_id)[settings.topics.ticks] >= n:
                        break  # it has, and has no more to say: some cases are missing
                if not worker.alive():
                    raise RuntimeError(f"the worker stopped; see {worker.log}")
    finally:
        producer.close()
        watcher.close()
    return len(supervised)


def run(store: str, cases: int, bootstrap: str, tmp: Path, timeout: float, check: bool) -> dict[str, Any]:
    """One store and volume: the worker takes `cases`, is restarted, then the baseline."""
    tag = uuid.uuid4().hex[:8]
    settings = settings_for(tag, store, tmp / "tables")
    extra = [*settings.topics.event_topics(list(SOURCE_FAMILIES)).values(), settings.topics.ticks]
    kafka.ensure_topics(bootstrap, settings, extra=[*extra, settings.topics.metrics])
    began = time.monotonic()
    catalogue = asyncio.run(fill(bootstrap, settings, cases))
    print(f"{store}, {cases:,} cases: reports published in {time.monotonic() - began:.1f} s")

    began = time.monotonic()
    with LinkageProcess(settings, bootstrap, tmp / "first.log") as first:
        deltas, sign_for = asyncio.run(answer(bootstrap, settings, cases, first, timeout))
        wanted = {case_topic(settings): 2 * cases, f"{settings.linkage.app_id}-tally": deltas}
        taken(bootstrap, settings, wanted, first, timeout)
        took = time.monotonic() - began
        assert first.process is not None
        held_rss = peak_rss_mb(first.process.pid)
        stop_s, code = stop(first)
    print(
        f"  held {cases:,} cases after {took:.1f} s ({cases / took:,.0f} cases/s: report, dispatch,"
        f" dispatched, tally); peak RSS {held_rss:,.0f} MB; stopped in {stop_s:.1f} s (exit {code})"
    )

    worker, again = start(bootstrap, settings, tmp / "second.log", f"R{tag}", cases, catalogue, timeout)
    try:
        assert worker.process is not None
        again["peak_rss_mb"] = round(peak_rss_mb(worker.process.pid))
        print(
            f"  restarted: ready {again['ready_s']:.1f} s, first dispatch {again['dispatch_s']:.1f} s"
            f" ({'correct' if again['correct'] else 'WRONG'}; {again['other_dispatches']} others);"
            f" peak RSS {again['peak_rss_mb']:,} MB"
        )
        if again["stalled_s"] is not None:
            print(f"  its /health said 'stalled' (503) from {again['stalled_s']:.0f} s, while it recovered")
        held = verify(bootstrap, settings, sign_for, worker, timeout) if check else None
        if held is not None:
            print(f"  the restarted worker supervised {held:,} of the {cases:,} cases held for signing")
    finally:
        worker.__exit__(None, None, None)

    empty = settings_for(uuid.uuid4().hex[:8], store, tmp / "tables-baseline")
    extra = [*empty.topics.event_topics(list(SOURCE_FAMILIES)).values(), empty.topics.ticks]
    kafka.ensure_topics(bootstrap, empty, extra=[*extra, empty.topics.metrics])
    asyncio.run(fill(bootstrap, empty, 0))
    worker, base = start(bootstrap, empty, tmp / "baseline.log", f"R{tag}", cases, catalogue, timeout)
    worker.__exit__(None, None, None)
    print(
        f"  baseline, holding nothing: ready {base['ready_s']:.1f} s, first dispatch"
        f" {base['dispatch_s']:.1f} s ({'correct' if base['correct'] else 'WRONG'})"
    )
    return {
        "store": store,
        "cases": cases,
        "fill_s": round(took, 1),
        "held_peak_rss_mb": round(held_rss),
        "stop_s": round(stop_s, 1),
        "restart": {k: round(v, 2) if isinstance(v, float) else v for k, v in again.items()},
        "held_after_restart": held,
        "baseline": {k: round(v, 2) if isinstance(v, float) else v for k, v in base.items()},
    }


def main() -> None:
    parser = figures.arguments(__doc__ or "")
    parser.add_argument("--cases", type=int, nargs="+", default=[20_000, 1_000_000])
    parser.add_argument("--stores", nargs="+", choices=list(STORES), default=list(STORES))
    parser.add_argument("--timeout", type=float, default=7200, help="seconds each wait may take")
    parser.add_argument("--no-verify", dest="verify", action="store_false", help="skip the held-cases count")
    args = parser.parse_args()
    found, failed = [], []
    for store in args.stores:
        for cases in args.cases:
            with figures.broker() as bootstrap, tempfile.TemporaryDirectory() as tmp:
                try:
                    found.append(run(store, cases, bootstrap, Path(tmp), args.timeout, args.verify))
                except Exception as error:  # the other runs still go, and are recorded
                    print(f"{store}, {cases:,} cases: FAILED: {error}")
                    failed.append({"store": store, "cases": cases, "error": str(error)[-2000:]})
    print(
        f"{'store':<8}{'held':>10}{'peak RSS MB':>12}{'ready s':>9}{'dispatch s':>11}"
        f"{'base ready':>11}{'base disp.':>11}{'ratio':>7}{'restarted RSS':>14}{'held after':>12}"
    )
    for one in found:
        again, base = one["restart"], one["baseline"]
        held = "-" if one["held_after_restart"] is None else f"{one['held_after_restart']:,}"
        print(
            f"{one['store']:<8}{one['cases']:>10,}{one['held_peak_rss_mb']:>12,}{again['ready_s']:>9.1f}"
            f"{again['dispatch_s']:>11.1f}{base['ready_s']:>11.1f}{base['dispatch_s']:>11.1f}"
            f"{again['dispatch_s'] / base['dispatch_s']:>7.2f}{again['peak_rss_mb']:>14,}{held:>12}"
        )
    print("ratio: restart to first dispatch, holding N cases : started holding nothing")
    for one in found:
        rss = max(one["held_peak_rss_mb"], one["restart"]["peak_rss_mb"])
        verdict = "under" if rss < 1024 else "OVER"
        print(f"{one['store']} at {one['cases']:,} cases: peak RSS {rss:,} MB, {verdict} the 1 GB target")
    figures.record("linkage_restart", {"runs": found, "failed": failed}, args.results)


if __name__ == "__main__":
    main()
