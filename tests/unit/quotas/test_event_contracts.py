"""Every quota-ledger and staffing-pool event has a published contract that round-trips."""

from __future__ import annotations

from datetime import date
from functools import partial
from typing import Any, get_args

import msgspec
import pytest

from aggregates.pool.staffing_pool import StaffingPool
from aggregates.quotas.quota_ledger import QuotaLedger
from consumers.pool import translator as pool_translator
from consumers.quotas import translator as event_contracts_quotas
from contracts.pool.events import PoolEvent
from contracts.quotas import commands as q
from contracts.quotas.events import QuotaEvent
from infra.contexts import EVENTS, family_commands
from infra.demo import quotas as demo_quotas
from infra.kafka import clock
from tests.support import JULY, JUNE, mid
from tests.unit.builders import applied, contract_classes, decoded, event_classes, published_as, sent, tags

StaffingEvent = QuotaEvent | PoolEvent
contracts_of = published_as("staffing", StaffingEvent, event_contracts_quotas.INTERNAL)


@pytest.fixture(scope="module")
def demo() -> dict[str, list[Any]]:
    return contracts_of(applied(*decoded(demo_quotas.demo_commands(), family_commands("staffing"))))


def test_every_quota_and_pool_event_has_a_contract_and_every_contract_of_the_unions_is_used() -> None:
    m = {**event_contracts_quotas.PUBLISHED, **pool_translator.PUBLISHED}
    assert event_classes(QuotaLedger) | event_classes(StaffingPool) == set(m)
    assert (
        not event_contracts_quotas.INTERNAL and not pool_translator.INTERNAL and not set(m) & EVENTS.internal
    )  # all published
    assert m.items() <= EVENTS.families["staffing"].items()
    assert contract_classes(m) == set(get_args(StaffingEvent))


def test_every_event_of_the_demo_maps_to_a_contract_that_round_trips(demo) -> None:
    assert set(demo) == (
        tags("quota", "opened", "approved", "occupied", "transferred_out", "transferred_in", "planned")
        | tags("pool", "established", "contributed")
        | tags("pool", "draw_requested", "draw_approved", "draw_rejected")
        | tags("pool", "draw_returned", "draw_expired", "draw_renewed")
    )
    # 丹阳 1 + 10 towns, 郾城 1 + 3, 江北 1 + 8; 140 + 105 + 8 × 5 编外 + 1 逆向调整 moved
    assert (len(demo["quota.opened"]), len(demo["quota.transferred_out"])) == (24, 22)
    moved_in = [m.payload for m in demo["quota.transferred_in"]]
    assert sum(m.count for m in moved_in if m.other_unit == "DY-ORGANS") == 140
    assert {m.unit: m.approved for m in moved_in if m.other_unit == "LH-YC-INST"} == {
        "LH-SHANGQIAO": 75,
        "LH-PEICHENG": 75,
        "LH-LONGCHENG": 75,
    }  # 40 + 35 each


def test_a_transfer_is_published_on_both_sides_under_one_message_and_approval(demo) -> None:
    # 逆向调整: the unapproved attempt is refused, so only the approved one goes out
    [out] = [x for x in demo["quota.transferred_out"] if x.payload.unit == "JB-KONGPU"]
    [into] = [x for x in demo["quota.transferred_in"] if x.payload.other_unit == "JB-KONGPU"]
    assert msgspec.structs.asdict(out.payload) == {
        "unit": "JB-KONGPU",
        "other_unit": "JB-ORGANS",
        "other_level": "district",
        "kind": "administrative",
        "count": 2,
        "on": date(2021, 9, 1),
        "approved": 38,
        "approval": q.Approval(body="中共宁波市江北区委机构编制委员会", document_no="甬北编委〔2021〕3号"),
    }
    assert (into.payload.unit, into.payload.other_level, into.payload.approved) == ("JB-ORGANS", "town", 902)
    assert into.payload.approval == out.payload.approval and into.message_id == out.message_id
    assert out.document_no == "甬北编〔2021〕12号" and out.aggregate_id != into.aggregate_id


def test_a_draw_expired_by_the_clock_carries_the_clock_message_and_its_day(demo) -> None:
    [expired] = demo["pool.draw_expired"]
    assert msgspec.structs.asdict(expired.payload) == {
        "pool": "JB-POOL",
        "draw": "HONGTANG-01",
        "count": 4,
        "on": date(2022, 1, 1),
    }
    assert expired.message_id == clock.message_id("JB-POOL", date(2022, 1, 1))
    assert expired.actor == clock.CLOCK and expired.reason


def test_the_pool_publishes_its_decisions_returns_and_renewals_by_pool_and_draw(demo) -> None:
    assert {a.payload.draw for a in demo["pool.draw_approved"]} == {
        "CICHENG-01",
        "ZHUANGQIAO-01",
        "HONGTANG-01",
        "YONGJIANG-01",
    }  # WENJIAO-01: exhausted
    [rejected], [returned], [renewed] = (
        demo[t] for t in ("pool.draw_rejected", "pool.draw_returned", "pool.draw_renewed")
    )
    assert rejected.payload.draw == "KONGPU-01" and rejected.reason
    assert (returned.payload.draw, returned.payload.count, returned.payload.on) == (
        "ZHUANGQIAO-01",
        2,
        date(2021, 10, 1),
    )
    assert (renewed.payload.draw, renewed.payload.until) == ("YONGJIANG-01", date(2022, 12, 31))
    wenjiao = next(r.payload for r in demo["pool.draw_requested"] if r.payload.draw == "WENJIAO-01")
    assert (wenjiao.town, wenjiao.count, wenjiao.purpose) == ("JB-WENJIAO", 20, "scarce_talent")


_send = partial(sent, effective_at=None)  # in effect when sent, in June, unless it says otherwise
_TOWN = q.LedgerDetails(unit="T1", name="某镇", level="town", district_name="某区")


def test_a_ledger_started_by_a_transfer_is_published_nameless_then_named_by_its_opening() -> None:
    # Given a district ledger, when it moves quotas to a town whose opening comes later
    by_tag = contracts_of(
        applied(
            _send(
                q.OpenQuotaLedger,
                "d",
                q.LedgerDetails(unit="D1", name="区级机关", level="district", district_name="某区"),
            ),
            _send(
                q.ApproveQuotas,
                "d/approve",
                q.QuotaApproval(unit="D1", kind="administrative", approved=10),
                document_no="编〔2021〕1号",
            ),
            _send(
                q.TransferQuotas,
                "move",
                q.Transfer(unit="D1", to_unit="T1", to_level="town", kind="administrative", count=3),
                effective_at=JULY,
                document_no="编〔2021〕2号",
            ),
            _send(q.OpenQuotaLedger, "t", _TOWN),
        )
    )
    # Then the town appears without a name under the transfer, and gets it at its opening
    town = [o for o in by_tag["quota.opened"] if o.payload.unit == "T1"]
    assert [(o.payload.name, o.payload.district_name, o.message_id) for o in town] == [
        (None, None, mid("move"))
    ]
    [named] = by_tag["quota.details_recorded"]
    assert (named.payload, named.message_id, named.aggregate_version) == (_TOWN, mid("t"), 3)


def test_vacated_leadership_posts_are_published_with_the_posts_still_occupied() -> None:
    # Given a town with 12 leadership posts, 10 occupied, when 3 leave
    by_tag = contracts_of(
        applied(
            _send(q.OpenQuotaLedger, "t", _TOWN),
            _send(
                q.SetLeadershipPosts,
                "posts",
                q.LeadershipPosts(unit="T1", approved=12),
                document_no="编〔2021〕3号",
            ),
            _send(q.OccupyLeadershipPosts, "in", q.PostMove(unit="T1", count=10)),
            _send(q.VacateLeadershipPosts, "out", q.PostMove(unit="T1", count=3), reason="调任区级部门"),
        )
    )
    # Then the vacancy names the kind "leadership", the count and the 7 still occupied
    [approved], [vacated] = by_tag["quota.approved"], by_tag["quota.vacated"]
    assert (approved.payload.kind, approved.payload.figure, approved.payload.on) == (
        "leadership",
        12,
        JUNE.date(),
    )
    assert msgspec.structs.asdict(vacated.payload) == {
        "unit": "T1",
        "kind": "leadership",
        "count": 3,
        "occupied": 7,
    }
    assert (vacated.reason, vacated.message_id) == ("调任区级部门", mid("out"))
