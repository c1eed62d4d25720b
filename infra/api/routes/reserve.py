"""Cadre reserve (干部AB库): a street's reserve and its cadres, its movements and appointments."""

from __future__ import annotations

from litestar import Request, Response, get

from infra.api.answers import Reserve, ReserveMovements
from infra.api.paging import answer
from infra.api.queries import Code, Window, readers
from infra.api.scope import Attribution
from infra.axes import RESERVE, RESERVE_MOVEMENTS

STREET = Attribution(town_path="town")


@get("/api/v1/towns/{town:str}/reserve", sync_to_thread=True, **readers(STREET))
def reserve(request: Request, town: Code, window: Window) -> Response[Reserve]:
    """干部AB库 — the street's reserve (cadres in tier B and tier A, appointed and taken out,
    the district's rule for principal posts) and its cadres, person ids only; with `as_of` /
    `known_at`, on that day as the ledger stood then. 404 when no reserve of the town is known."""
    return answer(request, window.sections(window.read(request, RESERVE, town)))


@get("/api/v1/towns/{town:str}/reserve/movements", sync_to_thread=True, **readers(STREET))
def movements(request: Request, town: Code, window: Window) -> Response[ReserveMovements]:
    """干部流动 — every movement into, within and out of the street's reserve (能者上、庸者下),
    and the appointments drawn from it to mid-level posts; with `as_of` / `known_at`, those
    effective by that day as the ledger stood then. 404 when no movement is known."""
    return answer(request, window.sections(window.read(request, RESERVE_MOVEMENTS, town)))


ROUTES = [reserve, movements]
