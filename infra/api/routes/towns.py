"""Towns and their inventories: powers (with both time axes), duties, structure, scenarios."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from litestar import Request, Response, get

from infra.api.access import AUDITOR, READER, allow
from infra.api.app import reading
from infra.api.paging import Limit, Offset, answer, page
from infra.api.queries import (
    AsOf, Code, Filter, KnownAt, auditing, axes, instant, sections, unknown,
)
from infra.api.schemas import DutyLists, Page, PowerRow, ScenarioRow, Structure
from projections.duties import overview as town_duty_overview
from projections.organisation import structure as town_structure
from projections.duties.history import duty_lists_as_of
from projections.territorial.scenarios import scenarios_in
from projections.powers.history import town_powers_as_of
from projections.powers.inventory import town_counts, town_powers


def when(request: Request, as_of: date | None, known_at: str | None) -> tuple[date, datetime | None]:
    """The day and the recorded-time bound of a query; either one asks for an auditor."""
    auditing(request, as_of, known_at)
    return as_of or date.today(), instant("known_at", known_at) if known_at else None


@get("/api/v1/towns", sync_to_thread=True, **allow(READER, AUDITOR))
def towns(request: Request, as_of: AsOf = None) -> Response[Any]:
    """Every town holding powers on the day, with its counts by kind and by list."""
    on, _ = when(request, as_of, None)
    with reading(request) as cur:
        rows = town_counts(cur, on)
    found: dict[str, dict[str, Any]] = {}
    for r in rows:
        town = found.setdefault(r["town"], {"town": r["town"], "items": 0, "by_kind": {}, "by_list": {}})
        town["items"] += r["items"]
        town["by_kind"][r["kind"]] = town["by_kind"].get(r["kind"], 0) + r["items"]
        town["by_list"][r["list"]] = town["by_list"].get(r["list"], 0) + r["items"]
    return answer(request, {"on": on, "towns": list(found.values())})


@get("/api/v1/towns/{town:str}/powers", sync_to_thread=True, **allow(READER, AUDITOR))
def powers(request: Request, town: Code, as_of: AsOf = None, known_at: KnownAt = None,
           kind: Filter = None, limit: Limit = 100,
           offset: Offset = 0) -> Response[Page[PowerRow]]:
    """The town's power list (镇街权力清单) in force on `as_of`, as known at `known_at`."""
    on, known = when(request, as_of, known_at)
    with reading(request) as cur:
        rows = town_powers_as_of(cur, town, on, known) if known else town_powers(cur, town, on)
    if kind:
        rows = [r for r in rows if r["kind"] == kind]
    return answer(request, page(rows, limit, offset))


@get("/api/v1/towns/{town:str}/duties", sync_to_thread=True, **allow(READER, AUDITOR))
def duties(request: Request, town: Code, as_of: AsOf = None, known_at: KnownAt = None,
           limit: Limit = 100, offset: Offset = 0) -> Response[DutyLists]:
    """The town's duty lists (职责清单): basic, cooperating, and recalled to the upper level;
    with `as_of` / `known_at`, the lists in force that day as the ledger stood then."""
    time = axes(request, as_of, known_at)
    with reading(request) as cur:
        found = (duty_lists_as_of(cur, town, *time) if time
                 else town_duty_overview.duty_lists(cur, town))
    return answer(request, {"town": town, **sections(found, limit, offset)})


@get("/api/v1/towns/{town:str}/structure", sync_to_thread=True, **allow(READER, AUDITOR))
def structure(request: Request, town: Code, limit: Limit = 100,
              offset: Offset = 0) -> Response[Structure]:
    """The town's organisation (大部门制): its model, units with their one supervising leader,
    and the plaques it took down. 404 when the ledger knows no organisation of the town."""
    with reading(request) as cur:
        model = town_structure.town_model(cur, town)
        if model is None:
            raise unknown(f"organisation of town {town!r}")
        found = {"units": town_structure.town_structure(cur, town),
                 "plaques_removed": town_structure.removed_plaques(cur, town)}
    return answer(request, {"town": town, "model": model, **sections(found, limit, offset)})


@get("/api/v1/towns/{town:str}/scenarios", sync_to_thread=True, **allow(READER, AUDITOR))
def scenarios(request: Request, town: Code, limit: Limit = 100,
              offset: Offset = 0) -> Response[Page[ScenarioRow]]:
    """The joint-enforcement scenarios (属地联动执法事项, "一件事") in force for the town."""
    with reading(request) as cur:
        rows = scenarios_in(cur, town)
    return answer(request, page(rows, limit, offset))


ROUTES = [towns, powers, duties, structure, scenarios]
