"""干部AB库: tier B from ordinary cadres, tier A from B only, out on the record, appointments drawn
from it, and the district's rule for principal posts (seed 004)."""

from __future__ import annotations

from typing import Any

import pytest

from aggregates.base import ReasonRequired
from aggregates.organisation.town import TownDetails
from aggregates.organisation.use_cases import TownNotRegistered
from aggregates.quotas.quota_ledger import DocumentNumberRequired
from aggregates.reserve.appointment_rule import AppointmentRule
from aggregates.reserve.cadre_reserve import (
    AOnlyFromB,
    Appointment,
    CadreAlreadyInReserve,
    CadreNotInReserve,
    CadreReserve,
    DemotionOnlyFromA,
    InvalidAppointment,
    InvalidSelection,
    MovementBackdated,
    PrincipalOnlyFromA,
    ReserveAlreadyOpened,
    ReserveNotOpened,
    Selection,
)
from infra.contexts import GovernanceLedger as Ledger
from tests.unit.builders import ctx, day, event_names, immutable, mutated, state

T, D = "BH-WANNIANBU", "BH"
CHOSEN = Selection("appraisal", "2020年度考核优秀")
HEAD, DEPUTY = Appointment("principal", "城市管理部部长"), Appointment("deputy", "社会事务部副部长")


def reserve(ledger: Ledger) -> CadreReserve:
    return ledger.repository.get(CadreReserve.create_id(T))


def names(ledger: Ledger) -> list[str]:
    return event_names(ledger, CadreReserve.create_id(T))


def street(ledger: Ledger) -> None:
    """Given the street registered (`town.register`)."""
    ledger.register_town(ctx("2021-01-04"), T, TownDetails("万年埠街道", D, "street", "一办七部两中心"))


def opened(ledger: Ledger, *b: str, a: tuple[str, ...] = ()) -> None:
    """Given the street registered, its reserve opened on 2021-03-01 with `b` (and `a`) entered
    into tier B on 03-15 and `a` moved up to tier A on 06-30."""
    street(ledger)
    ledger.open_reserve(ctx("2021-03-01"), T, D)
    for person in (*b, *a):
        ledger.enter_reserve(ctx("2021-03-15"), T, person, CHOSEN)
    for person in a:
        ledger.promote_cadre(ctx("2021-06-30"), T, person, Selection("performance", "上半年实绩突出"))


def appoint(ledger: Ledger, person: str, post: Appointment, on: str = "2021-09-01", **fields: Any) -> None:
    ledger.appoint_cadre(ctx(on, **{"document_no": "包河万年埠党工〔2021〕28号", **fields}), T, person, post)


# -- the reserve and its entries ---------------------------------------------------------------


def test_a_reserve_is_opened_once_under_its_district_for_a_registered_street(ledger: Ledger) -> None:
    with pytest.raises(TownNotRegistered, match=f"{T} is not a registered street"):
        ledger.open_reserve(ctx("2021-03-01"), T, D)
    street(ledger)
    ledger.open_reserve(ctx("2021-03-01"), T, D)
    ledger.open_reserve(ctx("2021-03-02"), T, D)  # resent: nothing

    with pytest.raises(ReserveAlreadyOpened):
        ledger.open_reserve(ctx("2021-03-02"), T, "HF")
    assert (reserve(ledger).district, reserve(ledger).cadres, names(ledger)) == (D, (), ["Opened"])


def test_nothing_moves_in_a_reserve_never_opened(ledger: Ledger) -> None:
    for act in (
        lambda: ledger.enter_reserve(ctx(), T, "P1", CHOSEN),
        lambda: ledger.promote_cadre(ctx(), T, "P1", CHOSEN),
        lambda: ledger.demote_cadre(ctx(reason="r"), T, "P1"),
        lambda: ledger.remove_cadre(ctx(reason="r"), T, "P1"),
        lambda: appoint(ledger, "P1", DEPUTY),
    ):
        with pytest.raises(ReserveNotOpened):
            act()


def test_an_ordinary_cadre_enters_tier_b_on_a_stated_basis_and_entering_again_records_nothing(
    ledger: Ledger,
) -> None:
    opened(ledger, "P1")
    ledger.enter_reserve(ctx("2021-04-01"), T, "P1", CHOSEN)

    assert reserve(ledger).tier_of("P1") == "B" and reserve(ledger).cadre("P1").since == day("2021-03-15")
    assert names(ledger) == ["Opened", "Entered"]
    [entered] = [e for e in ledger.events.get(CadreReserve.create_id(T)) if type(e).__name__ == "Entered"]
    assert entered.selection == CHOSEN


@pytest.mark.parametrize(("basis", "grounds"), [("luck", "年度考核优秀"), ("performance", " ")])
def test_a_selection_names_a_known_basis_and_says_what_it_is(basis: str, grounds: str) -> None:
    with pytest.raises(InvalidSelection):
        Selection(basis, grounds)


@pytest.mark.parametrize(("office", "post"), [("chief", "城市管理部部长"), ("deputy", "")])
def test_an_appointment_is_to_a_deputy_or_principal_post_named_in_words(office: str, post: str) -> None:
    with pytest.raises(InvalidAppointment):
        Appointment(office, post)


def test_a_cadre_in_tier_a_is_not_entered_again(ledger: Ledger) -> None:
    opened(ledger, a=("P1",))

    with pytest.raises(CadreAlreadyInReserve):
        ledger.enter_reserve(ctx("2021-07-01"), T, "P1", CHOSEN)
    assert reserve(ledger).tier_of("P1") == "A"


# -- up, down and out ------------------------------------------------------------------------


def test_tier_a_takes_cadres_from_tier_b_only(ledger: Ledger) -> None:
    opened(ledger, "P1")

    with pytest.raises(AOnlyFromB):
        ledger.promote_cadre(ctx("2021-06-30"), T, "OUTSIDER", CHOSEN)  # an ordinary cadre, straight to A
    ledger.promote_cadre(ctx("2021-06-30"), T, "P1", CHOSEN)
    ledger.promote_cadre(ctx("2021-07-01"), T, "P1", CHOSEN)  # already in A: nothing

    assert reserve(ledger).tier_of("P1") == "A" and reserve(ledger).tier_of("OUTSIDER") is None
    assert names(ledger) == ["Opened", "Entered", "Promoted"]


def test_a_cadre_taken_out_is_not_promoted_until_entered_into_tier_b_again(ledger: Ledger) -> None:
    opened(ledger, "P1")
    ledger.remove_cadre(ctx("2021-05-01", reason="年度考核基本称职"), T, "P1")

    with pytest.raises(AOnlyFromB):
        ledger.promote_cadre(ctx("2021-06-30"), T, "P1", CHOSEN)
    ledger.enter_reserve(ctx("2021-12-15"), T, "P1", Selection("document", "党工委会议推荐"))  # 库外 → B
    ledger.promote_cadre(ctx("2021-12-20"), T, "P1", CHOSEN)
    assert reserve(ledger).tier_of("P1") == "A"


def test_only_a_cadre_in_tier_a_moves_down_and_only_for_a_reason(ledger: Ledger) -> None:
    opened(ledger, "P1", a=("P2",))

    with pytest.raises(DemotionOnlyFromA):
        ledger.demote_cadre(ctx("2021-12-01", reason="实绩靠后"), T, "P1")
    with pytest.raises(ReasonRequired):
        ledger.demote_cadre(ctx("2021-12-01", reason=None), T, "P2")
    ledger.demote_cadre(ctx("2021-12-01", reason="实绩靠后"), T, "P2")
    assert reserve(ledger).tier_of("P2") == "B" and reserve(ledger).cadre("P2").since == day("2021-12-01")


def test_a_cadre_is_taken_out_of_either_tier_for_a_reason_and_only_once(ledger: Ledger) -> None:
    opened(ledger, "P1", a=("P2",))

    with pytest.raises(ReasonRequired):
        ledger.remove_cadre(ctx("2021-12-01", reason=" "), T, "P1")
    ledger.remove_cadre(ctx("2021-12-01", reason="庸者下"), T, "P1")
    ledger.remove_cadre(ctx("2021-12-01", reason="庸者下"), T, "P2")
    with pytest.raises(CadreNotInReserve):
        ledger.remove_cadre(ctx("2021-12-02", reason="庸者下"), T, "P1")
    with pytest.raises(CadreNotInReserve):
        ledger.remove_cadre(ctx("2021-12-02", reason="庸者下"), T, "NEVER")
    removed = [e.tier for e in ledger.events.get(CadreReserve.create_id(T)) if type(e).__name__ == "Removed"]
    assert removed == ["B", "A"] and reserve(ledger).tier_of("P1") is None


def test_a_movement_takes_effect_on_or_after_the_cadres_previous_one(ledger: Ledger) -> None:
    opened(ledger, "P1", a=("P2",))

    for backdated in (
        lambda: ledger.promote_cadre(ctx("2021-03-14"), T, "P1", CHOSEN),
        lambda: ledger.demote_cadre(ctx("2021-06-29", reason="r"), T, "P2"),
        lambda: ledger.remove_cadre(ctx("2021-03-01", reason="r"), T, "P1"),
        lambda: appoint(ledger, "P2", HEAD, on="2021-06-01"),
    ):
        with pytest.raises(MovementBackdated):
            backdated()
    ledger.remove_cadre(ctx("2021-07-01", reason="r"), T, "P1")
    with pytest.raises(MovementBackdated):  # back in from outside, before they left
        ledger.enter_reserve(ctx("2021-06-01"), T, "P1", CHOSEN)
    ledger.promote_cadre(ctx("2021-03-15"), T, "P2", CHOSEN)  # in A already: nothing, whatever the day
    ledger.enter_reserve(ctx("2021-07-01"), T, "P3", CHOSEN)  # the same day as another's move: fine


# -- appointments ----------------------------------------------------------------------------


def test_an_appointment_draws_the_cadre_out_of_the_reserve_with_the_tier_it_drew_from(ledger: Ledger) -> None:
    opened(ledger, "P1", a=("P2",))
    appoint(ledger, "P1", DEPUTY)
    appoint(ledger, "P2", HEAD)

    found = reserve(ledger)
    assert found.tier_of("P1") is None and found.tier_of("P2") is None
    appointed = [
        (e.person, e.tier, e.appointment)
        for e in ledger.events.get(found.id)
        if type(e).__name__ == "Appointed"
    ]
    assert appointed == [("P1", "B", DEPUTY), ("P2", "A", HEAD)]
    with pytest.raises(CadreNotInReserve):
        appoint(ledger, "P2", HEAD, on="2021-10-01")


def test_an_appointment_cites_its_document(ledger: Ledger) -> None:
    opened(ledger, "P1")

    with pytest.raises(DocumentNumberRequired):
        appoint(ledger, "P1", DEPUTY, document_no=None)
    assert reserve(ledger).tier_of("P1") == "B"


def test_where_the_district_never_chose_a_principal_post_may_be_filled_from_tier_b(ledger: Ledger) -> None:
    opened(ledger, "P1")
    appoint(ledger, "P1", HEAD)

    assert ledger.find(AppointmentRule.create_id(D)) is None and reserve(ledger).tier_of("P1") is None


def test_where_the_district_chose_so_a_principal_post_is_filled_from_tier_a_only(ledger: Ledger) -> None:
    ledger.set_appointment_rule(ctx("2021-01-01"), D, True)
    opened(ledger, "P1", "P2", a=("P3",))

    with pytest.raises(PrincipalOnlyFromA):
        appoint(ledger, "P1", HEAD)
    appoint(ledger, "P2", DEPUTY)  # a deputy post: tier B is its reserve
    appoint(ledger, "P3", HEAD)
    assert reserve(ledger).tier_of("P1") == "B"


def principal_only_from_a(ledger: Ledger, *days: str) -> list[bool]:
    """Whether the district's rule, as stored, has principals appointed only from tier A on each day."""
    rule = ledger.repository.get(AppointmentRule.create_id(D))
    return [rule.principal_only_from_a_on(day(d)) for d in days]


def test_the_district_s_rule_holds_from_its_day_until_it_is_changed(ledger: Ledger) -> None:
    ledger.set_appointment_rule(ctx("2021-10-01"), D, True)
    ledger.set_appointment_rule(ctx("2022-01-01"), D, False)
    ledger.set_appointment_rule(ctx("2022-01-01"), D, False)  # resent: nothing
    opened(ledger, "P1", "P2", "P3")

    appoint(ledger, "P1", HEAD, on="2021-09-30")  # before the rule
    with pytest.raises(PrincipalOnlyFromA):
        appoint(ledger, "P2", HEAD, on="2021-12-31")
    appoint(ledger, "P3", HEAD, on="2022-01-01")  # lifted again
    assert event_names(ledger, AppointmentRule.create_id(D)) == ["Opened", "Set", "Set"]
    assert principal_only_from_a(ledger, "2021-09-30", "2021-10-01", "2022-01-01") == [False, True, False]


def test_a_rule_recorded_late_for_an_earlier_day_applies_from_that_day(ledger: Ledger) -> None:
    ledger.set_appointment_rule(ctx("2022-01-01"), D, False)
    ledger.set_appointment_rule(ctx("2021-06-01"), D, True)  # recorded after, effective before

    assert principal_only_from_a(ledger, "2021-05-31", "2021-06-01", "2022-01-01") == [False, True, False]


# -- replay ----------------------------------------------------------------------------------


def test_replay_gives_the_same_reserve_and_its_state_is_immutable(ledger: Ledger) -> None:
    ledger.set_appointment_rule(ctx("2021-01-01"), D, True)
    opened(ledger, "P1", "P2", a=("P3", "P4"))
    ledger.demote_cadre(ctx("2021-10-01", reason="r"), T, "P4")
    ledger.remove_cadre(ctx("2021-10-02", reason="r"), T, "P2")
    appoint(ledger, "P3", HEAD)

    found = reserve(ledger)
    replayed = mutated(ledger, found.id)
    assert state(replayed) == state(found)
    assert all(immutable(v) for k, v in state(found).items() if not k.startswith("_"))
    assert {c.person: c.tier for c in found.cadres} == {"P1": "B", "P2": None, "P3": None, "P4": "B"}
