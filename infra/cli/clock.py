"""`govledger clock`: the day's clock commands, published, and the intake's bookkeeping kept
within its retention (a scheduler runs it daily)."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime
from typing import Any

from infra.axes import day
from infra.cli.shared import console, open_ledger, read_models
from infra.kafka import clients as kafka
from infra.ops.embedded import ensure_broker
from infra.settings import Settings
from infra.store import retention
from infra.store.recorder import recorder_of


def add_commands(sub: Any) -> None:
    clock = sub.add_parser(
        "clock",
        help="publish the day's clock commands (pool draws due back); remove message ids and "
        "published dead letters past their retention",
    )
    clock.add_argument("--on", help="the day (YYYY-MM-DD), today by default")


def cmd_clock(args: argparse.Namespace, settings: Settings) -> int:
    """Publish the day's clock commands (a scheduler runs this daily, e.g. from cron), then
    prune the message ids and dead letters past their retention (infra/store/retention.py):
    a daily run keeps both tables within a day of their limits. Their age is by the
    database's clock, which stamped them, whatever day `--on` names."""
    from infra.kafka import clock
    from projections.pool.balance import pool_balance

    ledger = open_ledger(settings)
    with read_models(ledger, settings, catch_up=True) as cur:
        pools = [row["pool"] for row in pool_balance(cur)]
    servers = ensure_broker(settings)
    kafka.ensure_topics(servers, settings)
    on = day(args.on)
    messages = clock.clock_messages(pools, on)
    kafka.publish(kafka.producer(servers, settings), settings.topics.staffing, messages)
    console.print(f"clock for {on}: pool.expire_due published for {len(pools)} pool(s)")
    pruned = retention.prune(recorder_of(ledger).datastore, settings)
    console.print(_pruning_said(pruned.message_ids, "message id(s)", "received", pruned.message_ids_before))
    console.print(
        _pruning_said(pruned.dead_letters, "dead letter(s)", "published", pruned.dead_letters_before)
    )
    return 0


def _pruning_said(count: int, rows: str, stamped: str, before: datetime | None) -> str:
    """How many rows went and older than what, or that they are kept for ever (their setting is 0)."""
    if before is None:
        return f"retention: {rows} kept for ever"
    return f"retention: removed {count} {rows} {stamped} before {before.astimezone(UTC):%Y-%m-%d %H:%M} UTC"
