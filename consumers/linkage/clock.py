"""督办时钟 — the deadline clock: which open cases are overdue, and what to send about them.

Each case's clock state is folded from its published events (deadlines of the current
round, whether the lead signed for, which deadlines were supervised); `due` turns the
states and a moment into `case.supervise` and `case.escalate` commands. Their message ids
come from what they are about (case, deadline, due; case, round), so a command sent twice
— by a repeated tick or a restarted worker — is dropped by the intake as a duplicate.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any
from uuid import uuid5

from aggregates.base import NAMESPACE
from aggregates.linkage.deadlines import ESCALATE_AFTER
from contracts.envelope import Actor
from contracts.linkage import commands as c
from contracts.linkage import events as ev

CLOCK = Actor(id="linkage-clock", role="deadline clock", system="govledger-linkage")
RUNNING = {"dispatched", "signed", "handling"}
_NEXT_TIER = {"town": "district", "district": "city"}


def fold(state: dict[str, Any] | None, event: Any) -> dict[str, Any] | None:
    """The case's clock state after `event`; None once the case needs no clock any more."""
    s, p = dict(state or {}), event.payload
    if isinstance(event, ev.CaseDispatched):
        s.update(
            case=p.case,
            round=p.round,
            tier=p.tier,
            lead=p.lead,
            status="dispatched",
            sign_for_by=p.sign_for_by.isoformat(),
            resolve_by=p.resolve_by.isoformat(),
            signed=False,
            supervised=[],
        )
    elif isinstance(event, ev.CaseSignedFor) and p.party == s.get("lead"):
        s.update(signed=True, status="signed")
    elif isinstance(event, ev.CaseHandled):
        s["status"] = "handling"
    elif isinstance(event, ev.ExtensionGranted):
        s["resolve_by"] = p.resolve_by.isoformat()
    elif isinstance(event, ev.ReworkOrdered):
        s.update(status="handling", resolve_by=p.resolve_by.isoformat())
    elif isinstance(event, ev.CaseSupervised):
        s["supervised"] = [*s.get("supervised", []), f"{p.deadline}@{p.due.isoformat()}"]
    elif isinstance(event, (ev.CaseResolved, ev.CaseSentBack, ev.CaseEscalated)):
        s["status"] = type(event).__name__  # waiting on someone else: no deadline runs
    elif isinstance(event, (ev.CaseClosed, ev.CaseMerged)):
        return None
    return s


def _envelope(now: datetime, case: str, key: str, reason: str) -> dict[str, Any]:
    return dict(
        message_id=str(uuid5(NAMESPACE, key)),
        occurred_at=now,
        effective_at=now,
        actor=CLOCK,
        correlation_id=case,
        reason=reason,
    )


def due(states: Iterable[dict[str, Any]], now: datetime) -> list[Any]:
    """The supervisions and escalations owed at `now`."""
    out: list[Any] = []
    for s in states:
        if s.get("status") not in RUNNING:
            continue
        case = s["case"]
        deadlines: tuple[tuple[c.Deadline, str, bool], ...] = (
            ("sign_for", s["sign_for_by"], s["signed"]),
            ("resolve", s["resolve_by"], False),
        )
        for deadline, at, met in deadlines:
            when = datetime.fromisoformat(at)
            if not met and now > when and f"{deadline}@{at}" not in s["supervised"]:
                out.append(
                    c.SuperviseCase(
                        **_envelope(
                            now,
                            case,
                            f"case-supervise/{case}/{deadline}/{at}",
                            f"{deadline} deadline {at} passed",
                        ),
                        payload=c.Supervision(case=case, deadline=deadline, due=when),
                    )
                )
        resolve_by = datetime.fromisoformat(s["resolve_by"])
        if (
            f"resolve@{s['resolve_by']}" in s["supervised"]
            and s["tier"] in _NEXT_TIER
            and now > resolve_by + ESCALATE_AFTER
        ):
            out.append(
                c.EscalateCase(
                    **_envelope(
                        now,
                        case,
                        f"case-escalate/{case}/{s['round']}",
                        f"supervised for resolution by {s['resolve_by']}, still unresolved",
                    ),
                    payload=c.Escalation(case=case),
                )
            )
    return out
