"""赋权: a delegation from proposal through admission review to approval, evaluation and end."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from aggregates.base import ReasonRequired, RuleViolation
from aggregates.powers.delegation import (
    Delegation,
    DelegationAlreadyFiled,
    DelegationBatch,
    InvalidEvaluation,
    InvalidMode,
    NotAwaitingReview,
    NotInForce,
    NotUnderReview,
    RejectionIsFinal,
    ReviewNotPassed,
    SupportNotDeclared,
    SupportPackage,
    TransferNeedsUnit,
)
from aggregates.powers.item import ItemNotCatalogued, ItemRetired
from aggregates.powers.use_cases import DelegationNotFiled
from infra.contexts import GovernanceLedger as Ledger
from tests.unit.builders import (
    BODY,
    approved,
    catalogued,
    ctx,
    day,
    details,
    evaluation,
    event_names,
    filed,
    review,
    support,
    under_review,
)

DELEGATION = Delegation.create_id("B1", "P1", "T1")


def proposed() -> Delegation:
    return Delegation(batch="B1", item="P1", town="T1", mode="grant", department="区城管局", ctx=ctx())


def reviewing() -> Delegation:
    delegation = proposed()
    delegation.start_review(BODY, ctx())
    return delegation


def in_force(on: str = "2021-07-01") -> Delegation:
    delegation = reviewing()
    delegation.approve(review(), support(), ctx(on))
    return delegation


def rejected() -> Delegation:
    delegation = reviewing()
    delegation.reject(review(legality=False), ctx(reason="缺乏法律依据"))
    return delegation


def stored(ledger: Ledger) -> Delegation:
    return ledger.repository.get(DELEGATION)


# -- the aggregate on its own ----------------------------------------------------------------


def test_a_proposal_records_what_moves_where_and_awaits_review() -> None:
    delegation = proposed()

    assert (delegation.batch, delegation.item, delegation.town) == ("B1", "P1", "T1")
    assert (delegation.mode, delegation.department, delegation.status) == ("grant", "区城管局", "proposed")
    assert delegation.effective_on is None and delegation.review is None


def test_starting_the_review_names_the_reviewing_body() -> None:
    delegation = reviewing()

    assert (delegation.status, delegation.reviewing_body) == ("under_review", BODY)


def test_a_delegation_cannot_be_approved_before_its_review_starts() -> None:
    with pytest.raises(NotUnderReview):
        proposed().approve(review(), support(), ctx())


def test_a_delegation_cannot_be_rejected_before_its_review_starts() -> None:
    with pytest.raises(NotUnderReview):
        proposed().reject(review(), ctx(reason="不合理"))


def test_a_review_cannot_start_twice() -> None:
    with pytest.raises(NotAwaitingReview):
        reviewing().start_review(BODY, ctx())


def test_a_review_cannot_start_again_after_approval() -> None:
    with pytest.raises(NotAwaitingReview):
        in_force().start_review(BODY, ctx())


def test_an_approved_delegation_cannot_be_approved_again() -> None:
    with pytest.raises(NotUnderReview):
        in_force().approve(review(), support(), ctx())


@pytest.mark.parametrize("legality, reasonableness", [(False, True), (True, False), (False, False)])
def test_approval_needs_both_the_legality_and_the_reasonableness_finding_passed(
    legality: bool, reasonableness: bool
) -> None:
    delegation = reviewing()

    with pytest.raises(ReviewNotPassed):
        delegation.approve(review(legality, reasonableness), support(), ctx())

    assert delegation.status == "under_review"


def test_approval_records_the_review_the_support_and_the_effective_date() -> None:
    delegation = in_force(on="2021-09-01")

    assert delegation.status == "approved"
    assert delegation.review == review()
    assert delegation.support == support()
    assert delegation.effective_on == date(2021, 9, 1)


def test_a_rejection_records_the_review_and_needs_a_reason() -> None:
    delegation = reviewing()
    with pytest.raises(ReasonRequired):
        delegation.reject(review(legality=False), ctx(reason=" "))

    delegation.reject(review(legality=False), ctx(reason="缺乏法律依据"))

    assert (delegation.status, delegation.review) == ("rejected", review(legality=False))


LATER_STEPS: dict[str, Callable[[Delegation], Any]] = {
    "start review": lambda d: d.start_review(BODY, ctx()),
    "approve": lambda d: d.approve(review(), support(), ctx()),
    "reject again": lambda d: d.reject(review(), ctx(reason="再次否决")),
    "evaluate": lambda d: d.evaluate(evaluation(), ctx()),
    "recall": lambda d: d.recall(ctx(reason="上收")),
    "transfer": lambda d: d.transfer("区综合执法局", ctx(reason="划转")),
}


@pytest.mark.parametrize("step", LATER_STEPS)
def test_a_rejected_delegation_refuses_every_later_step(step: str) -> None:
    delegation = rejected()

    with pytest.raises(RejectionIsFinal):
        LATER_STEPS[step](delegation)

    assert delegation.status == "rejected"


def test_in_force_only_from_the_effective_date_until_the_recall_date() -> None:
    delegation = in_force(on="2021-07-01")
    assert not delegation.in_force_on(day("2021-06-30"))
    assert delegation.in_force_on(day("2021-07-01"))
    assert delegation.in_force_on(day("2031-01-01"))

    delegation.recall(ctx("2022-01-01", reason="承接不力"))

    assert delegation.ended_on == day("2022-01-01")
    assert not delegation.in_force_on(day("2022-01-01"))
    assert not delegation.in_force_on(day("2022-06-01"))


@pytest.mark.parametrize("make", [proposed, reviewing, rejected])
def test_a_delegation_that_was_never_approved_is_never_in_force(
    make: Callable[[], Delegation],
) -> None:
    assert not make().in_force_on(day("2030-01-01"))


@pytest.mark.parametrize("end", ["recall", "transfer"])
def test_an_ended_delegation_was_still_in_force_before_its_end_date(end: str) -> None:
    delegation = in_force(on="2021-07-01")
    if end == "recall":
        delegation.recall(ctx("2022-01-01", reason="承接不力"))
    else:
        delegation.transfer("区综合执法局", ctx("2022-01-01", reason="划转"))

    assert delegation.in_force_on(day("2021-10-01"))


def test_an_evaluation_is_recorded_while_in_force_on_its_date() -> None:
    delegation = in_force(on="2021-07-01")

    delegation.evaluate(evaluation("2021-07-01"), ctx())

    assert delegation.last_evaluation == evaluation("2021-07-01")


@pytest.mark.parametrize("make", [proposed, reviewing])
def test_a_delegation_not_yet_approved_cannot_be_evaluated(
    make: Callable[[], Delegation],
) -> None:
    with pytest.raises(NotInForce):
        make().evaluate(evaluation(), ctx())


def test_an_evaluation_dated_before_the_effective_date_is_refused() -> None:
    with pytest.raises(NotInForce):
        in_force(on="2021-07-01").evaluate(evaluation("2021-06-30"), ctx())


def test_a_recalled_delegation_cannot_be_evaluated() -> None:
    delegation = in_force(on="2021-07-01")
    delegation.recall(ctx("2022-01-01", reason="承接不力"))

    with pytest.raises(NotInForce):
        delegation.evaluate(evaluation("2022-02-01"), ctx())


def test_an_evaluation_rates_and_recommends_from_a_fixed_vocabulary() -> None:
    with pytest.raises(InvalidEvaluation):
        evaluation(rating="great")
    with pytest.raises(InvalidEvaluation):
        evaluation(recommendation="abolish")


@pytest.mark.parametrize("reason", [None, "", "  "])
def test_recall_and_transfer_need_a_reason(reason: str | None) -> None:
    delegation = in_force()

    with pytest.raises(ReasonRequired):
        delegation.recall(ctx(reason=reason))
    with pytest.raises(ReasonRequired):
        delegation.transfer("区综合执法局", ctx(reason=reason))

    assert delegation.status == "approved"


def test_a_transfer_records_the_unit_that_takes_the_power_over() -> None:
    delegation = in_force()

    delegation.transfer("区综合执法局", ctx("2022-03-01", reason="划转综合执法"))

    assert delegation.status == "transferred"
    assert (delegation.transferred_to, delegation.ended_on) == ("区综合执法局", day("2022-03-01"))


@pytest.mark.parametrize("unit", ["", "   "])
def test_a_transfer_must_name_the_unit_that_takes_the_power_over(unit: str) -> None:
    delegation = in_force()

    with pytest.raises(RuleViolation):
        delegation.transfer(unit, ctx(reason="划转"))

    assert delegation.status == "approved"


def test_a_transfer_without_a_unit_is_refused_for_naming_no_unit() -> None:
    with pytest.raises(TransferNeedsUnit):
        in_force().transfer("", ctx(reason="划转"))


@pytest.mark.parametrize("end", ["recall", "transfer"])
def test_an_ended_delegation_can_be_ended_only_once(end: str) -> None:
    delegation = in_force()
    delegation.recall(ctx(reason="上收"))

    with pytest.raises(NotInForce):
        if end == "recall":
            delegation.recall(ctx(reason="上收"))
        else:
            delegation.transfer("区综合执法局", ctx(reason="划转"))


# -- the use cases ---------------------------------------------------------------------------


@pytest.mark.parametrize("mode", ["grant", "entrust", "devolve"])
def test_a_catalogued_item_can_be_proposed_in_a_declared_batch(ledger: Ledger, mode: str) -> None:
    catalogued(ledger, "P1")

    ledger.propose_delegation(ctx(), "B1", "P1", "T1", mode)

    delegation = stored(ledger)
    assert (delegation.status, delegation.mode) == ("proposed", mode)
    assert delegation.department == details().department


@pytest.mark.parametrize("mode", ["recall", "transfer", "", "赋权", "GRANT"])
def test_a_proposal_in_an_unknown_mode_is_refused(ledger: Ledger, mode: str) -> None:
    catalogued(ledger, "P1")

    with pytest.raises(InvalidMode):
        ledger.propose_delegation(ctx(), "B1", "P1", "T1", mode)

    assert ledger.find(DELEGATION) is None


def test_a_proposal_may_name_a_batch_not_declared_yet(ledger: Ledger) -> None:
    # batch.py: the declaration and the delegations travel on different partitions, so
    # requiring the declaration first would make the outcome depend on delivery order.
    ledger.register_power_item(ctx(), "P1", details())

    ledger.propose_delegation(ctx(), "B1", "P1", "T1", "grant")

    assert stored(ledger).batch == "B1"
    assert ledger.find(DelegationBatch.create_id("B1")) is None


def test_an_item_outside_the_catalogue_cannot_be_delegated(ledger: Ledger) -> None:
    catalogued(ledger)

    with pytest.raises(ItemNotCatalogued):
        ledger.propose_delegation(ctx(), "B1", "P1", "T1", "grant")

    assert ledger.find(DELEGATION) is None


def test_a_retired_item_cannot_be_delegated(ledger: Ledger) -> None:
    catalogued(ledger, "P1")
    ledger.retire_power_item(ctx(reason="事项取消"), "P1")

    with pytest.raises(ItemRetired):
        ledger.propose_delegation(ctx(), "B1", "P1", "T1", "grant")


def test_an_item_retired_during_review_cannot_be_approved(ledger: Ledger) -> None:
    under_review(ledger)
    ledger.retire_power_item(ctx(reason="事项取消"), "P1")

    with pytest.raises(ItemRetired):
        ledger.approve_delegation(ctx(), "B1", "P1", "T1", review(), support())

    assert stored(ledger).status == "under_review"


def test_proposing_the_same_delegation_twice_in_the_same_mode_records_nothing(
    ledger: Ledger,
) -> None:
    filed(ledger)

    ledger.propose_delegation(ctx(), "B1", "P1", "T1", "grant")

    assert event_names(ledger, DELEGATION) == ["Proposed"]


def test_proposing_the_same_delegation_in_another_mode_is_refused(ledger: Ledger) -> None:
    filed(ledger, mode="grant")

    with pytest.raises(DelegationAlreadyFiled):
        ledger.propose_delegation(ctx(), "B1", "P1", "T1", "entrust")

    assert stored(ledger).mode == "grant"


def test_the_same_item_can_be_proposed_for_the_same_town_in_another_batch(ledger: Ledger) -> None:
    filed(ledger, batch="B1")
    filed(ledger, batch="B2")

    assert ledger.find(Delegation.create_id("B2", "P1", "T1")) is not None
    assert Delegation.create_id("B2", "P1", "T1") != DELEGATION


def test_steps_on_a_delegation_that_was_never_filed_are_refused(ledger: Ledger) -> None:
    catalogued(ledger, "P1")

    with pytest.raises(DelegationNotFiled):
        ledger.start_admission_review(ctx(), "B1", "P1", "T1", BODY)
    with pytest.raises(DelegationNotFiled):
        ledger.recall_delegation(ctx(reason="上收"), "B1", "P1", "T1")


def test_review_must_start_before_approval_or_rejection(ledger: Ledger) -> None:
    filed(ledger)

    with pytest.raises(NotUnderReview):
        ledger.approve_delegation(ctx(), "B1", "P1", "T1", review(), support())
    with pytest.raises(NotUnderReview):
        ledger.reject_delegation(ctx(reason="不合理"), "B1", "P1", "T1", review())

    assert stored(ledger).status == "proposed"


def test_a_review_started_twice_is_refused(ledger: Ledger) -> None:
    under_review(ledger)

    with pytest.raises(NotAwaitingReview):
        ledger.start_admission_review(ctx(), "B1", "P1", "T1", BODY)


def test_approval_records_the_reviewing_body_and_both_findings(ledger: Ledger) -> None:
    under_review(ledger)

    ledger.approve_delegation(ctx(), "B1", "P1", "T1", review(), support())

    delegation = stored(ledger)
    assert delegation.reviewing_body == BODY
    assert delegation.review.body == BODY
    assert delegation.review.legality.passed and delegation.review.legality.note == "合法"
    assert delegation.review.reasonableness.passed
    assert delegation.review.reasonableness.note == "合理"
    approval = list(ledger.events.get(DELEGATION))[-1]
    assert type(approval).__name__ == "Approved" and approval.review == review()


def test_a_failed_review_leaves_the_delegation_under_review(ledger: Ledger) -> None:
    under_review(ledger)

    with pytest.raises(ReviewNotPassed):
        ledger.approve_delegation(ctx(), "B1", "P1", "T1", review(reasonableness=False), support())

    assert stored(ledger).status == "under_review"


def test_a_support_package_of_zeros_is_explicit_and_accepted(ledger: Ledger) -> None:
    under_review(ledger)
    nothing = support(staff=0, funding_yuan=Decimal("0"), training_sessions=0, guidance="无")

    ledger.approve_delegation(ctx(), "B1", "P1", "T1", review(), nothing)

    assert stored(ledger).support == nothing


def test_the_support_package_survives_replay_with_exact_funding(ledger: Ledger) -> None:
    approved(ledger)

    assert stored(ledger).support.funding_yuan == Decimal("120000.00")


@pytest.mark.parametrize(
    "overrides",
    [
        {"staff": -1},
        {"funding_yuan": Decimal("-0.01")},
        {"funding_yuan": Decimal("NaN")},
        {"funding_yuan": Decimal("Infinity")},
        {"training_sessions": -2},
        {"guidance": ""},
        {"guidance": "   "},
    ],
)
def test_a_support_package_with_negative_or_missing_parts_is_refused(
    overrides: dict[str, Any],
) -> None:
    with pytest.raises(SupportNotDeclared):
        support(**overrides)


def test_every_part_of_the_support_package_must_be_stated() -> None:
    with pytest.raises(TypeError):
        SupportPackage(  # type: ignore[call-arg]  # a field deliberately left out
            staff=1, funding_yuan=Decimal("0"), training_sessions=0
        )


def test_a_rejected_delegation_cannot_be_approved_later(ledger: Ledger) -> None:
    under_review(ledger)
    ledger.reject_delegation(ctx(reason="缺乏法律依据"), "B1", "P1", "T1", review(legality=False))

    with pytest.raises(RejectionIsFinal):
        ledger.approve_delegation(ctx(), "B1", "P1", "T1", review(), support())

    assert stored(ledger).status == "rejected"


def test_rejection_needs_a_reason(ledger: Ledger) -> None:
    under_review(ledger)

    with pytest.raises(ReasonRequired):
        ledger.reject_delegation(ctx(reason=None), "B1", "P1", "T1", review(legality=False))

    assert stored(ledger).status == "under_review"


@pytest.mark.parametrize(
    "step",
    [
        "start_admission_review",
        "reject_delegation",
        "evaluate_delegation",
        "recall_delegation",
        "transfer_delegation",
    ],
)
def test_every_later_step_on_a_rejected_delegation_is_refused(ledger: Ledger, step: str) -> None:
    under_review(ledger)
    ledger.reject_delegation(ctx(reason="缺乏法律依据"), "B1", "P1", "T1", review(legality=False))
    extra: dict[str, tuple[Any, ...]] = {
        "start_admission_review": (BODY,),
        "reject_delegation": (review(),),
        "evaluate_delegation": (evaluation(),),
        "recall_delegation": (),
        "transfer_delegation": ("区综合执法局",),
    }

    with pytest.raises(RejectionIsFinal):
        getattr(ledger, step)(ctx(reason="再议"), "B1", "P1", "T1", *extra[step])

    assert event_names(ledger, DELEGATION)[-1] == "Rejected"


@pytest.mark.parametrize("meanwhile", ["slot taken by another batch", "item retired"])
def test_a_rejected_delegation_is_refused_as_rejected_whatever_happened_since(
    ledger: Ledger, meanwhile: str
) -> None:
    under_review(ledger)
    ledger.reject_delegation(ctx(reason="缺乏法律依据"), "B1", "P1", "T1", review(legality=False))
    if meanwhile == "item retired":
        ledger.retire_power_item(ctx(reason="事项取消"), "P1")
    else:
        approved(ledger, batch="B2")

    with pytest.raises(RejectionIsFinal):
        ledger.approve_delegation(ctx(), "B1", "P1", "T1", review(), support())


def test_an_evaluation_is_recorded_through_the_ledger(ledger: Ledger) -> None:
    approved(ledger, on="2021-07-01")

    ledger.evaluate_delegation(ctx(), "B1", "P1", "T1", evaluation("2021-12-01"))

    assert stored(ledger).last_evaluation == evaluation("2021-12-01")


def test_an_evaluation_before_the_effective_date_is_refused_through_the_ledger(
    ledger: Ledger,
) -> None:
    approved(ledger, on="2021-07-01")

    with pytest.raises(NotInForce):
        ledger.evaluate_delegation(ctx(), "B1", "P1", "T1", evaluation("2021-06-01"))

    assert stored(ledger).last_evaluation is None


def test_an_evaluation_after_the_recall_is_refused_through_the_ledger(ledger: Ledger) -> None:
    approved(ledger, on="2021-07-01")
    ledger.recall_delegation(ctx("2022-01-01", reason="承接不力"), "B1", "P1", "T1")

    with pytest.raises(NotInForce):
        ledger.evaluate_delegation(ctx(), "B1", "P1", "T1", evaluation("2021-12-01"))


def test_a_recall_ends_the_delegation_on_its_effective_date(ledger: Ledger) -> None:
    approved(ledger, on="2021-07-01")

    ledger.recall_delegation(ctx("2022-01-01", reason="承接不力"), "B1", "P1", "T1")

    delegation = stored(ledger)
    assert (delegation.status, delegation.ended_on) == ("recalled", day("2022-01-01"))
    assert not delegation.in_force_on(day("2022-01-01"))


def test_recall_and_transfer_without_a_reason_change_nothing(ledger: Ledger) -> None:
    approved(ledger)

    with pytest.raises(ReasonRequired):
        ledger.recall_delegation(ctx(reason=None), "B1", "P1", "T1")
    with pytest.raises(ReasonRequired):
        ledger.transfer_delegation(ctx(reason=""), "B1", "P1", "T1", "区综合执法局")

    assert stored(ledger).status == "approved"


def test_a_transfer_through_the_ledger_names_the_new_unit(ledger: Ledger) -> None:
    approved(ledger)

    ledger.transfer_delegation(ctx("2022-03-01", reason="划转"), "B1", "P1", "T1", "区综合执法局")

    delegation = stored(ledger)
    assert (delegation.status, delegation.transferred_to) == ("transferred", "区综合执法局")
    assert delegation.ended_on == day("2022-03-01")


def test_a_transfer_without_a_unit_is_refused_through_the_ledger(ledger: Ledger) -> None:
    approved(ledger)

    with pytest.raises(RuleViolation):
        ledger.transfer_delegation(ctx(reason="划转"), "B1", "P1", "T1", " ")

    assert stored(ledger).status == "approved"
