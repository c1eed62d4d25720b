"""社区工作者: a district's scale of posts and grades, a city's standard, and each community's
register — batches taken on, departures, promotions one grade at a time unless the scale allows
more."""

from __future__ import annotations

from typing import Any

import pytest

from aggregates.base import ReasonRequired
from aggregates.community_workers.register import (
    Batch,
    BatchAlreadyRecorded,
    PromotionOutOfStep,
    WorkerActPredatesLast,
    WorkerAlreadyInPost,
    WorkerNotInPost,
    WorkerPost,
    WorkerRegister,
)
from aggregates.community_workers.scale import (
    InvalidWorkerDetails,
    PostType,
    ScaleAlreadyDefined,
    ScaleDetails,
    WorkerScale,
)
from aggregates.community_workers.standard import WorkerStandard
from aggregates.community_workers.use_cases import (
    CommunityNotRegistered,
    DistrictNotKnown,
    ScaleNotDefined,
    UnitNotRegistered,
)
from aggregates.jurisdictions.jurisdiction import JurisdictionDetails
from aggregates.organisation.town import TownDetails
from aggregates.quotas.quota_ledger import DocumentNumberRequired
from consumers.community_workers import translator
from contracts.community_workers.events import CommunityWorkerEvent
from infra.contexts import GovernanceLedger as Ledger
from tests.unit.builders import ctx, dated_figures, day, event_classes, published_by_tag

C = "BH-WNB-SQ01"
POSTS = (PostType("head", "社区正职"), PostType("deputy", "社区副职"), PostType("member", "两委委员"))
FOUR = ScaleDetails((*POSTS, PostType("staff", "专职社区工作者")), 18)  # 四岗十八级, one grade a promotion


def posts(*workers: tuple[str, str, int]) -> tuple[WorkerPost, ...]:
    return tuple(WorkerPost(*w) for w in workers)


def batch(code: str = "B1", method: str = "in_post", *workers: tuple[str, str, int]) -> Batch:
    listed = posts(*workers) or posts(("W1", "head", 12), ("W2", "deputy", 8), ("W3", "staff", 3))
    return Batch(code, method, len(listed), listed)


def units(ledger: Ledger) -> None:
    """Given 合肥市 > 包河区 > 万年埠街道 > the community, and the district's zone."""
    for code, details in [
        ("HF", JurisdictionDetails("合肥市", "city", "city", None)),
        ("BH", JurisdictionDetails("包河区", "district", "district", "HF")),
        ("BH-ETDZ", JurisdictionDetails("包河经济开发区", "zone", "development_zone", "BH")),
        ("BH-WANNIANBU", JurisdictionDetails("万年埠街道", "town", "street", "BH")),
        (C, JurisdictionDetails("示例社区", "community", "community", "BH-WANNIANBU")),
    ]:
        ledger.register_jurisdiction(ctx("2019-01-02"), code, details)


def staffed(ledger: Ledger, scale: ScaleDetails = FOUR) -> None:
    """Given the units, the district's scale and the community's workers in post on 2020-01-06."""
    units(ledger)
    ledger.define_worker_scale(ctx("2019-12-02"), "BH", scale)
    ledger.recruit_workers(ctx("2020-01-06"), C, batch())


def register(ledger: Ledger) -> WorkerRegister:
    return ledger.repository.get(WorkerRegister.create_id(C))


def grades(ledger: Ledger) -> dict[str, tuple[str, int]]:
    return {w.worker: (w.post_type, w.pay_grade) for w in register(ledger).in_post}


# -- the scale and the standard ----------------------------------------------------------------


def test_a_districts_scale_is_defined_once_for_a_registered_district(ledger: Ledger) -> None:
    units(ledger)
    ledger.define_worker_scale(ctx(), "BH", FOUR)
    ledger.define_worker_scale(ctx(), "BH", FOUR)  # again, unchanged: nothing recorded
    ledger.define_worker_scale(ctx(), "BH-ETDZ", ScaleDetails(POSTS, 12, 2))  # a zone's own

    with pytest.raises(ScaleAlreadyDefined):
        ledger.define_worker_scale(ctx(), "BH", ScaleDetails(POSTS, 18))
    for code in ("BH-WANNIANBU", "HF", "NOWHERE"):  # a town, a city, nothing registered
        with pytest.raises(UnitNotRegistered):
            ledger.define_worker_scale(ctx(), code, FOUR)
    assert ledger.repository.get(WorkerScale.create_id("BH")).details == FOUR


@pytest.mark.parametrize(
    "make",
    [
        lambda: ScaleDetails((), 18),  # no post type
        lambda: ScaleDetails((PostType("head", "正职"), PostType("head", "书记")), 18),  # one twice
        lambda: ScaleDetails(POSTS, 0),
        lambda: ScaleDetails(POSTS, 18, 0),  # a promotion moves at least one grade
        lambda: ScaleDetails(POSTS, 3, 4),  # … and no more than the grades there are
        lambda: PostType("staff", " "),
        lambda: Batch("B", "transfer_in", 1, posts(("W1", "staff", 1))),  # no such method
        lambda: Batch("B", "in_post", 2, posts(("W1", "staff", 1))),  # a count not the number listed
        lambda: Batch("B", "in_post", 2, posts(("W1", "staff", 1), ("W1", "head", 2))),  # a worker twice
    ],
)
def test_details_outside_the_rules_are_refused(make: Any) -> None:
    with pytest.raises(InvalidWorkerDetails):
        make()


def test_a_citys_standard_is_in_force_from_its_day_and_corrected_with_a_reason(ledger: Ledger) -> None:
    units(ledger)
    standard = lambda context, figure: ledger.set_worker_standard(context, "HF", figure)
    dated_figures(standard, ("2021-01-04", 18), ("2023-01-01", 20), corrected=17)

    with pytest.raises(UnitNotRegistered):
        ledger.set_worker_standard(ctx(), "BH", 18)  # a district, not a city
    with pytest.raises(InvalidWorkerDetails):
        ledger.set_worker_standard(ctx(), "HF", 0)
    found = ledger.repository.get(WorkerStandard.create_id("HF"))
    assert found.figures == ((day("2021-01-04"), 18), (day("2023-01-01"), 20))


# -- the register: batches taken on ------------------------------------------------------------


def test_the_first_batch_opens_the_register_where_the_units_place_the_community(ledger: Ledger) -> None:
    staffed(ledger)
    ledger.recruit_workers(ctx("2020-01-06"), C, batch())  # the same batch again: nothing more

    found = register(ledger)
    assert (found.town, found.district, found.version) == ("BH-WANNIANBU", "BH", 2)
    assert grades(ledger) == {"W1": ("head", 12), "W2": ("deputy", 8), "W3": ("staff", 3)}
    with pytest.raises(BatchAlreadyRecorded):
        ledger.recruit_workers(ctx(), C, batch("B1", "in_post", ("W9", "staff", 1)))


def test_a_batch_needs_a_registered_community_placed_in_a_district_with_a_scale(ledger: Ledger) -> None:
    units(ledger)
    with pytest.raises(ScaleNotDefined):
        ledger.recruit_workers(ctx(), C, batch())
    with pytest.raises(CommunityNotRegistered):
        ledger.recruit_workers(ctx(), "BH-NOWHERE", batch())
    with pytest.raises(CommunityNotRegistered):
        ledger.recruit_workers(ctx(), "BH-WANNIANBU", batch())  # a street, not a community
    ledger.register_town(ctx(), "JB-CICHENG", TownDetails("慈城镇", "宁波市江北区", "town", "5+X"))
    ledger.register_jurisdiction(
        ctx(), "JB-CUN1", JurisdictionDetails("某村", "community", "village", "JB-CICHENG")
    )
    with pytest.raises(DistrictNotKnown):  # its town's district, by name, is no registered district
        ledger.recruit_workers(ctx(), "JB-CUN1", batch())


def test_each_worker_holds_a_post_type_and_grade_of_the_districts_scale(ledger: Ledger) -> None:
    staffed(ledger)
    for wrong in [("W9", "secretary", 1), ("W9", "staff", 19), ("W9", "staff", 0)]:
        with pytest.raises(InvalidWorkerDetails):
            ledger.recruit_workers(ctx(), C, batch("B2", "in_post", wrong))
    with pytest.raises(WorkerAlreadyInPost):
        ledger.recruit_workers(ctx(), C, batch("B2", "in_post", ("W9", "staff", 1), ("W2", "staff", 1)))
    assert set(grades(ledger)) == {"W1", "W2", "W3"}


def test_a_public_recruitment_cites_its_document(ledger: Ledger) -> None:
    staffed(ledger)
    with pytest.raises(DocumentNumberRequired):
        ledger.recruit_workers(
            ctx(document_no=None), C, batch("GZ", "public_recruitment", ("W4", "staff", 1))
        )
    ledger.recruit_workers(
        ctx(document_no="包民〔2021〕12号"), C, batch("GZ", "public_recruitment", ("W4", "staff", 1))
    )
    ledger.recruit_workers(ctx(document_no=None), C, batch("B0", "in_post", ("W5", "staff", 2)))  # 在岗登记
    assert set(grades(ledger)) == {"W1", "W2", "W3", "W4", "W5"}


# -- departures and promotions -----------------------------------------------------------------


def test_a_worker_leaves_for_a_reason_and_may_be_taken_on_again_later(ledger: Ledger) -> None:
    staffed(ledger)
    with pytest.raises(ReasonRequired):
        ledger.record_departure(ctx("2021-05-31", reason=None), C, "W1")
    with pytest.raises(WorkerActPredatesLast):
        ledger.record_departure(ctx("2019-12-31", reason="辞职"), C, "W1")  # before taken on
    ledger.record_departure(ctx("2021-05-31", reason="辞职"), C, "W1")
    with pytest.raises(WorkerNotInPost):
        ledger.record_departure(ctx("2021-06-01", reason="辞职"), C, "W1")
    with pytest.raises(WorkerNotInPost):
        ledger.promote_worker(ctx(), "BH-OTHER", "W2", 9)  # no register there
    with pytest.raises(WorkerActPredatesLast):
        ledger.recruit_workers(ctx("2021-05-01"), C, batch("B3", "in_post", ("W1", "head", 12)))
    ledger.recruit_workers(ctx("2022-01-04"), C, batch("B3", "in_post", ("W1", "head", 12)))
    assert grades(ledger)["W1"] == ("head", 12) and register(ledger).left == ()


def test_a_promotion_moves_one_grade_up_unless_the_scale_allows_more(ledger: Ledger) -> None:
    staffed(ledger)
    ledger.promote_worker(ctx("2021-01-04"), C, "W3", 4)
    for too_far in (6, 4, 2):  # two grades at once, none, down
        with pytest.raises(PromotionOutOfStep):
            ledger.promote_worker(ctx("2022-01-04"), C, "W3", too_far)
    with pytest.raises(WorkerActPredatesLast):
        ledger.promote_worker(ctx("2020-12-31"), C, "W3", 5)
    ledger.promote_worker(ctx("2021-06-01"), C, "W2", 9, "head")  # a deputy takes the head post
    with pytest.raises(InvalidWorkerDetails):
        ledger.promote_worker(ctx("2021-06-01"), C, "W1", 13, "secretary")
    assert grades(ledger) == {"W1": ("head", 12), "W2": ("head", 9), "W3": ("staff", 4)}


def test_a_scale_allowing_two_grades_takes_a_two_grade_promotion_but_not_past_its_top(
    ledger: Ledger,
) -> None:
    staffed(ledger, ScaleDetails(FOUR.post_types, 13, 2))
    ledger.promote_worker(ctx("2021-01-04"), C, "W3", 5)
    with pytest.raises(PromotionOutOfStep):
        ledger.promote_worker(ctx("2022-01-04"), C, "W3", 8)
    with pytest.raises(InvalidWorkerDetails):
        ledger.promote_worker(ctx("2022-01-04"), C, "W1", 14)  # grade 13 is the top
    assert grades(ledger)["W3"] == ("staff", 5)


def test_every_event_but_a_standards_opening_is_published_on_the_staffing_topic(ledger: Ledger) -> None:
    mapped = set(translator.PUBLISHED) | translator.INTERNAL
    assert mapped == event_classes(WorkerRegister) | event_classes(WorkerScale) | event_classes(
        WorkerStandard
    )
    staffed(ledger)
    ledger.set_worker_standard(ctx("2021-01-04"), "HF", 18)
    ledger.promote_worker(ctx("2021-01-04"), C, "W3", 4)
    ledger.record_departure(ctx("2021-05-31", reason="辞职"), C, "W1")
    published = {
        tag: [c.payload for c in found]
        for tag, found in published_by_tag(
            ledger, "staffing", CommunityWorkerEvent, translator.INTERNAL, mixed=True
        ).items()
    }
    [opened] = published["community_worker.register_opened"]
    assert (opened.community, opened.town, opened.district) == (C, "BH-WANNIANBU", "BH")
    [taken] = published["community_worker.recruited"]
    assert (taken.count, [w.worker for w in taken.workers], taken.method) == (
        3,
        ["W1", "W2", "W3"],
        "in_post",
    )
    [up] = published["community_worker.promoted"]
    assert (up.worker, up.from_pay_grade, up.pay_grade, up.post_type) == ("W3", 3, 4, "staff")
    [scale] = published["community_worker.scale_defined"]
    assert (len(scale.post_types), scale.pay_grades, scale.promotion_step) == (4, 18, 1)
    assert [(s.city, s.standard) for s in published["community_worker.standard_set"]] == [("HF", 18)]
    assert [d.worker for d in published["community_worker.departed"]] == ["W1"]
