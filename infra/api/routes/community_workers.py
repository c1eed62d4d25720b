"""Community workers (社区工作者): the register of a community, town or district on a day."""

from __future__ import annotations

from datetime import date

from litestar import Request, Response, get

from infra.api.answers import CommunityWorkers
from infra.api.paging import Limit, Offset, answer, page
from infra.api.queries import Filter, KnownAt, On, auditing, instant, readers, reading
from infra.api.scope import Attribution
from projections.community_workers import register


@get("/api/v1/community-workers", sync_to_thread=True, **readers(Attribution(towns=("town",))))
def community_workers(
    request: Request,
    community: Filter = None,
    town: Filter = None,
    district: Filter = None,
    on: On = None,
    known_at: KnownAt = None,
    limit: Limit = 100,
    offset: Offset = 0,
) -> Response[CommunityWorkers]:
    """社区工作者名册 — on `on`, the workers in post of one community, town or district (all
    without): per community, each worker (by id) with post type and pay grade, the recruitment
    batches taken on by then, and the districts' scales (岗级体系) and the cities' standards
    (配备标准) then; as the ledger stood at `known_at` for auditors."""
    auditing(request, None, known_at)
    day, known = on or date.today(), instant("known_at", known_at) if known_at else None
    where = {"community": community, "town": town, "district": district}
    with reading(request) as cur:
        workers = register.workers_on(cur, day, known, **where)
        batches = register.recruitments(cur, day, known, **where)
        scales, standards = register.scales(cur, day, known), register.standards(cur, day, known)
    sections = {
        "communities": register.community_counts(workers),
        "workers": workers,
        "recruitments": batches,
        "scales": scales,
        "standards": standards,
    }
    return answer(
        request, {"on": day, **{name: page(rows, limit, offset) for name, rows in sections.items()}}
    )


ROUTES = [community_workers]
