"""社区工作者 on real PostgreSQL: the register of a community, town or district on a day and as the
ledger stood at a moment, and the workers per 10,000 residents against the city's standard."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest

from aggregates.community_workers.register import Batch, WorkerPost
from aggregates.community_workers.scale import PostType, ScaleDetails
from aggregates.jurisdictions.jurisdiction import JurisdictionDetails
from infra.bootstrap import build_ledger
from projections.community_workers.monitor import worker_ratios
from projections.community_workers.register import community_counts, recruitments, standards, workers_on
from tests.support import read_models
from tests.unit.builders import ctx

SCALE = ScaleDetails((PostType("head", "社区正职"), PostType("staff", "社区专职工作者")), 18)


def batch(code: str, method: str, community: str, numbers: range) -> Batch:
    workers = tuple(WorkerPost(f"{community}-W{n}", "head" if n == 1 else "staff", 1) for n in numbers)
    return Batch(code, method, len(workers), workers)


@pytest.fixture
def known(database_url: str) -> Any:
    """漯河市 > 郾城区 > two streets, a community each (10,000 and 8,000 residents); 15 and 16 workers in
    post on 2021-01-04, 3 and 4 more recruited on 2021-09-01; a promotion and a departure recorded
    after `between`. The city's standard: 18 per 10,000."""
    ledger = build_ledger(database_url)
    units = [
        ("LH", JurisdictionDetails("漯河市", "city", "city", None)),
        ("LH-YC", JurisdictionDetails("郾城区", "district", "district", "LH")),
        ("LH-S1", JurisdictionDetails("街道一", "town", "street", "LH-YC")),
        ("LH-S2", JurisdictionDetails("街道二", "town", "street", "LH-YC")),
        ("LH-S1-SQ", JurisdictionDetails("社区一", "community", "community", "LH-S1")),
        ("LH-S2-SQ", JurisdictionDetails("社区二", "community", "community", "LH-S2")),
    ]
    for code, details in units:
        ledger.register_jurisdiction(ctx("2021-01-04"), code, details)
    ledger.define_worker_scale(ctx("2021-01-04"), "LH-YC", SCALE)
    ledger.set_worker_standard(ctx("2021-01-04"), "LH", 18)
    for community, (before, after, residents) in {
        "LH-S1-SQ": (12, 15, 10_000),
        "LH-S2-SQ": (12, 16, 8_000),
    }.items():
        ledger.record_residents(ctx("2021-01-04"), community, residents)
        ledger.recruit_workers(
            ctx("2021-01-04"), community, batch("ZG", "in_post", community, range(1, before + 1))
        )
        hired = batch("GZ", "public_recruitment", community, range(before + 1, after + 1))
        ledger.recruit_workers(ctx("2021-09-01", document_no="漯社工招〔2021〕1号"), community, hired)
    between = datetime.now(UTC)
    ledger.promote_worker(ctx("2021-03-01"), "LH-S1-SQ", "LH-S1-SQ-W2", 2)
    ledger.record_departure(ctx("2021-10-01", reason="辞职"), "LH-S2-SQ", "LH-S2-SQ-W16")
    with read_models(ledger) as cur:
        yield cur, between


def test_the_register_on_a_day_as_the_ledger_stood_then(known: Any) -> None:
    cur, between = known
    counts = {
        r["community"]: (r["workers"], r["by_post"])
        for r in community_counts(workers_on(cur, date(2021, 6, 30)))
    }
    assert counts == {"LH-S1-SQ": (12, {"head": 1, "staff": 11}), "LH-S2-SQ": (12, {"head": 1, "staff": 11})}
    assert len(workers_on(cur, date(2021, 9, 30), district="LH-YC")) == 31
    assert len(workers_on(cur, date(2021, 12, 31), town="LH-S2")) == 15  # one left on 2021-10-01
    assert len(workers_on(cur, date(2021, 12, 31), between, town="LH-S2")) == 16  # not known then
    [w2] = [
        w for w in workers_on(cur, date(2021, 6, 30), community="LH-S1-SQ") if w["worker"] == "LH-S1-SQ-W2"
    ]
    assert (w2["pay_grade"], w2["since"], w2["town"], w2["district"]) == (
        2,
        date(2021, 3, 1),
        "LH-S1",
        "LH-YC",
    )
    [then] = [w for w in workers_on(cur, date(2021, 6, 30), between) if w["worker"] == "LH-S1-SQ-W2"]
    assert (then["pay_grade"], then["since"]) == (1, date(2021, 1, 4))
    assert workers_on(cur, date(2020, 12, 31)) == []
    batches = [
        (b["community"], b["method"], b["count"], b["document_no"])
        for b in recruitments(cur, date(2021, 12, 31))
    ]
    assert batches[-2:] == [
        ("LH-S1-SQ", "public_recruitment", 3, "漯社工招〔2021〕1号"),
        ("LH-S2-SQ", "public_recruitment", 4, "漯社工招〔2021〕1号"),
    ]
    assert [(s["city"], s["standard"]) for s in standards(cur, date(2021, 12, 31))] == [("LH", 18)]


def test_workers_per_10000_residents_against_the_citys_standard(known: Any) -> None:
    cur, _ = known

    def ratios(on: date) -> dict[str, tuple[Any, ...]]:
        return {
            r["town"] or r["district"]: (
                r["workers"],
                r["residents"],
                r["per_10000"],
                r["standard"],
                r["met"],
            )
            for r in worker_ratios(cur, on)
        }

    assert ratios(date(2021, 6, 30)) == {
        "LH-YC": (24, 18_000, Decimal("13.33"), 18, False),
        "LH-S1": (12, 10_000, Decimal("12.00"), 18, False),
        "LH-S2": (12, 8_000, Decimal("15.00"), 18, False),
    }
    assert ratios(date(2021, 12, 31)) == {
        "LH-YC": (30, 18_000, Decimal("16.67"), 18, False),
        "LH-S1": (15, 10_000, Decimal("15.00"), 18, False),
        "LH-S2": (15, 8_000, Decimal("18.75"), 18, True),
    }
    assert [r["level"] for r in worker_ratios(cur, date(2021, 12, 31))] == ["district", "town", "town"]
