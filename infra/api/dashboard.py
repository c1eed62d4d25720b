"""The district at a glance (区镇治理一览): `/api/v1/dashboard` and the page `/dashboard`.

The API answer (readers and auditors) holds every figure of one day (`figures`).
The page is public and holds no data: its script asks for a bearer token (kept in the
tab's sessionStorage, or passed as `#token=...`, a fragment that never reaches the server),
fetches the answer with it and draws the tables and the SVG charts itself. Everything the
page loads comes from this server, which its Content-Security-Policy enforces."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import Annotated, Any

from litestar import Request, Response, get
from litestar.exceptions import NotFoundException
from litestar.params import Parameter

from aggregates.base import days_from
from infra.api.access import AUDITOR, READER, allow
from infra.api.paging import answer
from infra.api.queries import reading
from infra.axes import moment
from projections.linkage.cases import open_cases_at, overdue_cases
from projections.linkage.metrics import daily, summed
from projections.monitors import monitors
from projections.organisation.structure import town_model
from projections.powers.inventory import town_counts

# The figures of the dashboard, composed from the read models for one day.
#
# Powers are those in force on the day; the monitors are read for the day and its year; the
# pool is its balance as it stands (as the policy monitors read it) with the draws whose term
# ends within 30 days of the day; cases are those open at the end of the day (China time, or
# now for today), folded from the case register's history; the rates are district-wide, day
# by day, for the 30 days ending on the day (see `projections.linkage.metrics.daily` for what
# "district-wide" counts).


DAYS = 30  # the window of the rates, and of the draws coming due
RATES = ("response", "on_time_resolution", "resolution", "satisfaction")


def end_of(on: date) -> datetime:
    """The moment the cases are read at: the end of the day (China time), or now if sooner
    (to the minute, so that a page polling today's figures gets 304s within a minute)."""
    return min(moment(on.isoformat()), datetime.now(UTC).replace(second=0, microsecond=0))


def towns(cur: Any, on: date) -> list[dict[str, Any]]:
    """Every town holding powers on the day: its name, items, and items by kind and by list."""
    found: dict[str, dict[str, Any]] = {}
    for r in town_counts(cur, on):
        town = found.setdefault(
            r["town"], {"town": r["town"], "name": None, "items": 0, "by_kind": {}, "by_list": {}}
        )
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
    return {**shown, "missed": sum(row.get("met") is False for rows in shown.values() for row in rows)}, found


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
    return {
        "open": len(open_now),
        "overdue": len(late),
        "by_town": sorted(per_town.values(), key=lambda t: t["town"]),
        "overdue_list": late,
    }


def rates(cur: Any, on: date) -> dict[str, Any]:
    """The district-wide counts and rates of each of the 30 days ending on the day, and of
    the 30 days together."""
    first = days_from(on, 1 - DAYS)
    days = daily(cur, first, on)
    return {"first": first, "last": on, "names": list(RATES), "days": days, "total": summed(days)}


def figures(cur: Any, on: date) -> dict[str, Any]:
    """Everything the dashboard shows for the day, in one answer."""
    at = end_of(on)
    monitored, found = sink_down(cur, on)
    return {
        "on": on,
        "at": at,
        "towns": towns(cur, on),
        "monitors": monitored,
        "pool": pool(found),
        "cases": cases(cur, at),
        "rates": rates(cur, on),
    }


STATIC = Path(__file__).parent / "static"
MEDIA_TYPES = {".js": "text/javascript", ".css": "text/css", ".html": "text/html"}
OnDay = Annotated[date | None, Parameter(description="the day shown (today when absent)")]
PAGE_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; script-src 'self'; style-src 'self';"
    " connect-src 'self'; img-src 'self' data:; base-uri 'none';"
    " form-action 'self'; frame-ancestors 'none'",
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "no-cache",
}


@get("/api/v1/dashboard", sync_to_thread=True, **allow(READER, AUDITOR))
def dashboard(request: Request, on: OnDay = None) -> Response[Any]:
    """The district on one day: towns' powers by kind, the sink-down monitors against their
    targets, the pool and its draws coming due, open and overdue cases, and the district-wide
    linkage rates of each of the 30 days ending on the day."""
    with reading(request) as cur:
        found = figures(cur, on or date.today())
    return answer(request, found)


@get("/dashboard", sync_to_thread=False, include_in_schema=False)
def page() -> Response[bytes]:
    """The dashboard page: no data in it, only the script that asks for a token."""
    return Response((STATIC / "dashboard.html").read_bytes(), media_type="text/html", headers=PAGE_HEADERS)


# The page's own files, read once: a request names one of them exactly, or is answered 404
# (no path is ever joined to a folder, so no traversal, NUL or odd encoding reaches the disk).
ASSETS = {
    f.name: (f.read_bytes(), MEDIA_TYPES[f.suffix])
    for f in sorted(STATIC.iterdir())
    if f.suffix in MEDIA_TYPES and f.name != "dashboard.html"
}


@get("/dashboard/static/{name:str}", sync_to_thread=False, include_in_schema=False)
def asset(name: str) -> Response[bytes]:
    """One of the page's scripts or its style sheet."""
    if name not in ASSETS:
        raise NotFoundException()
    content, media_type = ASSETS[name]
    return Response(content, media_type=media_type, headers=PAGE_HEADERS)


ROUTES = [dashboard, page, asset]
