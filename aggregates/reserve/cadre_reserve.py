"""干部AB库 — a street's cadre reserve: tier B from its ordinary cadres, tier A from tier B."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from aggregates.base import (
    Context,
    DocumentNumberRequired,
    RuleViolation,
    natural_id,
    require_document,
    require_reason,
)

if TYPE_CHECKING:
    from aggregates.base import DecoratedCreated, DecoratedEvent

# The terms of the reserve (seed 004: "B库从一般干部中择优筛选，是街道中层副职的储备库；A库从B库中
# 择优录入，是培养街道中层正职的摇篮。干部凭实绩在AB库及库外流动").

TIERS = ("B", "A")  # B库, A库
BASES = frozenset({"performance", "appraisal", "document"})  # 实绩 / 考核结果 / 组织文件
OFFICES = frozenset({"deputy", "principal"})  # 中层副职 / 中层正职


class ReserveNotOpened(RuleViolation):
    """No cadre reserve was opened for that street."""


class ReserveAlreadyOpened(RuleViolation):
    """A street has one reserve, under one district: it was opened under another."""


class InvalidSelection(RuleViolation):
    """An entry or a promotion rests on a basis (performance, appraisal or a document) and says
    what that basis is."""


class InvalidAppointment(RuleViolation):
    """An appointment is to a deputy or a principal mid-level post, named in words."""


class CadreAlreadyInReserve(RuleViolation):
    """A cadre enters tier B from outside the reserve; one in tier A moves down by demotion."""


class AOnlyFromB(RuleViolation):
    """Tier A takes cadres from tier B only (A库从B库中择优录入)."""


class DemotionOnlyFromA(RuleViolation):
    """Only a cadre in tier A moves down to tier B."""


class CadreNotInReserve(RuleViolation):
    """Only a cadre in the reserve is taken out of it or appointed from it."""


class PrincipalOnlyFromA(RuleViolation):
    """Where its district chose so, a principal mid-level post (中层正职) is filled from tier A only."""


class MovementBackdated(RuleViolation):
    """A cadre's movement takes effect on or after the day of their previous one in the reserve."""


@dataclass(frozen=True)
class Selection:
    """择优 — why a cadre enters tier B or moves up to tier A: the basis and what it is."""

    basis: str
    grounds: str

    def __post_init__(self) -> None:
        if self.basis not in BASES:
            raise InvalidSelection(f"{self.basis!r} is not a basis: performance, appraisal or document")
        InvalidSelection.check(bool(self.grounds.strip()), "a selection says what its basis is")


@dataclass(frozen=True)
class Appointment:
    """选任 — the mid-level post a cadre of the reserve is appointed to."""

    office: str
    post: str

    def __post_init__(self) -> None:
        if self.office not in OFFICES:
            raise InvalidAppointment(f"{self.office!r} is not an office: deputy or principal")
        InvalidAppointment.check(bool(self.post.strip()), "an appointment names its post")


@dataclass(frozen=True)
class Cadre:
    """Where a cadre stands: tier `B` or `A`, or None once out of the reserve; since when."""

    person: str
    tier: str | None
    since: date


class CadreReserve(Aggregate):
    """干部AB库 — one street's reserve of cadres for its mid-level posts.

    Tier B is the reserve of deputy posts, tier A (only from B) of principal posts; a cadre
    moves up, down and out on their record, and an appointment draws them out of the
    reserve. Whether a principal post needs tier A is the district's rule, read on the
    appointment's day and handed in.
    """

    @staticmethod
    def create_id(town: str) -> UUID:
        return natural_id("cadre_reserve", town)

    @event("Opened")
    def __init__(self, town: str, district: str, ctx: Context) -> None:
        self.town, self.district = town, district
        self.cadres: tuple[Cadre, ...] = ()

    def cadre(self, person: str) -> Cadre | None:
        return next((c for c in self.cadres if c.person == person), None)

    def tier_of(self, person: str) -> str | None:
        """The cadre's tier, or None when they are not in the reserve."""
        found = self.cadre(person)
        return found.tier if found else None

    def _moved(self, person: str, tier: str | None, on: date) -> None:
        moved = Cadre(person, tier, on)
        others = tuple(c for c in self.cadres if c.person != person)
        self.cadres = (*others, moved)

    def _in_tier(self, person: str, tiers: tuple[str, ...], rule: type[RuleViolation], ctx: Context) -> str:
        """The cadre's tier, unless it is not one of `tiers`: then `rule`."""
        found = self.tier_of(person)
        if found is None or found not in tiers:
            where = f"in tier {found} of" if found else "not in"
            allowed = " ".join((rule.__doc__ or "").split())
            raise rule(f"{person} is {where} {self.town}'s reserve on {ctx.effective_on}: {allowed}")
        self._not_backdated(person, ctx)
        return found

    def _not_backdated(self, person: str, ctx: Context) -> None:
        found = self.cadre(person)
        if found is not None and ctx.effective_on < found.since:
            raise MovementBackdated(
                f"{person} last moved in {self.town}'s reserve on {found.since}: a movement on "
                f"{ctx.effective_on} would come before it"
            )

    def enter(self, person: str, selection: Selection, ctx: Context) -> None:
        """录入B库: a cadre from outside the reserve into tier B (already there: nothing)."""
        tier = self.tier_of(person)
        if tier == "B":
            return
        if tier == "A":
            raise CadreAlreadyInReserve(f"{person} is in tier A of {self.town}: demote, do not enter again")
        self._not_backdated(person, ctx)
        self._entered(person=person, selection=selection, ctx=ctx)

    @event("Entered")
    def _entered(self, person: str, selection: Selection, ctx: Context) -> None:
        self._moved(person, "B", ctx.effective_on)

    def promote(self, person: str, selection: Selection, ctx: Context) -> None:
        """进入A库: only from tier B (already in A: nothing)."""
        if self.tier_of(person) == "A":
            return
        if self.tier_of(person) != "B":
            raise AOnlyFromB(
                f"{person} is not in tier B of {self.town}'s reserve: tier A takes cadres from "
                "tier B only; enter them into B first"
            )
        self._not_backdated(person, ctx)
        self._promoted(person=person, selection=selection, ctx=ctx)

    @event("Promoted")
    def _promoted(self, person: str, selection: Selection, ctx: Context) -> None:
        self._moved(person, "A", ctx.effective_on)

    def demote(self, person: str, ctx: Context) -> None:
        """调整至B库, for a stated reason."""
        self._in_tier(person, ("A",), DemotionOnlyFromA, ctx)
        require_reason(ctx, "moving a cadre down to tier B")
        self._demoted(person=person, ctx=ctx)

    @event("Demoted")
    def _demoted(self, person: str, ctx: Context) -> None:
        self._moved(person, "B", ctx.effective_on)

    def remove(self, person: str, ctx: Context) -> None:
        """调出AB库, for a stated reason."""
        tier = self._in_tier(person, TIERS, CadreNotInReserve, ctx)
        require_reason(ctx, "taking a cadre out of the reserve")
        self._removed(person=person, tier=tier, ctx=ctx)

    @event("Removed")
    def _removed(self, person: str, tier: str, ctx: Context) -> None:
        self._moved(person, None, ctx.effective_on)

    def appoint(
        self, person: str, appointment: Appointment, principal_only_from_a: bool, ctx: Context
    ) -> None:
        """选任: the cadre leaves the reserve for the post; to a principal post only from tier A
        where the district's rule (`principal_only_from_a`, as in force that day) says so."""
        tier = self._in_tier(person, TIERS, CadreNotInReserve, ctx)
        if appointment.office == "principal" and principal_only_from_a and tier != "A":
            raise PrincipalOnlyFromA(
                f"{person} is in tier {tier} of {self.town}: district {self.district} fills principal "
                "mid-level posts from tier A only; promote them first, or appoint them to a deputy post"
            )
        require_document(
            ctx,
            DocumentNumberRequired,
            f"appointing {person} to {appointment.post} cites its document (文号)",
        )
        self._appointed(person=person, appointment=appointment, tier=tier, ctx=ctx)

    @event("Appointed")
    def _appointed(self, person: str, appointment: Appointment, tier: str, ctx: Context) -> None:
        self._moved(person, None, ctx.effective_on)

    if TYPE_CHECKING:  # the event classes that the @event methods above define at class creation
        Opened = DecoratedCreated
        Entered = Promoted = Demoted = Removed = Appointed = DecoratedEvent
