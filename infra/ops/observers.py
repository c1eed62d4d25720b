"""Each worker's observer: which metrics it keeps, what makes it ready, how its loop beats.

`observe_intake`, `observe_projections` and `observe_relay` are called by `govledger intake
| project | relay` once their worker is built; each returns an `Observer` already serving
(when `GOVLEDGER_METRICS_PORT` > 0). Every one of them also reports the ledger's positions
(event log head, projection and relay positions and lags), read from PostgreSQL."""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from collections import Counter as Tally
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from kafka import KafkaAdminClient, KafkaConsumer, TopicPartition
from prometheus_client import Counter, Gauge, Histogram
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily

from consumers.intake import IntakeProgress
from infra.kafka.clients import client_options
from infra.ops.observability import Heartbeat, Observer, broker_check, database_check
from infra.settings import Settings
from infra.store.positions import PositionsCollector, ledger_positions, stalled_reason

# The intake's metrics: commands by topic and outcome, throughput, batch time, consumer lag.
#
# Outcomes come from what each committed batch recorded (the intake's `committed` progress:
# the message ids with their outcome and position, the dead letters), so they count what PostgreSQL
# holds, never a batch that was rolled back and retried. Lag is the broker's end offset of
# each partition assigned to this worker minus the next offset the intake stored in
# PostgreSQL for it (the intake keeps its offsets there, not in Kafka).


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
        self.commands = Counter(
            "govledger_intake_commands",
            "Commands taken in, by topic and outcome",
            ["topic", "outcome"],
            registry=registry,
        )
        self.events = Counter("govledger_intake_events", "Events the intake stored", registry=registry)
        self.seconds = Histogram(
            "govledger_intake_batch_seconds",
            "Time to apply and commit one batch",
            buckets=(0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
            registry=registry,
        )
        Gauge(
            "govledger_intake_commands_per_second",
            f"Records per second over the last {RECENT} batches",
            registry=registry,
        ).set_function(self.rate)
        self.recent: deque[tuple[float, float, int]] = deque(maxlen=RECENT)  # started, ended, records

    def __getattr__(self, name: str) -> Any:
        return getattr(self.intake, name)

    def process(self, records: list[Any]) -> Any:
        started = time.monotonic()
        first = records[0]
        try:
            stats = self.intake.process(records)
        except Exception:
            log.exception(
                "batch failed",
                extra={
                    "records": len(records),
                    "topic": first.topic,
                    "partition": first.partition,
                    "offset": first.offset,
                },
            )
            raise
        ended = time.monotonic()
        self.seconds.observe(ended - started)
        self.recent.append((started, ended, len(records)))
        self.events.inc(stats.events)
        for (topic, outcome), count in outcomes(records, self.intake.committed).items():
            self.commands.labels(topic, outcome).inc(count)
        log.debug(
            "batch committed",
            extra={"records": len(records), "seconds": round(ended - started, 3), **vars(stats)},
        )
        return stats

    def rate(self) -> float:
        recent = list(self.recent)
        if not recent or time.monotonic() - recent[-1][1] > IDLE_AFTER:
            return 0.0
        span = recent[-1][1] - recent[0][0]
        return sum(n for _s, _e, n in recent) / span if span > 0 else 0.0


class IntakeLag:
    """Per assigned partition: broker end offset − offset stored in PostgreSQL, at each scrape."""

    def __init__(self, intake: Any, consumer: KafkaConsumer, bootstrap: str, client: dict[str, Any]) -> None:
        self.intake, self.consumer, self.bootstrap, self.client = intake, consumer, bootstrap, client
        self._lock = threading.Lock()
        self._ends_reader: KafkaConsumer | None = None  # made at the first scrape

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
                self._ends_reader = KafkaConsumer(
                    bootstrap_servers=self.bootstrap,
                    enable_auto_commit=False,
                    client_id="govledger-intake-lag",
                    **self.client,
                )
            ends = self._ends_reader.end_offsets(assigned) if assigned else {}
        lag = GaugeMetricFamily(
            "govledger_intake_consumer_lag",
            "Records on the broker the intake has not committed yet",
            labels=["topic", "partition"],
        )
        for tp in assigned:
            behind = ends.get(tp, 0) - stored.get((tp.topic, tp.partition), 0)
            lag.add_metric([tp.topic, str(tp.partition)], max(behind, 0))
        yield lag
        yield GaugeMetricFamily(
            "govledger_intake_assigned_partitions",
            "Partitions of the command topics assigned to this worker",
            value=len(assigned),
        )


# The linkage worker's observer: its faust group's consumer lag, its heartbeat, its agents'
# progress, readiness.
#
# Faust commits its offsets to Kafka under the app id, so the lag of each partition the group
# reads is the broker's end offset minus the group's committed offset, asked of the broker at
# each scrape (from the server's thread, with clients of its own). The heartbeat is a callback
# on the worker's event loop, so /health says whether the loop still turns, through a long
# table recovery too; a faust timer notes whether partitions are assigned, which /ready
# reports. A loop that turns is not enough: a faust agent can stop fetching while timers still
# run (faust-streaming #175, #523, #629), so /health also fails when an agent is stuck
# (`AgentProgress`).


class GroupLag:
    """Per partition of `topics` (and any other the group committed): end − committed."""

    def __init__(self, bootstrap: str, group: str, topics: list[str], client: dict[str, Any]) -> None:
        self.bootstrap, self.group, self.topics, self.client = bootstrap, group, topics, client
        self._lock = threading.Lock()
        self._admin: KafkaAdminClient | None = None
        self._reader: KafkaConsumer | None = None

    def lag(self) -> dict[TopicPartition, int]:
        with self._lock:
            if self._admin is None or self._reader is None:
                self._admin = KafkaAdminClient(
                    bootstrap_servers=self.bootstrap, client_id="govledger-linkage-lag", **self.client
                )
                self._reader = KafkaConsumer(
                    bootstrap_servers=self.bootstrap,
                    client_id="govledger-linkage-lag",
                    enable_auto_commit=False,
                    **self.client,
                )
            offsets = self._admin.list_group_offsets({self.group: None}).get(self.group, {})
            committed = {tp: max(meta.offset, 0) for tp, meta in offsets.items()}
            partitions = set(committed)
            for topic in self.topics:
                partitions |= {
                    TopicPartition(topic, p) for p in self._reader.partitions_for_topic(topic) or ()
                }
            ends = self._reader.end_offsets(sorted(partitions)) if partitions else {}
        return {tp: max(ends.get(tp, 0) - committed.get(tp, 0), 0) for tp in sorted(partitions)}

    def close(self) -> None:
        with self._lock:
            for client in (self._admin, self._reader):
                if client is not None:
                    client.close()
            self._admin = self._reader = None

    def collect(self) -> Any:
        family = GaugeMetricFamily(
            "govledger_linkage_consumer_lag",
            "Records the linkage processors' group has not committed yet",
            labels=["topic", "partition"],
        )
        for tp, behind in self.lag().items():
            family.add_metric([tp.topic, str(tp.partition)], behind)
        yield family


Partition = tuple[str, int]  # (topic, partition), as faust's TP and kafka's TopicPartition are


@dataclass(frozen=True)
class Held:
    """One partition an agent reads, at the last look: the offset committed for it (all before
    it is done), the highest end offset known, and since when it has been behind (records
    past `committed`) without `committed` moving (None while it is not behind)."""

    agent: str
    committed: int
    end: int
    behind_since: float | None


class AgentProgress:
    """Whether each agent of the worker moves through what is waiting for it.

    `note` is given, on the worker's loop, the partitions each agent holds, the offsets faust
    committed for them and their ends; a partition is stuck once records lie past its
    committed offset and that offset has not moved for `stuck_after` seconds. An agent with
    nothing waiting is never stuck, however long it idles. `restart` starts every clock
    again, for the times nothing is expected to move (a rebalance, a table's recovery, the
    catalogue still being read). `stuck` is read from the metrics server's thread: each look
    replaces the whole mapping, which the reader takes as it was.

    Ends only grow, so the highest end known of a partition stays (a fetch reports one, the
    broker another, and the embedded broker's are low when batches hold several records:
    a lag may be seen late, never where there is none)."""

    def __init__(self, stuck_after: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.stuck_after, self.clock = stuck_after, clock
        self.held: Mapping[Partition, Held] = {}
        self.ends: dict[Partition, int] = {}

    def note(
        self,
        readers: Mapping[Partition, str],
        committed: Mapping[Partition, int | None],
        ends: Mapping[Partition, int | None],
    ) -> None:
        """`readers`: each partition held and the agent reading it; `committed`: faust's
        committed offsets (None or missing: nothing committed, read from the start);
        `ends`: end offsets as known now (None or missing: not known)."""
        now, before, held = self.clock(), self.held, {}
        for tp, agent in readers.items():
            end = self.ends[tp] = max(self.ends.get(tp, 0), ends.get(tp) or 0)
            done = committed.get(tp) or 0
            last = before.get(tp)  # behind at this same offset then: since then, else from now
            kept = last.behind_since if last is not None and last.committed == done else None
            since = (now if kept is None else kept) if end > done else None
            held[tp] = Held(agent, done, end, since)
        self.held = held
        self.ends = {tp: end for tp, end in self.ends.items() if tp in readers}

    def restart(self) -> None:
        self.held = {}

    def stuck(self) -> dict[str, Any] | None:
        """None while every agent moves; else, for /health, the partitions stuck, their
        agents, how far behind and for how long, and a sentence saying it."""
        now, found = self.clock(), []
        for (topic, partition), h in sorted(self.held.items()):
            if h.behind_since is not None and now - h.behind_since >= self.stuck_after:
                found.append(
                    {
                        "agent": h.agent,
                        "topic": topic,
                        "partition": partition,
                        "committed": h.committed,
                        "end": h.end,
                        "lag": h.end - h.committed,
                        "stuck_for_s": round(now - h.behind_since, 1),
                    }
                )
        if not found:
            return None
        named = ", ".join(
            f"agent {s['agent']} on {s['topic']}/{s['partition']} ({s['lag']} records waiting, "
            f"nothing committed for {s['stuck_for_s']:.0f} s)"
            for s in found
        )
        return {"reason": f"stuck: {named}", "stuck_after_s": self.stuck_after, "stuck": found}

    def collect(self) -> Any:
        family = GaugeMetricFamily(
            "govledger_linkage_agent_stuck_seconds",
            "Seconds an agent has had records waiting on a partition without committing further",
            labels=["agent", "topic", "partition"],
        )
        now = self.clock()
        for (topic, partition), h in sorted(self.held.items()):
            waited = 0.0 if h.behind_since is None else round(now - h.behind_since, 1)
            family.add_metric([h.agent, topic, str(partition)], waited)
        yield family

    async def look(self, linkage: Any, timeout: float = 5.0) -> None:
        """Note where the faust app's agents are (on its loop). The committed offsets are the
        consumer's own (`_committed_offset`: set from the group's at each assignment, moved
        at each commit; the monitor's copy starts only at the first commit), the ends both
        the last fetch's (`highwater`) and the broker's (`highwaters`, which may not answer
        while the broker is away: the ends known stand)."""
        app = linkage.app
        settled = lambda: not (app.rebalancing or app.in_recovery) and linkage.catalogue.ready.is_set()
        if not settled():
            self.restart()  # nothing is read meanwhile: no agent is behind its time
            return
        agents = {topic: name for name, agent in linkage.agents.items() for topic in agent.channel.topics}
        consumer = app.consumer
        readers = {tp: agents[tp.topic] for tp in consumer.assignment() if tp.topic in agents}
        ends: dict[Partition, int | None] = {tp: consumer.highwater(tp) for tp in readers}
        try:
            asked = await asyncio.wait_for(consumer.highwaters(*readers), timeout) if readers else {}
        except Exception as error:  # the broker away or slow: what is known stands
            log.debug("end offsets not read", extra={"worker": "linkage", "error": repr(error)})
            asked = {}
        for tp, end in asked.items():
            ends[tp] = max(ends.get(tp) or 0, end or 0)
        if not settled():  # a rebalance began while the broker was asked
            self.restart()
            return
        self.note(readers, dict(consumer._committed_offset), ends)


def beat_while_the_loop_turns(
    loop: asyncio.AbstractEventLoop, heartbeat: Heartbeat, every: float = 1.0
) -> None:
    """Beat `heartbeat` from `loop` itself, every `every` seconds from its first turn on, as
    long as it turns. Not a faust timer: faust starts its timers only once the tables are
    recovered, and a worker recovering a large table for minutes is alive, not stalled (a
    heartbeat that waited for the timers made /health 503 during the recovery, and a
    supervisor restarted the worker before it could finish). Whether the agents move once
    they run is `AgentProgress`'s to say."""

    def beat() -> None:
        heartbeat.beat()
        loop.call_later(every, beat)

    loop.call_soon(beat)


def observe_linkage(linkage: Any, bootstrap: str, settings: Settings) -> Observer:
    """Serve the linkage worker's endpoints; call before the faust worker starts."""
    observer = Observer("linkage", settings.ops)
    # the group reads the case events and the ticks; the catalogue is read whole, outside it
    topics = [settings.topics.event_topics(["linkage"])["linkage"], settings.topics.ticks]
    lag = GroupLag(bootstrap, settings.linkage.app_id, topics, client_options(settings))
    observer.registry.register(lag)
    observer.closers.append(lag.close)
    assigned = {"partitions": 0}
    held: list[str] = []

    beat_while_the_loop_turns(linkage.app.loop, observer.heartbeat)

    @linkage.app.timer(interval=1.0, name="govledger-partitions-held")
    async def partitions_held() -> None:
        now = sorted(f"{tp.topic}/{tp.partition}" for tp in linkage.app.consumer.assignment())
        assigned["partitions"] = len(now)
        if now != held:  # after each rebalance: which partitions this worker took
            held[:] = now
            log.info("partitions assigned", extra={"worker": "linkage", "partitions": now})

    progress = AgentProgress(settings.linkage.stuck_after_s)
    observer.liveness.append(progress.stuck)
    observer.registry.register(progress)

    said = {"stuck": False}  # logged once when an agent turns stuck; /health says it meanwhile

    @linkage.app.timer(interval=1.0, name="govledger-agent-progress")
    async def agent_progress() -> None:
        try:
            await progress.look(linkage)
        except Exception:  # a look that fails leaves /health to the heartbeat; never the worker down
            log.warning("agent progress not read", exc_info=True, extra={"worker": "linkage"})
            progress.restart()
        stuck = progress.stuck()
        if stuck is not None and not said["stuck"]:
            log.error("agent stuck", extra={"worker": "linkage", "reason": stuck["reason"]})
        elif stuck is None and said["stuck"]:
            log.info("agents moving again", extra={"worker": "linkage"})
        said["stuck"] = stuck is not None

    observer.checks += [
        broker_check(bootstrap),
        lambda: None if assigned["partitions"] else "no partitions assigned yet",
        lambda: None if linkage.catalogue.ready.is_set() else "the routing catalogue is still being read",
    ]
    observer.serve()
    return observer


def observe_intake(worker: Any, ledger: Any, bootstrap: str, settings: Settings) -> Observer:
    """Measure the intake worker's batches (its `intake` is replaced by a measured one)."""
    observer = Observer("intake", settings.ops)
    worker.intake = MeasuredIntake(worker.intake, observer)
    lag = IntakeLag(worker.intake, worker.consumer, bootstrap, client_options(settings))
    observer.registry.register(lag)
    observer.closers.append(lag.close)
    observer.registry.register(PositionsCollector(ledger.recorder.datastore))
    observer.checks += [
        database_check(ledger.recorder.datastore),
        broker_check(bootstrap),
        lambda: None if lag.assigned() else "no partitions assigned yet",
    ]
    observer.serve()
    return observer


def observe_projections(runner: Any, settings: Settings) -> Loop:
    observer = Observer("project", settings.ops)
    observer.registry.register(PositionsCollector(runner.datastore))
    observer.checks += [
        database_check(runner.datastore),
        lambda: stalled_reason(ledger_positions(runner.datastore)),  # 503 naming each stalled read model
    ]
    observer.serve()
    return Loop(
        observer,
        Counter(
            "govledger_projection_events", "Events projected into the read models", registry=observer.registry
        ),
    )


def observe_relay(relay: Any, bootstrap: str, settings: Settings) -> Loop:
    observer = Observer("relay", settings.ops)
    observer.registry.register(PositionsCollector(relay.datastore))
    observer.registry.register(_Published(relay))
    observer.checks += [database_check(relay.datastore), broker_check(bootstrap)]
    observer.serve()
    return Loop(
        observer,
        Counter(
            "govledger_relay_events_read", "Events the relay read from the log", registry=observer.registry
        ),
    )


class _Published:
    """The relay's own tally of what the broker acknowledged, by topic."""

    def __init__(self, relay: Any) -> None:
        self.relay = relay

    def collect(self) -> Any:
        family = CounterMetricFamily(
            "govledger_relay_events_published", "Events the broker acknowledged, by topic", labels=["topic"]
        )
        for topic, count in dict(self.relay.stats.by_topic).items():
            family.add_metric([topic], count)
        yield family


class Loop:
    """A polling worker's loop (projections, relay): each step beats the heartbeat, counts
    what it did, logs it at DEBUG, and logs a failure with its context before raising it."""

    def __init__(self, observer: Observer, done: Counter) -> None:
        self.observer, self.done = observer, done

    def step(self, run_once: Callable[[], int], **context: Any) -> int:
        self.observer.heartbeat.beat()
        started = time.monotonic()
        try:
            count = run_once()
        except Exception:
            log.exception("%s step failed", self.observer.worker, extra=context)
            raise
        if count:
            self.done.inc(count)
            log.debug(
                "%s step",
                self.observer.worker,
                extra={"events": count, "seconds": round(time.monotonic() - started, 3)},
            )
        return count

    def close(self) -> None:
        self.observer.close()
