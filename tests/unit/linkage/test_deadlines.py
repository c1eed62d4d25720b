"""区镇联动案件 against the clock: more time on request, 督办 of a deadline passed, escalation."""

from __future__ import annotations

import pytest

from aggregates.base import ReasonRequired
from aggregates.linkage.case import (
    AlreadyResolved,
    AlreadySupervised,
    CaseNotDispatched,
    DeadlineMet,
    EscalationBeyondCity,
    ExtensionAlreadyPending,
    InvalidExtension,
    NoExtensionRequested,
    NotOverdue,
    NotTheLead,
    StaleDeadline,
)
from infra.contexts import GovernanceLedger as Ledger
from tests.unit.linkage.test_case import (
    GHJ,
    SCJG,
    TOWN,
    ZHZF,
    C,
    at,
    case,
    dispatched,
    district_dispatch,
    events,
    names,
    reported,
    resolved,
    signed,
    when,
)

SIGN_FOR_BY, RESOLVE_BY = at("2021-07-02 09:00"), at("2021-07-08 18:00")


# -- extensions -------------------------------------------------------------------------------


def test_the_lead_asks_for_more_time_once_at_a_time_and_the_grant_moves_the_deadline(
    ledger: Ledger,
) -> None:
    signed(ledger)
    ledger.request_case_extension(when("2021-07-06 09:00", reason="需委托检测"), C, TOWN, 5)
    with pytest.raises(ExtensionAlreadyPending):
        ledger.request_case_extension(when("2021-07-06 10:00", reason="再延"), C, TOWN, 2)
    ledger.grant_case_extension(when("2021-07-06 15:00"), C, 3)  # less than asked

    granted = events(ledger)[-1]
    assert (granted.days, granted.resolve_by) == (3, at("2021-07-11 18:00"))
    assert (case(ledger).resolve_by, case(ledger).extension) == (at("2021-07-11 18:00"), None)
    ledger.request_case_extension(when("2021-07-10 09:00", reason="检测未出"), C, TOWN, 2)
    assert case(ledger).extension == 2


def test_more_time_is_asked_by_the_lead_for_a_reason_and_granted_only_on_a_pending_request(
    ledger: Ledger,
) -> None:
    signed(ledger)
    with pytest.raises(NoExtensionRequested):
        ledger.grant_case_extension(when("2021-07-06 15:00"), C, 3)
    with pytest.raises(NotTheLead):
        ledger.request_case_extension(when("2021-07-06 09:00", reason="需协调"), C, ZHZF, 3)
    with pytest.raises(ReasonRequired):
        ledger.request_case_extension(when("2021-07-06 09:00", reason=None), C, TOWN, 3)
    ledger.request_case_extension(when("2021-07-06 09:00", reason="需委托检测"), C, TOWN, 5)
    with pytest.raises(InvalidExtension):
        ledger.grant_case_extension(when("2021-07-06 15:00"), C, 0)
    assert names(ledger)[-1] == "ExtensionRequested"


def test_a_pending_request_lapses_with_the_resolution(ledger: Ledger) -> None:
    signed(ledger)
    ledger.request_case_extension(when("2021-07-05 09:00", reason="需委托检测"), C, TOWN, 5)
    ledger.resolve_case(when("2021-07-05 16:00"), C, TOWN, "resolved")
    with pytest.raises(AlreadyResolved):
        ledger.grant_case_extension(when("2021-07-06 15:00"), C, 5)
    assert case(ledger).extension is None


# -- supervision (督办) -------------------------------------------------------------------------


def test_an_overdue_sign_for_is_supervised_naming_every_party_that_has_not_signed(
    ledger: Ledger,
) -> None:
    dispatched(ledger, cooperating=(ZHZF, SCJG))
    ledger.sign_for_case(when("2021-07-01 11:00"), C, SCJG)
    ledger.supervise_case(when("2021-07-02 09:01"), C, "sign_for", SIGN_FOR_BY)

    supervision = events(ledger)[-1]
    assert (supervision.deadline, supervision.due, tuple(supervision.parties)) == (
        "sign_for",
        SIGN_FOR_BY,
        (TOWN, ZHZF),
    )
    assert case(ledger).status == "dispatched"


def test_an_overdue_resolution_is_supervised_naming_the_lead(ledger: Ledger) -> None:
    signed(ledger)
    ledger.handle_case(when("2021-07-02 10:00"), C, TOWN)
    ledger.supervise_case(when("2021-07-09 08:00"), C, "resolve", RESOLVE_BY)
    assert tuple(events(ledger)[-1].parties) == (TOWN,)
    assert case(ledger).status == "handling"


def test_a_supervision_names_the_round_s_current_deadline(ledger: Ledger) -> None:
    signed(ledger)
    ledger.request_case_extension(when("2021-07-06 09:00", reason="需委托检测"), C, TOWN, 5)
    ledger.grant_case_extension(when("2021-07-06 15:00"), C, 5)

    with pytest.raises(StaleDeadline):  # extended: the clock's old deadline no longer holds
        ledger.supervise_case(when("2021-07-09 08:00"), C, "resolve", RESOLVE_BY)
    with pytest.raises(StaleDeadline):
        ledger.supervise_case(when("2021-07-09 08:00"), C, "sign_for", at("2021-07-02 10:00"))
    ledger.supervise_case(when("2021-07-14 08:00"), C, "resolve", at("2021-07-13 18:00"))
    assert names(ledger)[-1] == "Supervised"


def test_a_deadline_is_supervised_only_once_it_has_passed(ledger: Ledger) -> None:
    dispatched(ledger)
    with pytest.raises(NotOverdue):
        ledger.supervise_case(when("2021-07-02 09:00"), C, "sign_for", SIGN_FOR_BY)
    with pytest.raises(NotOverdue):
        ledger.supervise_case(when("2021-07-08 17:00"), C, "resolve", RESOLVE_BY)


def test_a_deadline_met_is_not_supervised(ledger: Ledger) -> None:
    dispatched(ledger)
    ledger.sign_for_case(when("2021-07-02 09:30"), C, TOWN)  # late, but signed: the clock is late
    with pytest.raises(DeadlineMet):
        ledger.supervise_case(when("2021-07-02 10:00"), C, "sign_for", SIGN_FOR_BY)

    other = Ledger()
    resolved(other)
    with pytest.raises(DeadlineMet):
        other.supervise_case(when("2021-07-09 08:00"), C, "resolve", RESOLVE_BY)
    assert names(other)[-1] == "Resolved"


def test_the_same_deadline_is_supervised_once(ledger: Ledger) -> None:
    dispatched(ledger)
    ledger.supervise_case(when("2021-07-02 10:00"), C, "sign_for", SIGN_FOR_BY)
    with pytest.raises(AlreadySupervised):
        ledger.supervise_case(when("2021-07-03 10:00"), C, "sign_for", SIGN_FOR_BY)
    ledger.supervise_case(when("2021-07-09 10:00"), C, "resolve", RESOLVE_BY)  # the other one
    assert names(ledger).count("Supervised") == 2


def test_nothing_is_supervised_while_the_case_awaits_a_dispatch(ledger: Ledger) -> None:
    dispatched(ledger)
    ledger.send_back_case(when("2021-07-01 12:00", reason="属规划执法事项"), C, TOWN, GHJ)
    with pytest.raises(CaseNotDispatched):
        ledger.supervise_case(when("2021-07-02 10:00"), C, "sign_for", SIGN_FOR_BY)
    other = Ledger()
    reported(other)
    with pytest.raises(StaleDeadline):  # never dispatched: no deadline at all
        other.supervise_case(when("2021-07-02 10:00"), C, "sign_for", SIGN_FOR_BY)


# -- escalation -------------------------------------------------------------------------------


def test_a_case_goes_up_one_tier_at_a_time_and_no_further_than_the_city(ledger: Ledger) -> None:
    dispatched(ledger)
    ledger.escalate_case(when("2021-07-01 12:00", reason="镇级无法解决"), C)
    ledger.dispatch_case(when("2021-07-01 13:00"), C, district_dispatch("2021-07-02 13:00", "escalated-1"))
    ledger.escalate_case(when("2021-07-03 12:00", reason="跨区域"), C)

    with pytest.raises(EscalationBeyondCity):
        ledger.escalate_case(when("2021-07-03 13:00", reason="仍无法解决"), C)
    up = [
        (e.from_tier, e.to_tier, e.previous_lead) for e in events(ledger) if type(e).__name__ == "Escalated"
    ]
    assert up == [("town", "district", TOWN), ("district", "city", GHJ)]
    found = case(ledger)
    assert (found.tier, found.status, found.escalations, found.round) == ("city", "escalated", 2, 2)


def test_a_case_never_dispatched_escalates_from_the_town_with_its_town_as_the_lead(
    ledger: Ledger,
) -> None:
    reported(ledger)
    ledger.escalate_case(when("2021-07-01 09:30", reason="涉及三跨"), C)
    escalation = events(ledger)[-1]
    assert (escalation.from_tier, escalation.to_tier, escalation.previous_lead) == ("town", "district", TOWN)


def test_an_escalation_needs_a_reason_and_a_case_not_yet_resolved(ledger: Ledger) -> None:
    signed(ledger)
    with pytest.raises(ReasonRequired):
        ledger.escalate_case(when("2021-07-03 12:00"), C)
    ledger.resolve_case(when("2021-07-05 16:00"), C, TOWN, "resolved")
    with pytest.raises(AlreadyResolved):
        ledger.escalate_case(when("2021-07-06 12:00", reason="疑难"), C)
    assert "Escalated" not in names(ledger)
