"""Jurisdictions (行政层级): the tree of units of administration, and their residents (常住人口).

Both answer for a day (`on`, today by default) and, for auditors, as the ledger stood at a
moment (`known_at`)."""

from __future__ import annotations

from litestar import Request, Response, get

from infra.api.answers import JurisdictionTree, Residents
from infra.api.paging import answer
from infra.api.queries import Dated, Filter, readers, reading, unknown
from infra.api.scope import Attribution
from projections.jurisdictions import tree


@get("/api/v1/jurisdictions", sync_to_thread=True, **readers(Attribution(towns=("town",))))
def jurisdictions(request: Request, under: Filter = None, *, dated: Dated) -> Response[JurisdictionTree]:
    """行政层级 — the unit `under` (a city, a district, …) and every unit beneath it, depth first,
    each with its residents on `on` (every unit from the top without `under`); as the ledger
    stood at `known_at` for auditors. 404 for a unit not registered by then."""
    day, known = dated.day, dated.known
    with reading(request) as cur:
        rows = tree.jurisdiction_tree(cur, under, day, known)
    if under is not None and not rows:
        raise unknown(f"unit of administration {under!r} registered by {day}", known is not None)
    return answer(request, {"under": under, "on": day, "units": dated.page(rows)})


@get("/api/v1/jurisdictions/residents", sync_to_thread=True, **readers(Attribution(towns=("town",))))
def residents(request: Request, unit: Filter = None, *, dated: Dated) -> Response[Residents]:
    """常住人口 — the unit's residents on `on` (every counted unit's, without `unit`): its own
    count in force then, or the sum of its units' (`summed`); with `unit`, its counts too. As the
    ledger stood at `known_at` for auditors. 404 for a unit not registered by then."""
    day, known = dated.day, dated.known
    with reading(request) as cur:
        rows = tree.residents_on(cur, unit, day, known)
        counts = tree.resident_counts(cur, unit, known) if unit is not None else []
    if unit is not None and not rows:
        raise unknown(f"unit of administration {unit!r} registered by {day}", known is not None)
    return answer(request, {"on": day, "residents": dated.page(rows), "counts": dated.page(counts)})


ROUTES = [jurisdictions, residents]
