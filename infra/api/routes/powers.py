"""Powers (权力清单): the towns holding powers, and a town's power list on both time axes."""

from __future__ import annotations

from typing import Any

from litestar import Request, Response, get

from infra.api.answers import Page, PowerRow
from infra.api.paging import answer
from infra.api.queries import AsOf, Code, Filter, Window, readers, reading, when
from infra.api.scope import Attribution
from projections.powers.history import town_powers_as_of
from projections.powers.inventory import town_counts, town_powers


@get("/api/v1/towns", sync_to_thread=True, **readers(Attribution(towns=("town",))))
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


@get(
    "/api/v1/towns/{town:str}/powers",
    sync_to_thread=True,
    **readers(Attribution(town_path="town", departments=("department",))),
)
def powers(
    request: Request,
    town: Code,
    kind: Filter = None,
    *,
    window: Window,
) -> Response[Page[PowerRow]]:
    """The town's power list (镇街权力清单) in force on `as_of`, as known at `known_at`."""
    on, known = window.day, window.known
    with reading(request) as cur:
        rows = town_powers_as_of(cur, town, on, known) if known else town_powers(cur, town, on)
    if kind:
        rows = [r for r in rows if r["kind"] == kind]
    return answer(request, window.page(rows))


ROUTES = [towns, powers]
