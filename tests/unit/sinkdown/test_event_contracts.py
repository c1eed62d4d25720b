"""Every sink-down event has a published contract that round-trips and names persons by id only."""

from __future__ import annotations

from datetime import date
from typing import Any, get_args

import msgspec
import pytest

from aggregates.sinkdown.baseline import EnforcementStaffing
from aggregates.sinkdown.placement import Placement
from aggregates.sinkdown.transfer import SinkDownTransfer
from consumers.sinkdown import translator as event_contracts_staffing
from contracts.sinkdown import commands as c
from contracts.sinkdown.events import SinkDownEvent
from infra.contexts import EVENTS
from infra.contexts import GovernanceLedger as Ledger
from infra.demo import sinkdown as demo_sink_down
from infra.store.vault import InMemoryVault
from tests.support import JULY, mid
from tests.unit import builders
from tests.unit.builders import contract_classes, decoded, event_classes, published_as, sent, tags

AGGREGATES = (SinkDownTransfer, Placement, EnforcementStaffing)
PILOT_CGJ, VETOED = "AN-2021-PILOT-CGJ-full", "AN-2021-WEST-HUD-extra"


def applied(*commands: msgspec.Struct) -> Ledger:
    """A fresh ledger with a vault, the commands applied in order, refused ones skipped."""
    ledger = Ledger()
    ledger.vault = InMemoryVault()
    return builders.applied(*commands, ledger=ledger)


contracts_of = published_as("staffing", SinkDownEvent, event_contracts_staffing.INTERNAL)


@pytest.fixture(scope="module")
def commands() -> list[Any]:
    return decoded(demo_sink_down.demo_commands(), c.SinkDownCommand)


@pytest.fixture(scope="module")
def ledger(commands) -> Ledger:
    return applied(*commands)


@pytest.fixture(scope="module")
def demo(ledger) -> dict[str, list[Any]]:
    return contracts_of(ledger)


def test_every_sink_down_event_has_a_contract_and_every_contract_of_the_union_is_used() -> None:
    m = event_contracts_staffing.PUBLISHED
    domain_events = set().union(*map(event_classes, AGGREGATES))
    assert event_contracts_staffing.INTERNAL & domain_events == {Placement.Opened} <= EVENTS.internal
    assert domain_events - {Placement.Opened} == set(m)
    # the staffing family also publishes quota ledgers and the pool
    assert m.items() <= EVENTS.families["staffing"].items()
    assert contract_classes(m) == set(get_args(SinkDownEvent))


def test_every_event_of_the_demo_maps_to_a_contract_that_round_trips(demo) -> None:
    assert set(demo) == (
        tags("sinkdown", "proposed", "town_consented", "town_vetoed", "took_effect")
        | tags("sinkdown", "adjustment_consulted", "person_rotated", "person_recalled", "person_returned")
        | tags("sinkdown", "placement_taken", "placement_released", "enforcement_staff_declared")
    )
    adjustments = ("person_rotated", "person_recalled", "person_returned", "placement_released")
    assert [len(demo[f"sinkdown.{tag}"]) for tag in adjustments] == [21, 3, 3, 27]


def _personal(commands: list[Any]) -> set[str]:
    persons = [p for x in commands if isinstance(x, c.ProposeSinkDown) for p in x.payload.persons]
    persons += [x.payload.replacement for x in commands if isinstance(x, c.RotatePerson)]
    return {
        v
        for p in persons
        if p.personal
        for v in (p.personal.name, p.personal.id_number, p.personal.phone)
        if v
    }


def test_no_contract_of_the_demo_carries_personal_data_or_its_sealed_token(commands, ledger, demo) -> None:
    # Given the demo's persons, whose personal data the log keeps sealed
    personal = _personal(commands)
    stored = ledger.repository.get(SinkDownTransfer.create_id(PILOT_CGJ))
    assert {"人员0001", "TEST-ID-AN000001", "TEST-ID-JB000001", "00000000001"} < personal
    assert len(personal) > 900 and stored.members[0].person.sealed.startswith("pd1.")
    # When every stored event is published, then no name, ID number, phone or token goes out
    published = "\n".join(msgspec.json.encode(x).decode() for xs in demo.values() for x in xs)
    assert not {word for word in ("pd1.", "sealed", "personal") if word in published}
    assert not {value for value in personal if value in published}


def test_a_proposal_is_published_with_its_persons_by_id_post_and_rank(demo) -> None:
    p = next(x.payload for x in demo["sinkdown.proposed"] if x.payload.transfer == PILOT_CGJ)
    assert (p.department, p.town, p.mode, len(p.persons)) == ("AN-CGJ", "AN-JD-PILOT", "full", 40)
    assert msgspec.structs.asdict(p.persons[0]) == {
        "person": "AN-P0001",
        "post": "综合行政执法队队长",
        "enforcement": True,
        "rank": "section",
    }


def test_a_rotation_moves_the_placements_of_both_persons_on_its_day(demo) -> None:
    rotated = next(x for x in demo["sinkdown.person_rotated"] if x.payload.person == "JB-P0001")
    assert (rotated.payload.replacement.person, rotated.payload.on) == ("JB-P0123", date(2021, 4, 1))
    placements = demo["sinkdown.placement_taken"] + demo["sinkdown.placement_released"]
    moves = {
        (x.payload.person, type(x).__name__): x.payload
        for x in placements
        if x.message_id == rotated.message_id
    }
    assert set(moves) == {("JB-P0001", "PlacementReleased"), ("JB-P0123", "PlacementTaken")}
    assert moves["JB-P0123", "PlacementTaken"].town == "JB-CICHENG"
    assert {m.on for m in moves.values()} == {date(2021, 4, 1)}
    assert rotated.reason == "派驻干部轮岗交流"


def test_a_vetoed_transfer_is_published_with_its_reason_and_never_takes_effect(demo) -> None:
    [vetoed] = demo["sinkdown.town_vetoed"]
    assert (vetoed.payload.transfer, vetoed.payload.on) == (VETOED, date(2021, 11, 24))
    assert vetoed.reason == "综合行政执法队岗位已按编制配齐，不再增派"
    assert VETOED not in {x.payload.transfer for x in demo["sinkdown.took_effect"]}


def test_a_town_opposing_an_adjustment_is_published_as_not_agreed() -> None:
    # Given a stationed transfer in effect, when the town opposes recalling its one person
    person = c.Person(person="T-P1", post="进驻执法人员", enforcement=True)
    ref = c.TransferRef(transfer="T-1")
    ledger = applied(
        sent(
            c.ProposeSinkDown,
            "p",
            c.Proposal(
                transfer="T-1", department="D", town="T", mode="stationed", team="执法队", persons=(person,)
            ),
        ),
        sent(c.ConsentToSinkDown, "c", ref),
        sent(c.MakeSinkDownEffective, "e", ref),
        sent(
            c.ConsultAdjustment,
            "o",
            c.AdjustmentConsultation(transfer="T-1", person="T-P1", adjustment="recall", agreed=False),
            reason="执法力量不足",
        ),
    )
    # Then the opinion goes out with the adjustment, the person, the day and the reason
    [opposed] = contracts_of(ledger)["sinkdown.adjustment_consulted"]
    assert msgspec.structs.asdict(opposed.payload) == {
        "transfer": "T-1",
        "person": "T-P1",
        "adjustment": "recall",
        "agreed": False,
        "on": JULY.date(),
    }
    assert (opposed.reason, opposed.message_id) == ("执法力量不足", mid("o"))


def test_correcting_a_baseline_is_published_whole_with_its_reason() -> None:
    # Given a department's declared baseline, when it is declared again with another count
    def declare(count: int, label: str, reason: str | None = None) -> Any:
        return sent(
            c.DeclareEnforcementStaff,
            label,
            c.EnforcementStaff(
                unit="JB-ZHZF",
                level="district",
                count=count,
                as_of=date(2020, 12, 31),
                category="comprehensive",
            ),
            reason=reason,
            version=2,
        )

    by_tag = contracts_of(applied(declare(95, "b1"), declare(97, "b2", "补录两名执法人员")))
    # Then the correction carries the whole baseline as corrected, and the reason
    [declared] = by_tag["sinkdown.enforcement_staff_declared"]
    [corrected] = by_tag["sinkdown.enforcement_staff_corrected"]
    assert (declared.payload.count, corrected.payload.count) == (95, 97)
    assert corrected.payload.category == "comprehensive"
    assert (corrected.reason, corrected.aggregate_version, corrected.message_id) == (
        "补录两名执法人员",
        2,
        mid("b2"),
    )
