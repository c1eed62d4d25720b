"""Use cases of the grid (网格): cells, their members and their "1+2+N" teams."""

from __future__ import annotations

from aggregates.base import Context
from aggregates.command_batch import UseCases, use_case
from aggregates.grid.cell import (
    CellDetails,
    CommunityGridCode,
    GridCell,
    GridCellAlreadyRegistered,
    GridCellNotRegistered,
    TeamPlaces,
)
from aggregates.jurisdictions.jurisdiction import check_community_of
from aggregates.organisation.town import Town
from aggregates.organisation.use_cases import TownNotRegistered

VALUE_TYPES: tuple[type, ...] = (CellDetails, TeamPlaces)


class GridUseCases(UseCases):
    """网格 — cells of a town's communities, their members by kind and dated, their teams."""

    value_types = VALUE_TYPES

    def _cell(self, code: str) -> GridCell:
        return self._found(
            GridCell,
            GridCell.create_id(code),
            lambda: GridCellNotRegistered(f"grid cell {code} is not registered"),
        )

    @use_case
    def register_grid_cell(self, ctx: Context, cell: str, details: CellDetails) -> None:
        """In a town the organisation context knows (`town.register`); the community one of that
        town's where the register of jurisdictions knows it, else as given."""
        if self._read(Town, Town.create_id(details.town)) is None:
            raise TownNotRegistered(f"town {details.town} of grid cell {cell} is not registered")
        check_community_of(self._read, details.community, details.town)
        CommunityGridCode.check(
            details.level != "community" or cell == details.community,
            f"the community grid of {details.community} is registered as {details.community}, not {cell}",
        )
        self._create_once(
            GridCell,
            GridCell.create_id(cell),
            new=lambda: GridCell(code=cell, details=details, on=ctx.effective_on, ctx=ctx),
            same=lambda found: found.details == details,
            conflict=lambda: GridCellAlreadyRegistered(f"grid cell {cell} is registered with other details"),
        )

    @use_case
    def retire_grid_cell(self, ctx: Context, cell: str) -> None:
        self._cell(cell).retire(ctx)

    @use_case
    def add_grid_member(
        self, ctx: Context, cell: str, member: str, kind: str, drawn_from: str | None = None
    ) -> None:
        self._cell(cell).add_member(member, kind, drawn_from, ctx)

    @use_case
    def remove_grid_member(self, ctx: Context, cell: str, member: str) -> None:
        self._cell(cell).remove_member(member, ctx)

    @use_case
    def form_grid_team(self, ctx: Context, cell: str, places: TeamPlaces) -> None:
        self._cell(cell).form_team(places, ctx)

    @use_case
    def appoint_grid_role(self, ctx: Context, cell: str, member: str, role: str) -> None:
        self._cell(cell).appoint_role(member, role, ctx)

    @use_case
    def relieve_grid_role(self, ctx: Context, cell: str, member: str) -> None:
        self._cell(cell).relieve_role(member, ctx)
