"""力量下沉: proposed, consulted (consent or veto), effective, adjusted with the town's consent."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from aggregates.base import ReasonRequired
from aggregates.sinkdown.baseline import (
    EnforcementStaffing,
    EnforcementStaffingConflict,
    InvalidEnforcementStaffing,
)
from aggregates.sinkdown.transfer import (
    AdjustmentWithoutTownConsent,
    InvalidSinkDownDetails,
    NotAwaitingConsultation,
    NotInEffect,
    Person,
    PersonAlreadyInTransfer,
    PersonNotServing,
    SinkDownTransfer,
    TownConsentRequired,
    TransferAlreadyProposed,
    TransferDetails,
    TransferNotProposed,
    TransferVetoed,
)
from infra.contexts import GovernanceLedger as Ledger
from tests.unit.builders import ctx, event_names, immutable, state

T = "AN-CG-2021-01"
STATIONED = TransferDetails("AN-CG", "AN-JD-PILOT", "stationed", "**街道综合行政执法队")
FULL = TransferDetails("AN-CG", "AN-JD-PILOT", "full", "**街道综合行政执法队")
LEADER = Person("P1", "执法中队长", True, "section", "pd1.token-1")
MEMBER = Person("P2", "执法队员", True, None, "pd1.token-2")
NEWCOMER = Person("P3", "执法中队长", True, "section", "pd1.token-3")


def transfer(ledger: Ledger, code: str = T) -> SinkDownTransfer:
    return ledger.repository.get(SinkDownTransfer.create_id(code))


def events(ledger: Ledger, code: str = T) -> list[str]:
    return event_names(ledger, SinkDownTransfer.create_id(code))


def proposed(ledger: Ledger, details: TransferDetails = STATIONED) -> None:
    """Given a transfer of a section chief and a team member is proposed."""
    ledger.propose_sink_down(ctx("2021-09-01"), T, details, (LEADER, MEMBER))


def effective(ledger: Ledger, details: TransferDetails = STATIONED) -> None:
    """Given the town consented on 5 September and the transfer took effect on the 10th."""
    proposed(ledger, details)
    ledger.consent_to_sink_down(ctx("2021-09-05"), T)
    ledger.make_sink_down_effective(ctx("2021-09-10"), T)


# -- proposal -----------------------------------------------------------------------------------


def test_a_proposal_records_the_details_and_the_persons_by_id_and_token(ledger: Ledger) -> None:
    proposed(ledger)

    sink_down = transfer(ledger)
    assert (sink_down.code, sink_down.details, sink_down.status) == (T, STATIONED, "proposed")
    assert [(m.person, m.status, m.since) for m in sink_down.members] == [
        (LEADER, "proposed", None),
        (MEMBER, "proposed", None),
    ]


def test_a_re_sent_proposal_sealed_anew_records_nothing(ledger: Ledger) -> None:
    proposed(ledger)
    resealed = tuple(Person(p.person, p.post, p.enforcement, p.rank, "pd1.other") for p in (LEADER, MEMBER))

    ledger.propose_sink_down(ctx("2021-09-02"), T, STATIONED, resealed)

    assert events(ledger) == ["Proposed"]


@pytest.mark.parametrize(
    "details, persons",
    [
        (FULL, (LEADER, MEMBER)),
        (STATIONED, (LEADER,)),
        (STATIONED, (LEADER, Person("P2", "执法队员", False))),
    ],
)
def test_a_proposal_under_a_taken_code_with_other_details_is_refused(
    ledger: Ledger, details: TransferDetails, persons: tuple[Person, ...]
) -> None:
    proposed(ledger)

    with pytest.raises(TransferAlreadyProposed):
        ledger.propose_sink_down(ctx(), T, details, persons)


def test_a_proposal_without_persons_or_naming_one_twice_is_refused(ledger: Ledger) -> None:
    for persons in ((), (LEADER, LEADER)):
        with pytest.raises(InvalidSinkDownDetails):
            ledger.propose_sink_down(ctx(), T, STATIONED, persons)
    assert ledger.find(SinkDownTransfer.create_id(T)) is None


@pytest.mark.parametrize(
    "build",
    [
        lambda: TransferDetails("AN-CG", "AN-JD-PILOT", "secondment", "执法队"),
        lambda: TransferDetails("AN-CG", " ", "full", "执法队"),
        lambda: Person("P9", "执法队员", True, "minister"),
        lambda: Person("P9", "", True),
    ],
)
def test_unknown_modes_and_ranks_and_empty_fields_are_refused(build: Any) -> None:
    with pytest.raises(InvalidSinkDownDetails):
        build()


def test_commands_on_a_transfer_never_proposed_are_refused(ledger: Ledger) -> None:
    for command in (ledger.consent_to_sink_down, ledger.veto_sink_down, ledger.make_sink_down_effective):
        with pytest.raises(TransferNotProposed):
            command(ctx(), "NOPE")


# -- consultation (征求意见) and the town's veto (反向否决权) -------------------------------------


def test_the_town_consents_once_and_a_repeated_consent_records_nothing(ledger: Ledger) -> None:
    proposed(ledger)
    ledger.consent_to_sink_down(ctx("2021-09-05"), T)
    ledger.consent_to_sink_down(ctx("2021-09-06"), T)

    assert (transfer(ledger).status, transfer(ledger).consulted_on) == ("consented", date(2021, 9, 5))
    assert events(ledger) == ["Proposed", "TownConsented"]


def test_a_veto_needs_a_reason(ledger: Ledger) -> None:
    proposed(ledger)

    with pytest.raises(ReasonRequired):
        ledger.veto_sink_down(ctx(reason=None), T)


def test_a_vetoed_transfer_is_closed_to_consent_and_to_taking_effect(ledger: Ledger) -> None:
    proposed(ledger)
    ledger.veto_sink_down(ctx("2021-09-05", reason="岗位已满编"), T)
    ledger.veto_sink_down(ctx("2021-09-06", reason="岗位已满编"), T)

    with pytest.raises(TransferVetoed):
        ledger.consent_to_sink_down(ctx("2021-09-07"), T)
    with pytest.raises(TransferVetoed):
        ledger.make_sink_down_effective(ctx("2021-09-10"), T)
    assert events(ledger) == ["Proposed", "TownVetoed"] and transfer(ledger).status == "vetoed"


def test_the_town_cannot_veto_after_consenting(ledger: Ledger) -> None:
    proposed(ledger)
    ledger.consent_to_sink_down(ctx("2021-09-05"), T)

    with pytest.raises(NotAwaitingConsultation):
        ledger.veto_sink_down(ctx("2021-09-06", reason="改变主意"), T)


# -- taking effect --------------------------------------------------------------------------------


def test_a_transfer_takes_effect_only_after_the_town_consented(ledger: Ledger) -> None:
    proposed(ledger)

    with pytest.raises(TownConsentRequired):
        ledger.make_sink_down_effective(ctx("2021-09-10"), T)
    ledger.consent_to_sink_down(ctx("2021-09-05"), T)
    with pytest.raises(TownConsentRequired):  # backdated before the consent
        ledger.make_sink_down_effective(ctx("2021-09-04"), T)


def test_taking_effect_sinks_every_person_down_from_that_day_once(ledger: Ledger) -> None:
    effective(ledger)
    ledger.make_sink_down_effective(ctx("2021-09-12"), T)

    sink_down = transfer(ledger)
    assert (sink_down.status, sink_down.effective_on) == ("effective", date(2021, 9, 10))
    assert {(m.status, m.since) for m in sink_down.members} == {("sunk", date(2021, 9, 10))}
    assert events(ledger) == ["Proposed", "TownConsented", "TookEffect"]


# -- adjustments: recall, return, rotation -------------------------------------------------------


def test_adjusting_a_stationed_person_without_the_towns_consent_is_refused(ledger: Ledger) -> None:
    effective(ledger)

    for adjust in (ledger.recall_sunk_person, ledger.return_sunk_person):
        with pytest.raises(AdjustmentWithoutTownConsent):
            adjust(ctx("2021-10-01"), T, "P1")
    with pytest.raises(AdjustmentWithoutTownConsent):
        ledger.rotate_sunk_person(ctx("2021-10-01"), T, "P1", NEWCOMER)
    assert events(ledger)[-1] == "TookEffect"


def test_a_consent_counts_only_for_its_person_its_adjustment_and_later_days(ledger: Ledger) -> None:
    effective(ledger)
    ledger.consult_adjustment(ctx("2021-10-05"), T, "P1", "rotate", True)

    with pytest.raises(AdjustmentWithoutTownConsent):  # another adjustment
        ledger.recall_sunk_person(ctx("2021-10-06"), T, "P1")
    with pytest.raises(AdjustmentWithoutTownConsent):  # another person
        ledger.rotate_sunk_person(ctx("2021-10-06"), T, "P2", NEWCOMER)
    with pytest.raises(AdjustmentWithoutTownConsent):  # before the consultation
        ledger.rotate_sunk_person(ctx("2021-10-04"), T, "P1", NEWCOMER)


def test_an_opposing_opinion_voids_an_earlier_consent_and_needs_a_reason(ledger: Ledger) -> None:
    effective(ledger)
    ledger.consult_adjustment(ctx("2021-10-05"), T, "P1", "recall", True)

    with pytest.raises(ReasonRequired):
        ledger.consult_adjustment(ctx("2021-10-06", reason=None), T, "P1", "recall", False)
    ledger.consult_adjustment(ctx("2021-10-06", reason="人员熟悉网格，暂不宜调整"), T, "P1", "recall", False)

    with pytest.raises(AdjustmentWithoutTownConsent):
        ledger.recall_sunk_person(ctx("2021-10-07"), T, "P1")


def test_a_recall_with_prior_consent_ends_the_persons_posting(ledger: Ledger) -> None:
    effective(ledger)
    ledger.consult_adjustment(ctx("2021-10-05"), T, "P1", "recall", True)
    ledger.recall_sunk_person(ctx("2021-10-08", reason="工作需要"), T, "P1")
    ledger.recall_sunk_person(ctx("2021-10-09", reason="工作需要"), T, "P1")  # again: nothing

    leader = transfer(ledger).member("P1")
    assert (leader.status, leader.until) == ("recalled", date(2021, 10, 8))
    assert transfer(ledger).consents == ()
    assert events(ledger)[-2:] == ["AdjustmentConsulted", "Recalled"]


def test_a_rotation_brings_the_replacement_in_on_the_day_the_person_leaves(ledger: Ledger) -> None:
    effective(ledger)
    ledger.consult_adjustment(ctx("2021-10-05"), T, "P1", "rotate", True)
    ledger.rotate_sunk_person(ctx("2021-10-08", reason="轮岗交流"), T, "P1", NEWCOMER)

    sink_down = transfer(ledger)
    out, new = sink_down.member("P1"), sink_down.member("P3")
    assert (out.status, out.until, out.replaced_by) == ("rotated", date(2021, 10, 8), "P3")
    assert (new.person, new.status, new.since, new.replaces) == (NEWCOMER, "sunk", date(2021, 10, 8), "P1")


def test_a_rotation_needs_someone_new(ledger: Ledger) -> None:
    effective(ledger, FULL)

    with pytest.raises(PersonAlreadyInTransfer):
        ledger.rotate_sunk_person(ctx("2021-10-08"), T, "P1", MEMBER)


def test_adjusting_a_fully_devolved_person_needs_no_consultation(ledger: Ledger) -> None:
    effective(ledger, FULL)

    ledger.return_sunk_person(ctx("2021-10-08", reason="考核不合格，退回原单位"), T, "P2")

    assert transfer(ledger).member("P2").status == "returned"


def test_adjustments_need_a_reason(ledger: Ledger) -> None:
    effective(ledger, FULL)

    with pytest.raises(ReasonRequired):
        ledger.recall_sunk_person(ctx("2021-10-08", reason=None), T, "P2")


def test_only_persons_serving_in_a_transfer_in_effect_are_adjusted(ledger: Ledger) -> None:
    proposed(ledger, FULL)
    with pytest.raises(NotInEffect):
        ledger.recall_sunk_person(ctx("2021-10-08"), T, "P1")
    ledger.consent_to_sink_down(ctx("2021-09-05"), T)
    ledger.make_sink_down_effective(ctx("2021-09-10"), T)
    ledger.return_sunk_person(ctx("2021-10-08"), T, "P2")

    with pytest.raises(PersonNotServing):  # not a member
        ledger.recall_sunk_person(ctx("2021-10-08"), T, "P9")
    with pytest.raises(PersonNotServing):  # gone already, otherwise
        ledger.recall_sunk_person(ctx("2021-10-09"), T, "P2")
    with pytest.raises(PersonNotServing):  # before serving
        ledger.recall_sunk_person(ctx("2021-09-09"), T, "P1")
    with pytest.raises(InvalidSinkDownDetails):
        ledger.consult_adjustment(ctx("2021-10-09"), T, "P1", "promote", True)


# -- replay ---------------------------------------------------------------------------------------


def test_replayed_state_equals_live_state_and_holds_only_immutable_values(ledger: Ledger) -> None:
    effective(ledger)
    ledger.consult_adjustment(ctx("2021-10-05"), T, "P1", "rotate", True)
    ledger.consult_adjustment(ctx("2021-10-05"), T, "P2", "return", True)
    ledger.rotate_sunk_person(ctx("2021-10-08"), T, "P1", NEWCOMER)
    live = ledger.find(SinkDownTransfer.create_id(T))

    replayed = transfer(ledger)

    assert state(replayed) == state(live)
    assert all(immutable(v) for v in state(replayed).values())


# -- enforcement baselines (执法力量基数) -------------------------------------------------------


def staffing(ledger: Ledger, unit: str = "AN-CG") -> EnforcementStaffing:
    return ledger.repository.get(EnforcementStaffing.create_id(unit))


def test_a_baseline_is_declared_once_and_corrected_with_a_reason(ledger: Ledger) -> None:
    ledger.declare_enforcement_staff(ctx(), "AN-CG", "district", "comprehensive", 150, date(2020, 12, 31))
    ledger.declare_enforcement_staff(ctx(), "AN-CG", "district", "comprehensive", 150, date(2020, 12, 31))
    with pytest.raises(ReasonRequired):
        ledger.declare_enforcement_staff(
            ctx(reason=None), "AN-CG", "district", "comprehensive", 148, date(2020, 12, 31)
        )
    ledger.declare_enforcement_staff(
        ctx(reason="核减借调人员"), "AN-CG", "district", "comprehensive", 148, date(2020, 12, 31)
    )

    assert (staffing(ledger).count, staffing(ledger).version) == (148, 2)


def test_a_baseline_keeps_its_level_and_category(ledger: Ledger) -> None:
    ledger.declare_enforcement_staff(ctx(), "AN-CG", "district", "comprehensive", 150, date(2020, 12, 31))

    with pytest.raises(EnforcementStaffingConflict):
        ledger.declare_enforcement_staff(ctx(), "AN-CG", "district", "other", 150, date(2020, 12, 31))


@pytest.mark.parametrize(
    "level, category, count",
    [
        ("district", None, 10),
        ("town", "other", 10),
        ("district", None, 10),
        ("district", "police", 10),
        ("town", None, -1),
    ],
)
def test_an_invalid_baseline_is_refused(ledger: Ledger, level: str, category: str | None, count: int) -> None:
    with pytest.raises(InvalidEnforcementStaffing):
        ledger.declare_enforcement_staff(ctx(), "U1", level, category, count, date(2020, 12, 31))
    assert ledger.find(EnforcementStaffing.create_id("U1")) is None
