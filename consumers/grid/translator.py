"""The grid (网格): commands to use cases, domain events to their published contracts
(events.organisation).

A retirement ends the cell's memberships and roles, and a member's leaving ends the role they
held, as in the domain: consumers read `grid.cell_retired` and `grid.member_removed` so,
without a separate `grid.member_removed` or `grid.role_relieved` for each."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from aggregates import base
from aggregates.base import RuleViolation
from aggregates.grid import cell as g
from aggregates.grid.cell import CellDetails, GridCell, TeamPlaces
from aggregates.jurisdictions.jurisdiction import CommunityOfAnotherTown, Jurisdiction
from aggregates.organisation.town import Town
from aggregates.organisation.use_cases import TownNotRegistered
from consumers.event_contracts import copied
from consumers.handlers import Touches, touching
from contracts.grid import commands as c
from contracts.grid import events as out

HANDLERS: dict[type, Callable[..., None]] = {
    c.RegisterGridCell: lambda app, ctx, p: app.register_grid_cell(
        ctx, p.cell, CellDetails(p.town, p.community, p.name, p.level)
    ),
    c.RetireGridCell: lambda app, ctx, p: app.retire_grid_cell(ctx, p.cell),
    c.AddGridMember: lambda app, ctx, p: app.add_grid_member(ctx, p.cell, p.member, p.kind, p.drawn_from),
    c.RemoveGridMember: lambda app, ctx, p: app.remove_grid_member(ctx, p.cell, p.member),
    c.FormGridTeam: lambda app, ctx, p: app.form_grid_team(
        ctx, p.cell, TeamPlaces(p.model, p.grid_members, p.posts, p.officers)
    ),
    c.AppointGridRole: lambda app, ctx, p: app.appoint_grid_role(ctx, p.cell, p.member, p.role),
    c.RelieveGridRole: lambda app, ctx, p: app.relieve_grid_role(ctx, p.cell, p.member),
}

# Every command touches its cell (the natural key, also the Kafka key); a registration also
# reads its town, which the organisation context keeps.
TOUCHES: dict[type, Touches] = {
    **dict.fromkeys(HANDLERS, touching(GridCell.create_id, "cell")),
    c.RegisterGridCell: lambda p: [
        GridCell.create_id(p.cell),
        Town.create_id(p.town),
        Jurisdiction.create_id(p.community),
    ],
}

# The rules each command can be refused with, in the order a sender should read them in: what
# is named missing, then vocabularies and values, then the rules on the ledger's state, then
# the reason.
_MISSING = g.GridCellNotRegistered
RULES: dict[type, tuple[type[RuleViolation], ...]] = {
    c.RegisterGridCell: (
        TownNotRegistered,
        g.InvalidGridDetails,
        CommunityOfAnotherTown,
        g.CommunityGridCode,
        g.GridCellAlreadyRegistered,
    ),
    c.RetireGridCell: (
        _MISSING,
        g.InvalidGridDetails,
        g.GridCellRetired,
        g.GridDatesOutOfOrder,
        base.ReasonRequired,
    ),
    c.AddGridMember: (
        _MISSING,
        g.InvalidGridDetails,
        g.GridCellRetired,
        g.MemberAlreadyInCell,
        g.GridDatesOutOfOrder,
    ),
    c.RemoveGridMember: (_MISSING, g.NotACellMember, g.InvalidGridDetails, g.GridDatesOutOfOrder),
    c.FormGridTeam: (
        _MISSING,
        g.InvalidGridDetails,
        g.GridCellRetired,
        g.TeamRoleFull,
        g.GridDatesOutOfOrder,
    ),
    c.AppointGridRole: (
        _MISSING,
        g.NotACellMember,
        g.InvalidGridDetails,
        g.GridCellRetired,
        g.TeamNotFormed,
        g.AlreadyInTeam,
        g.TeamRoleFull,
        g.GridDatesOutOfOrder,
    ),
    c.RelieveGridRole: (_MISSING, g.NotACellMember, g.InvalidGridDetails, g.NotInTeam, g.GridDatesOutOfOrder),
}


def _of_cell(e: Any, agg: Any) -> dict[str, Any]:
    """Which cell, and the day the act took effect."""
    return {"cell": agg.code, "on": e.on}


def _as(contract: type, e: Any, agg: Any) -> Any:
    """The contract of the event, its fields copied from the event, with its cell and day."""
    return copied(contract, e, **_of_cell(e, agg))


# (contract class, payload builder(event, aggregate as of the event))
PUBLISHED: dict[type, tuple[type, Any]] = {
    GridCell.Registered: (
        out.GridCellRegistered,
        lambda e, a: copied(out.GridCellOpened, e.details, **_of_cell(e, a)),
    ),
    GridCell.Retired: (out.GridCellRetired, lambda e, a: out.GridCellEnded(**_of_cell(e, a))),
    GridCell.MemberAdded: (
        out.GridMemberAdded,
        lambda e, a: copied(out.GridMemberJoined, e, **_of_cell(e, a)),
    ),
    GridCell.MemberRemoved: (
        out.GridMemberRemoved,
        lambda e, a: copied(out.GridMemberLeft, e, **_of_cell(e, a)),
    ),
    GridCell.TeamFormed: (
        out.GridTeamFormed,
        lambda e, a: copied(out.GridTeamSet, e.places, **_of_cell(e, a)),
    ),
    GridCell.RoleAppointed: (out.GridRoleAppointed, lambda e, a: _as(out.GridRoleTaken, e, a)),
    GridCell.RoleRelieved: (out.GridRoleRelieved, lambda e, a: _as(out.GridRoleLeft, e, a)),
}

INTERNAL: set[type] = set()  # every event of a cell is published: members are ids, nothing personal
