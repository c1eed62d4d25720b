"""Events of the grid the ledger publishes (topic `govledger.events.organisation`)."""

from __future__ import annotations

from datetime import date
from typing import Union

from contracts.envelope import EventEnvelope
from contracts.grid.commands import (
    GridAppointment,
    GridCellDetails,
    GridCellRef,
    GridMemberRef,
    GridMembership,
    GridTeamPlaces,
)


class GridCellOpened(GridCellDetails, kw_only=True):
    on: date


class GridCellEnded(GridCellRef):
    on: date


class GridMemberJoined(GridMembership, kw_only=True):
    on: date


class GridMemberLeft(GridMemberRef):
    on: date


class GridTeamSet(GridTeamPlaces, kw_only=True):
    on: date


class GridRoleTaken(GridAppointment):
    on: date


class GridRoleLeft(GridAppointment):
    on: date


class GridCellRegistered(EventEnvelope, tag="grid.cell_registered"):
    """网格划分 — a grid cell registered in its town and community, from the day `on`."""

    payload: GridCellOpened


class GridCellRetired(EventEnvelope, tag="grid.cell_retired"):
    """网格撤销 — the cell retired; its memberships and roles end with it on that day."""

    payload: GridCellEnded


class GridMemberAdded(EventEnvelope, tag="grid.member_added"):
    """A member (网格员, by id) joined the cell (网格) on `on`, of their kind (专职, 兼职, 流动…)."""

    payload: GridMemberJoined


class GridMemberRemoved(EventEnvelope, tag="grid.member_removed"):
    """The member (网格员) left the cell; a role they held in its team ends with it."""

    payload: GridMemberLeft


class GridTeamFormed(EventEnvelope, tag="grid.team_formed"):
    """The cell's team formed ("1+2+N": 网格长, 网格员, 三岗, 六大员): its model and places from `on`."""

    payload: GridTeamSet


class GridRoleAppointed(EventEnvelope, tag="grid.role_appointed"):
    """A member of the cell took a role in its team (网格长, 网格员, 三岗 or 六大员) on `on`."""

    payload: GridRoleTaken


class GridRoleRelieved(EventEnvelope, tag="grid.role_relieved"):
    """A member gave up their role in the cell's team on `on` (and stays a member, 网格员)."""

    payload: GridRoleLeft


GridEvent = Union[
    GridCellRegistered,
    GridCellRetired,
    GridMemberAdded,
    GridMemberRemoved,
    GridTeamFormed,
    GridRoleAppointed,
    GridRoleRelieved,
]
