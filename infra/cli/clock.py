"""`govledger clock`: the day's clock commands, published (a scheduler runs it daily)."""

from __future__ import annotations

import argparse
from typing import Any

from infra.axes import day
from infra.cli.shared import console, open_ledger, read_models
from infra.kafka import clients as kafka
from infra.ops.embedded import ensure_broker
from infra.settings import Settings


def add_commands(sub: Any) -> None:
    clock = sub.add_parser("clock", help="publish the day's clock commands (pool draws due back)")
    clock.add_argument("--on", help="the day (YYYY-MM-DD), today by default")


def cmd_clock(args: argparse.Namespace, settings: Settings) -> int:
    """Publish the day's clock commands (a scheduler runs this daily, e.g. from cron)."""
    from infra.kafka import clock
    from projections.pool.balance import pool_balance

    with read_models(open_ledger(settings), settings, catch_up=True) as cur:
        pools = [row["pool"] for row in pool_balance(cur)]
    servers = ensure_broker(settings)
    kafka.ensure_topics(servers, settings)
    on = day(args.on)
    messages = clock.clock_messages(pools, on)
    kafka.publish(kafka.producer(servers, settings), settings.topics.staffing, messages)
    console.print(f"clock for {on}: pool.expire_due published for {len(pools)} pool(s)")
    return 0
