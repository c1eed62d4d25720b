"""编制周转池 — district staffing turnover pool: contributions in, draws out, back on time."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import TYPE_CHECKING
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from aggregates.base import Context, RuleViolation, natural_id, require_reason

if TYPE_CHECKING:
    from aggregates.base import DecoratedCreated, DecoratedEvent

# The terms of the staffing turnover pool (编制周转池): purposes, draws and rule errors.


# 重大阶段性任务 / 改善人员结构 / 引进紧缺人才 (seed 000)
PURPOSES = frozenset({"major_task", "structure", "scarce_talent"})


class InvalidPoolDetails(RuleViolation):
    """A capacity or count not above zero, or a name left empty."""


class PoolNotEstablished(RuleViolation):
    """No pool with that code was established."""


class PoolAlreadyEstablished(RuleViolation):
    """The pool code is taken by a pool with other details."""


class CapacityExceeded(RuleViolation):
    """Contributions never exceed the pool's capacity."""


class PurposeNotAllowed(RuleViolation):
    """No draw without an allowed purpose: major task, structure or scarce talent."""


class InvalidDrawTerm(RuleViolation):
    """A draw's term ends after the day it is requested or approved; a renewal extends it."""


class DrawAlreadyRequested(RuleViolation):
    """The draw id is taken by a request with other terms."""


class DrawNotRequested(RuleViolation):
    """No draw with that id was requested from the pool."""


class DrawNotPending(RuleViolation):
    """Only a requested draw is approved or rejected; a decision is final."""


class PoolExhausted(RuleViolation):
    """Available = contributed − outstanding never goes below zero."""


class DrawNotOutstanding(RuleViolation):
    """Only an approved draw with quotas still out is returned or renewed."""


class ReturnBeyondOutstanding(RuleViolation):
    """A return gives back at most what the draw still holds."""


check = InvalidPoolDetails.check


@dataclass(frozen=True)
class PoolDetails:
    name: str
    district: str
    capacity: int

    def __post_init__(self) -> None:
        check(self.capacity > 0, "a pool's capacity is above zero")
        check(bool(self.name.strip() and self.district.strip()), "a pool needs a name and district")


@dataclass(frozen=True)
class DrawTerms:
    """What a town asks for: how many quotas, for which purpose, until which day."""

    town: str
    count: int
    purpose: str
    until: date

    def __post_init__(self) -> None:
        if self.purpose not in PURPOSES:
            raise PurposeNotAllowed(f"{self.purpose!r} is not a purpose of the pool")
        check(self.count > 0 and bool(self.town.strip()), "a draw names a town and a count")


@dataclass(frozen=True)
class Draw:
    id: str
    terms: DrawTerms
    until: date  # the current end of the term, moved by renewals
    status: str = "requested"  # requested | approved | rejected | returned | expired
    outstanding: int = 0


class StaffingPool(Aggregate):
    """编制周转池 — institutional quotas carved from the district total (挖潜调剂).

    Units contribute up to the capacity; towns draw for an allowed purpose and a term.
    Available = contributed − outstanding ≥ 0: a draw and the balance it reads are one
    aggregate, so two approvals racing collide and one loses. Time passes by the clock
    command `expire_due`: approved draws whose term ended by its day go back (动态管理).
    """

    @staticmethod
    def create_id(code: str) -> UUID:
        return natural_id("staffing_pool", code)

    @event("Established")
    def __init__(self, code: str, details: PoolDetails, ctx: Context) -> None:
        self.code, self.details = code, details
        self.contributed = 0
        self.draws: tuple[Draw, ...] = ()

    @property
    def outstanding(self) -> int:
        return sum(d.outstanding for d in self.draws)

    @property
    def available(self) -> int:
        return self.contributed - self.outstanding

    def draw(self, draw_id: str) -> Draw:
        found = next((d for d in self.draws if d.id == draw_id), None)
        if found is None:
            raise DrawNotRequested(f"no draw {draw_id} from pool {self.code}")
        return found

    def _set(self, draw: Draw) -> None:
        self.draws = tuple(draw if d.id == draw.id else d for d in self.draws)

    def contribute(self, unit: str, count: int, ctx: Context) -> None:
        check(count > 0 and bool(unit.strip()), "a contribution names a unit and a count")
        if self.contributed + count > self.details.capacity:
            raise CapacityExceeded(f"{self.contributed} + {count} > {self.details.capacity}")
        self._contributed(unit=unit, count=count, ctx=ctx)

    @event("Contributed")
    def _contributed(self, unit: str, count: int, ctx: Context) -> None:
        self.contributed += count

    def request_draw(self, draw_id: str, terms: DrawTerms, ctx: Context) -> None:
        existing = next((d for d in self.draws if d.id == draw_id), None)
        if existing is not None and existing.terms != terms:
            raise DrawAlreadyRequested(f"draw {draw_id} of {self.code} has other terms")
        if existing is None:
            if terms.until <= ctx.effective_on:
                raise InvalidDrawTerm(f"draw {draw_id} would end on {terms.until}")
            self._draw_requested(draw=draw_id, terms=terms, ctx=ctx)

    @event("DrawRequested")
    def _draw_requested(self, draw: str, terms: DrawTerms, ctx: Context) -> None:
        self.draws = (*self.draws, Draw(draw, terms, terms.until))

    def _pending(self, draw_id: str, done: str) -> Draw | None:
        found = self.draw(draw_id)
        if found.status == done:
            return None  # decided so already: a retry records nothing
        if found.status != "requested":
            raise DrawNotPending(f"draw {draw_id} of {self.code} is {found.status}")
        return found

    def approve_draw(self, draw_id: str, ctx: Context) -> None:
        if (found := self._pending(draw_id, "approved")) is None:
            return
        if found.until < ctx.effective_on:
            raise InvalidDrawTerm(f"draw {draw_id} ended on {found.until}")
        if found.terms.count > self.available:
            raise PoolExhausted(f"{found.terms.count} asked, {self.available} available")
        self._draw_approved(draw=draw_id, ctx=ctx)

    @event("DrawApproved")
    def _draw_approved(self, draw: str, ctx: Context) -> None:
        found = self.draw(draw)
        self._set(replace(found, status="approved", outstanding=found.terms.count))

    def reject_draw(self, draw_id: str, ctx: Context) -> None:
        if self._pending(draw_id, "rejected") is not None:
            require_reason(ctx, "rejecting a draw")
            self._draw_rejected(draw=draw_id, ctx=ctx)

    @event("DrawRejected")
    def _draw_rejected(self, draw: str, ctx: Context) -> None:
        self._set(replace(self.draw(draw), status="rejected"))

    def _outstanding(self, draw_id: str) -> Draw:
        found = self.draw(draw_id)
        if found.status != "approved":
            raise DrawNotOutstanding(f"draw {draw_id} of {self.code} is {found.status}")
        return found

    def return_draw(self, draw_id: str, count: int | None, ctx: Context) -> None:
        """Give back part of the draw, or all of it when `count` is None."""
        found = self._outstanding(draw_id)
        count = found.outstanding if count is None else count
        check(count > 0, "a return gives back at least one quota")
        if count > found.outstanding:
            raise ReturnBeyondOutstanding(f"{count} returned, {found.outstanding} outstanding")
        self._draw_returned(draw=draw_id, count=count, on=ctx.effective_on, ctx=ctx)

    @event("DrawReturned")
    def _draw_returned(self, draw: str, count: int, on: date, ctx: Context) -> None:
        found = self.draw(draw)
        left = found.outstanding - count
        self._set(replace(found, outstanding=left, status="approved" if left else "returned"))

    def renew_draw(self, draw_id: str, until: date, ctx: Context) -> None:
        found = self._outstanding(draw_id)
        if until <= found.until:
            raise InvalidDrawTerm(f"a renewal of {draw_id} ends after {found.until}")
        require_reason(ctx, "renewing a draw")
        self._draw_renewed(draw=draw_id, until=until, ctx=ctx)

    @event("DrawRenewed")
    def _draw_renewed(self, draw: str, until: date, ctx: Context) -> None:
        self._set(replace(self.draw(draw), until=until))

    def expire_due(self, on: date, ctx: Context) -> int:
        """The clock: every approved draw whose term ended on or before `on` goes back."""
        due = [d for d in self.draws if d.status == "approved" and d.until <= on]
        for found in due:
            self._draw_expired(draw=found.id, count=found.outstanding, on=on, ctx=ctx)
        return len(due)

    @event("DrawExpired")
    def _draw_expired(self, draw: str, count: int, on: date, ctx: Context) -> None:
        self._set(replace(self.draw(draw), outstanding=0, status="expired"))

    if TYPE_CHECKING:  # the event classes that the @event methods above define at class creation
        Established = DecoratedCreated
        Contributed = DrawRequested = DrawApproved = DrawRejected = DrawReturned = DecoratedEvent
        DrawRenewed = DrawExpired = DecoratedEvent
