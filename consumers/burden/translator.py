"""减负 — the burden-reduction registry: commands to their use cases, and their events to the
published contracts (topic family `duties`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from aggregates import base
from aggregates.base import RuleViolation
from aggregates.burden import registry
from aggregates.burden.registry import BurdenBaseline, BurdenItem, BurdenTerms
from consumers.handlers import Touches, touching
from contracts.burden import commands as c
from contracts.burden import events as out

# `ImposeBurdenItem` returns the refusal it recorded (an `ImpositionNotApproved`) instead of
# raising it, so the refused attempt is saved; see `aggregates/burden/use_cases.py`.


def _terms(p: c.BurdenTerms) -> BurdenTerms:
    return BurdenTerms(p.kind, p.name, p.basis, tuple(p.towns))


HANDLERS: dict[type, Callable[..., Any]] = {
    c.TakeBurdenBaseline: lambda app, ctx, p: app.take_burden_baseline(ctx, p.district, tuple(p.towns)),
    c.ApproveBurdenItem: lambda app, ctx, p: app.approve_burden_item(
        ctx, p.department, p.code, p.district, _terms(p), p.approved_by
    ),
    c.ImposeBurdenItem: lambda app, ctx, p: app.impose_burden_item(
        ctx, p.department, p.code, p.district, _terms(p)
    ),
    c.ClearBurdenItem: lambda app, ctx, p: app.clear_burden_item(ctx, p.department, p.code),
}

_item = touching(BurdenItem.create_id, "department", "code")
_baseline = touching(BurdenBaseline.create_id, "district")
# The baseline touches itself; an approval or imposition reads its district's baseline and
# the item's file; a clearance the file only.
TOUCHES: dict[type, Touches] = {
    c.TakeBurdenBaseline: _baseline,
    c.ApproveBurdenItem: lambda p: _baseline(p) + _item(p),
    c.ImposeBurdenItem: lambda p: _baseline(p) + _item(p),
    c.ClearBurdenItem: _item,
}

# The rules each command can be refused with, the thing named missing first and the 文号 or
# reason last (the order a sender should read them in).
RULES: dict[type, tuple[type[RuleViolation], ...]] = {
    c.TakeBurdenBaseline: (
        registry.BaselineAlreadyTaken,
        registry.InvalidBurdenTerms,
        registry.BurdenDocumentRequired,
    ),
    c.ApproveBurdenItem: (
        registry.BaselineNotTaken,
        registry.InvalidBurdenTerms,
        registry.BurdenItemInForce,
        registry.ApprovalAlreadyGiven,
        registry.BurdenDocumentRequired,
    ),
    c.ImposeBurdenItem: (
        registry.BaselineNotTaken,
        registry.InvalidBurdenTerms,
        registry.BurdenItemInForce,
        registry.ImpositionNotApproved,
    ),
    c.ClearBurdenItem: (registry.BurdenItemNotInForce, base.ReasonRequired),
}


def _ref(a: Any) -> dict[str, str]:
    return {"department": a.department, "code": a.code}


def _terms_published(a: Any, terms: Any, towns: Any) -> dict[str, Any]:
    """The item's terms as published: its towns named in full, `all_towns` when it names none."""
    return {
        **_ref(a),
        "district": a.district,
        "kind": terms.kind,
        "name": terms.name,
        "basis": terms.basis,
        "towns": list(towns),
        "all_towns": not terms.towns,
    }


def _approval(given: Any) -> out.ApprovalGiven | None:
    if given is None:
        return None
    return out.ApprovalGiven(
        approved_by=given.approved_by, document_no=given.document_no, effective_on=given.on
    )


# (contract class, payload builder(event, aggregate as of the event))
PUBLISHED: dict[type, tuple[type, Any]] = {
    BurdenBaseline.Taken: (
        out.BurdenBaselineTaken,
        lambda e, a: out.BaselineTaken(district=a.district, towns=list(a.towns), on=a.on),
    ),
    BurdenItem.Approved: (
        out.BurdenItemApproved,
        lambda e, a: out.ApprovedItem(
            **_terms_published(a, e.approval.terms, e.approval.towns),
            approved_by=e.approval.approved_by,
            on=e.approval.on,
        ),
    ),
    BurdenItem.Imposed: (
        out.BurdenItemImposed,
        lambda e, a: out.ImposedItem(
            **_terms_published(a, e.terms, e.towns),
            existing=e.existing,
            round=a.round,
            approval=_approval(e.approval),
            on=e.on,
        ),
    ),
    BurdenItem.Cleared: (out.BurdenItemCleared, lambda e, a: out.ClearedItem(**_ref(a), on=e.on)),
    BurdenItem.ImpositionRefused: (
        out.BurdenImpositionRefused,
        lambda e, a: out.ImpositionRefusal(
            **_terms_published(a, e.terms, e.towns), status=e.status, detail=e.detail, on=e.on
        ),
    ),
}

# Internal bookkeeping, not published: opening an item's file is always followed, in the same
# command, by its approval, imposition or refused imposition, with the same key.
INTERNAL: set[type] = {BurdenItem.Opened}
