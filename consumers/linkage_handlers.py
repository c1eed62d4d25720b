"""District-to-town linkage cases (区镇联动): from a decoded command to its use case."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

from aggregates.linkage_case import LinkageCase
from aggregates.linkage_terms import Assignment, CaseReport
from contracts import linkage as c


def _report(p: c.CaseReport) -> CaseReport:
    return CaseReport(p.source, p.town, p.grid_cell, p.category, p.item, p.priority, p.summary)


def _assignment(p: c.Dispatch) -> Assignment:
    return Assignment(p.tier, p.lead, p.cooperating, p.sign_for_by, p.resolve_by, p.basis,
                      p.reference, p.cause)


HANDLERS: dict[type, Callable[..., Any]] = {
    c.ReportCase: lambda app, ctx, p: app.report_case(ctx, p.case, _report(p)),
    c.DispatchCase: lambda app, ctx, p: app.dispatch_case(ctx, p.case, _assignment(p)),
    c.SignForCase: lambda app, ctx, p: app.sign_for_case(ctx, p.case, p.party, p.note),
    c.ReportIn: lambda app, ctx, p: app.report_in_to_case(ctx, p.case, p.party, p.note),
    c.HandleCase: lambda app, ctx, p: app.handle_case(ctx, p.case, p.party, p.note),
    c.SendBackCase: lambda app, ctx, p: app.send_back_case(ctx, p.case, p.party, p.suggested),
    c.RequestExtension: lambda app, ctx, p: app.request_case_extension(
        ctx, p.case, p.party, p.days),
    c.GrantExtension: lambda app, ctx, p: app.grant_case_extension(ctx, p.case, p.days),
    c.ResolveCase: lambda app, ctx, p: app.resolve_case(
        ctx, p.case, p.party, p.outcome, p.summary),
    c.CloseCase: lambda app, ctx, p: app.close_case(ctx, p.case, p.satisfaction),
    c.ReworkCase: lambda app, ctx, p: app.rework_case(ctx, p.case, p.resolve_by),
    c.MergeCase: lambda app, ctx, p: app.merge_case(ctx, p.case, p.into),
    c.SuperviseCase: lambda app, ctx, p: app.supervise_case(ctx, p.case, p.deadline, p.due),
    c.EscalateCase: lambda app, ctx, p: app.escalate_case(ctx, p.case),
}

# Every command touches one aggregate: its case (the case number, also the Kafka key). A merge
# names the case it folds into but does not read it: that case may sit on another partition.
TOUCHES: dict[type, Callable[[Any], list[UUID]]] = {
    command: (lambda p: [LinkageCase.create_id(p.case)]) for command in HANDLERS
}
