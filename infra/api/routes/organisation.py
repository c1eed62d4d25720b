"""Organisation (镇街机构设置): a town's structure — its model (大部门制), units, removed plaques."""

from __future__ import annotations

from litestar import Request, Response, get

from infra.api.answers import Structure
from infra.api.paging import answer
from infra.api.queries import Code, Paging, known, readers, reading
from infra.api.scope import Attribution
from infra.axes import organisation


@get("/api/v1/towns/{town:str}/structure", sync_to_thread=True, **readers(Attribution(town_path="town")))
def structure(request: Request, town: Code, paging: Paging) -> Response[Structure]:
    """The town's organisation (大部门制): its model, units with their one supervising leader,
    and the plaques it took down. 404 when the ledger knows no organisation of the town."""
    with reading(request) as cur:
        found = known(lambda: organisation(cur, town))
    model = found.pop("model")
    return answer(request, {"town": town, "model": model, **paging.sections(found)})


ROUTES = [structure]
