"""区镇联动案件 — a district-to-town linkage case: reported, dispatched, handled, closed."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from aggregates import linkage_closing as ending
from aggregates import linkage_round as rounds
from aggregates.base import Context, natural_id
from aggregates.linkage_terms import Assignment, CaseReport, dispatching, escalating


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
        due = rounds.signing_due(self, party)
        self._signed_for(party=party, note=note, due=due, on_time=ctx.effective_at <= due, ctx=ctx)

    @event("SignedFor")
    def _signed_for(self, party: str, note: str, due: datetime, on_time: bool,
                    ctx: Context) -> None:
        self.signed = (*self.signed, party)
        self.status = "signed" if party == self.lead else self.status

    def report_in(self, party: str, note: str, ctx: Context) -> None:
        rounds.reporting_in(self, party)
        self._reported_in(party=party, note=note, ctx=ctx)

    @event("ReportedIn")
    def _reported_in(self, party: str, note: str, ctx: Context) -> None:
        self.reported_in = (*self.reported_in, party)

    def handle(self, party: str, note: str, ctx: Context) -> None:
        rounds.by_lead(self, party, signed=True)
        self._handled(party=party, note=note, ctx=ctx)

    @event("Handled")
    def _handled(self, party: str, note: str, ctx: Context) -> None:
        self.status = "handling"

    def send_back(self, party: str, suggested: str | None, ctx: Context) -> None:
        rounds.sending_back(self, party, suggested, ctx)
        self._sent_back(party=party, suggested=suggested, tier=self.tier, ctx=ctx)

    @event("SentBack")
    def _sent_back(self, party: str, suggested: str | None, tier: str, ctx: Context) -> None:
        self.status = "sent_back"

    def request_extension(self, party: str, days: int, ctx: Context) -> None:
        rounds.asking_time(self, party, ctx)
        self._extension_requested(party=party, days=days, ctx=ctx)

    @event("ExtensionRequested")
    def _extension_requested(self, party: str, days: int, ctx: Context) -> None:
        self.extension = days

    def grant_extension(self, days: int, ctx: Context) -> None:
        self._extended(days=days, resolve_by=rounds.extended(self, days), ctx=ctx)

    @event("ExtensionGranted")
    def _extended(self, days: int, resolve_by: datetime, ctx: Context) -> None:
        self.extension, self.resolve_by = None, resolve_by

    def resolve(self, party: str, outcome: str, summary: str, ctx: Context) -> None:
        due = rounds.by_lead(self, party, signed=True)
        self._resolved(party=party, outcome=outcome, summary=summary, due=due,
                       on_time=ctx.effective_at <= due, ctx=ctx)

    @event("Resolved")
    def _resolved(self, party: str, outcome: str, summary: str, due: datetime, on_time: bool,
                  ctx: Context) -> None:
        self.status, self.outcome, self.extension = "resolved", outcome, None

    def close(self, satisfaction: str, ctx: Context) -> None:
        ending.closing(self)
        self._closed(satisfaction=satisfaction, lead=self.lead, town=self.report.town,
                     outcome=self.outcome, ctx=ctx)

    @event("Closed")
    def _closed(self, satisfaction: str, lead: str, town: str, outcome: str, ctx: Context) -> None:
        self.status, self.satisfaction = "closed", satisfaction

    def rework(self, resolve_by: datetime, ctx: Context) -> None:
        ending.reworking(self, resolve_by, ctx)
        self._reworked(resolve_by=resolve_by, lead=self.lead, ctx=ctx)

    @event("ReworkOrdered")
    def _reworked(self, resolve_by: datetime, lead: str, ctx: Context) -> None:
        self.status, self.resolve_by = "handling", resolve_by
        self.outcome = self.satisfaction = None

    def merge(self, into: str, ctx: Context) -> None:
        ending.merging(self, into)
        self._merged(into=into, ctx=ctx)

    @event("Merged")
    def _merged(self, into: str, ctx: Context) -> None:
        self.status = "merged"

    def supervise(self, deadline: str, due: datetime, ctx: Context) -> None:
        parties = rounds.late_parties(self, deadline, due, ctx.effective_at)
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
