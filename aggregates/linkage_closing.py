"""A linkage case's end: closed with the citizen's verdict (回访), reworked (重办), merged."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from aggregates.base import Context, RuleViolation, require_reason

if TYPE_CHECKING:
    from aggregates.linkage_case import LinkageCase

ENDED = ("closed", "merged")


class CaseClosed(RuleViolation):
    """A closed or merged case takes nothing more (a case closed dissatisfied may be reworked)."""


class NotResolved(RuleViolation):
    """Only a resolved case is closed."""


class ReworkOnlyAfterDissatisfaction(RuleViolation):
    """重办 follows only a closing the citizen rated dissatisfied (不满意)."""


class ReworkDeadlinePassed(RuleViolation):
    """A rework's deadline to resolve lies after the order to rework."""


class CannotMergeIntoItself(RuleViolation):
    """A duplicate is merged into another case."""


def refuse_if_ended(case: LinkageCase) -> None:
    if case.status in ENDED:
        raise CaseClosed(f"case {case.number} is {case.status}")


def closing(case: LinkageCase) -> None:
    refuse_if_ended(case)
    if case.status != "resolved":
        raise NotResolved(f"case {case.number} is {case.status}")


def reworking(case: LinkageCase, resolve_by: datetime, ctx: Context) -> None:
    """重办: a case closed dissatisfied goes back to its lead, for a reason, by a new deadline."""
    if case.status == "merged":
        refuse_if_ended(case)
    if (case.status, case.satisfaction) != ("closed", "dissatisfied"):
        raise ReworkOnlyAfterDissatisfaction(
            f"case {case.number} is {case.status}, rated {case.satisfaction}")
    require_reason(ctx, "reworking a case (重办)")
    if not ctx.effective_at < resolve_by:
        raise ReworkDeadlinePassed(f"resolve by {resolve_by} is not after {ctx.effective_at}")


def merging(case: LinkageCase, into: str) -> None:
    refuse_if_ended(case)
    if into == case.number:
        raise CannotMergeIntoItself(f"case {case.number}")
