"""The grid (网格): cells per town and community with their members and teams on a day (both
time axes), one cell, and the linkage figures per cell and per community. The case register
per cell or community is `/api/v1/cases?cell=…` / `?community=…` (routes/linkage.py)."""

from __future__ import annotations

from typing import Annotated, Literal

from litestar import Request, Response, get
from litestar.exceptions import ValidationException
from litestar.params import QueryParameter

from infra.api.answers import GridCellDetail, GridCellRow, GridFigures, Page
from infra.api.paging import answer
from infra.api.queries import Code, Filter, Paging, Window, readers, reading, unknown
from infra.api.scope import Attribution, admitted
from projections.grid import cases as grid_cases
from projections.grid import cells as grid_cells
from projections.linkage.metrics import PERIOD

CELLS = Attribution(towns=("town",))  # a cell is its town's
ONE_CELL = Attribution(towns=("town",), single=True)
Period = Annotated[
    str,
    QueryParameter(
        max_length=10, pattern=PERIOD, description="a year, month or day: 2021, 2021-12 or 2021-12-01"
    ),
]
By = Annotated[
    Literal["cell", "community"],
    QueryParameter(description="one row per cell (with its town and community) or per community"),
]


@get("/api/v1/grid/cells", sync_to_thread=True, **readers(CELLS))
def cells(
    request: Request, town: Filter = None, community: Filter = None, *, window: Window
) -> Response[Page[GridCellRow]]:
    """网格 — the cells in force (of a town, of a community), each with its members by kind
    (专职, 兼职, 流动) and its "1+2+N" team's model, head and size; with `as_of` / `known_at`,
    on that day as the ledger stood then."""
    on, known = window.time or (None, None)  # None, None: today, now
    with reading(request) as cur:
        rows = grid_cells.cells(cur, town, community, on, known)
    return answer(request, window.page(rows))


@get("/api/v1/grid/cells/{cell:str}", sync_to_thread=True, **readers(ONE_CELL))
def cell(request: Request, cell: Code, window: Window) -> Response[GridCellDetail]:
    """One cell: its town, community and level, its team's places, and its members (by id)
    with the role each holds; with `as_of` / `known_at`, on that day as the ledger stood then.
    404 when the ledger knew no such cell by then."""
    on, known = window.time or (None, None)  # None, None: today, now
    with reading(request) as cur:
        found = grid_cells.cell(cur, cell, on, known)
    if found is None or not admitted(request, found):  # outside the token's scope: as unknown
        raise unknown(f"grid cell {cell!r}", on is not None)
    return answer(request, {**found, "members": window.page(found["members"])})


@get("/api/v1/grid/metrics", sync_to_thread=True, **readers(CELLS))
def metrics(
    request: Request,
    period: Period,
    by: By = "cell",
    town: Filter = None,
    community: Filter = None,
    *,
    paging: Paging,
) -> Response[Page[GridFigures]]:
    """联动考评指标 per cell or per community: the period's counts of the cases reported in each
    (summed over their parties) and the response, on-time resolution, resolution and
    satisfaction rates."""
    try:
        with reading(request) as cur:
            rows = grid_cases.figures(cur, period, by, town, community)
    except ValueError as e:
        raise ValidationException(f"period: {e}") from e
    return answer(request, paging.page(rows))


ROUTES = [cells, cell, metrics]
