"""`govledger appraisals`, `monitors` and `clock`: staffing and appraisal views, and the clock."""

from __future__ import annotations

import argparse
from datetime import date
from typing import Any

import msgspec
from rich.console import Console

from infra.cli.tables import View, percent, print_rows
from infra.axes import as_of
from projections.appraisals import league as appraisal_league
from projections import monitors as policy_monitors
from projections.pool import balance as pool_balance
from projections.pool import history as pool_history
from projections.quotas import history as quota_history
from projections.quotas import ledgers as quota_ledgers
from projections.sinkdown import roster as sink_down_roster

LEAGUE = ("rank", "subject", "name", "town", "scores", "total", "grade", "vetoed",
          "response_rate", "resolution_rate", "satisfaction_rate", "bonus_tier", "honour",
          "promotion")
MISSING = ("period", "kind", "subject", "name", "town", "party", "weight", "opened_on")
HISTORY = ("period", "kind", "scheme", "scheme_version", "status", "scores", "total", "grade",
           "vetoed", "veto_reason", "corrections", "bonus_tier")


def _quotas(cur: Any, a: argparse.Namespace) -> dict[str, Any]:
    when = as_of(a)
    if when:
        return {"quotas": quota_history.quota_ledger_as_of(cur, a.unit, *when),
                "transfers": quota_history.quota_transfers_as_of(cur, a.unit, *when)}
    return {"quotas": quota_ledgers.quota_ledger(cur, a.unit),
            "transfers": quota_ledgers.quota_transfers(cur, a.unit)}


def _pool(cur: Any, a: argparse.Namespace) -> dict[str, Any]:
    when = as_of(a)
    if when:  # the balances that day, and the draws with quotas out that day
        return {"pools": pool_history.pool_balance_as_of(cur, a.pool, *when),
                "draws": pool_history.outstanding_draws_as_of(cur, a.pool, *when)}
    return {"pools": pool_balance.pool_balance(cur, a.pool),
            "draws": pool_balance.pool_draws(cur, a.pool)}


def _sinkdown(cur: Any, a: argparse.Namespace) -> list[dict[str, Any]]:
    return sink_down_roster.roster(cur, a.town, a.department, date.fromisoformat(a.on) if a.on else None)


VIEWS = {
    ("inventory", "quotas"): View(
        "a unit's quota ledger and its transfers (编制台账)", _quotas,
        ("unit", "name", "level", "kind", "approved", "occupied", "available", "fixed_on",
         "on_day", "from_unit", "to_unit", "count", "reverse", "approval_document",
         "document_no"), town=False, on=True, known=True, options=("unit!",)),
    ("inventory", "pool"): View(
        "the staffing turnover pools and their draws (编制周转池)", _pool,
        ("pool", "name", "district", "capacity", "contributed", "outstanding", "available",
         "draw", "town", "purpose", "count", "status", "until"), town=False, on=True, known=True,
        options=("pool",)),
    ("inventory", "sinkdown"): View(
        "who is sunk down where (力量下沉花名册); person ids only", _sinkdown,
        ("town", "department", "team", "mode", "transfer", "person", "post", "rank", "since"),
        town=False, on=True, options=("town", "department")),
}

MONITOR_COLUMNS = {
    "departments": ("department", "category", "baseline", "sunk", "liaison", "share", "target",
                    "met"),
    "towns": ("town", "baseline", "sunk", "total", "growth", "reference", "met"),
    "plan": ("year", "towns_planned", "total_planned", "towns_share_pct", "target_pct", "met"),
    "pool": ("pool", "name", "district", "capacity", "contributed", "outstanding", "available"),
    "draws": ("pool", "purpose", "draws", "quotas"),
    "expiring": ("pool", "draw", "town", "purpose", "outstanding", "until", "days_left"),
}


def add_commands(sub: Any) -> None:
    m = sub.add_parser("monitors", help="the policy monitors against their targets (政策监测)")
    m.add_argument("--on", help="the day (YYYY-MM-DD), today by default")
    m.add_argument("--year", type=int, help="the staffing plan's year, the day's by default")
    m.add_argument("--json", action="store_true")
    p = sub.add_parser("appraisals", help="appraisal league tables, history, missing scores (考核)")
    p.add_argument("--period", help="e.g. 2021, 2021-Q3, 2021-07")
    p.add_argument("--kind", default="stationed-agency",
                   choices=["stationed-agency", "stationed-person", "town", "department"])
    p.add_argument("--town", help="only the subjects stationed in this town")
    p.add_argument("--missing", action="store_true", help="open appraisals missing a party's score")
    p.add_argument("--subject", help="one subject's history, period by period")
    p.add_argument("--json", action="store_true")


def _league_rows(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    shown = []
    for row in rows:
        scores = row.get("scores") or {}
        shown.append({**row, "vetoed": "否决" if row.get("vetoed") else "",
                      "scores": " ".join(f"{party} {score}" for party, score in scores.items()),
                      **{k: percent(row.get(k)) for k in ("response_rate", "resolution_rate",
                                                           "satisfaction_rate")}})
    return shown


def appraisals(cur: Any, args: argparse.Namespace, console: Console) -> int:
    if args.subject:
        rows, columns, title = appraisal_league.subject_history(cur, args.subject), HISTORY, args.subject
    elif args.missing:
        rows = appraisal_league.missing_scores(cur, args.period, args.kind)
        columns, title = MISSING, "missing scores"
    elif args.period:
        rows = appraisal_league.league_table(cur, args.period, args.kind, args.town)
        columns, title = LEAGUE, f"{args.period} {args.kind} league table"
    else:
        console.print("[red]give --period (league table), --missing or --subject[/red]")
        return 2
    if args.json:
        print(msgspec.json.encode(rows).decode())
        return 0
    print_rows(console, title, _league_rows(rows), columns)
    return 0


def _marked(row: dict[str, Any]) -> dict[str, Any]:
    shown = {k: percent(v) if k in ("share", "target", "growth", "reference", "before") else v
             for k, v in row.items()}
    if row.get("met") is not None:
        shown["met"] = "[green]✓ met[/green]" if row["met"] else "[bold red]✗ MISSED[/bold red]"
    return shown


def monitors(cur: Any, args: argparse.Namespace, console: Console) -> int:
    on = date.fromisoformat(args.on) if args.on else date.today()
    found = policy_monitors.monitors(cur, on, args.year or on.year)
    if args.json:
        print(msgspec.json.encode(found).decode())
        return 0
    print_monitors(console, found, on)
    return 0


def print_monitors(console: Console, found: dict[str, list[dict[str, Any]]], on: date) -> None:
    for section, rows in found.items():
        title = policy_monitors.SECTIONS[section]
        print_rows(console, title, [_marked(r) for r in rows], MONITOR_COLUMNS[section])
    missed = policy_monitors.missed(found)
    console.print(f"{len(missed)} target(s) missed on {on}" if missed else f"every target met on {on}")


def print_league(cur: Any, console: Console, period: str, kind: str) -> None:
    rows = appraisal_league.league_table(cur, period, kind)
    print_rows(console, f"{period} {kind} league table", _league_rows(rows), LEAGUE)
