"""镇街大部门制 — a town's big units, the one leader supervising each, and its plaques."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import TYPE_CHECKING, Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from aggregates.base import Context, RuleViolation, natural_id, require_reason

if TYPE_CHECKING:
    from aggregates.base import DecoratedCreated, DecoratedEvent

# The terms of a town's organisation: its vocabularies, details, units and rule errors.


TOWN_KINDS = frozenset({"town", "street"})  # 镇 / 街道
UNIT_KINDS = frozenset({"office", "department", "centre", "station"})  # 办(室) / 部 / 中心 / 站
UNIT_TYPES = frozenset({"integrated", "special"})  # 综合性机构 / 特色机构 ("X")


class InvalidOrganisationDetails(RuleViolation):
    """Town kind, unit kind or unit type outside the vocabulary, or a name left empty."""


class UnitAlreadyEstablished(RuleViolation):
    """A unit code is never reused in a town, not even after a merger or abolition."""


class UnitNotEstablished(RuleViolation):
    """No unit with that code was established in the town."""


class UnitNotActive(RuleViolation):
    """A merged or abolished unit takes no supervisor, plaque, merger or abolition."""


class MergeNeedsSeveralUnits(RuleViolation):
    """A merger (合并) folds two or more distinct units into one new unit."""


class UnitAlreadySupervised(RuleViolation):
    """一个大部门由一位班子成员分管: release the current supervisor before assigning another."""


class LeaderAlreadySupervises(RuleViolation):
    """每位班子成员各把一个大部门: a leader supervises one big unit at a time."""


class NotTheSupervisor(RuleViolation):
    """Only the leader currently supervising the unit can be released from it."""


class PlaqueAlreadyRegistered(RuleViolation):
    """The plaque hangs elsewhere already, or was removed (清理) and stays removed."""


class PlaqueNotRegistered(RuleViolation):
    """No plaque of that name was registered in the town."""


_check = InvalidOrganisationDetails.check


@dataclass(frozen=True)
class TownDetails:
    name: str
    district: str
    kind: str
    model: str  # "5+X", "5办2中心1站", "一办七部两中心"

    def __post_init__(self) -> None:
        _check(
            self.kind in TOWN_KINDS,
            f"town {self.name!r} of kind {self.kind!r}: the kind is one of {', '.join(sorted(TOWN_KINDS))}",
        )
        _check(
            all(v.strip() for v in (self.name, self.district, self.model)),
            f"town {self.name!r}: its name, district and model are each stated, none left empty",
        )


@dataclass(frozen=True)
class UnitDetails:
    name: str
    kind: str
    type: str

    def __post_init__(self) -> None:
        _check(
            self.kind in UNIT_KINDS and self.type in UNIT_TYPES,
            f"unit {self.name!r} of kind {self.kind!r} and type {self.type!r}: the kind is one of "
            f"{', '.join(sorted(UNIT_KINDS))}, the type one of {', '.join(sorted(UNIT_TYPES))}",
        )
        _check(bool(self.name.strip()), "a unit with no name: state the unit's name")


@dataclass(frozen=True)
class Unit:
    code: str
    details: UnitDetails
    since: date
    status: str = "active"  # active | merged | abolished
    until: date | None = None
    merged_into: str | None = None


class Town(Aggregate):
    """镇街 — a town or street in its model ("5+X", "一办七部两中心"): units, leaders, plaques.

    Supervisions are (unit, leader) pairs, plaques (name, unit, removed) triples; like the
    units, they are tuples replaced whole on every change, never mutated in place.
    """

    @staticmethod
    def create_id(code: str) -> UUID:
        return natural_id("town", code)

    @event("Registered")
    def __init__(self, code: str, details: TownDetails, ctx: Context) -> None:
        self.code, self.details = code, details
        self.units: tuple[Unit, ...] = ()
        self.supervisions: tuple[tuple[str, str], ...] = ()
        self.plaques: tuple[tuple[str, str | None, bool], ...] = ()

    def unit(self, code: str, active: bool = True) -> Unit:
        found = next((u for u in self.units if u.code == code), None)
        if found is None:
            active_units = ", ".join(u.code for u in self.units if u.status == "active") or "none"
            raise UnitNotEstablished(
                f"{self.code} has no unit {code} (its active units: {active_units}): "
                "send town.establish_unit first"
            )
        if active and found.status != "active":
            into = f" into {found.merged_into}" if found.merged_into else ""
            instead = f"; act on {found.merged_into} instead" if found.merged_into else ""
            raise UnitNotActive(
                f"unit {code} of {self.code} was {found.status}{into} on {found.until}: it takes no "
                f"supervisor, plaque, merger or abolition{instead}"
            )
        return found

    def supervisor_of(self, unit: str) -> str | None:
        return next((leader for u, leader in self.supervisions if u == unit), None)

    def _refuse_taken(self, code: str) -> None:
        taken = next((u for u in self.units if u.code == code), None)
        if taken is not None:
            raise UnitAlreadyEstablished(
                f"unit code {code} is taken in {self.code} by {taken.details.name} ({taken.status} since "
                f"{taken.until or taken.since}): a unit code is never reused; choose another code"
            )

    def establish_unit(self, code: str, details: UnitDetails, ctx: Context) -> None:
        existing = next((u for u in self.units if u.code == code), None)
        if existing is not None and (existing.status, existing.details) == ("active", details):
            return
        self._refuse_taken(code)
        self._unit_established(code=code, details=details, on=ctx.effective_on, ctx=ctx)

    @event("UnitEstablished")
    def _unit_established(self, code: str, details: UnitDetails, on: date, ctx: Context) -> None:
        self.units = (*self.units, Unit(code, details, on))

    def merge_units(self, sources: tuple[str, ...], code: str, details: UnitDetails, ctx: Context) -> None:
        """合并 — the sources end, merged into a new unit that starts unsupervised."""
        if len(set(sources)) < 2 or len(set(sources)) != len(sources):
            raise MergeNeedsSeveralUnits(
                f"merging {list(sources)} into {code} in {self.code}: a merger folds two or more "
                "distinct units, each named once"
            )
        for source in sources:
            self.unit(source)
        self._refuse_taken(code)
        require_reason(ctx, "merging units")
        self._units_merged(sources=tuple(sources), code=code, details=details, on=ctx.effective_on, ctx=ctx)

    @event("UnitsMerged")
    def _units_merged(
        self, sources: tuple[str, ...], code: str, details: UnitDetails, on: date, ctx: Context
    ) -> None:
        self._end(tuple(sources), "merged", on, code)
        self.units = (*self.units, Unit(code, details, on))

    def abolish_unit(self, code: str, ctx: Context) -> None:
        """撤销 — the unit ends; its supervisor, if any, is released with it."""
        if self.unit(code, active=False).status == "abolished":
            return
        self.unit(code)
        require_reason(ctx, "abolishing a unit")
        self._unit_abolished(code=code, on=ctx.effective_on, ctx=ctx)

    @event("UnitAbolished")
    def _unit_abolished(self, code: str, on: date, ctx: Context) -> None:
        self._end((code,), "abolished", on, None)

    def _end(self, codes: tuple[str, ...], status: str, on: date, into: str | None) -> None:
        self.units = tuple(
            replace(u, status=status, until=on, merged_into=into) if u.code in codes else u
            for u in self.units
        )
        self.supervisions = tuple(s for s in self.supervisions if s[0] not in codes)

    def assign_supervisor(self, unit: str, leader: str, leader_name: str, ctx: Context) -> None:
        self.unit(unit)
        current = self.supervisor_of(unit)
        if current is not None and current != leader:
            raise UnitAlreadySupervised(
                f"assigning {leader} to supervise {unit} of {self.code}: it is supervised by {current}; "
                f"release {current} first (town.release_supervisor)"
            )
        held = next((u for u, by in self.supervisions if by == leader and u != unit), None)
        if held is not None:
            raise LeaderAlreadySupervises(
                f"assigning {leader} to supervise {unit} of {self.code}: {leader} supervises {held}; "
                f"a leader supervises one unit, so release {leader} from {held} first"
            )
        _check(
            bool(leader_name.strip()),
            f"assigning {leader} to supervise {unit} of {self.code} with no name: state the leader's name",
        )
        if current is None:
            self._supervisor_assigned(
                unit=unit, leader=leader, leader_name=leader_name, on=ctx.effective_on, ctx=ctx
            )

    @event("SupervisorAssigned")
    def _supervisor_assigned(self, unit: str, leader: str, leader_name: str, on: date, ctx: Context) -> None:
        self.supervisions = (*self.supervisions, (unit, leader))

    def release_supervisor(self, unit: str, leader: str, ctx: Context) -> None:
        self.unit(unit, active=False)
        current = self.supervisor_of(unit)
        if current != leader:
            holds = f"it is supervised by {current}" if current else "it has no supervisor"
            raise NotTheSupervisor(
                f"releasing {leader} from {unit} of {self.code}: {holds}; only the current supervisor "
                "is released"
            )
        require_reason(ctx, "releasing a supervisor")
        self._supervisor_released(unit=unit, leader=leader, on=ctx.effective_on, ctx=ctx)

    @event("SupervisorReleased")
    def _supervisor_released(self, unit: str, leader: str, on: date, ctx: Context) -> None:
        self.supervisions = tuple(s for s in self.supervisions if s != (unit, leader))

    @property
    def plaques_removed(self) -> int:
        return sum(1 for _, _, removed in self.plaques if removed)

    def register_plaque(self, name: str, unit: str | None, ctx: Context) -> None:
        """挂牌 — a plaque (机构牌子) hung on one of the town's units, or on the town itself."""
        _check(bool(name.strip()), f"a plaque of {self.code} with no name: state the plaque's name")
        if unit is not None:
            self.unit(unit)
        existing = next((p for p in self.plaques if p[0] == name), None)
        if existing not in (None, (name, unit, False)):
            assert existing is not None, "only a plaque registered before conflicts"
            _, there, removed = existing
            where, held = unit or "the town itself", there or "the town itself"
            raise PlaqueAlreadyRegistered(
                f"registering plaque {name} of {self.code} on {where}: it was removed (清理) and stays "
                "removed; it is not hung again"
                if removed
                else f"registering plaque {name} of {self.code} on {where}: it hangs on {held}; "
                "a plaque hangs in one place only"
            )
        if existing is None:
            self._plaque_registered(name=name, unit=unit, on=ctx.effective_on, ctx=ctx)

    class PlaqueRegistered(Aggregate.Event):
        """挂牌 — the plaque went up on `on`, the day every other event of a town states.

        Version 1 did not state it: the day was the context's effective day, which is what
        `upcast_v1_v2` fills in when a version-1 record is read (the record is not rewritten).
        """

        class_version = 2
        name: str
        unit: str | None
        on: date
        ctx: Context

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state["on"] = state["ctx"].effective_on

    @event(PlaqueRegistered)
    def _plaque_registered(self, name: str, unit: str | None, on: date, ctx: Context) -> None:
        self.plaques = (*self.plaques, (name, unit, False))

    def remove_plaque(self, name: str, ctx: Context) -> None:
        """清理机构牌子 — the plaque comes down, for a stated reason (removing twice: no-op)."""
        existing = next((p for p in self.plaques if p[0] == name), None)
        if existing is None:
            raise PlaqueNotRegistered(
                f"removing plaque {name}: {self.code} has no plaque of that name "
                f"({len(self.plaques)} registered); send town.register_plaque first"
            )
        if not existing[2]:
            require_reason(ctx, "removing a plaque")
            self._plaque_removed(name=name, on=ctx.effective_on, ctx=ctx)

    @event("PlaqueRemoved")
    def _plaque_removed(self, name: str, on: date, ctx: Context) -> None:
        self.plaques = tuple((n, u, r or n == name) for n, u, r in self.plaques)

    if TYPE_CHECKING:  # the event classes that the @event methods above define at class creation
        Registered = DecoratedCreated
        UnitEstablished = UnitsMerged = UnitAbolished = SupervisorAssigned = DecoratedEvent
        SupervisorReleased = PlaqueRemoved = DecoratedEvent
