"""A town's duty lists on both time axes: in force on a day, as the ledger knew it at a moment."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from aggregates.territorial.duty import TOWN
from infra.bootstrap import build_ledger
from infra.demo import duties as demo_duties
from infra.demo import organisation as demo_organisation
from infra.demo import territorial as demo_territorial
from projections.duties.history import duty_lists_as_of
from projections.duties.overview import duty_lists
from tests.integration.projections.test_duty_read_models import (
    _adjust_sorting,
    _admit,
    _admit_sorting,
    ctx,
    terms,
)
from tests.integration.projections.test_territorial_read_models import ctx as listed
from tests.integration.projections.test_territorial_read_models import duty
from tests.support import demo_ledger, project, read_models


def _now() -> datetime:
    return datetime.now(UTC)


def _codes(lists: dict, section: str) -> list[str]:
    return [d["code"] for d in lists[section]]


@pytest.fixture
def known(database_url: str):
    """Duties admitted and listed, then, recorded later, a recall, a cancellation, an
    amendment and a retirement effective earlier; yields a cursor and the moment between."""
    ledger = build_ledger(database_url)
    _admit(ledger, "AN-CIVIL", "D1", terms("低保申请受理", "S1", "S2"), "2021-05-01")
    _admit_sorting(ledger)
    ledger.register_territorial_duty(listed("2021-01-01"), "AN", "SD-1", duty("扬尘防治", TOWN, "AN-HUD"))
    ledger.register_territorial_duty(listed("2021-01-01"), "AN", "SD-2", duty("古树保护", "AN-GREEN", TOWN))
    between = _now()
    _adjust_sorting(ledger)
    ledger.cancel_duty_admission(ctx("2022-01-01", "cancel-D1"), "AN-CIVIL", "D1")
    ledger.amend_territorial_duty(
        listed("2021-09-01", "更名"), "AN", "SD-1", duty("扬尘污染防治", TOWN, "AN-HUD")
    )
    ledger.retire_territorial_duty(listed("2022-02-01", "并入 SD-1"), "AN", "SD-2")
    with read_models(ledger) as cur:
        yield cur, between


def test_what_the_ledger_knew_before_the_recall_still_shows_the_duties_carried(known) -> None:
    cur, between = known

    before = duty_lists_as_of(cur, "S1", date(2022, 4, 1), between)
    now = duty_lists_as_of(cur, "S1", date(2022, 4, 1), _now())

    assert (_codes(before, "basic"), _codes(before, "recalled")) == (["D2", "D1", "SD-1"], [])
    assert (_codes(now, "basic"), _codes(now, "recalled")) == (["SD-1"], ["D2", "D1"])
    assert [(d["lead"], d["since"]) for d in now["recalled"]] == [
        ("AN-CGJ", date(2022, 3, 1)),
        ("AN-CIVIL", date(2022, 1, 1)),
    ]


def test_a_recall_counts_from_its_effective_day_not_the_day_before(known) -> None:
    cur, _ = known

    eve = duty_lists_as_of(cur, "S1", date(2022, 2, 28), _now())
    day = duty_lists_as_of(cur, "S1", date(2022, 3, 1), _now())

    assert (_codes(eve, "basic"), _codes(eve, "recalled")) == (["D2", "SD-1"], ["D1"])
    assert (_codes(day, "basic"), _codes(day, "recalled")) == (["SD-1"], ["D2", "D1"])


def test_an_admission_counts_from_its_day_and_an_adjustment_adds_towns_from_its_own(known) -> None:
    cur, _ = known

    assert _codes(duty_lists_as_of(cur, "S2", date(2021, 4, 30), _now()), "basic") == ["SD-1"]
    assert _codes(duty_lists_as_of(cur, "S2", date(2021, 5, 1), _now()), "basic") == ["D2", "D1", "SD-1"]
    assert _codes(duty_lists_as_of(cur, "S3", date(2022, 2, 28), _now()), "basic") == ["SD-1"]
    [d2] = duty_lists_as_of(cur, "S3", date(2022, 3, 1), _now())["basic"][:1]
    assert (d2["code"], d2["name"], d2["since"]) == ("D2", "垃圾分类宣传指导", date(2022, 3, 1))
    names = [
        d["name"]
        for day in (date(2022, 2, 28), date(2022, 3, 1))
        for d in duty_lists_as_of(cur, "S2", day, _now())["basic"]
        if d["code"] == "D2"
    ]
    assert names == ["垃圾分类宣传", "垃圾分类宣传指导"]


def test_territorial_duties_change_names_and_leave_the_list_on_their_days(known) -> None:
    cur, between = known

    def lists(day: date, at: datetime) -> tuple[list[str], list[str]]:
        found = duty_lists_as_of(cur, "S1", day, at)
        return (
            [d["name"] for d in found["basic"] if d["source"] == "territorial"],
            _codes(found, "cooperating"),
        )

    assert lists(date(2020, 12, 31), _now()) == ([], [])
    assert lists(date(2021, 8, 31), _now()) == (["扬尘防治"], ["SD-2"])
    assert lists(date(2021, 9, 1), _now()) == (["扬尘污染防治"], ["SD-2"])
    assert lists(date(2022, 1, 31), _now()) == (["扬尘污染防治"], ["SD-2"])
    assert lists(date(2022, 2, 1), _now()) == (["扬尘污染防治"], [])
    assert lists(date(2022, 2, 1), between) == (["扬尘防治"], ["SD-2"])


def test_nothing_is_known_before_it_was_recorded(known) -> None:
    cur, between = known

    found = duty_lists_as_of(cur, "S1", date(2022, 4, 1), between - timedelta(days=1))

    assert found == {"basic": [], "cooperating": [], "recalled": []}


def test_as_of_today_known_now_the_demo_towns_have_todays_duty_lists(database_url: str) -> None:
    ledger = demo_ledger(database_url, demo_duties, demo_territorial, demo_organisation)

    with read_models(ledger) as cur:
        cur.execute("SELECT DISTINCT town FROM admitted_duties UNION SELECT 'JB-CICHENG'")
        towns = sorted(r["town"] for r in cur.fetchall())
        assert len(towns) > 3
        for town in towns:
            today = duty_lists(cur, town)
            assert duty_lists_as_of(cur, town, date.today(), _now()) == today
        assert any(duty_lists(cur, town)["recalled"] for town in towns)


def test_a_rebuild_in_small_pages_gives_the_same_answers_on_both_axes(database_url: str) -> None:
    ledger = build_ledger(database_url)
    _admit_sorting(ledger)
    between = _now()
    _adjust_sorting(ledger)
    runner = project(ledger)
    asked = [
        (town, day, at)
        for town in ("S1", "S2", "S3")
        for at in (between, _now())
        for day in (date(2021, 5, 1), date(2022, 3, 1))
    ]
    with ledger.recorder.datastore.transaction(commit=False) as cur:
        before = [duty_lists_as_of(cur, *question) for question in asked]

    runner.page = 3
    assert runner.rebuild() == ledger.recorder.max_notification_id()
    with ledger.recorder.datastore.transaction(commit=False) as cur:
        assert [duty_lists_as_of(cur, *question) for question in asked] == before
    assert sum(len(found["recalled"]) for found in before) == 1
