"""Linkage cases (区镇联动): domain events to their published contracts (events.linkage).

A report, a sending back and an escalation carry the case's facts (the report and when it
was made), taken from the case as of the event, so the routing can decide again without a
state of its own. Nothing here is personal data: parties are codes, the citizen is not named."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from aggregates import base
from aggregates.base import RuleViolation
from aggregates.grid import cell as grid
from aggregates.grid.cell import GridCell
from aggregates.linkage import case
from aggregates.linkage.case import (
    Assignment,
    CaseReport,
    LinkageCase,
)
from consumers.event_contracts import copied
from consumers.handlers import Touches, touching
from contracts.linkage import commands as c
from contracts.linkage import events as out

# District-to-town linkage cases (区镇联动): from a decoded command to its use case.


def _report(p: c.CaseReport) -> CaseReport:
    return CaseReport(p.source, p.town, p.grid_cell, p.category, p.item, p.priority, p.summary)


def _assignment(p: c.Dispatch) -> Assignment:
    return Assignment(
        p.tier, p.lead, p.cooperating, p.sign_for_by, p.resolve_by, p.basis, p.reference, p.cause
    )


HANDLERS: dict[type, Callable[..., Any]] = {
    c.ReportCase: lambda app, ctx, p: app.report_case(ctx, p.case, _report(p)),
    c.DispatchCase: lambda app, ctx, p: app.dispatch_case(ctx, p.case, _assignment(p)),
    c.SignForCase: lambda app, ctx, p: app.sign_for_case(ctx, p.case, p.party, p.note),
    c.ReportIn: lambda app, ctx, p: app.report_in_to_case(ctx, p.case, p.party, p.note),
    c.HandleCase: lambda app, ctx, p: app.handle_case(ctx, p.case, p.party, p.note),
    c.SendBackCase: lambda app, ctx, p: app.send_back_case(ctx, p.case, p.party, p.suggested),
    c.RequestExtension: lambda app, ctx, p: app.request_case_extension(ctx, p.case, p.party, p.days),
    c.GrantExtension: lambda app, ctx, p: app.grant_case_extension(ctx, p.case, p.days),
    c.ResolveCase: lambda app, ctx, p: app.resolve_case(ctx, p.case, p.party, p.outcome, p.summary),
    c.CloseCase: lambda app, ctx, p: app.close_case(ctx, p.case, p.satisfaction),
    c.ReworkCase: lambda app, ctx, p: app.rework_case(ctx, p.case, p.resolve_by),
    c.MergeCase: lambda app, ctx, p: app.merge_case(ctx, p.case, p.into),
    c.SuperviseCase: lambda app, ctx, p: app.supervise_case(ctx, p.case, p.deadline, p.due),
    c.EscalateCase: lambda app, ctx, p: app.escalate_case(ctx, p.case),
}

# Every command touches one aggregate: its case (the case number, also the Kafka key). A merge
# names the case it folds into but does not read it: that case may sit on another partition. A
# report naming a grid cell also reads the cell (网格), loaded with the batch and kept cached.
TOUCHES: dict[type, Touches] = {
    **dict.fromkeys(HANDLERS, touching(LinkageCase.create_id, "case")),
    c.ReportCase: lambda p: (
        [LinkageCase.create_id(p.case), GridCell.create_id(p.grid_cell)]
        if p.grid_cell is not None
        else [LinkageCase.create_id(p.case)]
    ),
}

# The rules each command can be refused with, the thing named missing first and the 文号
# or reason last (the order a sender should read them in); the published schema lists them on
# the command, and a test reads the aggregates to check that none is missing.
RULES: dict[type, tuple[type[RuleViolation], ...]] = {
    c.ReportCase: (
        grid.GridCellNotRegistered,
        case.CaseAlreadyReported,
        case.DeadlinesOutOfOrder,
        case.LeadAmongCooperating,
        case.SubjectRequired,
        grid.GridCellRetired,
        grid.GridCellOfAnotherTown,
    ),
    c.DispatchCase: (
        case.CaseNotReported,
        case.CaseClosed,
        case.DeadlinesOutOfOrder,
        case.LeadAmongCooperating,
        case.NotAwaitingDispatch,
        case.SubjectRequired,
        case.TierMismatch,
    ),
    c.SignForCase: (
        case.CaseNotReported,
        case.AlreadyResolved,
        case.AlreadySignedFor,
        case.CaseClosed,
        case.CaseNotDispatched,
        case.DeadlinesOutOfOrder,
        case.LeadAmongCooperating,
        case.NotAParty,
        case.SubjectRequired,
    ),
    c.ReportIn: (
        case.CaseNotReported,
        case.AlreadyReportedIn,
        case.AlreadyResolved,
        case.CaseClosed,
        case.CaseNotDispatched,
        case.DeadlinesOutOfOrder,
        case.LeadAmongCooperating,
        case.NotACooperatingParty,
        case.SubjectRequired,
    ),
    **dict.fromkeys(
        (c.HandleCase, c.ResolveCase),
        (
            case.CaseNotReported,
            case.AlreadyResolved,
            case.CaseClosed,
            case.CaseNotDispatched,
            case.DeadlinesOutOfOrder,
            case.LeadAmongCooperating,
            case.NotSignedFor,
            case.NotTheLead,
            case.SubjectRequired,
        ),
    ),
    c.SendBackCase: (
        case.CaseNotReported,
        case.AlreadyResolved,
        case.CaseClosed,
        case.CaseNotDispatched,
        case.DeadlinesOutOfOrder,
        case.LeadAmongCooperating,
        case.NotSignedFor,
        case.NotTheLead,
        case.SubjectRequired,
        case.SuggestedIsTheSender,
        base.ReasonRequired,
    ),
    c.RequestExtension: (
        case.CaseNotReported,
        case.AlreadyResolved,
        case.CaseClosed,
        case.CaseNotDispatched,
        case.DeadlinesOutOfOrder,
        case.ExtensionAlreadyPending,
        case.LeadAmongCooperating,
        case.NotSignedFor,
        case.NotTheLead,
        case.SubjectRequired,
        base.ReasonRequired,
    ),
    c.GrantExtension: (
        case.CaseNotReported,
        case.AlreadyResolved,
        case.CaseClosed,
        case.CaseNotDispatched,
        case.DeadlinesOutOfOrder,
        case.InvalidExtension,
        case.LeadAmongCooperating,
        case.NoExtensionRequested,
        case.SubjectRequired,
    ),
    c.CloseCase: (
        case.CaseNotReported,
        case.CaseClosed,
        case.DeadlinesOutOfOrder,
        case.LeadAmongCooperating,
        case.NotResolved,
        case.SubjectRequired,
    ),
    c.ReworkCase: (
        case.CaseNotReported,
        case.CaseClosed,
        case.DeadlinesOutOfOrder,
        case.LeadAmongCooperating,
        case.ReworkDeadlinePassed,
        case.ReworkOnlyAfterDissatisfaction,
        case.SubjectRequired,
        base.ReasonRequired,
    ),
    c.MergeCase: (
        case.CaseNotReported,
        case.CannotMergeIntoItself,
        case.CaseClosed,
        case.DeadlinesOutOfOrder,
        case.LeadAmongCooperating,
        case.SubjectRequired,
    ),
    c.SuperviseCase: (
        case.CaseNotReported,
        case.AlreadyResolved,
        case.AlreadySupervised,
        case.CaseClosed,
        case.CaseNotDispatched,
        case.DeadlineMet,
        case.DeadlinesOutOfOrder,
        case.LeadAmongCooperating,
        case.NotOverdue,
        case.StaleDeadline,
        case.SubjectRequired,
    ),
    c.EscalateCase: (
        case.CaseNotReported,
        case.AlreadyResolved,
        case.CaseClosed,
        case.DeadlinesOutOfOrder,
        case.EscalationBeyondCity,
        case.LeadAmongCooperating,
        case.SubjectRequired,
        base.ReasonRequired,
    ),
}


def _facts(agg: Any) -> out.CaseFacts:
    return copied(out.CaseFacts, agg.report, case=agg.number, reported_at=agg.reported_at)


def _act(e: Any, agg: Any) -> c.PartyAct:
    return copied(c.PartyAct, e, case=agg.number)


# (contract class, payload builder(event, aggregate as of the event)); the case goes out by
# its number, the rest as the event (or its assignment) names it.
PUBLISHED: dict[type, tuple[type, Any]] = {
    LinkageCase.Reported: (out.CaseReported, lambda e, a: _facts(a)),
    LinkageCase.Dispatched: (
        out.CaseDispatched,
        lambda e, a: copied(out.Dispatched, e.assignment, case=a.number, round=e.round),
    ),
    LinkageCase.SignedFor: (out.CaseSignedFor, lambda e, a: copied(out.SignedFor, e, case=a.number)),
    LinkageCase.ReportedIn: (out.CaseReportedIn, _act),
    LinkageCase.Handled: (out.CaseHandled, _act),
    LinkageCase.SentBack: (
        out.CaseSentBack,
        lambda e, a: copied(out.SentBack, e, case=a.number, facts=_facts(a)),
    ),
    LinkageCase.ExtensionRequested: (
        out.ExtensionRequested,
        lambda e, a: copied(c.ExtensionRequest, e, case=a.number),
    ),
    LinkageCase.ExtensionGranted: (out.ExtensionGranted, lambda e, a: copied(out.Extended, e, case=a.number)),
    LinkageCase.Resolved: (out.CaseResolved, lambda e, a: copied(out.Resolved, e, case=a.number)),
    LinkageCase.Closed: (out.CaseClosed, lambda e, a: copied(out.Closed, e, case=a.number)),
    LinkageCase.ReworkOrdered: (out.ReworkOrdered, lambda e, a: copied(out.Reworked, e, case=a.number)),
    LinkageCase.Merged: (out.CaseMerged, lambda e, a: copied(c.Merge, e, case=a.number)),
    LinkageCase.Supervised: (
        out.CaseSupervised,
        lambda e, a: copied(out.Supervised, e, case=a.number, parties=tuple(e.parties)),
    ),
    LinkageCase.Escalated: (
        out.CaseEscalated,
        lambda e, a: copied(out.Escalated, e, case=a.number, facts=_facts(a)),
    ),
}

# Nothing is internal: every event of a case is news to the stream processors.
INTERNAL: set[type] = set()
