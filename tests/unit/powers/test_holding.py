"""事项承接: at most one effective holder per (item, town)."""

from __future__ import annotations

from uuid import UUID, uuid4

import pytest

from aggregates.powers.delegation import Delegation, ReviewNotPassed
from aggregates.powers.holding import HolderAlreadyEffective, PowerHolding
from infra.contexts import GovernanceLedger as Ledger
from tests.unit.builders import approved, ctx, day, event_names, review, support, under_review

SLOT = PowerHolding.create_id("P1", "T1")


def holding() -> PowerHolding:
    return PowerHolding(item="P1", town="T1", ctx=ctx())


def taken() -> tuple[PowerHolding, UUID]:
    """Given a new slot taken by a first delegation from 1 July 2021: the slot and that delegation."""
    slot, first = holding(), uuid4()
    slot.take(first, day("2021-07-01"), ctx())
    return slot, first


def holder_of(ledger: Ledger, item: str = "P1", town: str = "T1") -> object:
    return ledger.repository.get(PowerHolding.create_id(item, town)).holder


def delegation_id(batch: str, item: str = "P1", town: str = "T1") -> object:
    return Delegation.create_id(batch, item, town)


# -- the aggregate on its own ----------------------------------------------------------------


def test_a_new_slot_is_free_for_any_delegation_on_any_day() -> None:
    slot = holding()

    assert (slot.holder, slot.free_from) == (None, None)
    slot.ensure_free(uuid4(), day("1990-01-01"))


def test_a_taken_slot_refuses_any_other_delegation() -> None:
    slot, first = taken()

    assert slot.holder == first
    with pytest.raises(HolderAlreadyEffective):
        slot.ensure_free(uuid4(), day("2030-01-01"))
    with pytest.raises(HolderAlreadyEffective):
        slot.take(uuid4(), day("2030-01-01"), ctx())


def test_taking_a_slot_again_for_its_own_holder_records_nothing() -> None:
    slot, first = taken()
    slot.collect_events()

    slot.take(first, day("2021-07-01"), ctx())

    assert slot.collect_events() == []


def test_a_released_slot_is_free_from_the_release_date_on_but_not_before() -> None:
    slot, first = taken()

    slot.release(first, day("2022-01-01"), ctx())

    assert (slot.holder, slot.free_from) == (None, day("2022-01-01"))
    with pytest.raises(HolderAlreadyEffective):
        slot.ensure_free(uuid4(), day("2021-12-31"))
    slot.ensure_free(uuid4(), day("2022-01-01"))
    slot.take(uuid4(), day("2022-01-02"), ctx())


def test_only_the_holder_can_release_the_slot() -> None:
    slot, first = taken()
    slot.collect_events()

    slot.release(uuid4(), day("2022-01-01"), ctx())

    assert slot.holder == first
    assert slot.collect_events() == []


# -- the use cases ---------------------------------------------------------------------------


def test_approval_makes_the_delegation_the_holder_of_its_slot(ledger: Ledger) -> None:
    approved(ledger)

    assert holder_of(ledger) == delegation_id("B1")
    assert event_names(ledger, SLOT) == ["Opened", "Taken"]


def test_a_second_batch_cannot_delegate_a_held_item_to_the_same_town(ledger: Ledger) -> None:
    approved(ledger, batch="B1")
    under_review(ledger, batch="B2")

    with pytest.raises(HolderAlreadyEffective):
        ledger.approve_delegation(ctx("2022-01-01"), "B2", "P1", "T1", review(), support())

    assert ledger.repository.get(delegation_id("B2")).status == "under_review"
    assert holder_of(ledger) == delegation_id("B1")


def test_a_second_approval_awaiting_its_effective_date_still_blocks_the_slot(
    ledger: Ledger,
) -> None:
    approved(ledger, batch="B1", on="2022-01-01")
    under_review(ledger, batch="B2")

    with pytest.raises(HolderAlreadyEffective):
        ledger.approve_delegation(ctx("2021-07-01"), "B2", "P1", "T1", review(), support())


def test_different_towns_can_hold_the_same_item_at_once(ledger: Ledger) -> None:
    approved(ledger, town="T1")
    approved(ledger, town="T2")

    assert holder_of(ledger, town="T1") == delegation_id("B1", town="T1")
    assert holder_of(ledger, town="T2") == delegation_id("B1", town="T2")
    for town in ("T1", "T2"):
        assert ledger.repository.get(delegation_id("B1", town=town)).in_force_on(day("2021-08-01"))


def test_one_town_can_hold_different_items_at_once(ledger: Ledger) -> None:
    approved(ledger, item="P1")
    approved(ledger, item="P2")

    assert holder_of(ledger, item="P2") == delegation_id("B1", item="P2")


@pytest.mark.parametrize("end", ["recall", "transfer"])
def test_an_ended_delegation_releases_its_slot(ledger: Ledger, end: str) -> None:
    approved(ledger, on="2021-07-01")

    if end == "recall":
        ledger.recall_delegation(ctx("2022-01-01", reason="承接不力"), "B1", "P1", "T1")
    else:
        ledger.transfer_delegation(ctx("2022-01-01", reason="划转"), "B1", "P1", "T1", "区执法局")

    slot = ledger.repository.get(SLOT)
    assert (slot.holder, slot.free_from) == (None, day("2022-01-01"))
    assert event_names(ledger, SLOT)[-1] == "Released"


def test_after_a_recall_the_slot_is_free_from_the_recall_date_on(ledger: Ledger) -> None:
    approved(ledger, batch="B1", on="2021-07-01")
    ledger.recall_delegation(ctx("2022-01-01", reason="承接不力"), "B1", "P1", "T1")
    under_review(ledger, batch="B2")

    ledger.approve_delegation(ctx("2022-01-01"), "B2", "P1", "T1", review(), support())

    assert holder_of(ledger) == delegation_id("B2")
    assert ledger.repository.get(delegation_id("B2")).effective_on == day("2022-01-01")


def test_after_a_recall_the_slot_is_not_free_before_the_recall_date(ledger: Ledger) -> None:
    approved(ledger, batch="B1", on="2021-07-01")
    ledger.recall_delegation(ctx("2022-01-01", reason="承接不力"), "B1", "P1", "T1")
    under_review(ledger, batch="B2")

    with pytest.raises(HolderAlreadyEffective):
        ledger.approve_delegation(ctx("2021-12-31"), "B2", "P1", "T1", review(), support())

    slot = ledger.repository.get(SLOT)
    assert (slot.holder, slot.free_from) == (None, day("2022-01-01"))
    assert ledger.repository.get(delegation_id("B2")).status == "under_review"


def test_a_refused_approval_leaves_no_slot_behind(ledger: Ledger) -> None:
    under_review(ledger)

    with pytest.raises(ReviewNotPassed):
        ledger.approve_delegation(ctx(), "B1", "P1", "T1", review(legality=False), support())

    assert ledger.find(SLOT) is None
    assert list(ledger.events.get(SLOT)) == []


def test_a_refused_approval_does_not_take_a_free_slot(ledger: Ledger) -> None:
    approved(ledger, batch="B1", on="2021-07-01")
    ledger.recall_delegation(ctx("2022-01-01", reason="承接不力"), "B1", "P1", "T1")
    under_review(ledger, batch="B2")
    events_before = len(list(ledger.events.get(SLOT)))

    with pytest.raises(ReviewNotPassed):
        ledger.approve_delegation(ctx("2022-02-01"), "B2", "P1", "T1", review(False), support())

    assert holder_of(ledger) is None
    assert len(list(ledger.events.get(SLOT))) == events_before


def test_a_backdated_recall_does_not_reopen_days_an_earlier_holder_held(ledger: Ledger) -> None:
    approved(ledger, batch="B1", on="2021-07-01")
    ledger.recall_delegation(ctx("2021-08-01", reason="承接不力"), "B1", "P1", "T1")
    approved(ledger, batch="B2", on="2021-09-01")
    ledger.recall_delegation(ctx("2021-07-15", reason="撤销"), "B2", "P1", "T1")
    under_review(ledger, batch="B3")

    with pytest.raises(HolderAlreadyEffective):  # B1 held the slot until 2021-08-01
        ledger.approve_delegation(ctx("2021-07-20"), "B3", "P1", "T1", review(), support())
