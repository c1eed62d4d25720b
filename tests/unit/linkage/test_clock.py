"""The deadline clock: supervision once per missed deadline, then escalation; and the tally."""

from __future__ import annotations

from datetime import timedelta

from aggregates.linkage.deadlines import ESCALATE_AFTER
from consumers.linkage.clock import due, fold
from consumers.linkage.tally import deltas
from contracts.linkage import events as ev
from contracts.linkage.commands import PartyAct
from tests.integration.intake.published import T0, dispatched, event_of


def state_after(*events):
    s = None
    for e in events:
        s = fold(s, e)
    return s


def kinds(commands):
    return [(type(c).__name__, getattr(c.payload, "deadline", None)) for c in commands]


def test_nothing_is_due_before_a_deadline():
    assert due([state_after(dispatched("C1", "T1"))], T0 + timedelta(hours=1)) == []


def test_a_missed_sign_for_is_supervised_once_per_deadline_with_a_stable_message_id():
    s = state_after(dispatched("C1", "T1"))
    first, again = due([s], T0 + timedelta(hours=3)), due([s], T0 + timedelta(hours=4))
    assert kinds(first) == [("SuperviseCase", "sign_for")]
    assert first[0].message_id == again[0].message_id
    supervised = event_of(
        "C1",
        ev.CaseSupervised,
        ev.Supervised(case="C1", deadline="sign_for", due=first[0].payload.due, parties=("T1",)),
        T0 + timedelta(hours=3),
    )
    assert due([fold(s, supervised)], T0 + timedelta(hours=4)) == []


def test_a_lead_that_signed_for_is_not_supervised_for_signing():
    s = state_after(
        dispatched("C1", "T1"),
        event_of(
            "C1",
            ev.CaseSignedFor,
            ev.SignedFor(case="C1", party="T1", due=T0, on_time=True),
            T0 + timedelta(minutes=5),
        ),
    )
    assert due([s], T0 + timedelta(hours=3)) == []


def test_an_unresolved_case_is_supervised_then_escalated_after_the_grace():
    d = dispatched("C1", "T1")
    signed = event_of("C1", ev.CaseSignedFor, ev.SignedFor(case="C1", party="T1", due=T0, on_time=True), T0)
    s = state_after(d, signed)
    late = d.payload.resolve_by + timedelta(minutes=1)
    [supervise] = due([s], late)
    assert supervise.payload.deadline == "resolve"
    s = fold(
        s,
        event_of(
            "C1",
            ev.CaseSupervised,
            ev.Supervised(case="C1", deadline="resolve", due=d.payload.resolve_by, parties=("T1",)),
            late,
        ),
    )
    assert due([s], late + timedelta(hours=1)) == []
    [escalate] = due([s], late + ESCALATE_AFTER)
    assert type(escalate).__name__ == "EscalateCase" and escalate.reason


def test_a_city_case_is_never_escalated_and_a_resolved_one_runs_no_clock():
    d = dispatched("C1", "CITY", tier="city")
    s = fold(
        state_after(d),
        event_of(
            "C1",
            ev.CaseSupervised,
            ev.Supervised(case="C1", deadline="resolve", due=d.payload.resolve_by, parties=("CITY",)),
            T0,
        ),
    )
    assert [type(c).__name__ for c in due([s], d.payload.resolve_by + 10 * ESCALATE_AFTER)] == [
        "SuperviseCase"
    ]  # only the sign-for, never an escalation
    resolved = fold(
        state_after(dispatched("C2", "T1")),
        event_of(
            "C2",
            ev.CaseResolved,
            ev.Resolved(case="C2", party="T1", outcome="resolved", due=T0, on_time=True),
            T0,
        ),
    )
    assert due([resolved], T0 + timedelta(days=30)) == []


def test_a_closed_case_leaves_the_clock():
    closed = event_of(
        "C1",
        ev.CaseClosed,
        ev.Closed(case="C1", satisfaction="satisfied", lead="T1", town="T1", outcome="resolved"),
        T0,
    )
    assert fold(state_after(dispatched("C1", "T1")), closed) is None


def test_the_tally_counts_each_party_on_the_day_of_the_act():
    d = dispatched("C1", "CG", ("T1",))
    assert [(p, c.dispatched) for p, _, c in deltas(d)] == [("CG", 1), ("T1", 1)]
    [(party, day, c)] = deltas(
        event_of(
            "C1",
            ev.CaseSignedFor,
            ev.SignedFor(case="C1", party="CG", due=T0, on_time=False),
            T0 + timedelta(hours=20),
        )
    )
    assert (party, day.isoformat(), c.signed, c.signed_on_time) == ("CG", "2021-12-02", 1, 0)
    [(_, _, c)] = deltas(
        event_of(
            "C1",
            ev.CaseClosed,
            ev.Closed(
                case="C1", satisfaction="basically_satisfied", lead="CG", town="T1", outcome="explained"
            ),
            T0,
        )
    )
    assert (c.closed, c.basically_satisfied, c.satisfied) == (1, 1, 0)
    assert deltas(event_of("C1", ev.CaseReportedIn, PartyAct(case="C1", party="T1"), T0)) == []
