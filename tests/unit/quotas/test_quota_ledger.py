"""编制台账: quotas approved and occupied, leadership posts, transfers between units and levels."""

from __future__ import annotations

from typing import Any

import pytest

from aggregates.base import ReasonRequired, RuleViolation
from aggregates.quotas.quota_ledger import (
    ApprovalSuperseded,
    DocumentNumberRequired,
    InvalidQuotaDetails,
    LedgerDetails,
    OccupiedAboveApproved,
    PlanAboveVacancies,
    QuotaLedger,
    QuotaLedgerAlreadyOpened,
    QuotaLedgerNotOpened,
    ReverseAdjustmentNotApproved,
    TransferApproval,
    TransferPredatesApproval,
    UnitLevelMismatch,
    VacatedAboveOccupied,
)
from infra.contexts import GovernanceLedger as Ledger
from tests.unit.builders import ctx, event_names, immutable, state

D, T, T2 = "DY-ORGANS", "DY-SITU", "DY-YANLING"
ORGANS = LedgerDetails("丹阳市市级机关", "镇江市丹阳市")
SITU = LedgerDetails("司徒镇", "镇江市丹阳市")
APPROVAL = TransferApproval("中共丹阳市委机构编制委员会", "丹编委〔2020〕2号")


def ledger_of(ledger: Ledger, unit: str) -> QuotaLedger:
    return ledger.repository.get(QuotaLedger.create_id(unit))


def counts(ledger: Ledger, unit: str, kind: str = "administrative") -> tuple[int, int]:
    count = ledger_of(ledger, unit).count(kind)
    return count.approved, count.occupied


def last_event(ledger: Ledger, unit: str) -> Any:
    return list(ledger.events.get(QuotaLedger.create_id(unit)))[-1]


def events(ledger: Ledger, unit: str) -> list[str]:
    return event_names(ledger, QuotaLedger.create_id(unit))


def opened(ledger: Ledger) -> None:
    """Given the city organs (1,180 approved, 1,020 occupied) and a town (30, 28) on 2019-12-01."""
    ledger.open_quota_ledger(ctx("2019-12-01"), D, "district", ORGANS)
    ledger.open_quota_ledger(ctx("2019-12-01"), T, "town", SITU)
    for unit, approved, occupied in ((D, 1180, 1020), (T, 30, 28)):
        ledger.approve_quotas(ctx("2019-12-01"), unit, "administrative", approved)
        ledger.occupy_quotas(ctx("2019-12-01"), unit, "administrative", occupied)


# -- opening a ledger ------------------------------------------------------------------------


def test_an_opened_ledger_has_its_details_and_nothing_approved(ledger: Ledger) -> None:
    ledger.open_quota_ledger(ctx(), T, "town", SITU)
    ledger.open_quota_ledger(ctx(), T, "town", SITU)  # a retry: nothing new

    found = ledger_of(ledger, T)
    assert (found.unit, found.level, found.details) == (T, "town", SITU)
    assert [(c.kind, c.approved, c.occupied) for c in found.counts] == [
        ("administrative", 0, 0),
        ("institutional", 0, 0),
        ("auxiliary", 0, 0),
        ("leadership", 0, 0),
    ]
    assert events(ledger, T) == ["Opened"]


@pytest.mark.parametrize("level, details", [("district", SITU), ("town", ORGANS)])
def test_opening_again_with_other_details_is_refused(
    ledger: Ledger, level: str, details: LedgerDetails
) -> None:
    ledger.open_quota_ledger(ctx(), T, "town", SITU)
    with pytest.raises(QuotaLedgerAlreadyOpened):
        ledger.open_quota_ledger(ctx(), T, level, details)


@pytest.mark.parametrize(
    "act",
    [
        lambda ledger: ledger.open_quota_ledger(ctx(), T, "village", SITU),
        lambda ledger: LedgerDetails(" ", "镇江市丹阳市"),
        lambda ledger: ledger.occupy_quotas(ctx(), T, "contract", 1),
        lambda ledger: ledger.occupy_quotas(ctx(), T, "administrative", 0),
        lambda ledger: ledger.vacate_quotas(ctx(), T, "administrative", -1),
        lambda ledger: ledger.approve_quotas(ctx(), T, "administrative", -5),
        lambda ledger: TransferApproval("区委编委", ""),
    ],
)
def test_details_outside_the_vocabulary_are_refused(ledger: Ledger, act: Any) -> None:
    ledger.open_quota_ledger(ctx(), T, "town", SITU)
    with pytest.raises(InvalidQuotaDetails):
        act(ledger)


def test_nothing_is_recorded_for_a_unit_without_a_ledger(ledger: Ledger) -> None:
    with pytest.raises(QuotaLedgerNotOpened):
        ledger.approve_quotas(ctx(), T, "administrative", 10)
    with pytest.raises(QuotaLedgerNotOpened):
        ledger.transfer_quotas(ctx(), T, D, "district", "administrative", 1, APPROVAL)
    assert ledger.find(QuotaLedger.create_id(T)) is None


# -- 核定 and occupancy: occupied never above approved ------------------------------------------


def test_approved_quotas_are_occupied_and_vacated_within_the_approval(ledger: Ledger) -> None:
    opened(ledger)
    ledger.occupy_quotas(ctx(), T, "administrative", 2)
    ledger.vacate_quotas(ctx(), T, "administrative", 5)

    assert counts(ledger, T) == (30, 25)
    assert ledger_of(ledger, T).count("administrative").available == 5


def test_occupying_beyond_the_approval_is_refused(ledger: Ledger) -> None:
    opened(ledger)
    with pytest.raises(OccupiedAboveApproved):
        ledger.occupy_quotas(ctx(), T, "administrative", 3)
    with pytest.raises(OccupiedAboveApproved):
        ledger.occupy_quotas(ctx(), T, "institutional", 1)
    assert counts(ledger, T) == (30, 28)


def test_an_approval_below_the_occupied_count_is_refused(ledger: Ledger) -> None:
    opened(ledger)
    with pytest.raises(OccupiedAboveApproved):
        ledger.approve_quotas(ctx("2020-06-01"), T, "administrative", 27)
    ledger.approve_quotas(ctx("2020-06-01"), T, "administrative", 28)
    assert counts(ledger, T) == (28, 28)


def test_more_cannot_leave_than_occupy(ledger: Ledger) -> None:
    opened(ledger)
    with pytest.raises(VacatedAboveOccupied):
        ledger.vacate_quotas(ctx(), T, "administrative", 29)


def test_an_approval_cites_its_document_number(ledger: Ledger) -> None:
    ledger.open_quota_ledger(ctx(), T, "town", SITU)
    with pytest.raises(DocumentNumberRequired):
        ledger.approve_quotas(ctx(document_no=None), T, "administrative", 30)
    with pytest.raises(DocumentNumberRequired):
        ledger.set_leadership_posts(ctx(document_no=" "), T, 12)


def test_an_approval_effective_before_the_one_in_force_is_refused(ledger: Ledger) -> None:
    opened(ledger)
    ledger.approve_quotas(ctx("2019-12-01"), T, "administrative", 30)  # a retry: nothing new
    with pytest.raises(ApprovalSuperseded):
        ledger.approve_quotas(ctx("2019-11-30"), T, "administrative", 35)
    assert events(ledger, T).count("Approved") == 1


def test_leadership_posts_are_one_total_apart_from_the_quotas(ledger: Ledger) -> None:
    opened(ledger)
    ledger.set_leadership_posts(ctx(), T, 12)
    ledger.occupy_leadership_posts(ctx(), T, 12)

    with pytest.raises(OccupiedAboveApproved):
        ledger.occupy_leadership_posts(ctx(), T, 1)
    with pytest.raises(OccupiedAboveApproved):
        ledger.set_leadership_posts(ctx("2021-08-01"), T, 11)
    ledger.vacate_leadership_posts(ctx(), T, 2)
    assert counts(ledger, T, "leadership") == (12, 10)
    assert counts(ledger, T) == (30, 28)


# -- transfers between units and levels -------------------------------------------------------


def test_a_transfer_down_moves_approved_quotas_from_the_organs_to_the_town(ledger: Ledger) -> None:
    opened(ledger)
    ledger.transfer_quotas(ctx("2020-01-06"), D, T, "town", "administrative", 15)

    assert counts(ledger, D) == (1165, 1020) and counts(ledger, T) == (45, 28)
    out = last_event(ledger, D)
    assert (type(out).__name__, out.to_unit, out.count, out.approved) == ("TransferredOut", T, 15, 1165)
    assert events(ledger, T)[-1] == "TransferredIn"


def test_a_transfer_leaving_the_source_short_of_its_occupied_is_refused(ledger: Ledger) -> None:
    opened(ledger)
    with pytest.raises(OccupiedAboveApproved):
        ledger.transfer_quotas(ctx("2020-01-06"), D, T, "town", "administrative", 161)
    assert counts(ledger, D) == (1180, 1020) and counts(ledger, T) == (30, 28)


def test_a_transfer_cites_its_document_and_never_goes_to_its_own_unit(ledger: Ledger) -> None:
    opened(ledger)
    with pytest.raises(DocumentNumberRequired):
        ledger.transfer_quotas(ctx("2020-01-06", document_no=None), D, T, "town", "administrative", 1)
    with pytest.raises(InvalidQuotaDetails):
        ledger.transfer_quotas(ctx("2020-01-06"), D, D, "district", "administrative", 1)
    with pytest.raises(InvalidQuotaDetails):
        ledger.transfer_quotas(ctx("2020-01-06"), D, T, "town", "leadership", 1)


def test_a_move_from_a_town_back_up_to_the_organs_needs_an_approval(ledger: Ledger) -> None:
    opened(ledger)
    with pytest.raises(ReverseAdjustmentNotApproved):
        ledger.transfer_quotas(ctx("2021-09-01"), T, D, "district", "administrative", 2)
    assert counts(ledger, T) == (30, 28)

    ledger.transfer_quotas(ctx("2021-09-01"), T, D, "district", "administrative", 2, APPROVAL)

    assert counts(ledger, T) == (28, 28) and counts(ledger, D) == (1182, 1020)
    assert last_event(ledger, D).approval == APPROVAL


def test_moves_within_a_level_need_no_approval(ledger: Ledger) -> None:
    opened(ledger)
    ledger.open_quota_ledger(ctx(), T2, "town", LedgerDetails("延陵镇", "镇江市丹阳市"))
    ledger.transfer_quotas(ctx("2020-03-01"), T, T2, "town", "administrative", 2)
    ledger.transfer_quotas(ctx("2020-03-01"), D, "DY-EDU", "district", "administrative", 5)
    assert (counts(ledger, T2), counts(ledger, "DY-EDU")) == ((2, 0), (5, 0))


def test_the_receiving_level_must_be_the_level_of_its_ledger(ledger: Ledger) -> None:
    opened(ledger)
    with pytest.raises(UnitLevelMismatch):  # would dodge the approval of a 逆向调整
        ledger.transfer_quotas(ctx("2021-09-01"), T, D, "town", "administrative", 2)


def test_a_transfer_effective_on_or_before_the_sources_last_approval_is_refused(
    ledger: Ledger,
) -> None:
    opened(ledger)
    with pytest.raises(TransferPredatesApproval):
        ledger.transfer_quotas(ctx("2019-12-01"), D, T, "town", "administrative", 15)


def test_a_transfer_into_a_unit_not_yet_opened_starts_its_ledger(ledger: Ledger) -> None:
    opened(ledger)
    ledger.transfer_quotas(ctx("2020-01-06"), D, T2, "town", "administrative", 15)

    with pytest.raises(QuotaLedgerNotOpened):  # its own commands wait for its opening
        ledger.occupy_quotas(ctx(), T2, "administrative", 1)
    details = LedgerDetails("延陵镇", "镇江市丹阳市")
    with pytest.raises(QuotaLedgerAlreadyOpened):
        ledger.open_quota_ledger(ctx(), T2, "district", details)
    ledger.open_quota_ledger(ctx(), T2, "town", details)
    ledger.occupy_quotas(ctx(), T2, "administrative", 15)

    assert counts(ledger, T2) == (15, 15)
    assert events(ledger, T2) == ["Opened", "TransferredIn", "DetailsRecorded", "Occupied"]


@pytest.mark.parametrize("transfer_first", [True, False])
def test_a_transfer_and_the_towns_approval_give_one_total_in_either_order(
    ledger: Ledger,
    transfer_first: bool,
) -> None:
    """They travel on different partitions: a 核定 on day D covers moves effective by D."""
    ledger.open_quota_ledger(ctx("2019-12-01"), D, "district", ORGANS)
    ledger.approve_quotas(ctx("2019-12-01"), D, "administrative", 1180)
    steps = [
        lambda: ledger.transfer_quotas(ctx("2020-01-06"), D, T, "town", "administrative", 15),
        lambda: (
            ledger.open_quota_ledger(ctx("2019-12-01"), T, "town", SITU),
            ledger.approve_quotas(ctx("2019-12-01"), T, "administrative", 30),
        ),
    ]
    for step in steps if transfer_first else reversed(steps):
        step()
    assert counts(ledger, T) == (45, 0)

    ledger.approve_quotas(ctx("2020-06-01"), T, "administrative", 46)  # a later 核定 covers it
    assert counts(ledger, T) == (46, 0)


# -- 用编计划 --------------------------------------------------------------------------------------


def test_a_yearly_plan_fills_vacancies_and_is_revised_only_with_a_reason(ledger: Ledger) -> None:
    opened(ledger)
    ledger.plan_staffing(ctx(), T, 2021, "administrative", 2)
    ledger.plan_staffing(ctx(reason=None), T, 2021, "administrative", 2)  # a retry

    with pytest.raises(PlanAboveVacancies):
        ledger.plan_staffing(ctx(), T, 2022, "administrative", 3)
    with pytest.raises(ReasonRequired):
        ledger.plan_staffing(ctx(reason=None), T, 2021, "administrative", 1)
    with pytest.raises(InvalidQuotaDetails):  # 编外 has its own 用工计划
        ledger.plan_staffing(ctx(), T, 2021, "auxiliary", 1)
    ledger.plan_staffing(ctx(reason="招录计划调整"), T, 2021, "administrative", 1)

    assert ledger_of(ledger, T).plans == ((2021, "administrative", 1),)
    assert events(ledger, T).count("Planned") == 2


# -- replay and the shallow copies of a batch ---------------------------------------------------


def test_replayed_state_equals_live_state_and_holds_only_immutable_values(ledger: Ledger) -> None:
    opened(ledger)
    ledger.transfer_quotas(ctx("2020-01-06"), D, T2, "town", "administrative", 14)
    ledger.transfer_quotas(ctx("2021-09-01"), T, D, "district", "administrative", 2, APPROVAL)
    ledger.set_leadership_posts(ctx(), T, 12)
    ledger.plan_staffing(ctx(), D, 2021, "administrative", 20)

    for unit in (D, T, T2):
        live, replayed = ledger.find(QuotaLedger.create_id(unit)), ledger_of(ledger, unit)
        assert state(replayed) == state(live)
        assert all(immutable(v) for v in state(replayed).values())


def test_a_refused_transfer_in_a_batch_leaves_both_ledgers_untouched(ledger: Ledger) -> None:
    opened(ledger)
    with ledger.batch() as batch:
        ledger.transfer_quotas(ctx("2020-01-06"), D, T, "town", "administrative", 10)
        with pytest.raises(RuleViolation):
            ledger.transfer_quotas(ctx("2020-01-07"), D, T2, "town", "administrative", 500)
        ledger.commit(batch)

    assert counts(ledger, D) == (1170, 1020) and counts(ledger, T) == (40, 28)
    assert ledger.find(QuotaLedger.create_id(T2)) is None


def test_a_refusal_names_the_business_rule_before_a_missing_document_number(ledger: Ledger) -> None:
    opened(ledger)
    without_document = ctx("2020-01-07", document_no=None)
    with pytest.raises(ReverseAdjustmentNotApproved):  # not DocumentNumberRequired, which it also breaks
        ledger.transfer_quotas(without_document, T, D, "district", "administrative", 1)
    with pytest.raises(OccupiedAboveApproved):
        ledger.transfer_quotas(without_document, D, T, "town", "administrative", 161)


def test_a_refusal_says_what_was_asked_what_the_ledger_holds_and_what_is_allowed(ledger: Ledger) -> None:
    opened(ledger)
    with pytest.raises(OccupiedAboveApproved) as refused:
        ledger.transfer_quotas(ctx("2020-01-06"), D, T, "town", "administrative", 161)
    assert str(refused.value) == (
        f"moving 161 administrative quotas out of {D}, which has 1180 approved (1020 occupied): "
        "at most 160 can move"
    )
    with pytest.raises(OccupiedAboveApproved) as refused:
        ledger.occupy_quotas(ctx("2020-01-06"), T, "administrative", 5)
    assert str(refused.value) == (
        f"occupying 5 more administrative in {T}, which has 30 approved (28 occupied): "
        "at most 2 more can be occupied"
    )
