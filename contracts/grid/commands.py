"""Commands of the grid, 网格 (topic `govledger.commands.organisation`).

Every payload names its cell in `cell`, the Kafka key, so one cell's commands stay in order.
The grid platform (网格化管理平台) or the street's 综治中心 sends them. A cell lies in a town
(as registered by `town.register`) and a community (one of that town's where the register of
jurisdictions knows it, else its code as given);
its members are named by id only (no name or other personal data), each of a kind (专职,
兼职, 流动) and dated by the act's effective day; its team is "1+2+N" (包河: 一名网格长、两名
网格员和"三岗六大员"). A community's own team is the team of its community grid: the cell of
level `community`, registered under the community's code.
"""

from __future__ import annotations

from typing import Annotated, Literal, Union

import msgspec

from contracts.envelope import Code, Envelope, Name, Payload

CellLevel = Literal["basic", "community", "dedicated"]  # 基础网格 / 社区网格 / 专属网格
MemberKind = Literal["full_time", "part_time", "mobile"]  # 专职 / 兼职 / 流动 (e.g. 外卖骑手)
TeamRole = Literal["head", "grid_member", "post", "officer"]  # 网格长 / 网格员 / 三岗 / 六大员
Places = Annotated[int, msgspec.Meta(ge=0, le=50)]


class GridCellRef(Payload):
    cell: Code


class GridCellDetails(GridCellRef):
    """网格 — a cell of a town's community: its name and level."""

    town: Code
    community: Code
    name: Name
    level: CellLevel = "basic"


class GridMemberRef(GridCellRef):
    member: Code


class GridMembership(GridMemberRef):
    """A member joining the cell: their kind, and the group they are drawn from, if any."""

    kind: MemberKind
    drawn_from: Code | None = None


class GridTeamPlaces(GridCellRef):
    """The cell's team: one head (网格长) and the places of each other role ("1+2+N3+6")."""

    model: Name
    grid_members: Places
    posts: Places = 0
    officers: Places = 0


class GridAppointment(GridMemberRef):
    role: TeamRole


class RegisterGridCell(Envelope, tag="grid.register_cell"):
    """网格划分 — registers a grid cell in a town (registered by `town.register`) and a community
    (one of that town's where the register of jurisdictions knows it), at a level; a community's
    own grid is registered under the community's code. Sent again unchanged, it records nothing."""

    payload: GridCellDetails


class RetireGridCell(Envelope, tag="grid.retire_cell"):
    """网格撤销 — retires the cell from the effective day, for a stated reason: its members leave
    and its roles end that day, and cases reported with it from that day on are refused."""

    payload: GridCellRef


class AddGridMember(Envelope, tag="grid.add_member"):
    """A member (by id) joins the cell on the effective day, of a kind: 专职 full-time, 兼职
    part-time or 流动 mobile (e.g. a delivery rider, 外卖骑手, appointed 流动网格员)."""

    payload: GridMembership


class RemoveGridMember(Envelope, tag="grid.remove_member"):
    """The member leaves the cell (网格员退出) on the effective day; a role they held in its team
    (网格长, 三岗, 六大员) ends with it."""

    payload: GridMemberRef


class FormGridTeam(Envelope, tag="grid.form_team"):
    """Forms (or forms again) the cell's team, "1+2+N": one head (网格长) and the places of grid
    members (网格员), posts (三岗) and officers (六大员); its current holders must fit the places."""

    payload: GridTeamPlaces


class AppointGridRole(Envelope, tag="grid.appoint_role"):
    """A member of the cell takes a role in its team (网格长, 网格员, 三岗 or 六大员) from the
    effective day, within the role's places."""

    payload: GridAppointment


class RelieveGridRole(Envelope, tag="grid.relieve_role"):
    """The member gives up their role in the cell's team (网格长, 三岗, 六大员…) on the effective
    day and stays a member (网格员)."""

    payload: GridMemberRef


GridCommand = Union[
    RegisterGridCell,
    RetireGridCell,
    AddGridMember,
    RemoveGridMember,
    FormGridTeam,
    AppointGridRole,
    RelieveGridRole,
]
