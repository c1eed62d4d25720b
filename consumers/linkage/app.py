"""区镇联动 — the linkage stream processors (faust): route cases, run the deadline clock,
count the rolling metrics.

They read what the ledger publishes (the relay's `govledger.events.*`) and answer with
commands on the linkage command topic, which the intake applies like any other, so every
decision is an event with its cause. Tables only cache what the events say; the ledger
stays the source of truth. Every output is idempotent: commands carry message ids made
from their cause, metrics are keyed by party and day.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import lru_cache
from typing import Any, Protocol, TypedDict, Union, get_args
from uuid import uuid5

import faust
import msgspec

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


class _Raw(TypedDict):
    """Keys and values pass as bytes: the agents decode them."""

    key_serializer: str
    value_serializer: str


ROUTER = Actor(id="linkage-router", role="dispatcher", system="govledger-linkage")
_decoder = msgspec.json.Decoder(Union[PowerEvent, TerritorialEvent, DutyAdmissionEvent, LinkageEvent])
_encoder = msgspec.json.Encoder()
LINKAGE_EVENTS = get_args(LinkageEvent)
Output = tuple[bytes, bytes]  # (key, value) of a message to send


@lru_cache(maxsize=4096)
def decode(raw: bytes) -> Any | None:
    """A published event, or None for what this version does not know (skipped)."""
    try:
        return _decoder.decode(raw)
    except (msgspec.DecodeError, msgspec.ValidationError):
        return None


@dataclass
class LinkageApp:
    app: faust.App
    agents: dict[str, Any]
    tables: dict[str, Any]
    clock: Callable[[], datetime]
    sent: set[str] = field(default_factory=set)  # clock commands sent by this process

    def tick(self, now: datetime | None = None) -> list[Output]:
        """The clock's commands at `now` (by default the configured clock's time)."""
        owed = linkage_clock.due(self.tables["cases"].values(), now or self.clock())
        fresh = [cmd for cmd in owed if cmd.message_id not in self.sent]
        self.sent.update(cmd.message_id for cmd in fresh)
        return [(cmd.payload.case.encode(), _encoder.encode(cmd)) for cmd in fresh]


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
    return dispatch.case.encode(), _encoder.encode(command)


def build(settings: Settings, bootstrap: str, clock: Callable[[], datetime] | None = None) -> LinkageApp:
    """The faust app with its agents and tables, wired to `settings`' topics."""
    t, partitions = settings.topics, settings.topics.partitions
    app = faust.App(
        settings.linkage.app_id,
        broker=";".join(f"kafka://{b}" for b in bootstrap.split(",")),
        store="memory://",
        topic_partitions=partitions,
        topic_replication_factor=1,
        broker_session_timeout=settings.session_timeout_ms / 1000,
        broker_heartbeat_interval=settings.heartbeat_interval_ms / 1000,
        consumer_auto_offset_reset="earliest",
        processing_guarantee="at_least_once",
        web_enabled=False,
        autodiscover=False,
        table_standby_replicas=0,
    )
    raw: _Raw = {"key_serializer": "raw", "value_serializer": "raw"}
    events = t.event_topics(list(SOURCE_FAMILIES))
    sources = app.topic(*events.values(), **raw)
    case_events = app.topic(events["linkage"], **raw)
    routing = app.topic(f"{settings.linkage.app_id}-routing", partitions=partitions, internal=True, **raw)
    tally = app.topic(f"{settings.linkage.app_id}-tally", partitions=partitions, internal=True, **raw)
    commands = app.topic(t.linkage, **raw)
    metrics_out = app.topic(t.metrics, **raw)
    routes = app.Table("routes", default=None, partitions=partitions)
    cases = app.Table("cases", default=None, partitions=partitions)
    counters = app.Table("counters", default=None, partitions=partitions)
    linkage = LinkageApp(
        app,
        {},
        {"routes": routes, "cases": cases, "counters": counters},
        clock or (lambda: datetime.now(UTC)),
    )

    def sender(topic: Any) -> Callable[[list[Output]], Any]:
        async def send(outputs: list[Output]) -> None:
            for key, value in outputs:
                await topic.send(key=key, value=value)

        return send

    async def split(stream: Any) -> Any:
        """分流: repartition what routing needs by routing key (item or category)."""
        async for raw in stream:
            event = decode(raw)
            key = linkage_routing.routing_key(event) if event is not None else None
            yield [] if key is None else [(key.encode(), raw)]

    async def route(stream: Any) -> Any:
        """派单: keep the routing table; answer reports, sendings back and escalations."""
        async for key, raw in stream.items():
            event, key = decode(raw), key.decode()
            if isinstance(event, linkage_routing.REQUESTS):
                yield [dispatch_command(event, routes.get(key), settings)]
            else:
                routes[key] = linkage_routing.update(routes.get(key), event)
                yield []

    async def follow(stream: Any) -> Any:
        """跟踪: each case's clock state, and its events' counts forwarded by party and day."""
        async for raw in stream:
            event = decode(raw)
            if not isinstance(event, LINKAGE_EVENTS):
                yield []  # not a case event
                continue
            state = cases.get(event.payload.case) or {}
            if event.aggregate_version <= state.get("version", 0):
                yield []  # seen before (the relay may repeat one)
                continue
            folded = linkage_clock.fold(state, event)
            cases[event.payload.case] = {
                **(folded or {"status": "closed"}),
                "version": event.aggregate_version,
            }
            yield [
                (f"{party}/{day.isoformat()}".encode(), _encoder.encode([party, day, delta, event.event_id]))
                for party, day, delta in linkage_tally.deltas(event)
            ]

    async def count(stream: Any) -> Any:
        """统计: counters per party and day; each change published as the day's record."""
        async for raw in stream:
            party, day, delta, cause = msgspec.json.decode(raw, type=tuple[str, date, Counts, str])
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
            yield [(key.encode(), _encoder.encode(record))]

    async def ticks(stream: Any) -> Any:
        """督办 on ticks: the clock's time comes in messages (replays, demos, tests)."""
        async for raw in stream:
            yield linkage.tick(msgspec.json.decode(raw, type=c.ClockTick).at)

    send_command = sender(commands)
    for name, fn, source, sink in (
        ("split", split, sources, routing),
        ("route", route, routing, commands),
        ("follow", follow, case_events, tally),
        ("count", count, tally, metrics_out),
        ("ticks", ticks, app.topic(t.ticks, **raw), commands),
    ):
        linkage.agents[name] = app.agent(source, name=name, sink=[sender(sink)])(fn)

    if settings.linkage.clock == "wall":

        @app.timer(interval=settings.linkage.clock_interval_s)
        async def deadline_clock() -> None:
            """督办: supervise and escalate overdue cases, on the wall clock."""
            await send_command(linkage.tick())

    return linkage
