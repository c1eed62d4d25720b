"""`govledger monitors`: the policy monitors against their targets."""

from __future__ import annotations

import argparse
from datetime import date
from typing import Any

import msgspec
from rich.console import Console

from infra.axes import day
from infra.cli.shared import console, open_ledger, read_models
from infra.cli.tables import percent, print_rows
from infra.settings import Settings
from projections import monitors as policy_monitors

MONITOR_COLUMNS = {
    "departments": ("department", "category", "baseline", "sunk", "liaison", "share", "target", "met"),
    "towns": ("town", "baseline", "sunk", "total", "growth", "reference", "met"),
    "plan": ("year", "towns_planned", "total_planned", "towns_share_pct", "target_pct", "met"),
    "pool": ("pool", "name", "district", "capacity", "contributed", "outstanding", "available"),
    "draws": ("pool", "purpose", "draws", "quotas"),
    "expiring": ("pool", "draw", "town", "purpose", "outstanding", "until", "days_left"),
    "workers": ("level", "district", "town", "name", "workers", "residents", "per_10000", "standard", "met"),
    "burden": ("district", "kind", "baseline_on", "before", "after", "cleared", "added", "change"),
}


def add_commands(sub: Any) -> None:
    m = sub.add_parser("monitors", help="the policy monitors against their targets (政策监测)")
    m.add_argument("--on", help="the day (YYYY-MM-DD), today by default")
    m.add_argument("--year", type=int, help="the staffing plan's year, the day's by default")
    m.add_argument("--json", action="store_true")


def cmd_monitors(args: argparse.Namespace, settings: Settings) -> int:
    with read_models(open_ledger(settings), settings) as cur:
        return monitors(cur, args, console)


def _marked(row: dict[str, Any]) -> dict[str, Any]:
    shown = {
        k: percent(v) if k in ("share", "target", "growth", "reference", "before") else v
        for k, v in row.items()
    }
    if row.get("met") is not None:
        shown["met"] = "[green]✓ met[/green]" if row["met"] else "[bold red]✗ MISSED[/bold red]"
    return shown


def monitors(cur: Any, args: argparse.Namespace, console: Console) -> int:
    on = day(args.on)
    year = args.year or on.year
    found = policy_monitors.monitors(cur, on, year)
    if args.json:
        print(msgspec.json.encode(policy_monitors.answer(found, on, year)).decode())
        return 0
    print_monitors(console, found, on)
    return 0


def print_monitors(console: Console, found: dict[str, list[dict[str, Any]]], on: date) -> None:
    for section, rows in found.items():
        title = policy_monitors.SECTIONS[section]
        print_rows(console, title, [_marked(r) for r in rows], MONITOR_COLUMNS[section])
    missed = policy_monitors.missed(found)
    console.print(f"{len(missed)} target(s) missed on {on}" if missed else f"every target met on {on}")
