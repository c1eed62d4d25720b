"""职责准入: 申请 → 审核 → 准入 → 调整/取消, and push-downs, admitted or refused and recorded."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from aggregates.base import ReasonRequired
from aggregates.duties.admission import (
    DecisionDocumentRequired,
    DutyAdmission,
    DutyAdmissionTerms,
    DutyNotAdmitted,
    DutyStepOutOfOrder,
    InvalidAdmissionTerms,
)
from aggregates.duties.use_cases import DutyNotApplied
from infra.contexts import GovernanceLedger as Ledger
from tests.unit.builders import ctx, event_names, immutable, review, saved, state, support

DEPT, DUTY = "AN-CIVIL", "AN-SQ-05"
FILE = DutyAdmission.create_id(DEPT, DUTY)
DECISION = {"document_no": "**区委办〔2021〕18号"}


def terms(*towns: str, **overrides: Any) -> DutyAdmissionTerms:
    fields_: dict[str, Any] = dict(
        name="最低生活保障申请受理",
        category="statutory",
        basis="《社会救助暂行办法》",
        towns=towns or ("S1", "S2"),
    )
    fields_.update(overrides)
    return DutyAdmissionTerms(**fields_)


def file_of(ledger: Ledger) -> DutyAdmission:
    return saved(ledger, FILE, DutyAdmission)


def events(ledger: Ledger) -> list[Any]:
    return list(ledger.events.get(FILE))


def names(ledger: Ledger) -> list[str]:
    return event_names(ledger, FILE)


def applied(ledger: Ledger, *towns: str) -> None:
    ledger.apply_duty_admission(ctx(), DEPT, DUTY, terms(*towns))


def reviewed(ledger: Ledger, *towns: str) -> None:
    applied(ledger, *towns)
    ledger.review_duty_admission(ctx(), DEPT, DUTY, review())


def admitted(ledger: Ledger, *towns: str, on: str = "2021-05-01") -> None:
    reviewed(ledger, *towns)
    ledger.admit_duty(ctx(on, **DECISION), DEPT, DUTY, "**区委、区政府", support(staff=0))


# -- 申请 ---------------------------------------------------------------------------------------


def test_an_application_opens_the_duty_file_with_its_towns_named_once_and_sorted(ledger: Ledger) -> None:
    ledger.apply_duty_admission(ctx(), DEPT, DUTY, terms("S2", "S1", "S2"))

    duty = file_of(ledger)
    assert (duty.status, duty.round, duty.terms.towns) == ("applied", 1, ("S1", "S2"))
    assert names(ledger) == ["Opened", "Applied"]


@pytest.mark.parametrize(
    "overrides",
    [
        {"category": "basic"},
        {"name": " "},
        {"basis": ""},
        {"towns": ()},
        {"towns": ("S1", " ")},
    ],
)
def test_terms_outside_the_vocabulary_or_left_empty_are_refused(overrides: dict[str, Any]) -> None:
    with pytest.raises(InvalidAdmissionTerms):
        terms(**overrides)


def test_the_same_application_again_changes_nothing(ledger: Ledger) -> None:
    applied(ledger)
    applied(ledger)
    assert names(ledger) == ["Opened", "Applied"]


@pytest.mark.parametrize("given", [applied, reviewed, admitted])
def test_another_application_while_one_is_open_is_out_of_order(ledger: Ledger, given: Any) -> None:
    given(ledger)
    with pytest.raises(DutyStepOutOfOrder):
        ledger.apply_duty_admission(ctx(), DEPT, DUTY, terms("S1", "S2", "S3"))


# -- 审核 ---------------------------------------------------------------------------------------


def test_the_joint_meeting_passes_both_findings_and_the_duty_awaits_the_decision(ledger: Ledger) -> None:
    reviewed(ledger)
    duty = file_of(ledger)
    assert duty.status == "reviewed" and duty.review == review()


def test_a_failed_finding_rejects_and_needs_a_reason(ledger: Ledger) -> None:
    applied(ledger)
    with pytest.raises(ReasonRequired):
        ledger.review_duty_admission(ctx(reason=None), DEPT, DUTY, review(reasonableness=False))
    ledger.review_duty_admission(ctx(reason="不宜下放"), DEPT, DUTY, review(reasonableness=False))
    assert file_of(ledger).status == "rejected"
    assert names(ledger)[-1] == "Rejected"


def test_steps_on_a_duty_never_applied_for_are_refused(ledger: Ledger) -> None:
    with pytest.raises(DutyNotApplied):
        ledger.review_duty_admission(ctx(), DEPT, DUTY, review())
    ledger.push_down_duty(ctx(), DEPT, DUTY, "S1")  # opens the file to record the refusal
    with pytest.raises(DutyNotApplied):
        ledger.admit_duty(ctx(**DECISION), DEPT, DUTY, "区政府", support())


@pytest.mark.parametrize("given", [reviewed, admitted])
def test_reviewing_twice_is_out_of_order(ledger: Ledger, given: Any) -> None:
    given(ledger)
    with pytest.raises(DutyStepOutOfOrder):
        ledger.review_duty_admission(ctx(), DEPT, DUTY, review())


# -- 准入 ---------------------------------------------------------------------------------------


def test_admission_needs_a_passed_review_first(ledger: Ledger) -> None:
    applied(ledger)
    with pytest.raises(DutyStepOutOfOrder):
        ledger.admit_duty(ctx(**DECISION), DEPT, DUTY, "区委、区政府", support())


def test_admission_is_a_decision_with_a_document_number(ledger: Ledger) -> None:
    reviewed(ledger)
    with pytest.raises(DecisionDocumentRequired):
        ledger.admit_duty(ctx(document_no=None), DEPT, DUTY, "区委、区政府", support())


def test_admission_takes_effect_on_its_day_with_its_support(ledger: Ledger) -> None:
    admitted(ledger, on="2021-05-01")
    duty = file_of(ledger)
    assert (duty.status, duty.admitted_on, duty.decided_by) == (
        "admitted",
        date(2021, 5, 1),
        "**区委、区政府",
    )
    assert duty.support == support(staff=0)


def test_a_rejected_round_stays_closed_but_may_be_filed_anew(ledger: Ledger) -> None:
    applied(ledger)
    ledger.review_duty_admission(ctx(reason="不合理"), DEPT, DUTY, review(legality=False))
    for step in (
        lambda: ledger.admit_duty(ctx(**DECISION), DEPT, DUTY, "区政府", support()),
        lambda: ledger.cancel_duty_admission(ctx(**DECISION), DEPT, DUTY),
        lambda: ledger.review_duty_admission(ctx(), DEPT, DUTY, review()),
    ):
        with pytest.raises(DutyStepOutOfOrder):
            step()
    ledger.apply_duty_admission(ctx(), DEPT, DUTY, terms("S1"))
    assert (file_of(ledger).status, file_of(ledger).round) == ("applied", 2)


# -- 调整 and 取消 -------------------------------------------------------------------------------


def test_only_an_admitted_duty_is_adjusted(ledger: Ledger) -> None:
    reviewed(ledger)
    with pytest.raises(DutyStepOutOfOrder):
        ledger.adjust_duty_admission(ctx(**DECISION), DEPT, DUTY, terms("S1"), support())


def test_an_adjustment_needs_a_reason_and_a_document(ledger: Ledger) -> None:
    admitted(ledger)
    with pytest.raises(ReasonRequired):
        ledger.adjust_duty_admission(ctx(reason=None, **DECISION), DEPT, DUTY, terms("S1"), support())
    with pytest.raises(DecisionDocumentRequired):
        ledger.adjust_duty_admission(ctx(document_no=None), DEPT, DUTY, terms("S1"), support())


def test_an_adjustment_recalls_the_towns_left_out_and_keeps_the_history(ledger: Ledger) -> None:
    admitted(ledger, "S1", "S2")
    ledger.push_down_duty(ctx("2021-05-10"), DEPT, DUTY, "S2")
    ledger.adjust_duty_admission(
        ctx("2022-03-01", **DECISION), DEPT, DUTY, terms("S1", "S3", name="低保申请受理"), support(staff=1)
    )
    ledger.adjust_duty_admission(
        ctx(**DECISION), DEPT, DUTY, terms("S1", "S3", name="低保申请受理"), support(staff=1)
    )  # the same again: nothing to record

    duty, adjusted = file_of(ledger), events(ledger)[-1]
    assert duty.terms == terms("S1", "S3", name="低保申请受理") and duty.pushed_down == ()
    assert type(adjusted).__name__ == "Adjusted" and adjusted.on == date(2022, 3, 1)
    assert list(adjusted.recalled) == ["S2"]
    applications = [e.terms for e in events(ledger) if hasattr(e, "terms")]
    assert applications == [terms("S1", "S2"), terms("S1", "S3", name="低保申请受理")]


def test_a_pending_application_is_withdrawn_with_a_reason_only(ledger: Ledger) -> None:
    reviewed(ledger)
    with pytest.raises(ReasonRequired):
        ledger.cancel_duty_admission(ctx(reason=None), DEPT, DUTY)
    ledger.cancel_duty_admission(ctx(document_no=None, reason="部门撤回申请"), DEPT, DUTY)
    assert file_of(ledger).status == "cancelled"


def test_cancelling_an_admitted_duty_is_a_decision_and_takes_it_back_from_every_town(ledger: Ledger) -> None:
    admitted(ledger)
    ledger.push_down_duty(ctx("2021-05-10"), DEPT, DUTY, "S1")
    with pytest.raises(DecisionDocumentRequired):
        ledger.cancel_duty_admission(ctx(document_no=None), DEPT, DUTY)
    ledger.cancel_duty_admission(ctx("2022-03-01", **DECISION), DEPT, DUTY)
    ledger.cancel_duty_admission(ctx(**DECISION), DEPT, DUTY)  # already cancelled: nothing more

    duty = file_of(ledger)
    assert (duty.status, duty.ended_on, duty.pushed_down) == ("cancelled", date(2022, 3, 1), ())
    assert names(ledger)[-1] == "Cancelled"
    ledger.apply_duty_admission(ctx(), DEPT, DUTY, terms())
    assert (file_of(ledger).status, file_of(ledger).round, file_of(ledger).ended_on) == ("applied", 2, None)


# -- push-downs ----------------------------------------------------------------------------------


def test_an_admitted_duty_is_pushed_down_to_a_town_once(ledger: Ledger) -> None:
    admitted(ledger)
    assert ledger.push_down_duty(ctx("2021-05-10"), DEPT, DUTY, "S2") is None
    assert ledger.push_down_duty(ctx("2021-05-11"), DEPT, DUTY, "S2") is None

    assert file_of(ledger).pushed_down == ("S2",)
    assert names(ledger).count("PushedDown") == 1 and events(ledger)[-1].on == date(2021, 5, 10)


def refuse(ledger: Ledger, town: str = "S1", on: str = "2021-05-10") -> tuple[DutyNotAdmitted, Any]:
    """When the push-down is tried: it returns the refusal and records it, raising nothing."""
    before = file_of(ledger).refused if ledger.find(FILE) else 0
    refusal = ledger.push_down_duty(ctx(on, actor="an-civil-office", role="部门"), DEPT, DUTY, town)
    assert isinstance(refusal, DutyNotAdmitted) and refusal.rule == "DutyNotAdmitted"
    assert file_of(ledger).refused == before + 1 and town not in file_of(ledger).pushed_down
    return refusal, events(ledger)[-1]


def test_a_push_down_of_a_duty_never_applied_for_is_refused_and_the_attempt_recorded(ledger: Ledger) -> None:
    refusal, recorded = refuse(ledger, "S1", on="2021-06-01")

    assert names(ledger) == ["Opened", "PushDownRefused"] and file_of(ledger).status == "none"
    assert (recorded.department, recorded.duty, recorded.town, recorded.on) == (
        DEPT,
        DUTY,
        "S1",
        date(2021, 6, 1),
    )
    assert (recorded.admission, recorded.detail) == ("none", "never applied for admission")
    assert recorded.ctx.actor == "an-civil-office" and recorded.ctx.message_id.startswith("msg-")
    assert "never applied" in str(refusal) and DEPT in str(refusal)


@pytest.mark.parametrize("given, status", [(applied, "applied"), (reviewed, "reviewed")])
def test_a_push_down_before_admission_is_refused(ledger: Ledger, given: Any, status: str) -> None:
    given(ledger)
    _, recorded = refuse(ledger)
    assert recorded.admission == status and recorded.detail == f"the admission is {status}"


def test_a_push_down_of_a_rejected_or_cancelled_duty_is_refused(ledger: Ledger) -> None:
    applied(ledger)
    ledger.review_duty_admission(ctx(reason="不合理"), DEPT, DUTY, review(reasonableness=False))
    assert refuse(ledger)[1].admission == "rejected"
    ledger.apply_duty_admission(ctx(), DEPT, DUTY, terms())
    ledger.cancel_duty_admission(ctx(reason="撤回"), DEPT, DUTY)
    assert refuse(ledger)[1].admission == "cancelled"


def test_a_push_down_to_a_town_outside_the_admission_or_before_its_day_is_refused(ledger: Ledger) -> None:
    admitted(ledger, "S1", "S2", on="2021-05-01")
    assert refuse(ledger, "S9")[1].detail == "admitted for S1, S2 only"
    assert refuse(ledger, "S1", on="2021-04-30")[1].detail == "admitted only from 2021-05-01"
    ledger.adjust_duty_admission(ctx("2022-03-01", **DECISION), DEPT, DUTY, terms("S1"), support())
    assert refuse(ledger, "S2", on="2022-03-02")[1].admission == "admitted"


def test_a_refusal_is_saved_with_the_batch_like_any_other_outcome(ledger: Ledger) -> None:
    admitted(ledger, "S1")
    with ledger.batch() as batch:
        for town in ("S1", "S2"):
            with batch.command():
                ledger.push_down_duty(ctx("2021-05-10"), DEPT, DUTY, town)
        ledger.commit(batch)
    ledger.forget_cache()
    assert names(ledger)[-2:] == ["PushedDown", "PushDownRefused"]
    assert file_of(ledger).refused == 1 and file_of(ledger).pushed_down == ("S1",)


# -- replay and immutability ----------------------------------------------------------------------


def test_a_replayed_file_equals_the_live_one_and_holds_immutable_values_only(ledger: Ledger) -> None:
    admitted(ledger, "S1", "S2")
    ledger.push_down_duty(ctx("2021-05-10"), DEPT, DUTY, "S2")
    ledger.push_down_duty(ctx("2021-05-10"), DEPT, DUTY, "S3")
    ledger.adjust_duty_admission(ctx("2022-03-01", **DECISION), DEPT, DUTY, terms("S2", "S4"), support())

    live, replayed = file_of(ledger), ledger.repository.get(FILE)
    assert state(replayed) == state(live)
    assert {k: v for k, v in state(replayed).items() if not immutable(v)} == {}
    assert replayed.terms.towns == ("S2", "S4") and replayed.pushed_down == ("S2",)
