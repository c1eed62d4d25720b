"""一人一镇: a person serves one town at a time; a transfer takes all its persons or none."""

from __future__ import annotations

import pytest

from aggregates.sinkdown.placement import PersonAlreadyPlaced, Placement
from aggregates.sinkdown.transfer import Person, SinkDownTransfer, TransferDetails
from infra.contexts import GovernanceLedger as Ledger
from tests.unit.builders import ctx, day

A = TransferDetails("AN-SJ", "AN-JD-PILOT", "stationed", "**街道综合行政执法队")
B = TransferDetails("AN-YJ", "AN-JD-B", "full", "**街道综合行政执法队")
P1, P2, P3 = (Person(f"P{n}", "执法队员", True) for n in (1, 2, 3))


def placement(ledger: Ledger, person: str) -> Placement:
    return ledger.repository.get(Placement.create_id(person))


def in_effect(
    ledger: Ledger, code: str, details: TransferDetails, persons: tuple[Person, ...], on: str = "2021-09-10"
) -> None:
    ledger.propose_sink_down(ctx("2021-09-01"), code, details, persons)
    ledger.consent_to_sink_down(ctx("2021-09-05"), code)
    ledger.make_sink_down_effective(ctx(on), code)


# -- the slot on its own ------------------------------------------------------------------------


def test_a_new_slot_is_free_for_any_transfer() -> None:
    slot = Placement(person="P1", ctx=ctx())

    assert (slot.transfer, slot.town, slot.free_from) == (None, None, None)
    slot.ensure_free("T1", day("1990-01-01"))


def test_a_taken_slot_refuses_any_other_transfer_and_taking_it_again_records_nothing() -> None:
    slot = Placement(person="P1", ctx=ctx())
    slot.take("T1", "AN-JD-PILOT", day("2021-09-10"), ctx())
    slot.take("T1", "AN-JD-PILOT", day("2021-09-11"), ctx())

    assert (slot.transfer, slot.town) == ("T1", "AN-JD-PILOT")
    assert [type(e).__name__ for e in slot.collect_events()] == ["Opened", "Taken"]
    with pytest.raises(PersonAlreadyPlaced):
        slot.take("T2", "AN-JD-B", day("2030-01-01"), ctx())


def test_a_released_slot_is_free_from_the_release_day_on_never_before() -> None:
    slot = Placement(person="P1", ctx=ctx())
    slot.take("T1", "AN-JD-PILOT", day("2021-09-10"), ctx())
    slot.release("T2", day("2021-10-01"), ctx())  # not the holder: nothing
    assert slot.transfer == "T1"
    slot.release("T1", day("2021-10-01"), ctx())

    with pytest.raises(PersonAlreadyPlaced):
        slot.ensure_free("T2", day("2021-09-30"))
    slot.take("T2", "AN-JD-B", day("2021-10-01"), ctx())
    assert (slot.transfer, slot.town) == ("T2", "AN-JD-B")


# -- through the use cases ----------------------------------------------------------------------


def test_taking_effect_places_every_person_in_the_town(ledger: Ledger) -> None:
    in_effect(ledger, "T1", A, (P1, P2))

    assert {(placement(ledger, p).transfer, placement(ledger, p).town) for p in ("P1", "P2")} == {
        ("T1", "AN-JD-PILOT")
    }


def test_a_transfer_naming_one_person_placed_elsewhere_is_refused_whole(ledger: Ledger) -> None:
    in_effect(ledger, "T1", A, (P1,))
    ledger.propose_sink_down(ctx("2021-09-01"), "T2", B, (P2, P1, P3))
    ledger.consent_to_sink_down(ctx("2021-09-05"), "T2")

    with pytest.raises(PersonAlreadyPlaced):
        ledger.make_sink_down_effective(ctx("2021-09-12"), "T2")

    assert ledger.find(SinkDownTransfer.create_id("T2")).status == "consented"
    assert ledger.find(Placement.create_id("P2")) is None and placement(ledger, "P1").transfer == "T1"


def test_a_person_recalled_is_free_for_another_town_from_that_day(ledger: Ledger) -> None:
    in_effect(ledger, "T1", A, (P1,))
    ledger.consult_adjustment(ctx("2021-09-20"), "T1", "P1", "recall", True)
    ledger.recall_sunk_person(ctx("2021-10-01"), "T1", "P1")
    ledger.propose_sink_down(ctx("2021-09-25"), "T2", B, (P1,))
    ledger.consent_to_sink_down(ctx("2021-09-26"), "T2")

    with pytest.raises(PersonAlreadyPlaced):  # still serving T1 that day
        ledger.make_sink_down_effective(ctx("2021-09-30"), "T2")
    ledger.make_sink_down_effective(ctx("2021-10-01"), "T2")

    assert (placement(ledger, "P1").transfer, placement(ledger, "P1").town) == ("T2", "AN-JD-B")


def test_a_rotation_frees_the_person_out_and_places_the_replacement(ledger: Ledger) -> None:
    in_effect(ledger, "T1", A, (P1,))
    ledger.consult_adjustment(ctx("2021-09-20"), "T1", "P1", "rotate", True)
    ledger.rotate_sunk_person(ctx("2021-10-01"), "T1", "P1", P2)

    assert placement(ledger, "P1").transfer is None
    assert placement(ledger, "P2").transfer == "T1"


def test_a_replacement_placed_elsewhere_is_refused_and_nothing_moves(ledger: Ledger) -> None:
    in_effect(ledger, "T1", A, (P1,))
    in_effect(ledger, "T2", B, (P2,))
    ledger.consult_adjustment(ctx("2021-09-20"), "T1", "P1", "rotate", True)

    with pytest.raises(PersonAlreadyPlaced):
        ledger.rotate_sunk_person(ctx("2021-10-01"), "T1", "P1", P2)

    assert placement(ledger, "P1").transfer == "T1" and placement(ledger, "P2").transfer == "T2"
    assert ledger.find(SinkDownTransfer.create_id("T1")).member("P1").status == "sunk"
