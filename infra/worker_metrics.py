"""Each worker's observer: which metrics it keeps, what makes it ready, how its loop beats.

`observe_intake`, `observe_projections` and `observe_relay` are called by `govledger intake
| project | relay` once their worker is built; each returns an `Observer` already serving
(when `GOVLEDGER_METRICS_PORT` > 0). Every one of them also reports the ledger's positions
(event log head, projection and relay positions and lags), read from PostgreSQL.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from prometheus_client import Counter
from prometheus_client.core import CounterMetricFamily

from infra.ledger_positions import PositionsCollector
from infra.observability import Observer, broker_check, database_check
from infra.settings import Settings
from infra.worker_metrics_intake import IntakeLag, MeasuredIntake

log = logging.getLogger(__name__)


def observe_intake(worker: Any, ledger: Any, bootstrap: str, settings: Settings) -> Observer:
    """Measure the intake worker's batches (its `intake` is replaced by a measured one)."""
    observer = Observer("intake", settings.ops)
    worker.intake = MeasuredIntake(worker.intake, observer)
    lag = IntakeLag(worker.intake, worker.consumer, bootstrap)
    observer.registry.register(lag)
    observer.closers.append(lag.close)
    observer.registry.register(PositionsCollector(ledger.recorder.datastore))
    observer.checks += [database_check(ledger.recorder.datastore), broker_check(bootstrap),
                        lambda: None if lag.assigned() else "no partitions assigned yet"]
    observer.serve()
    return observer


def observe_projections(runner: Any, settings: Settings) -> Loop:
    observer = Observer("project", settings.ops)
    observer.registry.register(PositionsCollector(runner.datastore))
    observer.checks.append(database_check(runner.datastore))
    observer.serve()
    return Loop(observer, Counter("govledger_projection_events", "Events projected into the read models",
                                  registry=observer.registry))


def observe_relay(relay: Any, bootstrap: str, settings: Settings) -> Loop:
    observer = Observer("relay", settings.ops)
    observer.registry.register(PositionsCollector(relay.datastore))
    observer.registry.register(_Published(relay))
    observer.checks += [database_check(relay.datastore), broker_check(bootstrap)]
    observer.serve()
    return Loop(observer, Counter("govledger_relay_events_read", "Events the relay read from the log",
                                  registry=observer.registry))


class _Published:
    """The relay's own tally of what the broker acknowledged, by topic."""

    def __init__(self, relay: Any) -> None:
        self.relay = relay

    def collect(self) -> Any:
        family = CounterMetricFamily("govledger_relay_events_published",
                                     "Events the broker acknowledged, by topic", labels=["topic"])
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
            log.debug("%s step", self.observer.worker,
                      extra={"events": count, "seconds": round(time.monotonic() - started, 3)})
        return count

    def close(self) -> None:
        self.observer.close()
