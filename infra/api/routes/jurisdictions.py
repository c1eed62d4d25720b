"""Jurisdictions (行政层级): the tree of units of administration, and their residents (常住人口).

Both answer for a day (`on`, today by default) and, for auditors, as the ledger stood at a
moment (`known_at`)."""

from __future__ import annotations

from datetime import date

from litestar import Request, Response, get

from infra.api.answers import JurisdictionTree, Residents
from infra.api.paging import Limit, Offset, answer, page
from infra.api.queries import Filter, KnownAt, On, auditing, instant, readers, reading, unknown
from infra.api.scope import Attribution
from projections.jurisdictions import tree


@get("/api/v1/jurisdictions", sync_to_thread=True, **readers(Attribution(towns=("town",))))
def jurisdictions(
    request: Request,
    under: Filter = None,
    on: On = None,
    known_at: KnownAt = None,
    limit: Limit = 100,
    offset: Offset = 0,
) -> Response[JurisdictionTree]:
    """行政层级 — the unit `under` (a city, a district, …) and every unit beneath it, depth first,
    each with its residents on `on` (every unit from the top without `under`); as the ledger
    stood at `known_at` for auditors. 404 for a unit not registered by then."""
    auditing(request, None, known_at)
    day, known = on or date.today(), instant("known_at", known_at) if known_at else None
    with reading(request) as cur:
        rows = tree.jurisdiction_tree(cur, under, day, known)
    if under is not None and not rows:
        raise unknown(f"unit of administration {under!r} registered by {day}", known is not None)
    return answer(request, {"under": under, "on": day, "units": page(rows, limit, offset)})


@get("/api/v1/jurisdictions/residents", sync_to_thread=True, **readers(Attribution(towns=("town",))))
def residents(
    request: Request,
    unit: Filter = None,
    on: On = None,
    known_at: KnownAt = None,
    limit: Limit = 100,
    offset: Offset = 0,
) -> Response[Residents]:
    """常住人口 — the unit's residents on `on` (every counted unit's, without `unit`): its own
    count in force then, or the sum of its units' (`summed`); with `unit`, its counts too. As the
    ledger stood at `known_at` for auditors. 404 for a unit not registered by then."""
    auditing(request, None, known_at)
    day, known = on or date.today(), instant("known_at", known_at) if known_at else None
    with reading(request) as cur:
        rows = tree.residents_on(cur, unit, day, known)
        counts = tree.resident_counts(cur, unit, known) if unit is not None else []
    if unit is not None and not rows:
        raise unknown(f"unit of administration {unit!r} registered by {day}", known is not None)
    return answer(
        request, {"on": day, "residents": page(rows, limit, offset), "counts": page(counts, limit, offset)}
    )


ROUTES = [jurisdictions, residents]
