"""联动指标 — what one published case event adds to whose counters, on which day.

The day is the act's effective day in China Standard Time. The counters and the rates
made of them are defined in `contracts.linkage.metrics`.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from aggregates.base import CHINA_STANDARD_TIME
from contracts.linkage import events as ev
from contracts.linkage.metrics import Counts

Delta = tuple[str, date, Counts]


def deltas(event: Any) -> list[Delta]:
    p = event.payload
    day = event.effective_at.astimezone(CHINA_STANDARD_TIME).date()
    if isinstance(event, ev.CaseDispatched):
        return [(party, day, Counts(dispatched=1)) for party in (p.lead, *p.cooperating)]
    if isinstance(event, ev.CaseSignedFor):
        return [(p.party, day, Counts(signed=1, signed_on_time=int(p.on_time)))]
    if isinstance(event, ev.CaseResolved):
        return [
            (
                p.party,
                day,
                Counts(resolved=1, resolved_on_time=int(p.on_time), solved=int(p.outcome == "resolved")),
            )
        ]
    if isinstance(event, ev.CaseClosed):
        return [(p.lead, day, Counts(closed=1, **{p.satisfaction: 1}))]
    if isinstance(event, ev.CaseSupervised):
        return [(party, day, Counts(supervised=1)) for party in p.parties]
    if isinstance(event, ev.CaseEscalated):
        return [(p.previous_lead, day, Counts(escalated=1))]
    return []
