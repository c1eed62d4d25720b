"""The district at a glance (区镇治理一览): `/api/v1/dashboard` and the page `/dashboard`.

The API answer (readers and auditors) holds every figure of one day (`figures`).
The page is public and holds no data: its script asks for a bearer token (kept in the
tab's sessionStorage, or passed as `#token=...`, a fragment that never reaches the server),
fetches the answer with it and draws the tables and the SVG charts itself. Everything the
page loads comes from this server, which its Content-Security-Policy enforces."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Annotated, Any

from litestar import Request, Response, get
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, Parameter

from aggregates.base import days_from
from infra.api import scope as scopes
from infra.api.access import AUDITOR, READER, allow
from infra.api.paging import answer
from infra.api.queries import reading
from infra.api.scope import WHOLE, Attribution, Scope, admits
from infra.axes import moment
from infra.settings import Linkage
from projections.linkage.cases import open_cases_at, overdue_cases
from projections.linkage.metrics import FIELDS, daily, summed
from projections.monitors import monitors
from projections.organisation.structure import town_model
from projections.powers.inventory import town_counts
from projections.territorial.duty_list import territorial_duties_for

# The figures of the dashboard, composed from the read models for one day.
#
# Powers are those in force on the day; the monitors are read for the day and its year; the
# pool is its balance as it stands (as the policy monitors read it) with the draws whose term
# ends within 30 days of the day; cases are those open at the end of the day (China time, or
# now for today), folded from the case register's history; the rates are district-wide, day
# by day, for the 30 days ending on the last day with anything counted on or before the day
# (see `rates`, and `projections.linkage.metrics.daily` for what "district-wide" counts).
# The codes the answer shows (towns, departments, the linkage's parties) are named in `names`
# wherever a read model names them (see `names`), so the page needs no second request.
#
# A scoped token's dashboard is composed from the rows in its scope only (`DASHBOARD`): its
# towns, monitor rows, draws coming due and cases (a department's: those it leads or
# cooperates on), with the counts and the rates of those alone (the rates summed over the
# parties in scope); figures of the whole deployment (the plan's share, the pools' balances)
# name no town or department and are left out.


DAYS = 30  # the window of the rates, and of the draws coming due
RATES = ("response", "on_time_resolution", "resolution", "satisfaction")
DASHBOARD = Attribution(towns=("town",), departments=("department", "lead", "cooperating"), single=True)


def kept(scope: Scope, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The rows in the scope, by the dashboard's fields."""
    return [row for row in rows if admits(scope, DASHBOARD.fields(scope), row)]


def end_of(on: date) -> datetime:
    """The moment the cases are read at: the end of the day (China time), or now if sooner
    (to the minute, so that a page polling today's figures gets 304s within a minute)."""
    return min(moment(on.isoformat()), datetime.now(UTC).replace(second=0, microsecond=0))


def towns(cur: Any, on: date, scope: Scope = WHOLE) -> list[dict[str, Any]]:
    """Every town holding powers on the day: its name, items, and items by kind and by list."""
    found: dict[str, dict[str, Any]] = {}
    for r in kept(scope, town_counts(cur, on)):
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


def sink_down(cur: Any, on: date, scope: Scope = WHOLE) -> tuple[dict[str, Any], dict[str, Any]]:
    """The sink-down and plan monitors against their targets with how many miss, and every
    monitor's rows (the pool's among them)."""
    found = {name: kept(scope, rows) for name, rows in monitors(cur, on, on.year).items()}
    shown = {k: found[k] for k in ("departments", "towns", "plan")}
    return {**shown, "missed": sum(row.get("met") is False for rows in shown.values() for row in rows)}, found


def pool(found: dict[str, Any]) -> dict[str, Any]:
    """The pools' balances, what is out by purpose, and the draws coming due."""
    return {"balances": found["pool"], "by_purpose": found["draws"], "expiring": found["expiring"]}


def cases(cur: Any, at: datetime, scope: Scope = WHOLE) -> dict[str, Any]:
    """Open and overdue cases at `at`: totals, per town, and the overdue list."""
    open_now, late = kept(scope, open_cases_at(cur, at)), kept(scope, overdue_cases(cur, at))
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


def last_counted(cur: Any, on: date, parties: list[str] | None = None) -> date | None:
    """The last day on or before `on` with anything counted for any party (of `parties`, if
    given; None if none)."""
    cur.execute(
        "SELECT max(day) AS day FROM linkage_metrics WHERE day <= %(on)s"
        " AND (%(parties)s::text[] IS NULL OR party = ANY(%(parties)s))",
        {"on": on, "parties": parties},
    )
    found = cur.fetchone()
    return found["day"] if found else None


def parties_daily(cur: Any, first: date, last: date, parties: list[str]) -> list[dict[str, Any]]:
    """As `daily`, summed over the given parties only."""
    cur.execute(
        "SELECT * FROM linkage_metrics WHERE day BETWEEN %(first)s AND %(last)s AND party = ANY(%(parties)s)",
        {"first": first, "last": last, "parties": parties},
    )
    counted: dict[date, list[dict[str, Any]]] = {}
    for row in cur.fetchall():
        counted.setdefault(row["day"], []).append(row)
    zero = {f: 0 for f in FIELDS}
    days = [days_from(first, n) for n in range((last - first).days + 1)]
    return [{"day": day, **summed(counted.get(day, [zero]))} for day in days]


def rates(cur: Any, on: date, scope: Scope = WHOLE) -> dict[str, Any]:
    """The district-wide counts and rates of each of the 30 days ending on the last day with
    anything counted on or before the day, and of the 30 days together.

    A day after the last one counted has nothing to rate, so the window is moved back to end
    on that last day (`last`, with `moved_back` true and `last_counted` naming it): a board
    read weeks after the last case still shows its rates. When nothing was counted on or
    before the day, the window ends on the day (`last_counted` is null)."""
    parties = None if scope.whole else sorted(scope.towns if scope.by_town else scope.codes)
    counted = last_counted(cur, on, parties)
    last = on if counted is None else counted
    first = days_from(last, 1 - DAYS)
    days = daily(cur, first, last) if parties is None else parties_daily(cur, first, last, parties)
    return {
        "first": first,
        "last": last,
        "last_counted": counted,
        "moved_back": last < on,
        "names": list(RATES),
        "days": days,
        "total": summed(days),
    }


# The command centres' names (the codes are the deployment's, `Linkage` in the settings).
CENTRES = {"district_centre": "区社会治理中心", "city_centre": "市社会治理中心"}
DEFAULT_LINKAGE = Linkage()  # the settings' own codes, when a caller gives none
TOWN = "TOWN"  # a duty list's word for the town itself, not a department


def centres(linkage: Linkage) -> dict[str, str]:
    """The linkage's command centres by their codes, named."""
    return {getattr(linkage, field): name for field, name in CENTRES.items()}


def duty_list_names(cur: Any) -> dict[str, str]:
    """Departments as the territorial duty list (属地管理事项清单) names them: each party's duty
    reads "部门名：职责" (e.g. "区综合行政执法局：行业监管，…"); the name is what comes before the
    first full-width colon, if it is one short phrase. A lead's wording wins over a cooperating
    party's, an earlier duty's over a later one's."""
    found: dict[str, str] = {}
    rows = territorial_duties_for(cur, TOWN)
    parties = [(r["lead"], r["lead_duty"]) for r in rows]
    parties += [(p["unit"], p["duty"]) for r in rows for p in r["cooperating"]]
    for unit, duty in parties:
        name, colon, _ = duty.partition("：")
        if unit != TOWN and colon and 2 <= len(name) <= 40 and not set(name) & set("，、；。:"):
            found.setdefault(unit, name.strip())
    return found


def names(cur: Any, codes: Iterable[str], linkage: Linkage) -> dict[str, str]:
    """The name of each code the read models name, by code: a command centre's (settings),
    a town's as registered (镇街机构设置, else the staffing ledger's unit, 编制台账), a
    department's as the territorial duty list writes it. Codes named nowhere are left out
    (the sink-down seed's departments, e.g. AN-NRP, are codes only in the ledger)."""
    wanted = sorted(set(codes))
    cur.execute(
        "SELECT code, name, 1 AS rank FROM town_organisations WHERE code = ANY(%(codes)s)"
        " UNION ALL SELECT unit, name, 2 FROM quota_units"
        " WHERE unit = ANY(%(codes)s) AND name IS NOT NULL ORDER BY rank DESC",
        {"codes": wanted},
    )
    registered = {r["code"]: r["name"] for r in cur.fetchall()}  # a town's own name last, so it wins
    found = {**duty_list_names(cur), **registered, **centres(linkage)}
    return {code: found[code] for code in wanted if code in found}


def shown_codes(answer: Mapping[str, Any]) -> set[str]:
    """Every town, department and party code the answer shows."""
    monitored, pooled, open_cases = answer["monitors"], answer["pool"], answer["cases"]
    return {
        *(t["town"] for t in answer["towns"]),
        *(r["department"] for r in monitored["departments"]),
        *(r["town"] for r in monitored["towns"]),
        *(d["town"] for d in pooled["expiring"]),
        *(t["town"] for t in open_cases["by_town"]),
        *(code for o in open_cases["overdue_list"] for code in (o["town"], o["lead"]) if code),
    }


def figures(cur: Any, on: date, linkage: Linkage = DEFAULT_LINKAGE, scope: Scope = WHOLE) -> dict[str, Any]:
    """Everything the dashboard shows for the day, in one answer, with the names of the
    codes it shows (`linkage` gives the command centres' codes); of the `scope` only."""
    at = end_of(on)
    monitored, found = sink_down(cur, on, scope)
    answer = {
        "on": on,
        "at": at,
        "towns": towns(cur, on, scope),
        "monitors": monitored,
        "pool": pool(found),
        "cases": cases(cur, at, scope),
        "rates": rates(cur, on, scope),
        "burden": found["burden"],  # 减负: items per district and kind, on the baseline day and the day
        "workers": found["workers"],  # 社区工作者: per 10,000 residents against the city's standard
    }
    return {**answer, "names": names(cur, shown_codes(answer), linkage)}


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


@get("/api/v1/dashboard", sync_to_thread=True, **allow(READER, AUDITOR, scope=DASHBOARD))
def dashboard(request: Request, on: OnDay = None) -> Response[Any]:
    """The district on one day: towns' powers by kind, the sink-down monitors against their
    targets, the pool and its draws coming due, open and overdue cases, the district-wide
    linkage rates of each of the 30 days ending on the last day counted on or before the day,
    the burden-reduction counts (减负: per district and kind, on the baseline day and the day),
    the community workers per 10,000 residents against the city's standard, per district and town,
    and the names of the towns, departments and parties shown; of the token's scope only."""
    with reading(request) as cur:
        found = figures(cur, on or date.today(), request.app.state.settings.linkage, scopes.of(request))
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
def asset(name: FromPath[str]) -> Response[bytes]:
    """One of the page's scripts or its style sheet."""
    if name not in ASSETS:
        raise NotFoundException()
    content, media_type = ASSETS[name]
    return Response(content, media_type=media_type, headers=PAGE_HEADERS)


ROUTES = [dashboard, page, asset]
