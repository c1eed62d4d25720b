"""区镇联动 — the linkage stream processors (faust): route cases, run the deadline clock,
count the rolling metrics.

They read what the ledger publishes (the relay's `govledger.events.*`) and answer with
commands on the linkage command topic, which the intake applies like any other, so every
decision is an event with its cause. Tables only cache what the events say; the ledger
stays the source of truth. Every output is idempotent: commands carry message ids made
from their cause, metrics are keyed by party and day.
"""

from __future__ import annotations

import asyncio
import heapq
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, Protocol, TypedDict, Union, get_args
from uuid import uuid5

import faust
import msgspec
from aiokafka import AIOKafkaConsumer, TopicPartition

from aggregates.base import NAMESPACE
from consumers.linkage import SOURCE_FAMILIES
from consumers.linkage import clock as linkage_clock
from consumers.linkage import routing as linkage_routing
from consumers.linkage import tally as linkage_tally
from contracts.duties.events import DutyAdmissionEvent
from contracts.envelope import Actor
from contracts.linkage import commands as c
from contracts.linkage.events import LinkageEvent
from contracts.linkage.metrics import Counts, PartyDay, rates
from contracts.powers.events import PowerEvent
from contracts.territorial.events import TerritorialEvent


class Topics(Protocol):
    @property
    def partitions(self) -> int: ...
    @property
    def linkage(self) -> str: ...
    @property
    def metrics(self) -> str: ...
    @property
    def ticks(self) -> str: ...

    def event_topics(self, families: list[str]) -> dict[str, str]: ...


class Options(Protocol):
    @property
    def app_id(self) -> str: ...
    @property
    def district_centre(self) -> str: ...
    @property
    def city_centre(self) -> str: ...
    @property
    def clock(self) -> str: ...
    @property
    def clock_interval_s(self) -> float: ...
    @property
    def store(self) -> str: ...
    @property
    def data_dir(self) -> str: ...
    @property
    def standby_replicas(self) -> int: ...
    @property
    def recovery_check(self) -> bool: ...


class Replication(Protocol):
    """What the topics faust creates (its tables' changelogs, the tally) ask of the brokers."""

    @property
    def replication_factor(self) -> int: ...
    @property
    def min_insync_replicas(self) -> int: ...


class Settings(Protocol):
    """What the linkage is given by the composition root (`infra.settings.Settings`)."""

    @property
    def session_timeout_ms(self) -> int: ...
    @property
    def heartbeat_interval_ms(self) -> int: ...
    @property
    def topics(self) -> Topics: ...
    @property
    def linkage(self) -> Options: ...
    @property
    def kafka(self) -> Replication: ...


class _Raw(TypedDict):
    """Keys and values pass as bytes: the agents decode them."""

    key_serializer: str
    value_serializer: str


ROUTER = Actor(id="linkage-router", role="dispatcher", system="govledger-linkage")
_decoder = msgspec.json.Decoder(Union[PowerEvent, TerritorialEvent, DutyAdmissionEvent, LinkageEvent])
_encoder = msgspec.json.Encoder()
LINKAGE_EVENTS = get_args(LinkageEvent)
CATALOGUE_FAMILIES = tuple(f for f in SOURCE_FAMILIES if f != "linkage")  # what routing is decided by
TOMBSTONE_S = 86_400.0  # how long a closed case's last version is kept, to drop the relay's repeats
# (where: "commands", "tally" or "metrics"; key; value) of a message to send
Output = tuple[str, bytes, bytes]


def catalogue_group(app_id: str) -> str:
    """The group the catalogue reader commits its positions under (it never joins it)."""
    return f"{app_id}-catalogue"


def decode(raw: bytes) -> Any | None:
    """A published event, or None for what this version does not know (skipped)."""
    try:
        return _decoder.decode(raw)
    except (msgspec.DecodeError, msgspec.ValidationError):
        return None


class Catalogue:
    """路由表 — the routing table, whole, in every worker.

    It is made of the power items, holdings and joint-enforcement scenarios the ledger
    publishes (the powers and duties event topics), at most a million entries for a
    province (towns × items), and every worker reads those topics in full, from their
    start, with a consumer of its own outside the group. A case is then routed by the
    worker its own partition landed on, where its report arrives, with no repartition hop.
    `ready` is set once the reader has reached the end of what was published when it
    started (a fetch that finds nothing more, at or past the end offsets); the case agent
    waits for it, so a restarted worker does not route by half a catalogue."""

    def __init__(self) -> None:
        self.routes: dict[str, linkage_routing.Entry] = {}
        self.ready = asyncio.Event()
        self.read = 0  # events folded in

    def apply(self, event: Any) -> None:
        """Fold a power-item, holding or scenario event in (others are ignored)."""
        key = linkage_routing.routing_key(event)
        if key is not None and not isinstance(event, linkage_routing.REQUESTS):
            self.routes[key] = linkage_routing.update(self.routes.get(key), event)
            self.read += 1

    async def follow(
        self, bootstrap: str, topics: list[str], group: str, client: Mapping[str, Any] | None = None
    ) -> None:
        """Read `topics` in full and keep reading them, until cancelled. What has been read
        is committed under `group` (never joined: the partitions are assigned, all of them),
        so an operator, a demo or a test can see how far the catalogue has come. `client`:
        how to reach the brokers (see `build`)."""
        consumer = AIOKafkaConsumer(
            bootstrap_servers=bootstrap.split(","),
            group_id=group,
            enable_auto_commit=False,
            auto_offset_reset="earliest",
            client_id="govledger-linkage-catalogue",
            **(client or {}),
        )
        try:
            await consumer.start()  # inside: a start that fails (TLS refused) closes it too
            await consumer.topics()  # the cluster's metadata, refreshed
            while not all(consumer.partitions_for_topic(t) for t in topics):
                await asyncio.sleep(0.5)  # created by whoever starts first
                await consumer.topics()
            partitions = [
                TopicPartition(t, p) for t in topics for p in sorted(consumer.partitions_for_topic(t))
            ]
            consumer.assign(partitions)
            await consumer.seek_to_beginning(*partitions)
            ends = await consumer.end_offsets(partitions)
            uncommitted, committed_at = True, 0.0  # committed once read to the end, even if empty
            while True:
                batches = await consumer.getmany(timeout_ms=200, max_records=10_000)
                for records in batches.values():
                    for record in records:
                        if (event := decode(record.value)) is not None:
                            self.apply(event)
                uncommitted |= bool(batches)
                if uncommitted and (not batches or time.monotonic() - committed_at > 0.5):
                    await consumer.commit()  # when it falls idle, and every half second meanwhile
                    uncommitted, committed_at = False, time.monotonic()
                if not batches and not self.ready.is_set():
                    positions = [await consumer.position(tp) for tp in partitions]
                    if all(at >= ends[tp] for at, tp in zip(positions, partitions)):
                        self.ready.set()
        finally:
            await consumer.stop()


@dataclass
class LinkageApp:
    app: faust.App
    agents: dict[str, Any]
    tables: dict[str, Any]
    clock: Callable[[], datetime]
    settings: Settings
    catalogue: Catalogue = field(default_factory=Catalogue)
    timetable: linkage_clock.Timetable = field(default_factory=linkage_clock.Timetable)
    tombstones: dict[int, list[tuple[float, str]]] = field(
        default_factory=dict
    )  # partition: heap of (expires, case)
    wall: Callable[[], float] = time.time

    def tick(self, now: datetime | None = None) -> list[Output]:
        """The clock's commands at `now` (by default the configured clock's time)."""
        owed = self.timetable.due(now or self.clock())
        return [("commands", cmd.payload.case.encode(), _encoder.encode(cmd)) for cmd in owed]

    async def recovered(self) -> None:
        """After a rebalance's recovery (and at start): the timetable and the tombstones made
        anew from the cases this worker now holds, a slice at a time (a million cases take
        seconds, longer than the group lets a member stay silent)."""
        timetable, tombstones = linkage_clock.Timetable(), dict[int, list[tuple[float, str]]]()
        for n, s in enumerate(self.tables["cases"].values()):
            if "closed_at" in s:
                tombstones.setdefault(s["partition"], []).append((s["closed_at"] + TOMBSTONE_S, s["case"]))
            else:
                timetable.put(s)
            if n % 10_000 == 9_999:
                await asyncio.sleep(0)
        for heap in tombstones.values():
            heapq.heapify(heap)
        self.timetable, self.tombstones = timetable, tombstones

    def sweep(self, partition: int) -> None:
        """Expired tombstones of `partition` leave the table. Only the agent reading that
        partition may write its keys (faust writes a change to the changelog partition of
        the event in hand), so each partition is swept as its own events come."""
        cases, now, heap = self.tables["cases"], self.wall(), self.tombstones.get(partition, [])
        while heap and heap[0][0] <= now:
            expires, case = heapq.heappop(heap)
            state = cases.get(case)
            if state is not None and state.get("closed_at", -1.0) + TOMBSTONE_S == expires:
                del cases[case]

    def case_event(self, event: Any, partition: int = 0) -> list[Output]:
        """派单 and 跟踪 for one published case event: a report, sending back or escalation
        routed by the catalogue; the case's clock state kept (closed cases leave it, but for
        a tombstone of their last version); its counts forwarded by party and day."""
        out: list[Output] = []
        if isinstance(event, linkage_routing.REQUESTS):
            key = linkage_routing.routing_key(event)
            out.append(dispatch_command(event, self.catalogue.routes.get(key or ""), self.settings))
        cases, case = self.tables["cases"], event.payload.case
        state = cases.get(case) or {}
        if event.aggregate_version <= state.get("version", 0):
            return out  # seen before (the relay may repeat one)
        folded = linkage_clock.fold(None if "closed_at" in state else state, event)
        forwarded = linkage_tally.deltas(event)
        if folded is None:
            closed_at = self.wall()
            cases[case] = {
                "case": case,
                "version": event.aggregate_version,
                "closed_at": closed_at,
                "partition": partition,
            }
            heapq.heappush(self.tombstones.setdefault(partition, []), (closed_at + TOMBSTONE_S, case))
            self.timetable.drop(case)
        elif folded or forwarded or state:  # a report alone leaves nothing to keep
            cases[case] = kept = {**folded, "version": event.aggregate_version}
            self.timetable.put(kept)
        out += [
            (
                "tally",
                f"{party}/{day.isoformat()}".encode(),
                _encoder.encode([party, day, delta, event.event_id]),
            )
            for party, day, delta in forwarded
        ]
        return out


def dispatch_command(event: Any, entry: dict[str, Any] | None, settings: Settings) -> Output:
    """The `case.dispatch` answering a report, sending back or escalation; its message id is
    made from the event's, so a repeated event gives a duplicate the intake drops."""
    dispatch = linkage_routing.route(event, entry, settings.linkage)
    command = c.DispatchCase(
        message_id=str(uuid5(NAMESPACE, f"case-dispatch/{event.event_id}")),
        occurred_at=event.effective_at,
        effective_at=event.effective_at,
        actor=ROUTER,
        correlation_id=event.correlation_id or dispatch.case,
        causation_id=event.message_id,
        payload=dispatch,
    )
    return "commands", dispatch.case.encode(), _encoder.encode(command)


def credentials(client: Mapping[str, Any]) -> faust.SSLCredentials | faust.SASLCredentials | None:
    """aiokafka's options to reach the brokers, as faust takes them (its `broker_credentials`)."""
    protocol = client.get("security_protocol", "PLAINTEXT")
    if protocol == "SSL":
        return faust.SSLCredentials(client["ssl_context"])
    if protocol in ("SASL_PLAINTEXT", "SASL_SSL"):
        return faust.SASLCredentials(
            username=client["sasl_plain_username"],
            password=client["sasl_plain_password"],
            ssl_context=client.get("ssl_context"),  # given: SASL_SSL; none: SASL_PLAINTEXT
            mechanism=client["sasl_mechanism"],
        )
    return None


def rocksdb_options(linkage: Any) -> dict[str, int]:
    """RocksDB's memory per table partition, bounded by the settings: two write buffers and
    a block cache (faust opens one database, with its own cache, per partition)."""
    mb = 1024 * 1024
    return {
        "write_buffer_size": linkage.rocksdb_write_buffer_mb * mb,
        "max_write_buffer_number": 2,
        "target_file_size_base": 4 * linkage.rocksdb_write_buffer_mb * mb,
        "block_cache_size": linkage.rocksdb_block_cache_mb * mb,
    }


def build(
    settings: Settings,
    bootstrap: str,
    clock: Callable[[], datetime] | None = None,
    client: Mapping[str, Any] | None = None,
) -> LinkageApp:
    """The faust app with its agents and tables, wired to `settings`' topics. `client`: how
    its clients and the catalogue's reader reach the brokers, as aiokafka takes it (security
    protocol, SSL context, SASL login), from the composition root; none is plaintext."""
    t, partitions = settings.topics, settings.topics.partitions
    datadir = Path(settings.linkage.data_dir).resolve() / settings.linkage.app_id
    datadir.parent.mkdir(parents=True, exist_ok=True)
    app = faust.App(
        settings.linkage.app_id,
        broker=";".join(f"kafka://{b}" for b in bootstrap.split(",")),
        store="rocksdb://" if settings.linkage.store == "rocksdb" else "memory://",
        datadir=str(datadir),
        topic_partitions=partitions,
        topic_replication_factor=settings.kafka.replication_factor,
        broker_credentials=credentials(client or {}),
        broker_session_timeout=settings.session_timeout_ms / 1000,
        broker_heartbeat_interval=settings.heartbeat_interval_ms / 1000,
        consumer_auto_offset_reset="earliest",
        processing_guarantee="at_least_once",
        web_enabled=False,
        autodiscover=False,
        table_standby_replicas=settings.linkage.standby_replicas,
        recovery_consistency_check=settings.linkage.recovery_check,  # see infra/settings.py
    )
    raw: _Raw = {"key_serializer": "raw", "value_serializer": "raw"}
    events = t.event_topics(list(SOURCE_FAMILIES))
    case_events = app.topic(events["linkage"], **raw)
    replicated = {"min.insync.replicas": str(settings.kafka.min_insync_replicas)}  # as ours are
    tally = app.topic(
        f"{settings.linkage.app_id}-tally", partitions=partitions, internal=True, config=replicated, **raw
    )
    destinations = {
        "commands": app.topic(t.linkage, **raw),
        "tally": tally,
        "metrics": app.topic(t.metrics, **raw),
    }
    held = rocksdb_options(settings.linkage) if settings.linkage.store == "rocksdb" else None
    cases, counters = (
        app.Table(name, default=None, partitions=partitions, extra_topic_configs=replicated, options=held)
        for name in ("cases", "counters")
    )
    linkage = LinkageApp(
        app,
        {},
        {"cases": cases, "counters": counters},
        clock or (lambda: datetime.now(UTC)),
        settings,
    )

    async def deliver(outputs: list[Output]) -> None:
        """Into the producer's buffer: faust flushes it before it commits what was read."""
        for to, key, value in outputs:
            destinations[to].send_soon(key=key, value=value)

    async def route_and_follow(stream: Any) -> Any:
        """派单 and 跟踪, where each case's events arrive (`LinkageApp.case_event`)."""
        await linkage.catalogue.ready.wait()
        async for raw_event in stream:
            event, partition = decode(raw_event), stream.current_event.message.partition or 0
            yield linkage.case_event(event, partition) if isinstance(event, LINKAGE_EVENTS) else []
            linkage.sweep(partition)

    async def count(stream: Any) -> Any:
        """统计: counters per party and day; each change published as the day's record."""
        async for raw_delta in stream:
            party, day, delta, cause = msgspec.json.decode(raw_delta, type=tuple[str, date, Counts, str])
            key = f"{party}/{day.isoformat()}"
            total = msgspec.convert(counters.get(key) or {}, Counts).add(delta)
            counters[key] = msgspec.to_builtins(total)
            record = PartyDay(
                message_id=f"{key}/{cause}",
                party=party,
                day=day,
                counts=total,
                rates=rates(total),
                computed_at=datetime.now(UTC),
            )
            yield [("metrics", key.encode(), _encoder.encode(record))]

    async def ticks(stream: Any) -> Any:
        """督办 on ticks: the clock's time comes in messages (replays, demos, tests)."""
        async for raw_tick in stream:
            yield linkage.tick(msgspec.json.decode(raw_tick, type=c.ClockTick).at)

    for name, fn, source in (
        ("cases", route_and_follow, case_events),
        ("count", count, tally),
        ("ticks", ticks, app.topic(t.ticks, **raw)),
    ):
        linkage.agents[name] = app.agent(source, name=name, sink=[deliver])(fn)

    @cases.on_recover
    async def recovered() -> None:
        await linkage.recovered()

    @app.task
    async def read_catalogue() -> None:
        topics = [events[f] for f in CATALOGUE_FAMILIES]
        await linkage.catalogue.follow(bootstrap, topics, catalogue_group(settings.linkage.app_id), client)

    if settings.linkage.clock == "wall":

        @app.timer(interval=settings.linkage.clock_interval_s)
        async def deadline_clock() -> None:
            """督办: supervise and escalate overdue cases, on the wall clock."""
            await deliver(linkage.tick())

    return linkage
