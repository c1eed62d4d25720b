"""Events of the burden-reduction registry the ledger publishes (topic `govledger.events.duties`).

`burden.imposition_refused` is how a department learns that its imposition was refused (rule
`ImpositionNotApproved`) and what auditors read (部门擅自向镇街摊派): its `message_id` is the
refused command's. Every event names the towns in full: `all_towns` says the item was
imposed (or approved) for every town of the district.
"""

from __future__ import annotations

from datetime import date
from typing import Literal, Union

from contracts.burden.commands import Baseline, BurdenApproval, BurdenRef, BurdenTerms
from contracts.envelope import EventEnvelope, Name, Note, Payload

ItemStatus = Literal["none", "approved", "cleared"]


class BaselineTaken(Baseline):
    on: date


class ApprovedItem(BurdenApproval, kw_only=True):
    all_towns: bool
    on: date


class ApprovalGiven(Payload):
    """The district's approval an imposition stands on."""

    approved_by: Name
    document_no: Name
    effective_on: date


class ImposedItem(BurdenTerms, kw_only=True):
    all_towns: bool
    existing: bool  # 存量: imposed before the baseline's day, so no approval was needed
    round: int
    approval: ApprovalGiven | None
    on: date


class ClearedItem(BurdenRef):
    on: date


class ImpositionRefusal(BurdenTerms, kw_only=True):
    rule: Literal["ImpositionNotApproved"] = "ImpositionNotApproved"
    all_towns: bool
    status: ItemStatus  # where the item stood when the imposition came
    detail: Note
    on: date


class BurdenBaselineTaken(EventEnvelope, tag="burden.baseline_taken"):
    """A district took its burden-reduction baseline (减负基线): from `on`, new items imposed on
    its towns need its approval (一事一报)."""

    payload: BaselineTaken


class BurdenItemApproved(EventEnvelope, tag="burden.approved"):
    """The district approved one new item (一事一报), its towns named in full; the envelope
    carries the approval's `document_no`."""

    payload: ApprovedItem


class BurdenItemImposed(EventEnvelope, tag="burden.imposed"):
    """An item now falls on its towns from `on`: an existing one (存量, before the baseline) or
    a new one with the approval it stands on."""

    payload: ImposedItem


class BurdenItemCleared(EventEnvelope, tag="burden.cleared"):
    """An item was cleared (清理): it no longer falls on its towns from `on`; the envelope
    carries the `reason` (and any `document_no`)."""

    payload: ClearedItem


class BurdenImpositionRefused(EventEnvelope, tag="burden.imposition_refused"):
    """An imposition refused for want of the district's approval (部门擅自向镇街摊派), kept as
    evidence: the item, the towns it was to fall on, where the item stood and why."""

    payload: ImpositionRefusal


BurdenEvent = Union[
    BurdenBaselineTaken,
    BurdenItemApproved,
    BurdenItemImposed,
    BurdenItemCleared,
    BurdenImpositionRefused,
]
