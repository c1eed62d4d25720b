"""区镇联动案件 — a district-to-town linkage case: reported, dispatched, handled, closed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from aggregates.base import Context, RuleViolation, require_reason
from datetime import datetime, timedelta
from uuid import UUID
from eventsourcing.domain import Aggregate, event
from aggregates.base import Context, natural_id


# A linkage case's report and dispatch (区镇联动案件): its terms, its tiers and their rules.
#
# The rules of a dispatched round are in `linkage_round`, those of a case's end (closing,
# rework, merging) in `linkage_closing`; `LinkageCase` calls their guards before recording.



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


# A dispatched round of a linkage case: who may act in it, more time, and 督办 (supervision).




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


# A linkage case's end: closed with the citizen's verdict (回访), reworked (重办), merged.



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


class LinkageCase(Aggregate):
    """区镇联动案件 — dispatched in rounds, signed for (签收), reported in (部门报到), handled,
    resolved, closed; sent back (退单), supervised (督办), escalated, reworked (重办). Each act's
    guard (`linkage_terms`, `linkage_round`, `linkage_closing`) raises the broken rule first."""

    @staticmethod
    def create_id(number: str) -> UUID:
        return natural_id("case", number)

    @event("Reported")
    def __init__(self, number: str, report: CaseReport, ctx: Context) -> None:
        self.number, self.report, self.reported_at = number, report, ctx.effective_at
        self.status, self.tier, self.round, self.escalations = "reported", None, 0, 0
        self.assignment: Assignment | None = None
        self.lead: str | None = None
        self.resolve_by: datetime | None = None  # the round's, moved by extensions and rework
        self.signed: tuple[str, ...] = ()  # this round's: who signed for, who reported in,
        self.reported_in: tuple[str, ...] = ()  # which (deadline, due) were supervised
        self.supervised: tuple[tuple[str, datetime], ...] = ()
        self.extension: int | None = None  # days asked for, pending
        self.outcome = self.satisfaction = None  # str | None: once resolved; once closed

    def dispatch(self, assignment: Assignment, ctx: Context) -> None:
        if dispatching(self, assignment, ctx.effective_at):
            self._dispatched(assignment=assignment, round=self.round + 1, ctx=ctx)

    @event("Dispatched")
    def _dispatched(self, assignment: Assignment, round: int, ctx: Context) -> None:
        self.assignment, self.lead, self.tier = assignment, assignment.lead, assignment.tier
        self.round, self.status, self.resolve_by = round, "dispatched", assignment.resolve_by
        self.signed, self.reported_in, self.supervised, self.extension = (), (), (), None

    def sign_for(self, party: str, note: str, ctx: Context) -> None:
        due = signing_due(self, party)
        self._signed_for(party=party, note=note, due=due, on_time=ctx.effective_at <= due, ctx=ctx)

    @event("SignedFor")
    def _signed_for(self, party: str, note: str, due: datetime, on_time: bool,
                    ctx: Context) -> None:
        self.signed = (*self.signed, party)
        self.status = "signed" if party == self.lead else self.status

    def report_in(self, party: str, note: str, ctx: Context) -> None:
        reporting_in(self, party)
        self._reported_in(party=party, note=note, ctx=ctx)

    @event("ReportedIn")
    def _reported_in(self, party: str, note: str, ctx: Context) -> None:
        self.reported_in = (*self.reported_in, party)

    def handle(self, party: str, note: str, ctx: Context) -> None:
        by_lead(self, party, signed=True)
        self._handled(party=party, note=note, ctx=ctx)

    @event("Handled")
    def _handled(self, party: str, note: str, ctx: Context) -> None:
        self.status = "handling"

    def send_back(self, party: str, suggested: str | None, ctx: Context) -> None:
        sending_back(self, party, suggested, ctx)
        self._sent_back(party=party, suggested=suggested, tier=self.tier, ctx=ctx)

    @event("SentBack")
    def _sent_back(self, party: str, suggested: str | None, tier: str, ctx: Context) -> None:
        self.status = "sent_back"

    def request_extension(self, party: str, days: int, ctx: Context) -> None:
        asking_time(self, party, ctx)
        self._extension_requested(party=party, days=days, ctx=ctx)

    @event("ExtensionRequested")
    def _extension_requested(self, party: str, days: int, ctx: Context) -> None:
        self.extension = days

    def grant_extension(self, days: int, ctx: Context) -> None:
        self._extended(days=days, resolve_by=extended(self, days), ctx=ctx)

    @event("ExtensionGranted")
    def _extended(self, days: int, resolve_by: datetime, ctx: Context) -> None:
        self.extension, self.resolve_by = None, resolve_by

    def resolve(self, party: str, outcome: str, summary: str, ctx: Context) -> None:
        due = by_lead(self, party, signed=True)
        self._resolved(party=party, outcome=outcome, summary=summary, due=due,
                       on_time=ctx.effective_at <= due, ctx=ctx)

    @event("Resolved")
    def _resolved(self, party: str, outcome: str, summary: str, due: datetime, on_time: bool,
                  ctx: Context) -> None:
        self.status, self.outcome, self.extension = "resolved", outcome, None

    def close(self, satisfaction: str, ctx: Context) -> None:
        closing(self)
        self._closed(satisfaction=satisfaction, lead=self.lead, town=self.report.town,
                     outcome=self.outcome, ctx=ctx)

    @event("Closed")
    def _closed(self, satisfaction: str, lead: str, town: str, outcome: str, ctx: Context) -> None:
        self.status, self.satisfaction = "closed", satisfaction

    def rework(self, resolve_by: datetime, ctx: Context) -> None:
        reworking(self, resolve_by, ctx)
        self._reworked(resolve_by=resolve_by, lead=self.lead, ctx=ctx)

    @event("ReworkOrdered")
    def _reworked(self, resolve_by: datetime, lead: str, ctx: Context) -> None:
        self.status, self.resolve_by = "handling", resolve_by
        self.outcome = self.satisfaction = None

    def merge(self, into: str, ctx: Context) -> None:
        merging(self, into)
        self._merged(into=into, ctx=ctx)

    @event("Merged")
    def _merged(self, into: str, ctx: Context) -> None:
        self.status = "merged"

    def supervise(self, deadline: str, due: datetime, ctx: Context) -> None:
        parties = late_parties(self, deadline, due, ctx.effective_at)
        self._supervised(deadline=deadline, due=due, parties=parties, ctx=ctx)

    @event("Supervised")
    def _supervised(self, deadline: str, due: datetime, parties: tuple[str, ...],
                    ctx: Context) -> None:
        self.supervised = (*self.supervised, (deadline, due))

    def escalate(self, ctx: Context) -> None:
        """Up one tier; a case never dispatched is the town's, and its town counts as the lead."""
        to_tier = escalating(self, ctx)
        self._escalated(from_tier=self.tier or "town", to_tier=to_tier,
                        previous_lead=self.lead or self.report.town, ctx=ctx)

    @event("Escalated")
    def _escalated(self, from_tier: str, to_tier: str, previous_lead: str, ctx: Context) -> None:
        self.tier, self.status, self.escalations = to_tier, "escalated", self.escalations + 1
