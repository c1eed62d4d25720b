"""A linkage case's report and dispatch (区镇联动案件): its terms, its tiers and their rules.

The rules of a dispatched round are in `linkage_round`, those of a case's end (closing,
rework, merging) in `linkage_closing`; `LinkageCase` calls their guards before recording.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from aggregates.base import Context, RuleViolation, require_reason
from aggregates.linkage_closing import refuse_if_ended

if TYPE_CHECKING:
    from aggregates.linkage_case import LinkageCase

AWAITING = ("reported", "sent_back", "escalated")  # waiting for a dispatch
IN_ROUND = ("dispatched", "signed", "handling")  # a dispatched round under way
NEXT_TIER = {None: "district", "town": "district", "district": "city"}  # unset counts as town


class CaseAlreadyReported(RuleViolation):
    """The case number is taken by a report with other content."""


class SubjectRequired(RuleViolation):
    """A case is about a kind of matter (category) or a power item, or both."""


class CaseNotReported(RuleViolation):
    """No case with that number was reported."""


class NotAwaitingDispatch(RuleViolation):
    """Only a case reported, sent back or escalated is dispatched."""


class LeadAmongCooperating(RuleViolation):
    """The lead party of a dispatch is not also one of its cooperating parties."""


class DeadlinesOutOfOrder(RuleViolation):
    """A dispatch's deadlines lie ahead: the act < sign for by ≤ resolve by."""


class TierMismatch(RuleViolation):
    """After an escalation the case is dispatched at the tier it was escalated to."""


class AlreadyResolved(RuleViolation):
    """A resolved case is not signed for, handled, sent back, extended or escalated."""


class EscalationBeyondCity(RuleViolation):
    """市管三跨 is the top tier: a city case escalates no further."""


@dataclass(frozen=True)
class CaseReport:
    """What was reported: from where (网格, 12345, 巡查, 上级交办), in which town, about what."""

    source: str
    town: str
    grid_cell: str | None = None
    category: str | None = None
    item: str | None = None
    priority: str = "normal"
    summary: str = ""

    def __post_init__(self) -> None:
        if not (self.category or self.item):
            raise SubjectRequired(f"a case in {self.town} names a category or a power item")


@dataclass(frozen=True)
class Assignment:
    """A dispatch: the tier, who leads and cooperates, the deadlines, and the routing's basis,
    reference and cause (the event it answers)."""

    tier: str
    lead: str
    cooperating: tuple[str, ...]
    sign_for_by: datetime
    resolve_by: datetime
    basis: str
    reference: str | None
    cause: str

    def __post_init__(self) -> None:
        object.__setattr__(self, "cooperating", tuple(self.cooperating))  # replay gives a list
        if self.lead in self.cooperating:
            raise LeadAmongCooperating(f"{self.lead} both leads and cooperates")
        if not self.sign_for_by <= self.resolve_by:
            raise DeadlinesOutOfOrder(f"sign for by {self.sign_for_by} after {self.resolve_by}")

    @property
    def parties(self) -> tuple[str, ...]:
        return (self.lead, *self.cooperating)


def dispatching(case: LinkageCase, assignment: Assignment, at: datetime) -> bool:
    """Whether the dispatch is news: the same answer to the same cause again is not."""
    refuse_if_ended(case)
    if assignment == case.assignment:
        return False
    if case.status not in AWAITING:
        raise NotAwaitingDispatch(f"case {case.number} is {case.status}")
    if not at < assignment.sign_for_by:
        raise DeadlinesOutOfOrder(f"sign for by {assignment.sign_for_by} is not after {at}")
    if case.escalations and assignment.tier != case.tier:
        raise TierMismatch(f"case {case.number} was escalated to {case.tier}")
    return True


def escalating(case: LinkageCase, ctx: Context) -> str:
    """The tier an open case goes up to, for a stated reason."""
    refuse_if_ended(case)
    if case.status == "resolved":
        raise AlreadyResolved(f"case {case.number} is resolved")
    if case.tier not in NEXT_TIER:
        raise EscalationBeyondCity(f"case {case.number} is at the {case.tier} tier")
    require_reason(ctx, "escalating a case")
    return NEXT_TIER[case.tier]
