"""Items extended to communities and villages (事项延伸): per town and per community."""

from __future__ import annotations

from litestar import Request, Response, get

from infra.api.answers import Extensions, TownExtensions
from infra.api.paging import Limit, Offset, answer
from infra.api.queries import AsOf, Code, Filter, KnownAt, axes, read_sections, readers, reading, sections
from infra.api.scope import Attribution
from infra.axes import TOWN_EXTENSIONS, extensions

BY_DEPARTMENT = ("department",)  # the extended item's owning department


@get(
    "/api/v1/towns/{town:str}/extensions",
    sync_to_thread=True,
    **readers(Attribution(town_path="town", departments=BY_DEPARTMENT)),
)
def town_extensions(
    request: Request,
    town: Code,
    as_of: AsOf = None,
    known_at: KnownAt = None,
    limit: Limit = 100,
    offset: Offset = 0,
) -> Response[TownExtensions]:
    """事项向村(社区)延伸 — the items the town extended to its communities and villages, who
    takes each in and the cases handled (counts period by period); with `as_of` / `known_at`,
    on that day as the ledger stood then. 404 when the town extended nothing (by then)."""
    found, _then = read_sections(request, TOWN_EXTENSIONS, town, as_of, known_at)
    return answer(request, sections(found, limit, offset))


@get(
    "/api/v1/extensions",
    sync_to_thread=True,
    **readers(Attribution(towns=("town",), departments=BY_DEPARTMENT)),
)
def community_extensions(
    request: Request,
    community: Filter = None,
    town: Filter = None,
    as_of: AsOf = None,
    known_at: KnownAt = None,
    limit: Limit = 100,
    offset: Offset = 0,
) -> Response[Extensions]:
    """村(社区)承接事项 — what each community or village takes in from its town (of one
    `community`, one `town`, or all) and the cases it handled; with `as_of` / `known_at`, on
    that day as the ledger stood then. Communities are the codes the towns gave."""
    when = axes(request, as_of, known_at)
    with reading(request) as cur:
        found = extensions(cur, town, community, when)
    return answer(request, sections(found, limit, offset))


ROUTES = [town_extensions, community_extensions]
