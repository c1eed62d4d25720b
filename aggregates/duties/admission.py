"""职责准入 — one department's duty: its admission to named towns and every push-down tried.

申请 → 审核 (区联席会议) → 准入 (区委、区政府审定, 文号) → 调整 or 取消. "严禁职能部门通过直接下派
或自行发文等方式将工作职责下放到街道社区" (seed 002): a refused push-down is recorded, not lost."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from aggregates.base import Context, RuleViolation, natural_id, require_document, require_reason
from aggregates.powers.delegation import AdmissionReview, SupportPackage

if TYPE_CHECKING:
    from aggregates.base import DecoratedCreated, DecoratedEvent

# The terms of a duty admission: its categories, terms and rule errors.


# 法律法规规章授权类 / 承接上级政府及其部门委托类 / 公共服务事项 (the street report's 34 + 7 + 32)
CATEGORIES = frozenset({"statutory", "entrusted", "public_service"})


class InvalidAdmissionTerms(RuleViolation):
    """A category outside the vocabulary, a required field left empty, or no town named."""


class DutyStepOutOfOrder(RuleViolation):
    """申请 → 审核 → 准入 → 调整/取消, one round at a time; a rejected round stays closed."""


class DecisionDocumentRequired(RuleViolation):
    """准入, 调整 and the 取消 of an admitted duty are district decisions with a 文号."""


class DutyNotAdmitted(RuleViolation):
    """部门擅自将责任甩给镇街: a push-down of a duty not admitted for that town on that day."""


@dataclass(frozen=True)
class DutyAdmissionTerms:
    name: str
    category: str
    basis: str  # the law, or the upper-level act that entrusts the duty
    towns: tuple[str, ...]  # named one by one: "all towns" is expanded by the sender

    def __post_init__(self) -> None:
        object.__setattr__(self, "towns", tuple(sorted(set(self.towns))))  # stored as a list
        if self.category not in CATEGORIES or not (
            self.name.strip() and self.basis.strip() and self.towns and all(map(str.strip, self.towns))
        ):
            raise InvalidAdmissionTerms(
                f"admission terms {self.name!r} of category {self.category!r} for {len(self.towns)} towns: "
                f"the category is one of {', '.join(sorted(CATEGORIES))}, and a name, a basis and at least "
                "one town code are required"
            )


def _require_document(ctx: Context, act: str) -> None:
    require_document(
        ctx,
        DecisionDocumentRequired,
        f"{act} is a district decision: set the envelope's document_no (文号) to its document number",
    )


class DutyAdmission(Aggregate):
    """职责准入 — the file of (department, duty): its admission rounds and its push-downs."""

    @staticmethod
    def create_id(department: str, duty: str) -> UUID:
        return natural_id("duty-admission", department, duty)

    @event("Opened")
    def __init__(self, department: str, duty: str, ctx: Context) -> None:
        self.department, self.duty = department, duty
        self.status, self.round, self.refused = "none", 0, 0
        self.terms: DutyAdmissionTerms | None = None
        self.review: AdmissionReview | None = None  # of the latest round, as are the next four
        self.support: SupportPackage | None = None
        self.decided_by: str | None = None
        self.admitted_on: date | None = None
        self.ended_on: date | None = None
        self.pushed_down: tuple[str, ...] = ()  # the towns the duty now lies with

    @property
    def named(self) -> str:
        return f"{self.duty} of {self.department}"

    def _state(self) -> str:
        """Where the admission stands and what can be sent now."""
        return {
            "none": "it was never applied for: send duty_admission.apply first",
            "applied": f"round {self.round} is applied for and awaits duty_admission.review",
            "reviewed": f"round {self.round} is reviewed and awaits duty_admission.admit",
            "admitted": f"it is admitted since {self.admitted_on}: it can be adjusted or cancelled",
            "rejected": f"round {self.round} was rejected: apply anew (duty_admission.apply)",
            "cancelled": f"it was cancelled on {self.ended_on}: apply anew (duty_admission.apply)",
        }.get(self.status, f"it is {self.status}")

    def _expect(self, act: str, *statuses: str) -> None:
        if self.status not in statuses:
            raise DutyStepOutOfOrder(f"{act} {self.named}: {self._state()}")

    def apply_for(self, terms: DutyAdmissionTerms, ctx: Context) -> None:
        """申请 — the same application again is ignored; a closed round may be filed anew."""
        if self.status in ("none", "rejected", "cancelled"):
            self._applied(terms=terms, ctx=ctx)
        elif terms != self.terms:
            instead = (
                "send duty_admission.adjust for new terms"
                if self.status == "admitted"
                else "withdraw it (duty_admission.cancel) and apply anew"
            )
            raise DutyStepOutOfOrder(
                f"applying for {self.named} with other terms: round {self.round} is {self.status}; {instead}"
            )

    @event("Applied")
    def _applied(self, terms: DutyAdmissionTerms, ctx: Context) -> None:
        self.terms, self.status, self.round = terms, "applied", self.round + 1
        self.review = self.support = self.decided_by = self.admitted_on = self.ended_on = None

    def pass_review(self, review: AdmissionReview, ctx: Context) -> None:
        """审核 — the joint meeting's findings: both passed, or rejected with a reason."""
        self._expect("reviewing", "applied")
        if review.passed:
            self._reviewed(review=review, ctx=ctx)
        else:
            require_reason(ctx, "rejecting a duty admission")
            self._rejected(review=review, ctx=ctx)

    @event("Reviewed")
    def _reviewed(self, review: AdmissionReview, ctx: Context) -> None:
        self.status, self.review = "reviewed", review

    @event("Rejected")
    def _rejected(self, review: AdmissionReview, ctx: Context) -> None:
        self.status, self.review = "rejected", review

    def admit(self, decided_by: str, support: SupportPackage, ctx: Context) -> None:
        self._expect("admitting", "reviewed")
        _require_document(ctx, f"admitting {self.named}")
        self._admitted(decided_by=decided_by, support=support, on=ctx.effective_on, ctx=ctx)

    @event("Admitted")
    def _admitted(self, decided_by: str, support: SupportPackage, on: date, ctx: Context) -> None:
        self.status, self.decided_by, self.support, self.admitted_on = "admitted", decided_by, support, on

    def adjust(self, terms: DutyAdmissionTerms, support: SupportPackage, ctx: Context) -> None:
        """调整 — new terms and support from the effective day on; dropped towns are recalled."""
        self._expect("adjusting", "admitted")
        if self.terms is None or (terms, support) == (self.terms, self.support):
            return
        require_reason(ctx, "adjusting a duty admission")
        _require_document(ctx, f"adjusting {self.named}")
        recalled = tuple(town for town in self.terms.towns if town not in terms.towns)
        self._adjusted(terms=terms, support=support, recalled=recalled, on=ctx.effective_on, ctx=ctx)

    @event("Adjusted")
    def _adjusted(
        self,
        terms: DutyAdmissionTerms,
        support: SupportPackage,
        recalled: tuple[str, ...],
        on: date,
        ctx: Context,
    ) -> None:
        self.terms, self.support = terms, support
        self.pushed_down = tuple(town for town in self.pushed_down if town not in recalled)

    def cancel(self, ctx: Context) -> None:
        """取消 an admitted duty, or the department withdraws its pending application."""
        if self.status != "cancelled":
            self._expect("cancelling", "applied", "reviewed", "admitted")
            require_reason(ctx, "cancelling a duty admission")
            if self.status == "admitted":
                _require_document(ctx, f"cancelling the admitted {self.named}")
            self._cancelled(on=ctx.effective_on, ctx=ctx)

    @event("Cancelled")
    def _cancelled(self, on: date, ctx: Context) -> None:
        self.status, self.ended_on, self.pushed_down = "cancelled", on, ()

    def push_down(self, town: str, ctx: Context) -> DutyNotAdmitted | None:
        """下沉 — lay the duty on the town; if not admitted there, record the attempt, return why."""
        on, terms = ctx.effective_on, self.terms
        why = (
            "never applied for admission"
            if terms is None
            else f"the admission is {self.status}"
            if self.status != "admitted"
            else f"admitted for {', '.join(terms.towns)} only"
            if town not in terms.towns
            else f"admitted only from {self.admitted_on}"
            if on < (self.admitted_on or on)
            else None
        )
        if why is not None:
            self._refused(
                department=self.department,
                duty=self.duty,
                town=town,
                admission=self.status,
                detail=why,
                on=on,
                ctx=ctx,
            )
            allowed = (
                "apply for its admission first (duty_admission.apply)"
                if terms is None
                else "it can be pushed down once admitted"
                if self.status != "admitted"
                else f"it can be pushed down to {', '.join(terms.towns)}, or the admission adjusted to "
                f"name {town}"
                if town not in terms.towns
                else f"push it down on or after {self.admitted_on}"
            )
            return DutyNotAdmitted(
                f"{self.department} may not push {self.duty} down to {town} on {on}: {why}; {allowed}"
            )
        if town not in self.pushed_down:
            self._pushed_down(town=town, on=on, ctx=ctx)
        return None

    @event("PushedDown")
    def _pushed_down(self, town: str, on: date, ctx: Context) -> None:
        self.pushed_down = tuple(sorted((*self.pushed_down, town)))

    @event("PushDownRefused")
    def _refused(
        self, department: str, duty: str, town: str, admission: str, detail: str, on: date, ctx: Context
    ) -> None:
        self.refused += 1

    if TYPE_CHECKING:  # the event classes that the @event methods above define at class creation
        Opened = DecoratedCreated
        Applied = Reviewed = Rejected = Admitted = Adjusted = Cancelled = PushedDown = DecoratedEvent
        PushDownRefused = DecoratedEvent
