"""Items extended to communities and villages (事项延伸): per town and per community."""

from __future__ import annotations

from litestar import Request, Response, get

from infra.api.answers import Extensions, TownExtensions
from infra.api.paging import answer
from infra.api.queries import (
    Code,
    Filter,
    Window,
    readers,
    reading,
)
from infra.api.scope import Attribution
from infra.axes import TOWN_EXTENSIONS, extensions

BY_DEPARTMENT = ("department",)  # the extended item's owning department


@get(
    "/api/v1/towns/{town:str}/extensions",
    sync_to_thread=True,
    **readers(Attribution(town_path="town", departments=BY_DEPARTMENT)),
)
def town_extensions(request: Request, town: Code, window: Window) -> Response[TownExtensions]:
    """事项向村(社区)延伸 — the items the town extended to its communities and villages, who
    takes each in and the cases handled (counts period by period); with `as_of` / `known_at`,
    on that day as the ledger stood then. 404 when the town extended nothing (by then)."""
    return answer(request, window.sections(window.read(request, TOWN_EXTENSIONS, town)))


@get(
    "/api/v1/extensions",
    sync_to_thread=True,
    **readers(Attribution(towns=("town",), departments=BY_DEPARTMENT)),
)
def community_extensions(
    request: Request, community: Filter = None, town: Filter = None, *, window: Window
) -> Response[Extensions]:
    """村(社区)承接事项 — what each community or village takes in from its town (of one
    `community`, one `town`, or all) and the cases it handled; with `as_of` / `known_at`, on
    that day as the ledger stood then. Communities are the codes the towns gave."""
    with reading(request) as cur:
        found = extensions(cur, town, community, window.time)
    return answer(request, window.sections(found))


ROUTES = [town_extensions, community_extensions]
