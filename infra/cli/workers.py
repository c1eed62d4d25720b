"""`govledger intake`, `project` and `relay`: the workers that run until stopped."""

from __future__ import annotations

import argparse
import logging
import signal
import threading
from collections.abc import Callable
from typing import Any

from infra import bootstrap
from infra.cli.shared import console, log, open_ledger
from infra.kafka import clients as kafka
from infra.ops import logs
from infra.ops import observers as worker_metrics
from infra.ops.embedded import ensure_broker, ensure_database
from infra.settings import Settings


def add_commands(sub: Any) -> None:
    sub.add_parser("intake", help="run the command intake worker")
    sub.add_parser("project", help="keep the read models up to date with the event log")
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
    runner = bootstrap.build_projections(open_ledger(settings), settings)
    ops = worker_metrics.observe_projections(runner, settings)
    stop = _stop_on_signals()
    log.info("projections started", extra={"position": runner.position()})
    while not stop.is_set():
        if _retrying(lambda: ops.step(runner.run_once), stop) == 0:
            stop.wait(0.05)  # caught up: look again soon, a command's way to the read models waits on it
    ops.close()
    log.info("projections stopped", extra={"position": runner.position(), "head": runner.head()})
    return 0


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
