"""Duties (职责清单): a town's duty lists, now or on a day as the ledger stood then."""

from __future__ import annotations

from litestar import Request, Response, get

from infra.api.answers import DutyLists
from infra.api.paging import answer
from infra.api.queries import Code, Window, readers, reading
from infra.api.scope import Attribution
from projections.duties import overview as town_duty_overview
from projections.duties.history import duty_lists_as_of


@get(
    "/api/v1/towns/{town:str}/duties",
    sync_to_thread=True,
    **readers(Attribution(town_path="town", departments=("lead", "partner"))),
)
def duties(request: Request, town: Code, window: Window) -> Response[DutyLists]:
    """The town's duty lists (职责清单): basic, cooperating, and recalled to the upper level;
    with `as_of` / `known_at`, the lists in force that day as the ledger stood then."""
    time = window.time
    with reading(request) as cur:
        found = duty_lists_as_of(cur, town, *time) if time else town_duty_overview.duty_lists(cur, town)
    return answer(request, {"town": town, **window.sections(found)})


ROUTES = [duties]
