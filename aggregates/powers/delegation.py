"""赋权 — the exercise of one power item moved from a department to one town."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from aggregates.base import Context, RuleViolation, natural_id, require_reason

if TYPE_CHECKING:
    from aggregates.base import DecoratedCreated, DecoratedEvent

# The terms of a delegation: its admission review, support package and evaluations.


RATINGS = frozenset({"effective", "needs_improvement", "ineffective"})
RECOMMENDATIONS = frozenset({"keep", "adjust", "recall"})


class ReviewNotPassed(RuleViolation):
    """Approval needs both the legality and the reasonableness review passed."""


class SupportNotDeclared(RuleViolation):
    """Approval declares staff, funding, training and guidance, each explicit even when zero."""


class InvalidEvaluation(RuleViolation):
    """An evaluation rates and recommends from a fixed vocabulary."""


@dataclass(frozen=True)
class Finding:
    passed: bool
    note: str


@dataclass(frozen=True)
class AdmissionReview:
    """准入审核 — the reviewing body and its legality and reasonableness findings."""

    body: str
    legality: Finding
    reasonableness: Finding

    @property
    def passed(self) -> bool:
        return self.legality.passed and self.reasonableness.passed


@dataclass(frozen=True)
class SupportPackage:
    """人员、经费、培训、指导 — what comes with the power."""

    staff: int
    funding_yuan: Decimal
    training_sessions: int
    guidance: str

    def __post_init__(self) -> None:
        if not self.funding_yuan.is_finite():
            raise SupportNotDeclared(
                f"a support package with funding {self.funding_yuan}: declare the funding as an amount "
                "of yuan, 0 when there is none"
            )
        if self.staff < 0 or self.funding_yuan < 0 or self.training_sessions < 0:
            raise SupportNotDeclared(
                f"a support package of {self.staff} staff, {self.funding_yuan} yuan and "
                f"{self.training_sessions} training sessions: each is 0 or more, declared even when 0"
            )
        if not self.guidance.strip():
            raise SupportNotDeclared("a support package with no guidance: state the guidance, even as 'none'")


@dataclass(frozen=True)
class Evaluation:
    """调研评估 — a periodic evaluation of how the town exercises the power."""

    evaluated_on: date
    rating: str
    recommendation: str
    findings: str

    def __post_init__(self) -> None:
        if self.rating not in RATINGS or self.recommendation not in RECOMMENDATIONS:
            raise InvalidEvaluation(
                f"an evaluation rated {self.rating!r} recommending {self.recommendation!r}: the rating is "
                "one "
                f"of {', '.join(sorted(RATINGS))}, the recommendation one of "
                f"{', '.join(sorted(RECOMMENDATIONS))}"
            )


# 赋权批次 — a batch of delegations ("首批下放", "成熟一批、赋予一批").


class BatchAlreadyDeclared(RuleViolation):
    """The batch code is taken by a batch with another title."""


class DelegationBatch(Aggregate):
    """赋权批次 — declared once, with its title and document number.

    A delegation names its batch but does not wait for the declaration: the two travel
    on different partitions (a delegation is keyed by its power item), so requiring the
    declaration first would make the outcome depend on delivery order across partitions.
    """

    @staticmethod
    def create_id(code: str) -> UUID:
        return natural_id("delegation-batch", code)

    @event("Declared")
    def __init__(self, code: str, title: str, ctx: Context) -> None:
        self.code, self.title = code, title

    if TYPE_CHECKING:  # the event classes that the @event methods above define at class creation
        Declared = DecoratedCreated


MODES = frozenset({"grant", "entrust", "devolve"})  # 赋权 / 委托 / 下放


class InvalidMode(RuleViolation):
    """A delegation is a grant, an entrustment or a devolution; nothing else."""


class DelegationAlreadyFiled(RuleViolation):
    """The same item was already filed for the same town in the same batch, differently."""


class RejectionIsFinal(RuleViolation):
    """A rejected delegation stays rejected; file a new one in a later batch."""


class NotAwaitingReview(RuleViolation):
    """Admission review starts only from a proposal."""


class NotUnderReview(RuleViolation):
    """Only a delegation under admission review (准入审核) can be approved or rejected."""


class NotInForce(RuleViolation):
    """Evaluation, recall and transfer apply only to an approved delegation still in force."""


class TransferNeedsUnit(RuleViolation):
    """划转 names the unit that takes the power over."""


class Delegation(Aggregate):
    """赋权 — proposed, reviewed for admission, approved or rejected, in force, ended."""

    @staticmethod
    def create_id(batch: str, item: str, town: str) -> UUID:
        return natural_id("delegation", batch, item, town)

    @event("Proposed")
    def __init__(self, batch: str, item: str, town: str, mode: str, department: str, ctx: Context) -> None:
        self.batch, self.item, self.town = batch, item, town
        self.mode, self.department = mode, department
        self.status = "proposed"
        self.reviewing_body: str | None = None
        self.review: AdmissionReview | None = None
        self.support: SupportPackage | None = None
        self.effective_on: date | None = None
        self.ended_on: date | None = None
        self.transferred_to: str | None = None
        self.last_evaluation: Evaluation | None = None
        self.rejected_on: date | None = None

    @property
    def named(self) -> str:
        """The delegation as a sender names it: its item, town and batch."""
        return f"the delegation of {self.item} to {self.town} in batch {self.batch}"

    def _state(self) -> str:
        """Where the delegation stands and what can be done with it now."""
        if self.status == "proposed":
            return "it is proposed: send delegation.start_review first"
        if self.status == "under_review":
            return f"it is under admission review by {self.reviewing_body}: approve or reject it"
        if self.status == "approved":
            return f"it is in force since {self.effective_on}: it can be evaluated, recalled or transferred"
        to = f" to {self.transferred_to}" if self.transferred_to else ""
        return (
            f"it was {self.status}{to} on {self.ended_on}: file a new delegation for {self.town} "
            f"to exercise {self.item} again"
        )

    def same_filing(self, mode: str, department: str) -> bool:
        return (self.mode, self.department) == (mode, department)

    def in_force_on(self, day: date) -> bool:
        """Whether the town exercised the power on that day (ended delegations included)."""
        return (
            self.status in ("approved", "recalled", "transferred")
            and self.effective_on is not None
            and self.effective_on <= day
            and (self.ended_on is None or day < self.ended_on)
        )

    def _expect(self, status: str, rule: type[RuleViolation], act: str) -> None:
        """Raise unless the delegation is `status`: RejectionIsFinal once rejected, else `rule`;
        `act` says what was asked ("approving")."""
        if self.status == "rejected":
            raise RejectionIsFinal(
                f"{act} {self.named}: it was rejected on {self.rejected_on}; a rejection is final: "
                "file a new delegation in a later batch"
            )
        if self.status != status:
            raise rule(f"{act} {self.named}: {self._state()}")

    def start_review(self, body: str, ctx: Context) -> None:
        self._expect("proposed", NotAwaitingReview, "starting the admission review of")
        self._review_started(body=body, ctx=ctx)

    @event("AdmissionReviewStarted")
    def _review_started(self, body: str, ctx: Context) -> None:
        self.status, self.reviewing_body = "under_review", body

    def ensure_approvable(self, review: AdmissionReview) -> None:
        self._expect("under_review", NotUnderReview, "approving")
        if not review.passed:
            findings = (("legality", review.legality), ("reasonableness", review.reasonableness))
            failed = " and ".join(name for name, finding in findings if not finding.passed)
            raise ReviewNotPassed(
                f"approving {self.named} on a review whose {failed} did not pass: legality and "
                "reasonableness must both pass, or the delegation is rejected (delegation.reject)"
            )

    def approve(self, review: AdmissionReview, support: SupportPackage, ctx: Context) -> None:
        self.ensure_approvable(review)
        self._approved(review=review, support=support, effective_on=ctx.effective_on, ctx=ctx)

    @event("Approved")
    def _approved(
        self, review: AdmissionReview, support: SupportPackage, effective_on: date, ctx: Context
    ) -> None:
        self.status, self.review, self.support = "approved", review, support
        self.effective_on = effective_on

    def reject(self, review: AdmissionReview, ctx: Context) -> None:
        self._expect("under_review", NotUnderReview, "rejecting")
        require_reason(ctx, "rejecting a delegation")
        self._rejected(review=review, ctx=ctx)

    @event("Rejected")
    def _rejected(self, review: AdmissionReview, ctx: Context) -> None:
        self.status, self.review, self.rejected_on = "rejected", review, ctx.effective_on

    def evaluate(self, evaluation: Evaluation, ctx: Context) -> None:
        self._expect("approved", NotInForce, "evaluating")
        if not self.in_force_on(evaluation.evaluated_on):
            raise NotInForce(
                f"evaluating {self.named} on {evaluation.evaluated_on}: it is in force from "
                f"{self.effective_on}; evaluate a day on or after {self.effective_on}"
            )
        self._evaluated(evaluation=evaluation, ctx=ctx)

    @event("Evaluated")
    def _evaluated(self, evaluation: Evaluation, ctx: Context) -> None:
        self.last_evaluation = evaluation

    def recall(self, ctx: Context) -> None:
        """上收 — the power goes back to the department."""
        self._expect("approved", NotInForce, "recalling")
        require_reason(ctx, "recalling a delegation")
        self._recalled(ended_on=ctx.effective_on, ctx=ctx)

    @event("Recalled")
    def _recalled(self, ended_on: date, ctx: Context) -> None:
        self.status, self.ended_on = "recalled", ended_on

    def transfer(self, to_unit: str, ctx: Context) -> None:
        """划转 — the power moves on to another unit."""
        self._expect("approved", NotInForce, "transferring")
        require_reason(ctx, "transferring a delegation")
        if not to_unit.strip():
            raise TransferNeedsUnit(
                f"transferring {self.named} to no unit: name the unit that takes the power over"
            )
        self._transferred(to_unit=to_unit, ended_on=ctx.effective_on, ctx=ctx)

    @event("Transferred")
    def _transferred(self, to_unit: str, ended_on: date, ctx: Context) -> None:
        self.status, self.ended_on, self.transferred_to = "transferred", ended_on, to_unit

    if TYPE_CHECKING:  # the event classes that the @event methods above define at class creation
        Proposed = DecoratedCreated
        AdmissionReviewStarted = Approved = Rejected = Evaluated = Recalled = Transferred = DecoratedEvent
