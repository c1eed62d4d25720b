"""The figures of the dashboard, composed from the read models for one day.

Powers are those in force on the day; the monitors are read for the day and its year; the
pool is its balance as it stands (as the policy monitors read it) with the draws whose term
ends within 30 days of the day; cases are those open at the end of the day (China time, or
now for today), folded from the case register's history; the rates are district-wide, day
by day, for the 30 days ending on the day (see `projections.linkage_metrics.daily` for what
"district-wide" counts).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from typing import Any

from infra.cli_time import moment
from projections.linkage_cases import open_cases_at, overdue_cases
from projections.linkage_metrics import daily, summed
from projections.policy_monitors import monitors
from projections.town_power_inventory import town_counts
from projections.town_structure import town_model

DAYS = 30  # the window of the rates, and of the draws coming due
RATES = ("response", "on_time_resolution", "resolution", "satisfaction")


def end_of(on: date) -> datetime:
    """The moment the cases are read at: the end of the day (China time), or now if sooner
    (to the minute, so that a page polling today's figures gets 304s within a minute)."""
    return min(moment(on.isoformat()), datetime.now(timezone.utc).replace(second=0, microsecond=0))


def towns(cur: Any, on: date) -> list[dict[str, Any]]:
    """Every town holding powers on the day: its name, items, and items by kind and by list."""
    found: dict[str, dict[str, Any]] = {}
    for r in town_counts(cur, on):
        town = found.setdefault(r["town"], {"town": r["town"], "name": None, "items": 0,
                                            "by_kind": {}, "by_list": {}})
        town["items"] += r["items"]
        town["by_kind"][r["kind"]] = town["by_kind"].get(r["kind"], 0) + r["items"]
        town["by_list"][r["list"]] = town["by_list"].get(r["list"], 0) + r["items"]
    for town in found.values():
        model = town_model(cur, town["town"])
        town["name"] = model["name"] if model else None
    return list(found.values())


def sink_down(cur: Any, on: date) -> tuple[dict[str, Any], dict[str, Any]]:
    """The sink-down and plan monitors against their targets with how many miss, and every
    monitor's rows (the pool's among them)."""
    found = monitors(cur, on, on.year)
    shown = {k: found[k] for k in ("departments", "towns", "plan")}
    return {**shown, "missed": sum(row.get("met") is False for rows in shown.values()
                                   for row in rows)}, found


def pool(found: dict[str, Any]) -> dict[str, Any]:
    """The pools' balances, what is out by purpose, and the draws coming due."""
    return {"balances": found["pool"], "by_purpose": found["draws"], "expiring": found["expiring"]}


def cases(cur: Any, at: datetime) -> dict[str, Any]:
    """Open and overdue cases at `at`: totals, per town, and the overdue list."""
    open_now, late = open_cases_at(cur, at), overdue_cases(cur, at)
    per_town: dict[str, dict[str, Any]] = {}
    for case in open_now:
        per_town.setdefault(case["town"], {"town": case["town"], "open": 0, "overdue": 0})
        per_town[case["town"]]["open"] += 1
    for case in late:
        per_town[case["town"]]["overdue"] += 1
    return {"open": len(open_now), "overdue": len(late),
            "by_town": sorted(per_town.values(), key=lambda t: t["town"]), "overdue_list": late}


def rates(cur: Any, on: date) -> dict[str, Any]:
    """The district-wide counts and rates of each of the 30 days ending on the day, and of
    the 30 days together."""
    first = on - timedelta(days=DAYS - 1)
    days = daily(cur, first, on)
    return {"first": first, "last": on, "names": list(RATES), "days": days,
            "total": summed(days)}


def dashboard(cur: Any, on: date) -> dict[str, Any]:
    """Everything the dashboard shows for the day, in one answer."""
    at = end_of(on)
    monitored, found = sink_down(cur, on)
    return {"on": on, "at": at, "towns": towns(cur, on), "monitors": monitored,
            "pool": pool(found), "cases": cases(cur, at), "rates": rates(cur, on)}
