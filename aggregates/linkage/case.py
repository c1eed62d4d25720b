"""区镇联动案件 — a district-to-town linkage case: reported, dispatched, handled, closed.

A case is reported once under its number, then dispatched in rounds at a tier (town, district,
city). In a round its parties sign for it (签收), the cooperating ones report in (部门报到), and
the lead handles and resolves it, sends it back (退单) or asks for more time; a deadline passed
is supervised (督办), and an open case may be escalated a tier. A resolved case is closed with
the citizen's verdict (回访); one closed dissatisfied may be reworked (重办); a duplicate is
merged into another case.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from aggregates.base import Context, RuleViolation, natural_id, require_reason

if TYPE_CHECKING:
    from aggregates.base import DecoratedCreated, DecoratedEvent

# -- vocabularies -------------------------------------------------------------------------------

AWAITING = ("reported", "sent_back", "escalated")  # waiting for a dispatch
IN_ROUND = ("dispatched", "signed", "handling")  # a dispatched round under way
ENDED = ("closed", "merged")  # takes nothing more (but a case closed dissatisfied may be reworked)
NEXT_TIER = {None: "district", "town": "district", "district": "city"}  # unset counts as town


# -- rule errors: reporting and dispatching -----------------------------------------------------


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


# -- rule errors: a dispatched round (who may act in it, more time, 督办 supervision) -----------


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


# -- rule errors: a case's end (closed with the citizen's verdict 回访, reworked 重办, merged) ---


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


# -- value objects ------------------------------------------------------------------------------


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
            raise SubjectRequired(
                f"a case reported in {self.town} from {self.source} names neither a category nor a power "
                "item: name one, or both"
            )


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
            raise LeadAmongCooperating(
                f"a dispatch at the {self.tier} tier led by {self.lead}: {self.lead} is also among the "
                f"cooperating parties {list(self.cooperating)}; drop it from them"
            )
        if not self.sign_for_by <= self.resolve_by:
            raise DeadlinesOutOfOrder(
                f"a dispatch led by {self.lead} to sign for by {self.sign_for_by} and resolve by "
                f"{self.resolve_by}: the sign-for deadline falls on or before the resolve-by"
            )

    @property
    def parties(self) -> tuple[str, ...]:
        return (self.lead, *self.cooperating)


# -- the aggregate ------------------------------------------------------------------------------


class LinkageCase(Aggregate):
    """区镇联动案件 — dispatched in rounds, signed for (签收), reported in (部门报到), handled,
    resolved, closed; sent back (退单), supervised (督办), escalated, reworked (重办).

    Each public command first calls its private guard, which raises the broken rule (or works
    out what the event records), then triggers its `@event` method, which only changes state."""

    @staticmethod
    def create_id(number: str) -> UUID:
        return natural_id("case", number)

    @event("Reported")
    def __init__(self, number: str, report: CaseReport, ctx: Context) -> None:
        self.number, self.report, self.reported_at = number, report, ctx.effective_at
        self.status = "reported"
        self.tier: str | None = None  # the round's, or the one escalated to (unset counts as town)
        self.round, self.escalations = 0, 0
        self.assignment: Assignment | None = None
        self.lead: str | None = None
        self.resolve_by: datetime | None = None  # the round's, moved by extensions and rework
        self.signed: tuple[str, ...] = ()  # this round's: who signed for, who reported in,
        self.reported_in: tuple[str, ...] = ()  # which (deadline, due) were supervised
        self.supervised: tuple[tuple[str, datetime], ...] = ()
        self.extension: int | None = None  # days asked for, pending
        self.outcome: str | None = None  # once resolved
        self.satisfaction: str | None = None  # once closed
        self.closed_on: date | None = None  # the day of the latest closing
        self.merged_into: str | None = None  # once merged

    # -- guards shared by several commands --------------------------------------------------

    # `act` says what was asked, in the refusal's words: "DEPT-X handling", "escalating".

    def _refuse_if_ended(self, act: str) -> None:
        if self.status == "merged":
            raise CaseClosed(
                f"{act} case {self.number}: it was merged into case {self.merged_into}; act on case "
                f"{self.merged_into} instead"
            )
        if self.status == "closed":
            rework = "; it may be reworked (case.rework)" if self.satisfaction == "dissatisfied" else ""
            raise CaseClosed(
                f"{act} case {self.number}: it was closed on {self.closed_on}, rated {self.satisfaction}, "
                f"and takes nothing more{rework}"
            )

    def _refuse_if_resolved(self, act: str) -> None:
        if self.status == "resolved":
            raise AlreadyResolved(
                f"{act} case {self.number}: {self.lead} resolved it ({self.outcome}); close it with the "
                "citizen's verdict (case.close)"
            )

    def _in_round(self, act: str) -> Assignment:
        """The assignment of the round under way, open and not yet resolved."""
        self._refuse_if_ended(act)
        self._refuse_if_resolved(act)
        if self.status not in IN_ROUND or self.assignment is None:
            raise CaseNotDispatched(
                f"{act} case {self.number}: it is {self.status}, with no round under way; parties act once "
                "it is dispatched"
            )
        return self.assignment

    def _by_lead(self, party: str, act: str, signed: bool = False) -> datetime:
        """The lead acting in the round (after signing for it, if `signed`); its resolve-by."""
        lead = self._in_round(f"{party} {act}").lead
        if party != lead:
            raise NotTheLead(
                f"{party} {act} case {self.number}: {party} does not lead round {self.round}; {lead} leads it"
            )
        if signed and party not in self.signed:
            raise NotSignedFor(
                f"{party} {act} case {self.number}: {party} has not signed for round {self.round}; "
                "send case.sign_for first"
            )
        return self._due()

    def _due(self) -> datetime:
        """The round's resolve-by, as extensions and rework moved it."""
        assert self.resolve_by is not None, "set by every dispatch"
        return self.resolve_by

    # -- dispatching --------------------------------------------------------------------------

    def dispatch(self, assignment: Assignment, ctx: Context) -> None:
        if self._dispatching(assignment, ctx.effective_at):
            self._dispatched(assignment=assignment, round=self.round + 1, ctx=ctx)

    def _dispatching(self, assignment: Assignment, at: datetime) -> bool:
        """Whether the dispatch is news: the same answer to the same cause again is not."""
        self._refuse_if_ended("dispatching")
        if assignment == self.assignment:
            return False
        if self.status not in AWAITING:
            raise NotAwaitingDispatch(
                f"dispatching case {self.number} to {assignment.lead}: it is {self.status} in round "
                f"{self.round}, led by {self.lead}; a case is dispatched when reported, sent back or "
                "escalated"
            )
        if not at < assignment.sign_for_by:
            raise DeadlinesOutOfOrder(
                f"dispatching case {self.number} at {at} to sign for by {assignment.sign_for_by}: the "
                "deadlines lie ahead of the dispatch"
            )
        if self.escalations and assignment.tier != self.tier:
            raise TierMismatch(
                f"dispatching case {self.number} at the {assignment.tier} tier: it was escalated to the "
                f"{self.tier} tier; dispatch it at the {self.tier} tier"
            )
        return True

    @event("Dispatched")
    def _dispatched(self, assignment: Assignment, round: int, ctx: Context) -> None:
        self.assignment, self.lead, self.tier = assignment, assignment.lead, assignment.tier
        self.round, self.status, self.resolve_by = round, "dispatched", assignment.resolve_by
        self.signed, self.reported_in, self.supervised, self.extension = (), (), (), None

    # -- acting in a round ------------------------------------------------------------------

    def sign_for(self, party: str, note: str, ctx: Context) -> None:
        due = self._signing_due(party)
        self._signed_for(party=party, note=note, due=due, on_time=ctx.effective_at <= due, ctx=ctx)

    def _signing_due(self, party: str) -> datetime:
        """签收 by a party of this round not yet signed for it; its sign-for-by."""
        assignment = self._in_round(f"{party} signing for")
        if party not in assignment.parties:
            raise NotAParty(
                f"{party} signing for case {self.number}: it is not a party to round {self.round}; the "
                f"parties are {', '.join(assignment.parties)}"
            )
        if party in self.signed:
            raise AlreadySignedFor(
                f"{party} signing for case {self.number}: it signed for round {self.round} already; a party "
                "signs once per round"
            )
        return assignment.sign_for_by

    @event("SignedFor")
    def _signed_for(self, party: str, note: str, due: datetime, on_time: bool, ctx: Context) -> None:
        self.signed = (*self.signed, party)
        self.status = "signed" if party == self.lead else self.status

    def report_in(self, party: str, note: str, ctx: Context) -> None:
        self._reporting_in(party)
        self._reported_in(party=party, note=note, ctx=ctx)

    def _reporting_in(self, party: str) -> None:
        """部门报到 by a cooperating party of this round, once."""
        cooperating = self._in_round(f"{party} reporting in on").cooperating
        if party not in cooperating:
            raise NotACooperatingParty(
                f"{party} reporting in on case {self.number}: it does not cooperate in round {self.round}; "
                f"the cooperating parties are {', '.join(cooperating) or 'none'}"
            )
        if party in self.reported_in:
            raise AlreadyReportedIn(
                f"{party} reporting in on case {self.number}: it reported in on round {self.round} already; "
                "a party reports in once per round"
            )

    @event("ReportedIn")
    def _reported_in(self, party: str, note: str, ctx: Context) -> None:
        self.reported_in = (*self.reported_in, party)

    def handle(self, party: str, note: str, ctx: Context) -> None:
        self._by_lead(party, "handling", signed=True)
        self._handled(party=party, note=note, ctx=ctx)

    @event("Handled")
    def _handled(self, party: str, note: str, ctx: Context) -> None:
        self.status = "handling"

    def send_back(self, party: str, suggested: str | None, ctx: Context) -> None:
        tier = self._sending_back(party, suggested, ctx)
        self._sent_back(party=party, suggested=suggested, tier=tier, ctx=ctx)

    def _sending_back(self, party: str, suggested: str | None, ctx: Context) -> str:
        """退单 by the lead, before resolution, for a reason, suggesting someone else or no one;
        the round's tier."""
        self._by_lead(party, "sending back")
        require_reason(ctx, "sending a case back (退单)")
        if suggested == party:
            raise SuggestedIsTheSender(
                f"{party} sending back case {self.number}: it suggests itself; suggest another party, or none"
            )
        assert self.tier is not None, "set by every dispatch"
        return self.tier

    @event("SentBack")
    def _sent_back(self, party: str, suggested: str | None, tier: str, ctx: Context) -> None:
        self.status = "sent_back"

    def resolve(self, party: str, outcome: str, summary: str, ctx: Context) -> None:
        due = self._by_lead(party, "resolving", signed=True)
        self._resolved(
            party=party, outcome=outcome, summary=summary, due=due, on_time=ctx.effective_at <= due, ctx=ctx
        )

    @event("Resolved")
    def _resolved(
        self, party: str, outcome: str, summary: str, due: datetime, on_time: bool, ctx: Context
    ) -> None:
        self.status, self.outcome, self.extension = "resolved", outcome, None

    # -- more time ----------------------------------------------------------------------------

    def request_extension(self, party: str, days: int, ctx: Context) -> None:
        self._asking_time(party, ctx)
        self._extension_requested(party=party, days=days, ctx=ctx)

    def _asking_time(self, party: str, ctx: Context) -> None:
        """The lead asks, for a reason, with no other request pending."""
        self._by_lead(party, "asking more time on")
        if self.extension is not None:
            raise ExtensionAlreadyPending(
                f"{party} asking more time on case {self.number}: a request for {self.extension} days is "
                "pending; one request at a time, until it is granted"
            )
        require_reason(ctx, "asking for more time")

    @event("ExtensionRequested")
    def _extension_requested(self, party: str, days: int, ctx: Context) -> None:
        self.extension = days

    def grant_extension(self, days: int, ctx: Context) -> None:
        self._extended(days=days, resolve_by=self._granting(days), ctx=ctx)

    def _granting(self, days: int) -> datetime:
        """The resolve-by after granting `days` more on the pending request."""
        self._in_round(f"granting {days} more days on")
        if self.extension is None:
            raise NoExtensionRequested(
                f"granting {days} more days on case {self.number}: no request for more time is pending; the "
                "lead asks first (case.request_extension)"
            )
        if days < 1:
            raise InvalidExtension(
                f"granting {days} more days on case {self.number}, on a request for {self.extension}: grant "
                "a whole number of days, at least 1"
            )
        return self._due() + timedelta(days=days)

    @event("ExtensionGranted")
    def _extended(self, days: int, resolve_by: datetime, ctx: Context) -> None:
        self.extension, self.resolve_by = None, resolve_by

    # -- 督办 (supervision) and escalation ---------------------------------------------------

    def supervise(self, deadline: str, due: datetime, ctx: Context) -> None:
        parties = self._late_parties(deadline, due, ctx.effective_at)
        self._supervised(deadline=deadline, due=due, parties=parties, ctx=ctx)

    def _late_parties(self, deadline: str, due: datetime, at: datetime) -> tuple[str, ...]:
        """督办: who missed this round's current `deadline`, due at `due` and passed by `at`."""
        act = f"supervising the {deadline} deadline of"
        self._refuse_if_ended(act)
        a = self.assignment
        if a is None or {"sign_for": a.sign_for_by, "resolve": self.resolve_by}.get(deadline) != due:
            current = (
                "it was never dispatched"
                if a is None
                else f"round {self.round} is to be signed for by {a.sign_for_by} and resolved by "
                f"{self.resolve_by}"
            )
            raise StaleDeadline(
                f"{act} case {self.number} due at {due}: {current}; supervise a current deadline"
            )
        if self.status == "resolved" or (deadline == "sign_for" and a.lead in self.signed):
            met = "it is resolved" if self.status == "resolved" else f"{a.lead} signed for it"
            raise DeadlineMet(
                f"{act} case {self.number} due at {due}: {met}; the deadline needs no supervision"
            )
        self._in_round(act)
        if not at > due:
            raise NotOverdue(
                f"{act} case {self.number} at {at}: it is due at {due}; supervise it once it has passed"
            )
        if (deadline, due) in self.supervised:
            raise AlreadySupervised(
                f"{act} case {self.number} due at {due}: it was supervised already; a deadline is supervised "
                "once"
            )
        if deadline == "resolve":
            return (a.lead,)
        return tuple(p for p in a.parties if p not in self.signed)

    @event("Supervised")
    def _supervised(self, deadline: str, due: datetime, parties: tuple[str, ...], ctx: Context) -> None:
        self.supervised = (*self.supervised, (deadline, due))

    def escalate(self, ctx: Context) -> None:
        """Up one tier; a case never dispatched is the town's, and its town counts as the lead."""
        to_tier = self._escalating(ctx)
        self._escalated(
            from_tier=self.tier or "town",
            to_tier=to_tier,
            previous_lead=self.lead or self.report.town,
            ctx=ctx,
        )

    def _escalating(self, ctx: Context) -> str:
        """The tier an open case goes up to, for a stated reason."""
        self._refuse_if_ended("escalating")
        self._refuse_if_resolved("escalating")
        if self.tier not in NEXT_TIER:
            raise EscalationBeyondCity(
                f"escalating case {self.number}: it is at the {self.tier} tier, the top one; it escalates no "
                "further"
            )
        require_reason(ctx, "escalating a case")
        return NEXT_TIER[self.tier]

    @event("Escalated")
    def _escalated(self, from_tier: str, to_tier: str, previous_lead: str, ctx: Context) -> None:
        self.tier, self.status, self.escalations = to_tier, "escalated", self.escalations + 1

    # -- the end: closing (回访), rework (重办), merging ---------------------------------------

    def close(self, satisfaction: str, ctx: Context) -> None:
        lead, outcome = self._closing()
        self._closed(satisfaction=satisfaction, lead=lead, town=self.report.town, outcome=outcome, ctx=ctx)

    def _closing(self) -> tuple[str, str]:
        """Only a resolved case is closed, and once; its lead and outcome."""
        self._refuse_if_ended("closing")
        if self.status != "resolved":
            raise NotResolved(
                f"closing case {self.number}: it is {self.status}; a case is closed once its lead resolves "
                "it "
                "(case.resolve)"
            )
        assert self.lead is not None and self.outcome is not None, "set by the dispatch and the resolution"
        return self.lead, self.outcome

    @event("Closed")
    def _closed(self, satisfaction: str, lead: str, town: str, outcome: str, ctx: Context) -> None:
        self.status, self.satisfaction, self.closed_on = "closed", satisfaction, ctx.effective_on

    def rework(self, resolve_by: datetime, ctx: Context) -> None:
        lead = self._reworking(resolve_by, ctx)
        self._reworked(resolve_by=resolve_by, lead=lead, ctx=ctx)

    def _reworking(self, resolve_by: datetime, ctx: Context) -> str:
        """重办: a case closed dissatisfied goes back to its lead, for a reason, by a new deadline;
        that lead."""
        if self.status == "merged":
            self._refuse_if_ended("reworking")
        if (self.status, self.satisfaction) != ("closed", "dissatisfied"):
            rated = f", rated {self.satisfaction}" if self.satisfaction else ""
            raise ReworkOnlyAfterDissatisfaction(
                f"reworking case {self.number}: it is {self.status}{rated}; 重办 follows only a closing the "
                "citizen rated dissatisfied"
            )
        require_reason(ctx, "reworking a case (重办)")
        if not ctx.effective_at < resolve_by:
            raise ReworkDeadlinePassed(
                f"reworking case {self.number} at {ctx.effective_at} to resolve by {resolve_by}: the "
                "deadline "
                "lies after the order to rework"
            )
        assert self.lead is not None, "a closed case was dispatched"
        return self.lead

    @event("ReworkOrdered")
    def _reworked(self, resolve_by: datetime, lead: str, ctx: Context) -> None:
        self.status, self.resolve_by = "handling", resolve_by
        self.outcome = self.satisfaction = None

    def merge(self, into: str, ctx: Context) -> None:
        self._merging(into)
        self._merged(into=into, ctx=ctx)

    def _merging(self, into: str) -> None:
        """A duplicate, not yet ended, goes into another case."""
        self._refuse_if_ended("merging")
        if into == self.number:
            raise CannotMergeIntoItself(
                f"merging case {self.number} into itself: a duplicate is merged into another case"
            )

    @event("Merged")
    def _merged(self, into: str, ctx: Context) -> None:
        self.status, self.merged_into = "merged", into

    if TYPE_CHECKING:  # the event classes that the @event methods above define at class creation
        Reported = DecoratedCreated
        Dispatched = SignedFor = ReportedIn = Handled = SentBack = Resolved = DecoratedEvent
        ExtensionRequested = ExtensionGranted = Supervised = Escalated = Closed = DecoratedEvent
        ReworkOrdered = Merged = DecoratedEvent
