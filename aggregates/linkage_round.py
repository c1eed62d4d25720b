"""A dispatched round of a linkage case: who may act in it, more time, and 督办 (supervision)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from aggregates.base import Context, RuleViolation, require_reason
from aggregates.linkage_closing import refuse_if_ended
from aggregates.linkage_terms import IN_ROUND, AlreadyResolved, Assignment

if TYPE_CHECKING:
    from aggregates.linkage_case import LinkageCase


class CaseNotDispatched(RuleViolation):
    """Parties act, and deadlines run, only while a dispatched round is under way."""


class NotAParty(RuleViolation):
    """Only the lead and the cooperating parties of this round sign for the case."""


class AlreadySignedFor(RuleViolation):
    """A party signs for a round once."""


class NotACooperatingParty(RuleViolation):
    """部门报到: only the cooperating parties of this round report in."""


class AlreadyReportedIn(RuleViolation):
    """A cooperating party reports in once per round."""


class NotTheLead(RuleViolation):
    """Only the lead handles, resolves, sends back or asks for more time."""


class NotSignedFor(RuleViolation):
    """The lead handles and resolves a case only after signing for it."""


class SuggestedIsTheSender(RuleViolation):
    """退单: the party a case is suggested to belong to is not the one sending it back."""


class ExtensionAlreadyPending(RuleViolation):
    """One request for more time is pending at a time."""


class NoExtensionRequested(RuleViolation):
    """Time is granted only on a pending request."""


class InvalidExtension(RuleViolation):
    """More time is a whole number of days, at least one."""


class StaleDeadline(RuleViolation):
    """督办 names the current deadline of this round, as it stands after extensions."""


class NotOverdue(RuleViolation):
    """A deadline is supervised only once it has passed."""


class DeadlineMet(RuleViolation):
    """The lead signed for, or the case is resolved: that deadline needs no supervision."""


class AlreadySupervised(RuleViolation):
    """One supervision per deadline and due time."""


def in_round(case: LinkageCase) -> Assignment:
    refuse_if_ended(case)
    if case.status == "resolved":
        raise AlreadyResolved(f"case {case.number} is resolved")
    if case.status not in IN_ROUND or case.assignment is None:
        raise CaseNotDispatched(f"case {case.number} is {case.status}")
    return case.assignment


def by_lead(case: LinkageCase, party: str, signed: bool = False) -> datetime:
    """The lead acting in the round (after signing for it, if `signed`); its resolve-by."""
    if party != in_round(case).lead:
        raise NotTheLead(f"{party} does not lead case {case.number}")
    if signed and party not in case.signed:
        raise NotSignedFor(f"{party} has not signed for case {case.number}")
    return case.resolve_by  # type: ignore[return-value]  # set by every dispatch


def signing_due(case: LinkageCase, party: str) -> datetime:
    assignment = in_round(case)
    if party not in assignment.parties:
        raise NotAParty(f"{party} is not a party to case {case.number} round {case.round}")
    if party in case.signed:
        raise AlreadySignedFor(f"{party} signed for case {case.number}")
    return assignment.sign_for_by


def reporting_in(case: LinkageCase, party: str) -> None:
    if party not in in_round(case).cooperating:
        raise NotACooperatingParty(f"{party} does not cooperate on case {case.number}")
    if party in case.reported_in:
        raise AlreadyReportedIn(f"{party} reported in on case {case.number}")


def sending_back(case: LinkageCase, party: str, suggested: str | None, ctx: Context) -> None:
    """退单 by the lead, before resolution, for a reason, suggesting someone else or no one."""
    by_lead(case, party)
    require_reason(ctx, "sending a case back (退单)")
    if suggested == party:
        raise SuggestedIsTheSender(f"{party} sends case {case.number} back to itself")


def asking_time(case: LinkageCase, party: str, ctx: Context) -> None:
    by_lead(case, party)
    if case.extension is not None:
        raise ExtensionAlreadyPending(f"{case.extension} days asked on case {case.number}")
    require_reason(ctx, "asking for more time")


def extended(case: LinkageCase, days: int) -> datetime:
    """The resolve-by after granting `days` more on the pending request."""
    in_round(case)
    if case.extension is None:
        raise NoExtensionRequested(f"no request for more time on case {case.number}")
    if days < 1:
        raise InvalidExtension(f"{days} days granted on case {case.number}")
    return case.resolve_by + timedelta(days=days)  # type: ignore[operator]


def late_parties(case: LinkageCase, deadline: str, due: datetime, at: datetime) -> tuple[str, ...]:
    """督办: who missed this round's current `deadline`, due at `due` and passed by `at`."""
    refuse_if_ended(case)
    a = case.assignment
    if a is None or {"sign_for": a.sign_for_by, "resolve": case.resolve_by}.get(deadline) != due:
        raise StaleDeadline(f"{deadline} of case {case.number} is not due at {due}")
    if case.status == "resolved" or (deadline == "sign_for" and a.lead in case.signed):
        raise DeadlineMet(f"{deadline} of case {case.number} was met")
    in_round(case)
    if not at > due:
        raise NotOverdue(f"{deadline} of case {case.number} is due at {due}")
    if (deadline, due) in case.supervised:
        raise AlreadySupervised(f"{deadline} of case {case.number} due at {due}")
    if deadline == "resolve":
        return (a.lead,)
    return tuple(p for p in a.parties if p not in case.signed)
