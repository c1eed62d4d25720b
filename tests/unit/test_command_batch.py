"""Commands applied one after another in a batch, each all or nothing, saved together."""

from __future__ import annotations

from typing import Any

import pytest
from eventsourcing.persistence import IntegrityError

from aggregates.powers.delegation import Delegation, NotUnderReview, ReviewNotPassed
from aggregates.powers.holding import HolderAlreadyEffective, PowerHolding
from aggregates.powers.item import ItemNotCatalogued, PowerItem
from infra.contexts import GovernanceLedger as Ledger
from tests.unit.builders import (
    BODY,
    approved,
    ctx,
    details,
    filed,
    review,
    state,
    support,
    under_review,
)

DELEGATION = Delegation.create_id("B1", "P1", "T1")
SLOT = PowerHolding.create_id("P1", "T1")
FILED_AND_REVIEWED = ["Registered", "Declared", "Proposed", "AdmissionReviewStarted"]


def stored(ledger: Ledger) -> list[Any]:
    notifications = ledger.recorder.select_notifications(start=1, limit=10_000)
    return [ledger.mapper.to_domain_event(n) for n in notifications]


def names(events: list[Any]) -> list[str]:
    return [type(e).__name__ for e in events]


def file_and_review(ledger: Ledger, batch: str = "B1") -> None:
    ledger.register_power_item(ctx(), "P1", details())
    ledger.declare_batch(ctx(), batch, "首批下放")
    ledger.propose_delegation(ctx(), batch, "P1", "T1", "grant")
    ledger.start_admission_review(ctx(), batch, "P1", "T1", BODY)


def test_nothing_is_stored_until_the_batch_is_committed(ledger: Ledger) -> None:
    with ledger.batch() as batch:
        file_and_review(ledger)

        assert stored(ledger) == []
        assert ledger.find(PowerItem.create_id("P1")) is None
        assert names(batch.events) == FILED_AND_REVIEWED

        positions = ledger.commit(batch)

    assert list(positions) == [1, 2, 3, 4]
    assert names(stored(ledger)) == FILED_AND_REVIEWED
    assert ledger.repository.get(DELEGATION).status == "under_review"


def test_a_batch_left_without_a_commit_stores_nothing(ledger: Ledger) -> None:
    with ledger.batch():
        file_and_review(ledger)

    assert stored(ledger) == []
    assert ledger.find(DELEGATION) is None
    assert ledger.open_batch is None


def test_a_later_command_sees_the_state_left_by_an_earlier_one(ledger: Ledger) -> None:
    with ledger.batch() as batch:
        file_and_review(ledger)
        ledger.approve_delegation(ctx(), "B1", "P1", "T1", review(), support())
        ledger.declare_batch(ctx(), "B2", "第二批")
        ledger.propose_delegation(ctx(), "B2", "P1", "T1", "grant")
        ledger.start_admission_review(ctx(), "B2", "P1", "T1", BODY)

        with pytest.raises(HolderAlreadyEffective):
            ledger.approve_delegation(ctx(), "B2", "P1", "T1", review(), support())
        ledger.commit(batch)

    assert ledger.repository.get(SLOT).holder == DELEGATION


def test_a_refused_command_in_a_batch_adds_no_events(ledger: Ledger) -> None:
    with ledger.batch() as batch:
        file_and_review(ledger)
        staged = list(batch.events)

        with pytest.raises(ReviewNotPassed):
            ledger.approve_delegation(ctx(), "B1", "P1", "T1", review(False), support())
        with pytest.raises(ItemNotCatalogued):
            ledger.propose_delegation(ctx(), "B1", "P9", "T1", "grant")

        assert batch.events == staged
        assert SLOT not in batch.changed


def test_a_failing_approval_in_a_batch_leaves_no_slot_created(ledger: Ledger) -> None:
    with ledger.batch() as batch:
        file_and_review(ledger)
        with pytest.raises(ReviewNotPassed):
            ledger.approve_delegation(ctx(), "B1", "P1", "T1", review(False), support())
        ledger.commit(batch)

    assert ledger.find(SLOT) is None
    assert "Opened" not in names(stored(ledger))


def test_the_command_after_a_failing_approval_finds_the_slot_as_if_it_never_ran(
    ledger: Ledger,
) -> None:
    with ledger.batch() as batch:
        file_and_review(ledger)
        with pytest.raises(ReviewNotPassed):
            ledger.approve_delegation(ctx(), "B1", "P1", "T1", review(False), support())

        ledger.approve_delegation(ctx(), "B1", "P1", "T1", review(), support())
        ledger.commit(batch)

    slot_events = list(ledger.events.get(SLOT))
    assert [(type(e).__name__, e.originator_version) for e in slot_events] == [("Opened", 1), ("Taken", 2)]
    assert ledger.repository.get(DELEGATION).status == "approved"


def test_a_command_that_fails_after_taking_the_slot_leaves_it_free(ledger: Ledger) -> None:
    under_review(ledger)
    with ledger.batch() as batch:
        with pytest.raises(RuntimeError):
            with batch.command():
                slot = batch.add(PowerHolding(item="P1", town="T1", ctx=ctx()))
                slot.take(DELEGATION, ctx().effective_on, ctx())
                raise RuntimeError("the command breaks after the slot was taken")

        with batch.command():
            assert batch.get(SLOT) is None
        assert batch.events == []


def test_a_command_that_fails_after_changing_an_aggregate_leaves_it_unchanged(
    ledger: Ledger,
) -> None:
    approved(ledger)
    before = state(ledger.find(DELEGATION))
    with ledger.batch() as batch:
        with pytest.raises(RuntimeError):
            with batch.command():
                batch.get(DELEGATION).recall(ctx(reason="上收"))
                raise RuntimeError("the command breaks after the recall")

        with batch.command():
            seen = batch.get(DELEGATION)
            assert (seen.status, seen.version) == ("approved", before["_version"])
        ledger.commit(batch)

    assert state(ledger.find(DELEGATION)) == before
    assert state(ledger.repository.get(DELEGATION)) == before


def test_a_refused_use_case_outside_a_batch_stores_nothing(ledger: Ledger) -> None:
    filed(ledger)
    count = len(stored(ledger))

    with pytest.raises(NotUnderReview):
        ledger.approve_delegation(ctx(), "B1", "P1", "T1", review(), support())

    assert len(stored(ledger)) == count
    assert ledger.find(SLOT) is None
    assert ledger.open_batch is None


def test_after_commit_the_events_are_stored_in_order_with_consecutive_versions(
    ledger: Ledger,
) -> None:
    with ledger.batch() as batch:
        file_and_review(ledger)
        ledger.approve_delegation(ctx(), "B1", "P1", "T1", review(), support())
        ledger.recall_delegation(ctx("2022-01-01", reason="承接不力"), "B1", "P1", "T1")
        staged = [(e.originator_id, e.originator_version, type(e).__name__) for e in batch.events]
        ledger.commit(batch)

    notifications = ledger.recorder.select_notifications(start=1, limit=100)
    assert [n.id for n in notifications] == list(range(1, len(staged) + 1))
    events = stored(ledger)
    assert [(e.originator_id, e.originator_version, type(e).__name__) for e in events] == staged
    versions: dict[Any, list[int]] = {}
    for event in events:
        versions.setdefault(event.originator_id, []).append(event.originator_version)
    assert all(v == list(range(1, len(v) + 1)) for v in versions.values())
    assert versions[DELEGATION] == [1, 2, 3, 4]
    assert versions[SLOT] == [1, 2, 3]


def test_a_batch_can_be_committed_in_steps(ledger: Ledger) -> None:
    with ledger.batch() as batch:
        file_and_review(ledger)
        ledger.commit(batch)
        ledger.approve_delegation(ctx(), "B1", "P1", "T1", review(), support())

        assert batch.events and names(stored(ledger))[-1] == "AdmissionReviewStarted"
        ledger.commit(batch)

    assert names(stored(ledger))[-3:] == ["Approved", "Opened", "Taken"]
    assert ledger.repository.get(DELEGATION).version == 3


def test_a_batch_built_on_stale_state_is_refused_whole_on_commit(ledger: Ledger) -> None:
    under_review(ledger)
    with ledger.batch() as stale:
        ledger.approve_delegation(ctx(), "B1", "P1", "T1", review(), support())
    ledger.reject_delegation(ctx(reason="缺乏法律依据"), "B1", "P1", "T1", review(False))
    count = len(stored(ledger))

    with pytest.raises(IntegrityError):
        ledger.commit(stale)

    assert len(stored(ledger)) == count
    assert ledger.find(DELEGATION).status == "rejected"
    assert ledger.find(SLOT) is None


def test_batches_do_not_nest(ledger: Ledger) -> None:
    with ledger.batch():
        with pytest.raises(AssertionError):
            with ledger.batch():
                pass  # pragma: no cover


def test_an_aggregate_is_loaded_once_a_batch_however_many_commands_read_it(ledger: Ledger) -> None:
    under_review(ledger)
    ledger.forget_cache()
    loads: list[object] = []
    with ledger.batch() as batch:
        load = batch._load
        batch._load = lambda aggregate_id: loads.append(aggregate_id) or load(aggregate_id)  # type: ignore[method-assign]  # counting
        ledger.approve_delegation(ctx(), "B1", "P1", "T1", review(), support())
        ledger.commit(batch)  # in steps: what the first step saved is what the next command reads
        with pytest.raises(NotUnderReview):  # as the first step left it: approved
            ledger.approve_delegation(ctx(), "B1", "P1", "T1", review(), support())

    assert loads.count(DELEGATION) == 1
    assert ledger.find(DELEGATION).status == "approved"
