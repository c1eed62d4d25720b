"""`govledger intake`, `project` and `relay`: the workers that run until stopped."""

from __future__ import annotations

import argparse
import logging
import signal
import threading
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from aggregates.base import Context
from infra import bootstrap
from infra.cli.shared import console, log, open_ledger
from infra.kafka import clients as kafka
from infra.ops import logs
from infra.ops import observers as worker_metrics
from infra.ops.embedded import ensure_broker, ensure_database
from infra.settings import Settings
from projections.runner import model_name, model_names


def add_commands(sub: Any) -> None:
    sub.add_parser("intake", help="run the command intake worker")
    project = sub.add_parser("project", help="keep the read models up to date with the event log")
    project.add_argument(
        "--skip",
        metavar="NAME@EVENT",
        help="move the read model NAME past the event it stalled at (its position in the log,"
        " as /api/v1/ops/positions shows it) without applying it, record that, and exit",
    )
    project.add_argument("--reason", help="why the event is skipped (recorded; needed with --skip)")
    project.add_argument("--actor", default="operator", help="who skips it (recorded with --skip)")
    project.add_argument("--only", help="project only these read models, comma-separated")
    sub.add_parser("relay", help="publish the event log to Kafka (govledger.events.*)")


def _stop_on_signals() -> threading.Event:
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda _n, _f: stop.set())
    return stop


def _retrying(
    step: Callable[[], int], stop: threading.Event, reset: Callable[[], None] = lambda: None
) -> int:
    """One step of a worker loop, waiting out a lost database or broker connection with
    backoff (`reset` renews what a failure may leave broken); -1 once stopped. The position
    is stored only after a step succeeds, so a retried step neither skips nor doubles."""
    delay = 0.5
    while not stop.is_set():
        try:
            return step()
        except Exception as error:
            logging.getLogger("govledger").warning("%s; retrying in %.1f s", error, delay)
            stop.wait(delay)
            delay = min(delay * 2, 10.0)
            try:
                reset()
            except Exception:
                pass
    return -1


def cmd_intake(args: argparse.Namespace, settings: Settings) -> int:
    ledger = open_ledger(settings)
    servers = ensure_broker(settings)
    if not settings.kafka_bootstrap:
        console.print(f"embedded broker at {servers} (GOVLEDGER_KAFKA_BOOTSTRAP={servers})")
    worker = bootstrap.build_intake_worker(ledger, servers, settings)
    ops = worker_metrics.observe_intake(worker, ledger, servers, settings)
    stop = _stop_on_signals()
    log.info(
        "intake started",
        extra={
            "group": settings.consumer_group,
            "topics": worker.topics,
            "database": logs.redact(ensure_database(settings)),
        },
    )
    stats = worker.run(ops.beating(stop.is_set))  # a stop lets the batch in flight commit first
    worker.consumer.close()
    if isinstance(worker.after_commit, kafka.DeadLetterPublisher):  # as bootstrap wires it
        worker.after_commit.kafka.close()  # flushes the dead letters' producer
    ops.close()
    log.info("intake stopped", extra=vars(stats))
    return 0


def cmd_project(args: argparse.Namespace, settings: Settings) -> int:
    """The projection worker. At its start the read models that had stalled are resumed (a
    fix was deployed, or the failure was passing: they stall again if not), and those whose
    version changed are rebuilt blue/green in a thread of their own while the others go on."""
    ledger = open_ledger(settings)
    runner = bootstrap.build_projections(ledger, settings, retries=settings.projection_retries)
    if args.skip:
        return _skip(ledger, runner, args)
    if args.only:
        try:
            chosen = model_names(runner.named([n.strip() for n in args.only.split(",") if n.strip()]))
        except ValueError as unknown:
            console.print(f"[red]{unknown}[/red]")
            return 2
        runner.paused.update(set(model_names(runner.read_models)) - set(chosen))
    for name in runner.resume():
        log.info("read model resumed", extra={"read_model": name})
    ops = worker_metrics.observe_projections(runner, settings)
    stop = _stop_on_signals()
    rebuilding = _rebuild_outdated(ledger, runner, settings, stop)
    log.info("projections started", extra={"position": runner.position()})
    while not stop.is_set():
        if _retrying(lambda: ops.step(runner.run_once), stop) == 0:
            stop.wait(0.05)  # caught up: look again soon, a command's way to the read models waits on it
    if rebuilding is not None:
        rebuilding.join()
    ops.close()
    log.info("projections stopped", extra={"position": runner.position(), "head": runner.head()})
    return 0


def _skip(ledger: Any, runner: Any, args: argparse.Namespace) -> int:
    """`project --skip NAME@EVENT --reason ...`: the read model moved past that event and the
    skip recorded in the log (`govledger audit trail read-model/NAME`)."""
    name, _, event = args.skip.rpartition("@")
    if not name or not event.isdigit():
        console.print("[red]--skip takes NAME@EVENT, e.g. town_power_inventory@1234[/red]")
        return 2
    if not (args.reason or "").strip():
        console.print("[red]--skip needs --reason: why the event may be passed over[/red]")
        return 2
    try:
        fault = runner.skip(name, int(event))
    except ValueError as refused:
        console.print(f"[red]{refused}[/red]")
        return 1
    ctx = Context(
        args.actor, "operator", "govledger-cli", str(uuid.uuid4()), datetime.now(UTC), reason=args.reason
    )
    ledger.record_skip(ctx, name, int(event), fault)
    log.warning(
        "read model event skipped",
        extra={"read_model": name, "event_id": int(event), "reason": args.reason, "fault": fault},
    )
    console.print(f"{name}: moved past event {event} ({fault['topic']}); the skip is recorded")
    return 0


def _rebuild_outdated(
    ledger: Any, runner: Any, settings: Settings, stop: threading.Event
) -> threading.Thread | None:
    """A thread rebuilding, blue/green, the read models whose version changed; the runner
    leaves them alone until their new tables take the old ones' place."""
    outdated = sorted(runner.outdated - runner.paused)
    if not outdated:
        return None
    url = ensure_database(settings)
    with runner.datastore.transaction(commit=True) as cur:
        cur.execute(
            "UPDATE projection_positions SET state = 'rebuilding' WHERE name = ANY(%s)",
            ([runner.row(m) for m in runner.read_models if model_name(m) in outdated],),
        )

    def rebuild() -> None:
        log.info("read models rebuilding for a new version", extra={"read_models": outdated})
        while not stop.is_set():
            try:
                bootstrap.rebuild(ledger, url, settings, only=outdated)
            except Exception as error:
                log.warning("rebuild of %s failed (%s); trying again", ", ".join(outdated), error)
                stop.wait(10)
                continue
            runner.outdated.difference_update(outdated)
            log.info("read models rebuilt for a new version", extra={"read_models": outdated})
            return

    thread = threading.Thread(target=rebuild, name="read-model-rebuild", daemon=True)
    thread.start()
    return thread


def cmd_relay(args: argparse.Namespace, settings: Settings) -> int:
    from infra.contexts import FAMILIES
    from infra.kafka.relay import Relay, relay_producer

    ledger = open_ledger(settings)
    servers = ensure_broker(settings)
    topics = settings.topics.event_topics(list(FAMILIES))
    kafka.ensure_topics(servers, settings, extra=list(topics.values()))
    relay = Relay(ledger, relay_producer(servers, settings), topics)
    ops = worker_metrics.observe_relay(relay, servers, settings)
    stop = _stop_on_signals()
    log.info("relay started", extra={"position": relay.position()})

    def renew_producer() -> None:  # a failed send may leave the producer broken
        relay.producer.close(timeout=0)
        relay.producer = relay_producer(servers, settings)

    while not stop.is_set():
        if _retrying(lambda: ops.step(relay.run_once), stop, renew_producer) == 0:
            stop.wait(0.5)
    relay.producer.close()  # flushes
    ops.close()
    log.info(
        "relay stopped",
        extra={
            "position": relay.position(),
            "published": relay.stats.published,
            "by_topic": dict(relay.stats.by_topic),
        },
    )
    return 0
