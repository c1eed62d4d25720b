"""`govledger appraisals`: appraisal league tables, a subject's history, missing scores."""

from __future__ import annotations

import argparse
from typing import Any

import msgspec
from rich.console import Console

from infra.cli.shared import console, open_ledger, read_models
from infra.cli.tables import percent, print_rows
from infra.settings import Settings
from projections.appraisals import league as appraisal_league

LEAGUE = (
    "rank",
    "subject",
    "name",
    "town",
    "scores",
    "total",
    "grade",
    "vetoed",
    "response_rate",
    "resolution_rate",
    "satisfaction_rate",
    "bonus_tier",
    "honour",
    "promotion",
)
MISSING = ("period", "kind", "subject", "name", "town", "party", "weight", "opened_on")
HISTORY = (
    "period",
    "kind",
    "scheme",
    "scheme_version",
    "status",
    "scores",
    "total",
    "grade",
    "vetoed",
    "veto_reason",
    "corrections",
    "bonus_tier",
)


def add_commands(sub: Any) -> None:
    p = sub.add_parser("appraisals", help="appraisal league tables, history, missing scores (考核)")
    p.add_argument("--period", help="e.g. 2021, 2021-Q3, 2021-07")
    p.add_argument(
        "--kind",
        choices=["stationed-agency", "stationed-person", "town", "department"],
        help="the kind of subject: the league's stationed-agency by default; --missing: every kind",
    )
    p.add_argument("--town", help="only the subjects stationed in this town")
    p.add_argument("--missing", action="store_true", help="open appraisals missing a party's score")
    p.add_argument("--subject", help="one subject's history, period by period")
    p.add_argument("--json", action="store_true")


def cmd_appraisals(args: argparse.Namespace, settings: Settings) -> int:
    with read_models(open_ledger(settings), settings) as cur:
        return appraisals(cur, args, console)


def _league_rows(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    shown = []
    for row in rows:
        scores = row.get("scores") or {}
        shown.append(
            {
                **row,
                "vetoed": "否决" if row.get("vetoed") else "",
                "scores": " ".join(f"{party} {score}" for party, score in scores.items()),
                **{k: percent(row.get(k)) for k in ("response_rate", "resolution_rate", "satisfaction_rate")},
            }
        )
    return shown


def appraisals(cur: Any, args: argparse.Namespace, console: Console) -> int:
    columns: tuple[str, ...]
    if args.subject:
        rows, columns, title = appraisal_league.subject_history(cur, args.subject), HISTORY, args.subject
        if not rows:  # where the API answers 404
            console.print(f"[red]no appraisal of subject {args.subject!r} is known[/red]")
            return 1
    elif args.missing:
        rows = appraisal_league.missing_scores(cur, args.period, args.kind)
        columns, title = MISSING, "missing scores"
    elif args.period:
        kind = args.kind or "stationed-agency"
        rows = appraisal_league.league_table(cur, args.period, kind, args.town)
        columns, title = LEAGUE, f"{args.period} {kind} league table"
    else:
        console.print("[red]give --period (league table), --missing or --subject[/red]")
        return 2
    if args.json:
        print(msgspec.json.encode(rows).decode())
        return 0
    print_rows(console, title, _league_rows(rows), columns)
    return 0


def print_league(cur: Any, console: Console, period: str, kind: str) -> None:
    rows = appraisal_league.league_table(cur, period, kind)
    print_rows(console, f"{period} {kind} league table", _league_rows(rows), LEAGUE)
