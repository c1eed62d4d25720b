"""Commands of district-to-town linkage cases, 区镇联动 (topic `govledger.commands.linkage`).

Every payload names the case in `case`, the Kafka key, so one case's commands stay in
order. Upstream systems (网格, 12345, 巡查) send `case.report`; the linkage stream
processors send `case.dispatch`, `case.supervise` and `case.escalate`; the parties send
the rest. The act's time is the envelope's `effective_at` (else `occurred_at`); a reason,
where one is needed (sending back, extension, escalation, rework), is the envelope's.
"""

from __future__ import annotations

from typing import Annotated, Literal, Union

import msgspec

from contracts.envelope import Code, Envelope, Instant, MessageId, Name, Note, Payload

Source = Literal["grid", "hotline", "inspection", "upstream"]  # 网格 / 12345 / 巡查 / 上级交办
Tier = Literal["town", "district", "city"]  # 镇管日常 / 县管难事 / 市管三跨
Priority = Literal["normal", "urgent"]
Basis = Literal["delegated", "department", "scenario", "town_daily", "escalated", "sent_back", "unrouted"]
Outcome = Literal["resolved", "explained"]  # 解决 / 解释说明 (could not be solved; explained)
Satisfaction = Literal["satisfied", "basically_satisfied", "dissatisfied"]  # 满意 / 基本满意 / 不满意
Deadline = Literal["sign_for", "resolve"]
Codes = Annotated[tuple[Code, ...], msgspec.Meta(max_length=50)]
Days = Annotated[int, msgspec.Meta(ge=1, le=90)]


class CaseRef(Payload):
    case: Code


class CaseReport(CaseRef, kw_only=True):
    """A case about a power item (`item`) or a kind of matter (`category`) in a town."""

    source: Source
    town: Code
    grid_cell: Code | None = None
    category: Code | None = None
    item: Code | None = None
    priority: Priority = "normal"
    summary: Note = ""


class Dispatch(CaseRef, kw_only=True):
    """Who leads and who cooperates, by when to sign for and to resolve, and why them:
    `basis` and `reference` (the delegation, item or scenario the routing relied on);
    `cause` is the id of the event this dispatch answers (the report, an escalation or a
    sending back)."""

    tier: Tier
    lead: Code
    cooperating: Codes = ()
    sign_for_by: Instant
    resolve_by: Instant
    basis: Basis
    reference: Name | None = None
    cause: MessageId


class PartyAct(CaseRef, kw_only=True):
    """A party signs for the case (签收), reports in (部门报到) or records its handling."""

    party: Code
    note: Note = ""


class SendBack(CaseRef, kw_only=True):
    """退单: not ours (wrong jurisdiction); `suggested` is who it belongs to, if known."""

    party: Code
    suggested: Code | None = None


class ExtensionRequest(CaseRef, kw_only=True):
    party: Code
    days: Days


class ExtensionGrant(CaseRef, kw_only=True):
    days: Days


class Resolution(CaseRef, kw_only=True):
    party: Code
    outcome: Outcome
    summary: Note = ""


class Closing(CaseRef, kw_only=True):
    """The citizen's verdict (回访); 不满意 may be followed by `case.rework`."""

    satisfaction: Satisfaction


class Rework(CaseRef, kw_only=True):
    """重办: a case closed dissatisfied goes back to its lead with a new deadline."""

    resolve_by: Instant


class Merge(CaseRef, kw_only=True):
    """A duplicate report folded into the case `into`."""

    into: Code


class Supervision(CaseRef, kw_only=True):
    """督办: the deadline `deadline`, due at `due`, passed unmet (sent by the deadline clock)."""

    deadline: Deadline
    due: Instant


class Escalation(CaseRef, kw_only=True):
    """Up one tier (town → district → city): unresolvable at this one."""


class ReportCase(Envelope, tag="case.report"):
    payload: CaseReport


class DispatchCase(Envelope, tag="case.dispatch"):
    """Dispatches (派单) a round of a case: tier, lead and cooperating parties, sign-for and resolve-by
    deadlines, and why. Sent by the linkage stream processors only (not offered to senders)."""

    payload: Dispatch


class SignForCase(Envelope, tag="case.sign_for"):
    payload: PartyAct


class ReportIn(Envelope, tag="case.report_in"):
    payload: PartyAct


class HandleCase(Envelope, tag="case.handle"):
    payload: PartyAct


class SendBackCase(Envelope, tag="case.send_back"):
    payload: SendBack


class RequestExtension(Envelope, tag="case.request_extension"):
    payload: ExtensionRequest


class GrantExtension(Envelope, tag="case.grant_extension"):
    payload: ExtensionGrant


class ResolveCase(Envelope, tag="case.resolve"):
    payload: Resolution


class CloseCase(Envelope, tag="case.close"):
    payload: Closing


class ReworkCase(Envelope, tag="case.rework"):
    payload: Rework


class MergeCase(Envelope, tag="case.merge"):
    payload: Merge


class SuperviseCase(Envelope, tag="case.supervise"):
    """Supervision (督办): a deadline of the round passed unmet. Sent by the linkage deadline clock only."""

    payload: Supervision


class EscalateCase(Envelope, tag="case.escalate"):
    """Escalates (升级) a case one tier up (镇管日常 → 县管难事 → 市管三跨: town → district → city) as
    unresolvable at this one; a reason is required. Sent by the linkage deadline clock only."""

    payload: Escalation


class ClockTick(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """The deadline clock's time, when it runs on ticks (topic `govledger.linkage.ticks`)."""

    at: Instant


LinkageCommand = Union[
    ReportCase,
    DispatchCase,
    SignForCase,
    ReportIn,
    HandleCase,
    SendBackCase,
    RequestExtension,
    GrantExtension,
    ResolveCase,
    CloseCase,
    ReworkCase,
    MergeCase,
    SuperviseCase,
    EscalateCase,
]
