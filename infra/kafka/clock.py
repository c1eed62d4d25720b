"""时钟 — how time passes for the staffing turnover pools: one clock command per pool per day.

A scheduler (cron, a Kubernetes CronJob, or `govledger clock --on DATE`) publishes
`pool.expire_due` for every pool through the normal intake. The message id is made from
(pool, day), so a repeated or overlapping run is dropped as a duplicate; the events it
causes carry its message id. Nothing sleeps: tests send the command for the day they want.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta, timezone
from uuid import NAMESPACE_URL, uuid5

import msgspec

from contracts.envelope import Actor
from contracts.pool import commands as c
from infra.kafka import clients as kafka

CST = timezone(timedelta(hours=8))
NAMESPACE = uuid5(NAMESPACE_URL, "https://govledger.example/clock")
CLOCK = Actor(id="govledger-clock", role="调度", system="govledger")


def message_id(pool: str, on: date) -> str:
    """The one message id of the clock command for `pool` on `on`."""
    return str(uuid5(NAMESPACE, f"pool.expire_due/{pool}/{on.isoformat()}"))


def expire_due(pool: str, on: date) -> c.ExpireDueDraws:
    """The clock command for one pool and day; it takes effect at the start of that day (CST)."""
    start = datetime.combine(on, time(0), CST)
    return c.ExpireDueDraws(
        message_id=message_id(pool, on),
        occurred_at=start,
        effective_at=start,
        actor=CLOCK,
        reason="周转池用编期满自动收回（动态管理）",
        payload=c.ExpiryRun(pool=pool, on=on),
    )


def clock_commands(pools: Iterable[str], on: date) -> list[c.ExpireDueDraws]:
    return [expire_due(pool, on) for pool in sorted(set(pools))]


def clock_messages(pools: Iterable[str], on: date) -> list[tuple[bytes | None, bytes]]:
    """The clock commands as Kafka (key, value) pairs, keyed by pool like any pool command."""
    values = [msgspec.json.encode(command) for command in clock_commands(pools, on)]
    return [(kafka.command_key(value), value) for value in values]
