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
        check(
            self.capacity > 0, f"pool {self.name!r} with capacity {self.capacity}: the capacity is 1 or more"
        )
        check(
            bool(self.name.strip() and self.district.strip()),
            f"pool {self.name!r} of district {self.district!r}: state both its name and its district",
        )


@dataclass(frozen=True)
class DrawTerms:
    """What a town asks for: how many quotas, for which purpose, until which day."""

    town: str
    count: int
    purpose: str
    until: date

    def __post_init__(self) -> None:
        if self.purpose not in PURPOSES:
            raise PurposeNotAllowed(
                f"a draw of {self.count} quotas for {self.town} for {self.purpose!r}: the purpose is one of "
                f"{', '.join(sorted(PURPOSES))}"
            )
        check(
            self.count > 0 and bool(self.town.strip()),
            f"a draw of {self.count} quotas for town {self.town!r}: it names a town and a count of 1 or more",
        )


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
            raise DrawNotRequested(
                f"no draw {draw_id} was requested from pool {self.code}: send pool.request_draw first"
            )
        return found

    def _set(self, draw: Draw) -> None:
        self.draws = tuple(draw if d.id == draw.id else d for d in self.draws)

    def contribute(self, unit: str, count: int, ctx: Context) -> None:
        check(
            count > 0 and bool(unit.strip()),
            f"contributing {count} quotas from {unit!r} to pool {self.code}: a contribution names a unit "
            "and a count of 1 or more",
        )
        if self.contributed + count > self.details.capacity:
            raise CapacityExceeded(
                f"contributing {count} quotas from {unit} to pool {self.code}, which holds "
                f"{self.contributed} "
                f"of its capacity of {self.details.capacity}: at most "
                f"{max(self.details.capacity - self.contributed, 0)} more can be contributed"
            )
        self._contributed(unit=unit, count=count, ctx=ctx)

    @event("Contributed")
    def _contributed(self, unit: str, count: int, ctx: Context) -> None:
        self.contributed += count

    def request_draw(self, draw_id: str, terms: DrawTerms, ctx: Context) -> None:
        existing = next((d for d in self.draws if d.id == draw_id), None)
        if existing is not None and existing.terms != terms:
            held = existing.terms
            raise DrawAlreadyRequested(
                f"requesting draw {draw_id} from pool {self.code}: it was requested with other terms "
                f"({held.count} quotas for {held.town}, {held.purpose}, until {held.until}); "
                "request the new one under another draw id"
            )
        if existing is None:
            if terms.until <= ctx.effective_on:
                raise InvalidDrawTerm(
                    f"requesting draw {draw_id} from pool {self.code} until {terms.until} on "
                    f"{ctx.effective_on}: the term ends after the day it is requested"
                )
            self._draw_requested(draw=draw_id, terms=terms, ctx=ctx)

    @event("DrawRequested")
    def _draw_requested(self, draw: str, terms: DrawTerms, ctx: Context) -> None:
        self.draws = (*self.draws, Draw(draw, terms, terms.until))

    def _pending(self, draw_id: str, done: str) -> Draw | None:
        found = self.draw(draw_id)
        if found.status == done:
            return None  # decided so already: a retry records nothing
        if found.status != "requested":
            act = "approving" if done == "approved" else "rejecting"
            raise DrawNotPending(
                f"{act} draw {draw_id} of pool {self.code}: it is {found.status}; a draw is approved or "
                "rejected once, while it is requested"
            )
        return found

    def approve_draw(self, draw_id: str, ctx: Context) -> None:
        if (found := self._pending(draw_id, "approved")) is None:
            return
        if found.until < ctx.effective_on:
            raise InvalidDrawTerm(
                f"approving draw {draw_id} of pool {self.code} on {ctx.effective_on}: its term ended on "
                f"{found.until}; request a new draw with a later term"
            )
        if found.terms.count > self.available:
            raise PoolExhausted(
                f"approving draw {draw_id} of {found.terms.count} quotas for {found.terms.town} from pool "
                f"{self.code}, which has {self.contributed} contributed ({self.outstanding} drawn): at most "
                f"{max(self.available, 0)} can be drawn"
            )
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

    def _outstanding(self, draw_id: str, act: str) -> Draw:
        found = self.draw(draw_id)
        if found.status != "approved":
            raise DrawNotOutstanding(
                f"{act} draw {draw_id} of pool {self.code}: it is {found.status}; only an approved draw "
                "with quotas still out is returned or renewed"
            )
        return found

    def return_draw(self, draw_id: str, count: int | None, ctx: Context) -> None:
        """Give back part of the draw, or all of it when `count` is None."""
        found = self._outstanding(draw_id, "returning")
        count = found.outstanding if count is None else count
        check(
            count > 0,
            f"returning {count} quotas of draw {draw_id} to pool {self.code}: a return is 1 or more",
        )
        if count > found.outstanding:
            raise ReturnBeyondOutstanding(
                f"returning {count} quotas of draw {draw_id} to pool {self.code}, which has "
                f"{found.outstanding} outstanding: at most {found.outstanding} can be returned"
            )
        self._draw_returned(draw=draw_id, count=count, on=ctx.effective_on, ctx=ctx)

    @event("DrawReturned")
    def _draw_returned(self, draw: str, count: int, on: date, ctx: Context) -> None:
        found = self.draw(draw)
        left = found.outstanding - count
        self._set(replace(found, outstanding=left, status="approved" if left else "returned"))

    def renew_draw(self, draw_id: str, until: date, ctx: Context) -> None:
        found = self._outstanding(draw_id, "renewing")
        if until <= found.until:
            raise InvalidDrawTerm(
                f"renewing draw {draw_id} of pool {self.code} until {until}: its term runs until "
                f"{found.until}; a renewal ends after {found.until}"
            )
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
