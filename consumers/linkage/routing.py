"""派单 — routing a case by the live delegation inventory and the joint-enforcement scenarios.

The routing table has one entry per routing key: `item:CODE` holds the item's owning
department and, per town, the days it held the item (from the ledger's published
holding events); `category:CODE` holds the joint-enforcement scenarios of that category.
A case is routed under the key of its item, else of its category, so the table entry and
the cases it decides share a partition and arrive in one order.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Protocol

from aggregates.base import CHINA_STANDARD_TIME
from aggregates.linkage.deadlines import deadlines
from contracts.linkage import events as ev
from contracts.linkage.commands import Basis, Dispatch, Tier
from contracts.powers import events as pe
from contracts.territorial import events as te


class Centres(Protocol):
    """Where unroutable and escalated cases go (the linkage's settings)."""

    @property
    def district_centre(self) -> str: ...
    @property
    def city_centre(self) -> str: ...


Entry = dict[str, Any]
REQUESTS = (ev.CaseReported, ev.CaseSentBack, ev.CaseEscalated)


def routing_key(event: Any) -> str | None:
    """The table key an event updates or is routed under; None: routing ignores it."""
    p = event.payload
    if isinstance(event, (pe.PowerItemRegistered, pe.PowerItemAmended, pe.PowerItemRetired)):
        return f"item:{p.code}"
    if isinstance(event, (pe.HoldingTaken, pe.HoldingReleased)):
        return f"item:{p.item}"
    if isinstance(event, (te.JointScenarioRegistered, te.JointScenarioAmended, te.JointScenarioRetired)):
        return f"category:{p.category}" if p.category else None
    if isinstance(event, REQUESTS):
        facts = p if isinstance(event, ev.CaseReported) else p.facts
        return f"item:{facts.item}" if facts.item else f"category:{facts.category}"
    return None


def update(entry: Entry | None, event: Any) -> Entry:
    """The table entry after a power-item, holding or scenario event."""
    entry = dict(entry or {})
    p = event.payload
    if isinstance(event, (pe.PowerItemRegistered, pe.PowerItemAmended)):
        entry.update(department=p.department, retired=False)
    elif isinstance(event, pe.PowerItemRetired):
        entry["retired"] = True
    elif isinstance(event, pe.HoldingTaken):
        spans = entry.setdefault("holdings", {}).setdefault(p.town, [])
        if [p.on.isoformat(), None] not in spans:
            spans.append([p.on.isoformat(), None])
    elif isinstance(event, pe.HoldingReleased):
        for span in entry.get("holdings", {}).get(p.town, []):
            if span[1] is None:
                span[1] = p.on.isoformat()
    elif isinstance(event, (te.JointScenarioRegistered, te.JointScenarioAmended)):
        entry.setdefault("scenarios", {})[f"{p.district}/{p.code}"] = {
            "lead": p.lead,
            "cooperating": list(p.cooperating),
            "towns": list(p.towns),
        }
    elif isinstance(event, te.JointScenarioRetired):
        entry.get("scenarios", {}).pop(f"{p.district}/{p.code}", None)
    return entry


def held_since(entry: Entry, town: str, day: date) -> str | None:
    """The day the town's holding in force on `day` began, if the town held the item then."""
    for start, end in entry.get("holdings", {}).get(town, []):
        if start <= day.isoformat() and (end is None or day.isoformat() < end):
            return start
    return None


def _scenario(entry: Entry, town: str) -> tuple[str, dict[str, Any]] | None:
    applicable = [
        (k, s) for k, s in sorted(entry.get("scenarios", {}).items()) if not s["towns"] or town in s["towns"]
    ]
    return applicable[0] if applicable else None


def _district_lead(facts: Any, entry: Entry, centre: str) -> tuple[str, list[str], Basis, str | None]:
    """Who leads a case at district tier: the item's department, a scenario's lead, else
    the district's command centre; with the town cooperating."""
    if facts.item and entry.get("department"):
        return entry["department"], [facts.town], "department", facts.item
    found = _scenario(entry, facts.town) if facts.category else None
    if found:
        code, s = found
        return s["lead"], [*s["cooperating"], facts.town], "scenario", code
    return centre, [facts.town], "unrouted", facts.item or facts.category


def route(event: Any, entry: Entry | None, centres: Centres) -> Dispatch:
    """The dispatch answering a report, a sending back or an escalation."""
    entry, p = entry or {}, event.payload
    at = event.effective_at
    tier: Tier
    basis: Basis
    cooperating: list[str]
    ref: str | None
    if isinstance(event, ev.CaseReported):
        facts, day = p, at.astimezone(CHINA_STANDARD_TIME).date()
        since = held_since(entry, facts.town, day) if facts.item else None
        if since:
            tier, lead, cooperating, basis, ref = (
                "town",
                facts.town,
                [],
                "delegated",
                f"{facts.item} held by {facts.town} since {since}",
            )
        elif facts.item or (facts.category and _scenario(entry, facts.town)):
            tier, (lead, cooperating, basis, ref) = (
                "district",
                _district_lead(facts, entry, centres.district_centre),
            )
        else:
            tier, lead, cooperating, basis, ref = "town", facts.town, [], "town_daily", facts.category
    elif isinstance(event, ev.CaseSentBack):
        facts, tier, basis = p.facts, "district", "sent_back"
        if p.suggested:
            lead, cooperating = p.suggested, [facts.town]
            tier = "town" if p.suggested == facts.town else "district"
        elif p.party == facts.town:
            lead, cooperating, _, _ = _district_lead(facts, entry, centres.district_centre)
        else:
            lead, cooperating = centres.district_centre, [facts.town, p.party]
        ref = f"sent back by {p.party}"
    else:  # escalated
        facts, tier, basis, ref = p.facts, p.to_tier, "escalated", f"from {p.previous_lead}"
        if p.to_tier == "city":
            lead, cooperating = centres.city_centre, [p.previous_lead, facts.town]
        else:
            lead, cooperating, _, _ = _district_lead(facts, entry, centres.district_centre)
            cooperating = [*cooperating, p.previous_lead]
    sign_for_by, resolve_by = deadlines(facts.category, facts.priority, tier, at)
    return Dispatch(
        case=facts.case,
        tier=tier,
        lead=lead,
        cooperating=tuple(dict.fromkeys(c for c in cooperating if c != lead)),
        sign_for_by=sign_for_by,
        resolve_by=resolve_by,
        basis=basis,
        reference=ref,
        cause=event.event_id,
    )
