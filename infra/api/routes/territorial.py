"""Territorial (属地管理): the joint-enforcement scenarios (属地联动执法事项) in force for a town."""

from __future__ import annotations

from litestar import Request, Response, get

from infra.api.answers import Page, ScenarioRow
from infra.api.paging import answer
from infra.api.queries import Code, Paging, readers, reading
from infra.api.scope import Attribution
from projections.territorial.scenarios import scenarios_in


@get(
    "/api/v1/towns/{town:str}/scenarios",
    sync_to_thread=True,
    **readers(Attribution(town_path="town", departments=("lead", "cooperating"))),
)
def scenarios(request: Request, town: Code, paging: Paging) -> Response[Page[ScenarioRow]]:
    """The joint-enforcement scenarios (属地联动执法事项, "一件事") in force for the town."""
    with reading(request) as cur:
        rows = scenarios_in(cur, town)
    return answer(request, paging.page(rows))


ROUTES = [scenarios]
