"""网格 — a grid cell of a town's community: its members (专职, 兼职, 流动) and its team ("1+2+N").

A cell is registered in a town and a community (one of that town's where the register of
jurisdictions knows the community, else its code as given) at a level: a basic cell
(基础网格), a dedicated one (专属网格: a school, a market, a park) or the community's own grid
(社区网格), whose team is the community's. Members are named by id only, each of a kind, and
their membership is dated by the effective day of each act: joined on, left on. The team is
"1+2+N" as 包河 runs it
("每个网格都实行'1+2+N3+6'模式运行，即一名网格长、两名网格员和'三岗六大员'"): one head, and as
many grid members, posts and officers as the team was formed with; a role is held by a
member of the cell. A retired cell ends its memberships and roles on the day it retires and
takes nothing more; cases reported with it are refused from that day.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import TYPE_CHECKING
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from aggregates.base import Context, RuleViolation, natural_id, require_reason

if TYPE_CHECKING:
    from aggregates.base import DecoratedCreated, DecoratedEvent

LEVELS = frozenset({"basic", "community", "dedicated"})  # 基础网格 / 社区网格 / 专属网格
KINDS = frozenset({"full_time", "part_time", "mobile"})  # 专职 / 兼职 / 流动
ROLES = ("head", "grid_member", "post", "officer")  # 网格长 / 网格员 / 三岗 / 六大员
MAX_PLACES = 50


class InvalidGridDetails(RuleViolation):
    """A level, member kind or team role outside its vocabulary, a name or team model left
    empty, or a team's places outside 0–50."""


class GridCellNotRegistered(RuleViolation):
    """No grid cell of that code is registered (by the day in question)."""


class GridCellAlreadyRegistered(RuleViolation):
    """The cell code is taken by a cell with other details (town, community, name, level)."""


class CommunityGridCode(RuleViolation):
    """A community's own grid (level `community`) is registered under the community's code:
    one per community."""


class GridCellRetired(RuleViolation):
    """A retired cell takes no member, team or role, and no case from the day it retired."""


class GridCellOfAnotherTown(RuleViolation):
    """A case reported with a grid cell is reported in the cell's town."""


class MemberAlreadyInCell(RuleViolation):
    """A member is in a cell once at a time, of one kind: to change, they leave and join again."""


class NotACellMember(RuleViolation):
    """Only a current member of the cell leaves it or holds a role in its team."""


class TeamNotFormed(RuleViolation):
    """Roles are appointed only in a cell whose team was formed ("1+2+N")."""


class TeamRoleFull(RuleViolation):
    """ "1+2+N": a team has one head (网格长) and no more grid members, posts or officers than
    the places it was formed with."""


class AlreadyInTeam(RuleViolation):
    """A member holds one role in the team at a time: relieve them before another."""


class NotInTeam(RuleViolation):
    """Only a member holding a role in the team is relieved of it."""


class GridDatesOutOfOrder(RuleViolation):
    """A cell's acts keep their days in order: nothing before the cell's registration, no one
    leaves or is relieved before the day they joined or were appointed, no one rejoins before
    the day they left, and no cell retires before its members' and roles' days."""


_check = InvalidGridDetails.check


@dataclass(frozen=True)
class CellDetails:
    town: str
    community: str
    name: str
    level: str = "basic"

    def __post_init__(self) -> None:
        _check(self.level in LEVELS, f"unknown cell level {self.level!r}")
        _check(all(v.strip() for v in (self.town, self.community, self.name)), "empty field")


@dataclass(frozen=True)
class TeamPlaces:
    """The team's model ("1+2+N3+6") and the places of each role but the head's (always one)."""

    model: str
    grid_members: int
    posts: int = 0
    officers: int = 0

    def __post_init__(self) -> None:
        _check(bool(self.model.strip()), "a team needs its model")
        _check(
            all(0 <= n <= MAX_PLACES for n in (self.grid_members, self.posts, self.officers)),
            f"places {self.grid_members}/{self.posts}/{self.officers} outside 0–{MAX_PLACES}",
        )

    def of(self, role: str) -> int:
        return {"head": 1, "grid_member": self.grid_members, "post": self.posts, "officer": self.officers}[
            role
        ]


@dataclass(frozen=True)
class Member:
    """A current member: their kind, where drawn from, since when, and the role they hold."""

    member: str
    kind: str
    drawn_from: str | None
    joined_on: date
    role: str | None = None
    role_since: date | None = None


class GridCell(Aggregate):
    """网格 — a cell of a town's community, its members by kind and dated, its "1+2+N" team.

    Members are a tuple of frozen `Member`s replaced whole on every change; `left` keeps the
    day each former member last left (a rejoining is dated no earlier)."""

    @staticmethod
    def create_id(code: str) -> UUID:
        return natural_id("grid-cell", code)

    @event("Registered")
    def __init__(self, code: str, details: CellDetails, on: date, ctx: Context) -> None:
        self.code, self.details, self.registered_on = code, details, on
        self.retired_on: date | None = None
        self.members: tuple[Member, ...] = ()
        self.left: tuple[tuple[str, date], ...] = ()
        self.team: TeamPlaces | None = None

    # -- what a case report and the other commands read ----------------------------------------

    def current(self, member: str) -> Member:
        found = next((m for m in self.members if m.member == member), None)
        if found is None:
            raise NotACellMember(f"{member} is not a member of cell {self.code}")
        return found

    def holders(self, role: str) -> int:
        return sum(1 for m in self.members if m.role == role)

    def retired_by(self, day: date) -> bool:
        return self.retired_on is not None and self.retired_on <= day

    def _open(self, on: date) -> None:
        """A cell still in the grid, the act dated on or after its registration."""
        if self.retired_on is not None:
            raise GridCellRetired(f"cell {self.code} retired on {self.retired_on}")
        self._not_before(on, self.registered_on, "the cell's registration")

    def _not_before(self, on: date, since: date | None, what: str) -> None:
        if since is not None and on < since:
            raise GridDatesOutOfOrder(f"{on} is before {what} on {since} (cell {self.code})")

    # -- retiring ---------------------------------------------------------------------------

    def retire(self, ctx: Context) -> None:
        """网格撤销 — for a stated reason; its members leave and its roles end that day."""
        if self.retired_on is not None:
            return
        on = ctx.effective_on
        self._open(on)
        for m in self.members:
            self._not_before(on, m.role_since or m.joined_on, f"{m.member}'s last act")
        require_reason(ctx, "retiring a grid cell")
        self._retired(on=on, ctx=ctx)

    @event("Retired")
    def _retired(self, on: date, ctx: Context) -> None:
        self.retired_on = on
        self.left = (*self.left, *((m.member, on) for m in self.members))
        self.members = ()

    # -- members ----------------------------------------------------------------------------

    def add_member(self, member: str, kind: str, drawn_from: str | None, ctx: Context) -> None:
        """A member joins the cell on the act's day (adding them again as they are: no-op)."""
        on = ctx.effective_on
        self._open(on)
        _check(kind in KINDS and bool(member.strip()), f"member {member!r} of kind {kind!r}")
        current = next((m for m in self.members if m.member == member), None)
        if current is not None:
            if (current.kind, current.drawn_from) == (kind, drawn_from):
                return
            raise MemberAlreadyInCell(
                f"{member} is in cell {self.code} as {current.kind} since {current.joined_on}"
            )
        last_left = max((day for who, day in self.left if who == member), default=None)
        self._not_before(on, last_left, f"{member}'s leaving")
        self._member_added(member=member, kind=kind, drawn_from=drawn_from, on=on, ctx=ctx)

    @event("MemberAdded")
    def _member_added(self, member: str, kind: str, drawn_from: str | None, on: date, ctx: Context) -> None:
        self.members = (*self.members, Member(member, kind, drawn_from, on))

    def remove_member(self, member: str, ctx: Context) -> None:
        """The member leaves on the act's day; a role they hold ends with it."""
        found = self.current(member)
        self._not_before(ctx.effective_on, found.role_since or found.joined_on, f"{member}'s last act")
        self._member_removed(member=member, on=ctx.effective_on, ctx=ctx)

    @event("MemberRemoved")
    def _member_removed(self, member: str, on: date, ctx: Context) -> None:
        self.members = tuple(m for m in self.members if m.member != member)
        self.left = (*self.left, (member, on))

    # -- the team ("1+2+N") -----------------------------------------------------------------

    def form_team(self, places: TeamPlaces, ctx: Context) -> None:
        """The team's model and places; formed again, its holders must fit the new places."""
        self._open(ctx.effective_on)
        if places == self.team:
            return
        over = [role for role in ROLES if self.holders(role) > places.of(role)]
        if over:
            raise TeamRoleFull(f"cell {self.code} has more {over[0]} holders than {places}")
        self._team_formed(places=places, on=ctx.effective_on, ctx=ctx)

    @event("TeamFormed")
    def _team_formed(self, places: TeamPlaces, on: date, ctx: Context) -> None:
        self.team = places

    def appoint_role(self, member: str, role: str, ctx: Context) -> None:
        """A member of the cell takes a role in its team (appointed again to it: no-op)."""
        on = ctx.effective_on
        self._open(on)
        _check(role in ROLES, f"unknown team role {role!r}")
        found = self.current(member)
        if self.team is None:
            raise TeamNotFormed(f"cell {self.code} has no team")
        if found.role == role:
            return
        if found.role is not None:
            raise AlreadyInTeam(f"{member} is {found.role} of cell {self.code} since {found.role_since}")
        if self.holders(role) >= self.team.of(role):
            raise TeamRoleFull(
                f"appointing {member} {role} of cell {self.code}: {self.holders(role)} of "
                f"{self.team.of(role)} places held ({self.team.model})"
            )
        self._not_before(on, found.joined_on, f"{member}'s joining")
        self._role_appointed(member=member, role=role, on=on, ctx=ctx)

    @event("RoleAppointed")
    def _role_appointed(self, member: str, role: str, on: date, ctx: Context) -> None:
        self.members = tuple(
            replace(m, role=role, role_since=on) if m.member == member else m for m in self.members
        )

    def relieve_role(self, member: str, ctx: Context) -> None:
        found = self.current(member)
        if found.role is None:
            raise NotInTeam(f"{member} holds no role in cell {self.code}")
        self._not_before(ctx.effective_on, found.role_since, f"{member}'s appointment")
        self._role_relieved(member=member, role=found.role, on=ctx.effective_on, ctx=ctx)

    @event("RoleRelieved")
    def _role_relieved(self, member: str, role: str, on: date, ctx: Context) -> None:
        self.members = tuple(
            replace(m, role=None, role_since=None) if m.member == member else m for m in self.members
        )

    if TYPE_CHECKING:  # the event classes that the @event methods above define at class creation
        Registered = DecoratedCreated
        Retired = MemberAdded = MemberRemoved = TeamFormed = RoleAppointed = RoleRelieved = DecoratedEvent
