"""The burden-reduction registry's read models on PostgreSQL: per department, per town, on both
time axes; the monitor of counts before and after; the refused impositions as evidence."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest

from aggregates.burden.registry import BurdenTerms
from infra.bootstrap import build_ledger
from projections.burden.refused import refused_impositions
from projections.burden.registry import burden_counts, department_burden, district_of, town_burden
from projections.duties.refused import refused_pushdowns
from tests.conftest import fresh_database
from tests.support import clerk, read_models

ctx = clerk("an-ducha", "区委督查室", "减负台账系统", "**区委办〔2021〕26号")


def terms(name: str, kind: str = "indicator", *towns: str) -> BurdenTerms:
    return BurdenTerms(kind, name, "《考核细则》", towns)


def _codes(rows: list[dict]) -> list[str]:
    return [r["code"] for r in rows]


@pytest.fixture(scope="module")
def registry(pg_server_url: str):
    """AN's baseline of 2021-06-01 over S1–S3; four existing items, one then cleared (recorded
    after `between`), one approved inspection on S1, one refused imposition; yields a cursor,
    the moment between and the ledger."""
    with fresh_database(pg_server_url) as url:
        yield from _registry(build_ledger(url))


def _registry(ledger: Any):
    ledger.take_burden_baseline(ctx("2021-06-01", "baseline"), "AN", ("S1", "S2", "S3"))
    for code, name, kind in [
        ("I1", "台账资料完备率", "indicator"),
        ("I2", "重点任务完成情况", "indicator"),
        ("M1", "周例会", "meeting"),
        ("F1", "日报表", "form"),
    ]:
        ledger.impose_burden_item(ctx("2021-01-04", code), "AN-CGJ", code, "AN", terms(name, kind))
    ledger.approve_burden_item(
        ctx("2021-10-08", "approve"),
        "AN-EEB",
        "D1",
        "AN",
        terms("专项督查", "inspection", "S1"),
        "区委、区政府",
    )
    ledger.impose_burden_item(
        ctx("2021-10-15", "D1"), "AN-EEB", "D1", "AN", terms("专项督查", "inspection", "S1")
    )
    refusal = ledger.impose_burden_item(
        ctx("2021-11-08", "X1"), "AN-CGJ", "X1", "AN", terms("排名", "indicator", "S1", "S2")
    )
    assert refusal is not None
    between = datetime.now(UTC)
    ledger.clear_burden_item(ctx("2021-09-01", "以台账留痕代替工作实绩"), "AN-CGJ", "I1")
    with read_models(ledger) as cur:
        yield cur, between, ledger


def test_a_department_imposes_what_is_in_force_and_cleared_what_it_cleared_with_its_reason(registry) -> None:
    cur, _, _ = registry
    found = department_burden(cur, "AN-CGJ")
    assert _codes(found["imposed"]) == ["I2", "M1", "F1"]  # by kind (indicator … form), then code
    [cleared] = found["cleared"]
    assert (cleared["code"], cleared["cleared_on"], cleared["cleared_reason"]) == (
        "I1",
        date(2021, 9, 1),
        "以台账留痕代替工作实绩",
    )
    assert cleared["towns"] == ["S1", "S2", "S3"] and cleared["all_towns"] and cleared["existing"]
    assert department_burden(cur, "AN-NOBODY") == {"imposed": [], "cleared": []}


def test_on_both_axes_the_clearance_recorded_later_is_unknown_before_and_dated_after(registry) -> None:
    cur, between, _ = registry
    now = datetime.now(UTC)
    # in force on 2021-08-01 as known now: the clearance is later
    assert "I1" in _codes(department_burden(cur, "AN-CGJ", date(2021, 8, 1), now)["imposed"])
    # on 2021-12-01 as known now: cleared; as known before the clearance was recorded: in force
    assert _codes(department_burden(cur, "AN-CGJ", date(2021, 12, 1), now)["cleared"]) == ["I1"]
    then = department_burden(cur, "AN-CGJ", date(2021, 12, 1), between)
    assert "I1" in _codes(then["imposed"]) and then["cleared"] == []
    # before anything was imposed, nothing
    assert department_burden(cur, "AN-CGJ", date(2020, 12, 31), now) == {"imposed": [], "cleared": []}


def test_a_town_carries_every_item_on_all_towns_and_those_naming_it(registry) -> None:
    cur, _, _ = registry
    now = datetime.now(UTC)
    assert _codes(town_burden(cur, "S1")) == ["I2", "D1", "M1", "F1"]  # indicator, inspection, meeting, form
    assert _codes(town_burden(cur, "S2")) == ["I2", "M1", "F1"]
    assert _codes(town_burden(cur, "S1", date(2021, 8, 1), now)) == ["I1", "I2", "M1", "F1"]
    assert _codes(town_burden(cur, "S1", date(2021, 10, 1), now)) == ["I2", "M1", "F1"]
    [inspection] = [r for r in town_burden(cur, "S1") if r["code"] == "D1"]
    assert (inspection["existing"], inspection["approved_by"], inspection["approval_document"]) == (
        False,
        "区委、区政府",
        "**区委办〔2021〕26号",
    )
    assert (district_of(cur, "S3"), district_of(cur, "S9")) == ("AN", None)


def test_the_monitor_counts_each_kind_on_the_baseline_day_and_on_the_day(registry) -> None:
    cur, _, _ = registry
    rows = {r["kind"]: r for r in burden_counts(cur, date(2021, 12, 31))}
    assert {k: (r["before"], r["after"], r["cleared"], r["added"], r["change"]) for k, r in rows.items()} == {
        "indicator": (2, 1, 1, 0, -1),
        "inspection": (0, 1, 0, 1, 1),
        "meeting": (1, 1, 0, 0, 0),
        "form": (1, 1, 0, 0, 0),
    }
    assert list(rows) == ["indicator", "inspection", "meeting", "form"]
    assert burden_counts(cur, date(2021, 5, 31)) == []  # before the baseline: nothing to compare


def test_a_refused_imposition_is_kept_per_town_beside_not_among_the_refused_push_downs(registry) -> None:
    cur, _, _ = registry
    rows = refused_impositions(cur, department="AN-CGJ")
    assert [(r["code"], r["town"], r["status"], r["attempted_on"]) for r in rows] == [
        ("X1", "S1", "none", date(2021, 11, 8)),
        ("X1", "S2", "none", date(2021, 11, 8)),
    ]
    assert rows[0]["message_id"] == "m-2021-11-08-X1" and rows[0]["role"] == "区委督查室"
    assert [r["town"] for r in refused_impositions(cur, town="S2")] == ["S2"]
    assert refused_pushdowns(cur) == []
