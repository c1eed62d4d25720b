"""Community workers (社区工作者): the register of a community, town or district on a day."""

from __future__ import annotations

from litestar import Request, Response, get

from infra.api.answers import CommunityWorkers
from infra.api.paging import answer
from infra.api.queries import Dated, Filter, readers, reading
from infra.api.scope import Attribution
from projections.community_workers import register


@get("/api/v1/community-workers", sync_to_thread=True, **readers(Attribution(towns=("town",))))
def community_workers(
    request: Request, community: Filter = None, town: Filter = None, district: Filter = None, *, dated: Dated
) -> Response[CommunityWorkers]:
    """社区工作者名册 — on `on`, the workers in post of one community, town or district (all
    without): per community, each worker (by id) with post type and pay grade, the recruitment
    batches taken on by then, and the districts' scales (岗级体系) and the cities' standards
    (配备标准) then; as the ledger stood at `known_at` for auditors."""
    day, known = dated.day, dated.known
    where = {"community": community, "town": town, "district": district}
    with reading(request) as cur:
        sections = register.sections_on(cur, day, known, **where)
    return answer(request, {"on": day, **dated.sections(sections)})


ROUTES = [community_workers]
