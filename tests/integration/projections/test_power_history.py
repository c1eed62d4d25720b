"""Town powers on both time axes: in force on a day, as the ledger knew it at a moment."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from aggregates.powers.item import ItemDetails
from infra.bootstrap import build_ledger
from projections.powers.history import town_powers_as_of
from projections.powers.inventory import town_powers
from tests.integration.projections.test_town_power_inventory import _delegate, ctx
from tests.support import read_models

DAYS = [
    date(2021, 6, 30),
    date(2021, 7, 1),
    date(2021, 12, 1),
    date(2022, 2, 28),
    date(2022, 3, 1),
    date(2023, 1, 1),
]


def _codes(rows: list[dict]) -> list[str]:
    return [r["code"] for r in rows]


@pytest.fixture
def known(database_url: str):
    """The scenario in two recordings; yields the ledger, its cursor and the moment between."""
    ledger = build_ledger(database_url)
    for code in ("P1", "P2"):
        ledger.register_power_item(
            ctx("2021-06-01"),
            code,
            ItemDetails(f"事项{code}", "penalty", "supervisory", "城市绿化", "条例", "JB-GREEN"),
        )
        _delegate(ledger, code, "T1", "2021-07-01")
    between = datetime.now(UTC)
    ledger.recall_delegation(ctx("2022-03-01", "承接能力不足"), "B1", "P2", "T1")
    ledger.amend_power_item(
        ctx("2022-03-01", "更名"),
        "P1",
        ItemDetails("事项P1（新）", "licensing", "supervisory", "城市绿化", "条例", "JB-GREEN"),
    )
    with read_models(ledger) as cur:
        yield cur, between


def test_what_the_ledger_knew_before_the_recall_still_shows_the_power_held(known) -> None:
    cur, between = known

    before = town_powers_as_of(cur, "T1", date(2022, 4, 1), between)
    now = town_powers_as_of(cur, "T1", date(2022, 4, 1), datetime.now(UTC))

    assert _codes(before) == ["P1", "P2"]
    assert _codes(now) == ["P1"]


def test_item_details_are_those_known_at_the_moment_asked(known) -> None:
    cur, between = known

    [p1_then, _] = town_powers_as_of(cur, "T1", date(2021, 12, 1), between)
    [p1_now, _] = town_powers_as_of(cur, "T1", date(2021, 12, 1), datetime.now(UTC))

    assert (p1_then["name"], p1_then["kind"]) == ("事项P1", "penalty")
    assert (p1_now["name"], p1_now["kind"]) == ("事项P1（新）", "licensing")


def test_nothing_is_known_before_it_was_recorded(known) -> None:
    cur, between = known

    assert town_powers_as_of(cur, "T1", date(2021, 12, 1), between - timedelta(days=1)) == []


@pytest.mark.parametrize("day", DAYS)
def test_known_now_agrees_with_the_current_inventory_on_every_day(known, day: date) -> None:
    cur, _ = known
    now = datetime.now(UTC)

    assert _codes(town_powers_as_of(cur, "T1", day, now)) == _codes(town_powers(cur, "T1", day))
