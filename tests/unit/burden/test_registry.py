"""减负: a district's baseline; items imposed, approved (一事一报), cleared; impositions refused and kept."""

from __future__ import annotations

from typing import Any

import pytest

from aggregates.base import ReasonRequired
from aggregates.burden.registry import (
    ApprovalAlreadyGiven,
    BaselineAlreadyTaken,
    BaselineNotTaken,
    BurdenBaseline,
    BurdenDocumentRequired,
    BurdenItem,
    BurdenItemInForce,
    BurdenItemNotInForce,
    BurdenTerms,
    ImpositionNotApproved,
    InvalidBurdenTerms,
)
from infra.contexts import GovernanceLedger as Ledger
from tests.unit.builders import ctx, day, event_names, immutable, mutated, saved, state

DISTRICT, DEPT, CODE = "AN", "AN-CGJ", "AN-CGJ-KH-01"
TOWNS = ("S1", "S2", "S3")
ITEM = BurdenItem.create_id(DEPT, CODE)
BODY = "**区委、区政府"


def terms(*towns: str, **overrides: Any) -> BurdenTerms:
    fields: dict[str, Any] = dict(
        kind="indicator", name="市容环卫台账资料完备率", basis="《考核细则》", towns=towns
    )
    fields.update(overrides)
    return BurdenTerms(**fields)


def item_of(ledger: Ledger) -> BurdenItem:
    return saved(ledger, ITEM, BurdenItem)


def names(ledger: Ledger) -> list[str]:
    return event_names(ledger, ITEM)


def baseline(ledger: Ledger, on: str = "2021-06-01") -> None:
    ledger.take_burden_baseline(ctx(on, document_no="**区委办〔2021〕26号"), DISTRICT, TOWNS)


def impose(ledger: Ledger, on: str, t: BurdenTerms | None = None) -> ImpositionNotApproved | None:
    return ledger.impose_burden_item(ctx(on), DEPT, CODE, DISTRICT, t or terms())


def approve(ledger: Ledger, on: str, t: BurdenTerms | None = None, **context: Any) -> None:
    c = ctx(on, **{"document_no": "**区委办〔2021〕40号", **context})
    ledger.approve_burden_item(c, DEPT, CODE, DISTRICT, t or terms(), BODY)


def clear(ledger: Ledger, on: str, reason: str | None = "以台账留痕代替工作实绩") -> None:
    ledger.clear_burden_item(ctx(on, reason=reason), DEPT, CODE)


# -- the baseline --------------------------------------------------------------------------------


def test_a_baseline_is_taken_once_with_its_day_and_towns_the_same_again_records_nothing(
    ledger: Ledger,
) -> None:
    baseline(ledger)
    baseline(ledger)  # resent: nothing new

    taken = ledger.find(BurdenBaseline.create_id(DISTRICT))
    assert isinstance(taken, BurdenBaseline) and (taken.on, taken.towns) == (day("2021-06-01"), TOWNS)
    assert len(list(ledger.events.get(taken.id))) == 1


@pytest.mark.parametrize("on, towns", [("2021-07-01", TOWNS), ("2021-06-01", ("S1",))])
def test_a_second_baseline_of_another_day_or_towns_is_refused(ledger: Ledger, on: str, towns: tuple) -> None:
    baseline(ledger)
    with pytest.raises(BaselineAlreadyTaken):
        ledger.take_burden_baseline(ctx(on, document_no="doc"), DISTRICT, towns)


def test_a_baseline_needs_its_document_number_and_at_least_one_town(ledger: Ledger) -> None:
    with pytest.raises(BurdenDocumentRequired):
        ledger.take_burden_baseline(ctx("2021-06-01", document_no=None), DISTRICT, TOWNS)
    with pytest.raises(InvalidBurdenTerms):
        ledger.take_burden_baseline(ctx("2021-06-01", document_no="doc"), DISTRICT, ())


def test_nothing_is_imposed_or_approved_before_the_districts_baseline_is_taken(ledger: Ledger) -> None:
    with pytest.raises(BaselineNotTaken):
        impose(ledger, "2021-01-04")
    with pytest.raises(BaselineNotTaken):
        approve(ledger, "2021-01-04")
    assert ledger.find(ITEM) is None


# -- terms ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "overrides",
    [{"kind": "appraisal"}, {"name": " "}, {"basis": ""}, {"towns": ("S1", " ")}],
    ids=["kind outside the vocabulary", "no name", "no basis", "an empty town"],
)
def test_terms_outside_the_vocabulary_or_empty_are_refused(overrides: dict[str, Any]) -> None:
    with pytest.raises(InvalidBurdenTerms):
        terms(**overrides)


def test_a_town_not_of_the_districts_baseline_is_refused(ledger: Ledger) -> None:
    baseline(ledger)
    with pytest.raises(InvalidBurdenTerms, match="S9"):
        impose(ledger, "2021-01-04", terms("S1", "S9"))


def test_an_item_stays_in_the_district_it_was_first_named_under(ledger: Ledger) -> None:
    baseline(ledger)
    ledger.take_burden_baseline(ctx("2021-06-01", document_no="doc"), "LH", ("L1",))
    impose(ledger, "2021-01-04")
    with pytest.raises(InvalidBurdenTerms, match="AN's, not LH's"):
        ledger.impose_burden_item(ctx("2021-01-04"), DEPT, CODE, "LH", terms())


# -- existing items (存量) and new ones (增量) -----------------------------------------------------


def test_an_item_imposed_before_the_baseline_is_existing_and_needs_no_approval(ledger: Ledger) -> None:
    baseline(ledger)
    assert impose(ledger, "2021-01-04") is None

    item = item_of(ledger)
    assert (item.status, item.existing, item.since, item.towns, item.round) == (
        "imposed",
        True,
        day("2021-01-04"),
        TOWNS,  # none named: every town of the baseline
        1,
    )
    assert names(ledger) == ["Opened", "Imposed"]
    assert all(immutable(v) for v in state(item).values())


def test_a_new_item_without_approval_is_refused_and_the_attempt_kept_as_evidence(ledger: Ledger) -> None:
    # Given the baseline of 2021-06-01, when a department imposes an item on 2021-11-08 unapproved
    baseline(ledger)
    refusal = impose(ledger, "2021-11-08", terms("S1"))

    # Then the imposition is refused, returned (not raised), and the attempt is recorded
    assert isinstance(refusal, ImpositionNotApproved) and "一事一报" in str(refusal)
    item = item_of(ledger)
    assert (item.status, item.refused, item.since) == ("none", 1, None)
    [opened, refused] = list(ledger.events.get(ITEM))
    assert type(refused).__name__ == "ImpositionRefused" and type(opened).__name__ == "Opened"
    assert (refused.department, refused.code, refused.district, tuple(refused.towns), refused.status) == (
        DEPT,
        CODE,
        DISTRICT,
        ("S1",),
        "none",
    )
    assert refused.on == day("2021-11-08") and refused.terms.kind == "indicator"


def test_on_the_baseline_day_itself_an_item_is_new(ledger: Ledger) -> None:
    baseline(ledger)
    assert isinstance(impose(ledger, "2021-06-01"), ImpositionNotApproved)


def test_an_approved_item_is_imposed_with_the_approval_it_stands_on(ledger: Ledger) -> None:
    # Given the district's approval of the one item (一事一报), when the department imposes it
    baseline(ledger)
    approve(ledger, "2021-10-08", terms("S1", "S2"))
    assert impose(ledger, "2021-10-15", terms("S1")) is None

    # Then it falls on its town, new, standing on that approval
    item = item_of(ledger)
    assert (item.status, item.existing, item.towns) == ("imposed", False, ("S1",))
    imposed = list(ledger.events.get(ITEM))[-1]
    assert imposed.approval.approved_by == BODY and imposed.approval.document_no == "**区委办〔2021〕40号"
    assert names(ledger) == ["Opened", "Approved", "Imposed"]


@pytest.mark.parametrize(
    "imposed, on, why",
    [
        (terms(kind="inspection"), "2021-10-15", "approved as a indicator, imposed as a inspection"),
        (terms("S1", "S3"), "2021-10-15", "not S3"),
        (terms("S1"), "2021-10-01", "approved only from 2021-10-08"),
    ],
    ids=["another kind", "another town", "before the approval"],
)
def test_an_approval_covers_only_its_kind_its_towns_and_days_from_its_own(
    ledger: Ledger, imposed: BurdenTerms, on: str, why: str
) -> None:
    baseline(ledger)
    approve(ledger, "2021-10-08", terms("S1", "S2"))

    refusal = impose(ledger, on, imposed)

    assert isinstance(refusal, ImpositionNotApproved) and why in str(refusal)
    assert item_of(ledger).status == "approved" and list(ledger.events.get(ITEM))[-1].status == "approved"


def test_an_approval_needs_the_approving_body_and_its_document_number(ledger: Ledger) -> None:
    baseline(ledger)
    with pytest.raises(BurdenDocumentRequired):
        approve(ledger, "2021-10-08", document_no=None)
    with pytest.raises(BurdenDocumentRequired):
        ledger.approve_burden_item(ctx("2021-10-08", document_no="doc"), DEPT, CODE, DISTRICT, terms(), " ")


def test_an_approval_stands_as_given_the_same_again_records_nothing(ledger: Ledger) -> None:
    baseline(ledger)
    approve(ledger, "2021-10-08")
    approve(ledger, "2021-10-08")
    with pytest.raises(ApprovalAlreadyGiven):
        approve(ledger, "2021-10-08", terms("S1"))
    assert names(ledger) == ["Opened", "Approved"]


def test_an_item_in_force_is_not_approved_nor_imposed_anew_with_other_terms(ledger: Ledger) -> None:
    baseline(ledger)
    impose(ledger, "2021-01-04")
    assert impose(ledger, "2021-01-04") is None  # resent: nothing new

    with pytest.raises(BurdenItemInForce):
        impose(ledger, "2021-01-04", terms(name="另一个名称"))
    with pytest.raises(BurdenItemInForce):
        approve(ledger, "2021-10-08")
    assert names(ledger) == ["Opened", "Imposed"]


# -- clearing (清理) -------------------------------------------------------------------------------


def test_a_cleared_item_no_longer_falls_on_the_towns_and_needs_a_new_approval(ledger: Ledger) -> None:
    # Given an existing item, cleared for a reason
    baseline(ledger)
    impose(ledger, "2021-01-04")
    clear(ledger, "2021-09-01")
    clear(ledger, "2021-09-02")  # twice: nothing new
    item = item_of(ledger)
    assert (item.status, item.cleared_on) == ("cleared", day("2021-09-01"))

    # When the department imposes it again, it is refused: after the baseline it is new
    refusal = impose(ledger, "2021-10-01")
    assert isinstance(refusal, ImpositionNotApproved) and "cleared on 2021-09-01" in str(refusal)

    # Then, approved anew, it is imposed as round 2
    approve(ledger, "2021-10-08")
    assert impose(ledger, "2021-10-15") is None and item_of(ledger).round == 2
    assert names(ledger) == ["Opened", "Imposed", "Cleared", "ImpositionRefused", "Approved", "Imposed"]


def test_clearing_needs_a_reason(ledger: Ledger) -> None:
    baseline(ledger)
    impose(ledger, "2021-01-04")
    with pytest.raises(ReasonRequired):
        clear(ledger, "2021-09-01", reason=None)


@pytest.mark.parametrize("step", ["never imposed", "approved only", "before it was imposed"])
def test_only_an_item_in_force_is_cleared_from_its_day_on(ledger: Ledger, step: str) -> None:
    baseline(ledger)
    if step == "approved only":
        approve(ledger, "2021-10-08")
    if step == "before it was imposed":
        impose(ledger, "2021-03-01")
    with pytest.raises(BurdenItemNotInForce):
        clear(ledger, "2021-02-01")


def test_replaying_an_items_events_gives_the_same_state(ledger: Ledger) -> None:
    baseline(ledger)
    impose(ledger, "2021-01-04", terms("S2", "S1"))
    clear(ledger, "2021-09-01")
    approve(ledger, "2021-10-08", terms("S1"))
    impose(ledger, "2021-10-15", terms("S1"))

    replayed = mutated(ledger, ITEM)  # from the events as stored: lists where the state holds tuples
    assert state(replayed) == state(item_of(ledger))
    assert all(immutable(v) for v in state(replayed).values()) and replayed.approval.towns == ("S1",)
