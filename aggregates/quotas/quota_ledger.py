"""编制台账 — a unit's quota ledger: quotas by kind approved and occupied, leadership posts, plans."""

from __future__ import annotations

from dataclasses import dataclass, replace
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

# The terms of a quota ledger (编制台账): its vocabularies, counts, approvals and rule errors.


# 镇街 / 开发区 / 区级机关、部门 / 市级机关: the levels whose units hold quotas, lowest first (a
# community, 村/社区, holds none: its workers are in the community-worker register)
LEVELS = ("town", "zone", "district", "city")
KINDS = ("administrative", "institutional", "auxiliary")  # 行政编制 / 事业编制 / 编外
LEADERSHIP = "leadership"  # 中层领导职数, managed as one total (总量管理)
PLAN_KINDS = frozenset({"administrative", "institutional"})  # 用编计划; 编外 has its own 用工计划


class InvalidQuotaDetails(RuleViolation):
    """Level or kind outside the vocabulary, a count not above zero, a name left empty."""


class QuotaLedgerNotOpened(RuleViolation):
    """No ledger was opened for that unit (one opened only by an incoming transfer counts
    as not opened until its own opening arrives)."""


class QuotaLedgerAlreadyOpened(RuleViolation):
    """The unit's ledger is open with another name, level or district."""


class OccupiedAboveApproved(RuleViolation):
    """实有人员不得超过核定编制: occupied never exceeds approved, after any change."""


class VacatedAboveOccupied(RuleViolation):
    """More people cannot leave a kind of quota than occupy it."""


class ReverseAdjustmentNotApproved(RuleViolation):
    """逆向调整: moving quotas up to a higher level (a town to district organs, anything to the
    city) needs an approval."""


class UnitLevelMismatch(RuleViolation):
    """A transfer names the receiving unit's level, which must be the level of its ledger."""


class TransferPredatesApproval(RuleViolation):
    """A transfer takes effect after the source's last 核定 of that kind, which it would
    otherwise silently undo."""


class ApprovalSuperseded(RuleViolation):
    """A 核定 effective before the one in force is history, not a change."""


class PlanAboveVacancies(RuleViolation):
    """用编计划 fills vacancies: the plan cannot exceed approved minus occupied."""


check = InvalidQuotaDetails.check


def upward(from_level: str, to_level: str) -> bool:
    """Whether quotas moving between units of these levels go up (逆向调整)."""
    return LEVELS.index(to_level) > LEVELS.index(from_level)


# the refusal of a 核定 or a transfer without its 文号
UNCITED = "核定 and transfers cite the document that decides them: set the envelope's document_no (文号)"


@dataclass(frozen=True)
class LedgerDetails:
    name: str
    district: str

    def __post_init__(self) -> None:
        check(
            bool(self.name.strip() and self.district.strip()),
            f"a quota ledger named {self.name!r} of district {self.district!r}: state both its name and its "
            "district",
        )


@dataclass(frozen=True)
class TransferApproval:
    """The body approving a reverse adjustment (e.g. 区委编委) and its document number."""

    body: str
    document_no: str

    def __post_init__(self) -> None:
        check(
            bool(self.body.strip() and self.document_no.strip()),
            f"an approval by {self.body!r} under {self.document_no!r}: name both the approving body and its "
            "文号",
        )


@dataclass(frozen=True)
class Count:
    """One kind of quota. `figure` is the last 核定, in force from `fixed_on`; `moves` are the
    transfers (+ in, − out) by effective day. A 核定 on day D covers every move effective up
    to D, so a transfer arriving from another partition adds to the total only when it
    takes effect later: the outcome does not depend on which arrives first."""

    kind: str
    figure: int = 0
    fixed_on: date | None = None
    occupied: int = 0
    moves: tuple[tuple[date, int], ...] = ()

    def approved_with(self, figure: int, fixed_on: date | None) -> int:
        later = (n for on, n in self.moves if fixed_on is None or on > fixed_on)
        return figure + sum(later)

    @property
    def approved(self) -> int:
        return self.approved_with(self.figure, self.fixed_on)

    @property
    def available(self) -> int:
        return self.approved - self.occupied

    def moved(self, on: date, n: int) -> Count:
        """With a transfer of n (+ in, − out) effective on `on`."""
        return replace(self, moves=(*self.moves, (on, n)))


class QuotaLedger(Aggregate):
    """编制台账 — one per unit (a town, a development zone, a district or city organ / department).

    Opened by its own opening, or first by a transfer into it (details None until the
    opening arrives: the two travel on different partitions). Events that change a total
    carry the total after the change, for the read models.
    """

    @staticmethod
    def create_id(unit: str) -> UUID:
        return natural_id("quota_ledger", unit)

    @event("Opened")
    def __init__(self, unit: str, level: str, details: LedgerDetails | None, ctx: Context) -> None:
        self.unit, self.level, self.details = unit, level, details
        self.counts: tuple[Count, ...] = tuple(Count(kind) for kind in (*KINDS, LEADERSHIP))
        self.plans: tuple[tuple[int, str, int], ...] = ()  # (year, kind, planned)

    def count(self, kind: str) -> Count:
        for c in self.counts:
            if c.kind == kind:
                return c
        raise InvalidQuotaDetails(
            f"{self.unit}: unknown kind of quota {kind!r}; the kinds are {', '.join((*KINDS, LEADERSHIP))}"
        )

    def _set(self, count: Count) -> None:
        self.counts = tuple(count if c.kind == count.kind else c for c in self.counts)

    def open(self, level: str, details: LedgerDetails, ctx: Context) -> None:
        if level != self.level or self.details not in (None, details):
            held = f"a {self.level} unit" + (
                f" {self.details.name!r} of {self.details.district}" if self.details else ""
            )
            raise QuotaLedgerAlreadyOpened(
                f"opening the quota ledger of {self.unit} as a {level} unit {details.name!r} of "
                f"{details.district}: it is open as {held}; a ledger is opened once, with the same details"
            )
        if self.details is None:
            self._details_recorded(details=details, ctx=ctx)

    @event("DetailsRecorded")
    def _details_recorded(self, details: LedgerDetails, ctx: Context) -> None:
        self.details = details

    def ensure_opened(self) -> None:
        if self.details is None:
            raise QuotaLedgerNotOpened(
                f"the quota ledger of {self.unit} is known only from transfers into it: send its quota.open"
            )

    def approve(self, kind: str, figure: int, ctx: Context) -> None:
        """核定 — the approved number of a kind (or of leadership posts) from its day on."""
        check(figure >= 0, f"approving {figure} {kind} for {self.unit}: the approved number is 0 or more")
        count, on = self.count(kind), ctx.effective_on
        if count.fixed_on is not None and on < count.fixed_on:
            raise ApprovalSuperseded(
                f"approving {figure} {kind} for {self.unit} effective {on}: the 核定 of {count.fixed_on} "
                f"({count.figure}) is in force; a 核定 takes effect on or after {count.fixed_on}"
            )
        approved = count.approved_with(figure, on)
        if count.occupied > approved:
            raise OccupiedAboveApproved(
                f"approving {figure} {kind} for {self.unit}, which has {count.occupied} occupied: "
                f"the approved number can be no lower than {count.occupied - (approved - figure)}"
            )
        require_document(ctx, DocumentNumberRequired, UNCITED)
        if (figure, on) != (count.figure, count.fixed_on):
            self._approved(kind=kind, figure=figure, on=on, approved=approved, ctx=ctx)

    @event("Approved")
    def _approved(self, kind: str, figure: int, on: date, approved: int, ctx: Context) -> None:
        self._set(replace(self.count(kind), figure=figure, fixed_on=on))

    def occupy(self, kind: str, n: int, ctx: Context) -> None:
        count = self.count(kind)
        check(n > 0, f"occupying {n} {kind} in {self.unit}: the count is 1 or more")
        if count.occupied + n > count.approved:
            raise OccupiedAboveApproved(
                f"occupying {n} more {kind} in {self.unit}, which has {count.approved} approved "
                f"({count.occupied} occupied): at most {max(count.available, 0)} more can be occupied"
            )
        self._occupied(kind=kind, count=n, occupied=count.occupied + n, ctx=ctx)

    @event("Occupied")
    def _occupied(self, kind: str, count: int, occupied: int, ctx: Context) -> None:
        self._set(replace(self.count(kind), occupied=occupied))

    def vacate(self, kind: str, n: int, ctx: Context) -> None:
        count = self.count(kind)
        check(n > 0, f"vacating {n} {kind} in {self.unit}: the count is 1 or more")
        if n > count.occupied:
            raise VacatedAboveOccupied(
                f"vacating {n} {kind} in {self.unit}, which has {count.occupied} occupied: "
                f"at most {count.occupied} can leave"
            )
        self._vacated(kind=kind, count=n, occupied=count.occupied - n, ctx=ctx)

    @event("Vacated")
    def _vacated(self, kind: str, count: int, occupied: int, ctx: Context) -> None:
        self._set(replace(self.count(kind), occupied=occupied))

    def transfer_out(
        self, to_unit: str, to_level: str, kind: str, n: int, approval: TransferApproval | None, ctx: Context
    ) -> None:
        check(
            kind in KINDS and n > 0 and to_unit != self.unit,
            f"moving {n} {kind} quotas from {self.unit} to {to_unit}: the kind is one of {', '.join(KINDS)}, "
            "the count 1 or more, the receiving unit another unit",
        )
        if upward(self.level, to_level) and approval is None:
            raise ReverseAdjustmentNotApproved(
                f"moving {n} {kind} quotas from the {self.level} {self.unit} up to the {to_level} unit "
                f"{to_unit} needs an approval (the approving body and its 文号)"
            )
        count, on = self.count(kind), ctx.effective_on
        if count.fixed_on is not None and on <= count.fixed_on:
            raise TransferPredatesApproval(
                f"moving {n} {kind} quotas out of {self.unit} effective {on}: its 核定 of {count.fixed_on} "
                f"would undo it; a transfer takes effect after {count.fixed_on}"
            )
        approved = count.moved(on, -n).approved
        if count.occupied > approved:
            raise OccupiedAboveApproved(
                f"moving {n} {kind} quotas out of {self.unit}, which has {count.approved} approved "
                f"({count.occupied} occupied): at most {max(count.available, 0)} can move"
            )
        require_document(ctx, DocumentNumberRequired, UNCITED)
        self._transferred_out(
            to_unit=to_unit,
            to_level=to_level,
            kind=kind,
            count=n,
            approval=approval,
            on=on,
            approved=approved,
            ctx=ctx,
        )

    @event("TransferredOut")
    def _transferred_out(
        self,
        to_unit: str,
        to_level: str,
        kind: str,
        count: int,
        approval: TransferApproval | None,
        on: date,
        approved: int,
        ctx: Context,
    ) -> None:
        self._set(self.count(kind).moved(on, -count))

    def transfer_in(
        self,
        from_unit: str,
        from_level: str,
        kind: str,
        n: int,
        approval: TransferApproval | None,
        ctx: Context,
    ) -> None:
        count, on = self.count(kind), ctx.effective_on
        approved = count.moved(on, n).approved
        self._transferred_in(
            from_unit=from_unit,
            from_level=from_level,
            kind=kind,
            count=n,
            approval=approval,
            on=on,
            approved=approved,
            ctx=ctx,
        )

    @event("TransferredIn")
    def _transferred_in(
        self,
        from_unit: str,
        from_level: str,
        kind: str,
        count: int,
        approval: TransferApproval | None,
        on: date,
        approved: int,
        ctx: Context,
    ) -> None:
        self._set(self.count(kind).moved(on, count))

    def plan(self, year: int, kind: str, planned: int, ctx: Context) -> None:
        """用编计划 — how many of the kind's vacancies the unit plans to fill in the year."""
        check(
            kind in PLAN_KINDS and planned >= 0,
            f"planning {planned} {kind} for {self.unit} in {year}: a plan is of "
            f"{' or '.join(sorted(PLAN_KINDS))} quotas, 0 or more",
        )
        current = next((p for y, k, p in self.plans if (y, k) == (year, kind)), None)
        if current == planned:
            return
        if planned > self.count(kind).available:
            count = self.count(kind)
            raise PlanAboveVacancies(
                f"planning {planned} {kind} for {self.unit} in {year}, which has {count.approved} approved "
                f"({count.occupied} occupied): at most {max(count.available, 0)} can be planned"
            )
        if current is not None:
            require_reason(ctx, "revising a staffing plan")
        self._planned(year=year, kind=kind, planned=planned, ctx=ctx)

    @event("Planned")
    def _planned(self, year: int, kind: str, planned: int, ctx: Context) -> None:
        kept = tuple(p for p in self.plans if (p[0], p[1]) != (year, kind))
        self.plans = (*kept, (year, kind, planned))

    if TYPE_CHECKING:  # the event classes that the @event methods above define at class creation
        Opened = DecoratedCreated
        DetailsRecorded = Approved = Occupied = Vacated = TransferredOut = TransferredIn = DecoratedEvent
        Planned = DecoratedEvent
