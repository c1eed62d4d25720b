"""Towns and their inventories: powers (with both time axes), duties, structure, scenarios."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from litestar import Request, Response, get
from litestar.exceptions import ValidationException
from litestar.params import FromPath, FromQuery, Parameter
from typing_extensions import Annotated

from infra.api.access import AUDITOR, READER, allow, require
from infra.api.app import reading
from infra.api.paging import Limit, Offset, answer, page
from infra.cli_time import moment
from projections.power_history import town_powers_as_of
from projections.town_power_inventory import town_counts, town_powers

AsOf = Annotated[date | None, Parameter(description="the day in force (auditors; today when absent)")]
KnownAt = Annotated[str | None, Parameter(
    description="as the ledger stood then: a day (its end, China time) or an ISO time (auditors)")]


def when(request: Request, as_of: date | None, known_at: str | None) -> tuple[date, datetime | None]:
    """The day and the recorded-time bound of a query; either one asks for an auditor."""
    if as_of or known_at:
        require(request, AUDITOR, "a query as of another day or another state of the ledger")
    try:
        return as_of or date.today(), moment(known_at) if known_at else None
    except ValueError as e:
        raise ValidationException(f"known_at: {e}") from e


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
def powers(request: Request, town: FromPath[str], as_of: AsOf = None, known_at: KnownAt = None,
           kind: FromQuery[str | None] = None, limit: Limit = 100, offset: Offset = 0) -> Response[Any]:
    """The town's power list (镇街权力清单) in force on `as_of`, as known at `known_at`."""
    on, known = when(request, as_of, known_at)
    with reading(request) as cur:
        rows = town_powers_as_of(cur, town, on, known) if known else town_powers(cur, town, on)
    if kind:
        rows = [r for r in rows if r["kind"] == kind]
    return answer(request, page(rows, limit, offset))


ROUTES = [towns, powers]
