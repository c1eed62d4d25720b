"""行政层级 on real PostgreSQL: the tree under a city or district and the residents of a unit, on
a day and as the ledger stood at a moment."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest

from aggregates.jurisdictions.jurisdiction import JurisdictionDetails
from aggregates.organisation.town import TownDetails
from infra.bootstrap import build_ledger
from projections.jurisdictions.tree import jurisdiction_tree, resident_counts, residents_on
from tests.support import read_models
from tests.unit.builders import ctx


def unit(name: str, level: str, kind: str, parent: str | None) -> JurisdictionDetails:
    return JurisdictionDetails(name, level, kind, parent)


@pytest.fixture
def known(database_url: str) -> Any:
    """宁波市 > 江北区 > 慈城镇 (by town.register only) > two villages, and 甬江街道 registered in
    full later; residents counted, one count corrected after `between`. Yields a cursor and
    the moment between."""
    ledger = build_ledger(database_url)
    ledger.register_jurisdiction(ctx("2020-01-02"), "NB", unit("宁波市", "city", "city", None))
    ledger.register_jurisdiction(ctx("2020-01-02"), "JB", unit("江北区", "district", "district", "NB"))
    ledger.register_town(ctx("2020-03-01"), "JB-CICHENG", TownDetails("慈城镇", "JB", "town", "5+X"))
    for code, name in (("JB-CC-CUN1", "某村"), ("JB-CC-CUN2", "另一村")):
        ledger.register_jurisdiction(
            ctx("2020-06-01"), code, unit(name, "community", "village", "JB-CICHENG")
        )
    ledger.record_residents(ctx("2020-06-30"), "JB-CC-CUN1", 3_000)
    ledger.record_residents(ctx("2020-06-30"), "JB-CC-CUN2", 2_000)
    ledger.record_residents(ctx("2021-06-30"), "JB-CC-CUN1", 3_200)
    between = datetime.now(UTC)
    ledger.record_residents(ctx("2020-06-30", reason="普查口径更正"), "JB-CC-CUN2", 2_500)
    ledger.register_jurisdiction(ctx("2021-01-04"), "JB-YONGJIANG", unit("甬江街道", "town", "street", "JB"))
    ledger.record_residents(ctx("2021-01-04"), "JB-YONGJIANG", 60_000)
    with read_models(ledger) as cur:
        yield cur, between


def _shape(rows: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    return [(r["code"], r["depth"], r["parent"], r["town"], r["residents"], r["summed"]) for r in rows]


def test_the_tree_under_the_city_places_a_town_of_town_register_under_its_district(known: Any) -> None:
    cur, between = known
    assert _shape(jurisdiction_tree(cur, "NB", date(2021, 12, 31))) == [
        ("NB", 0, None, None, 65_700, True),
        ("JB", 1, "NB", None, 65_700, True),
        ("JB-CICHENG", 2, "JB", "JB-CICHENG", 5_700, True),
        ("JB-CC-CUN1", 3, "JB-CICHENG", "JB-CICHENG", 3_200, False),
        ("JB-CC-CUN2", 3, "JB-CICHENG", "JB-CICHENG", 2_500, False),
        ("JB-YONGJIANG", 2, "JB", "JB-YONGJIANG", 60_000, False),
    ]
    cicheng = jurisdiction_tree(cur, "JB-CICHENG", date(2021, 12, 31))[0]
    assert (cicheng["source"], cicheng["kind"], cicheng["name"]) == ("town.register", "town", "慈城镇")
    # on a day before the street and the later count; as the ledger stood before the correction
    assert _shape(jurisdiction_tree(cur, "JB", date(2020, 12, 31), between)) == [
        ("JB", 0, "NB", None, 5_000, True),
        ("JB-CICHENG", 1, "JB", "JB-CICHENG", 5_000, True),
        ("JB-CC-CUN1", 2, "JB-CICHENG", "JB-CICHENG", 3_000, False),
        ("JB-CC-CUN2", 2, "JB-CICHENG", "JB-CICHENG", 2_000, False),
    ]
    assert jurisdiction_tree(cur, "JB-YONGJIANG", date(2020, 12, 31)) == []  # not yet registered then
    assert {r["code"] for r in jurisdiction_tree(cur, None, date(2021, 12, 31))} >= {"NB", "JB-CC-CUN2"}


def test_a_units_residents_are_its_count_in_force_or_its_units_summed(known: Any) -> None:
    cur, between = known
    [village] = residents_on(cur, "JB-CC-CUN2", date(2021, 12, 31))
    assert (village["residents"], village["counted_on"], village["summed"]) == (
        2_500,
        date(2020, 6, 30),
        False,
    )
    [then] = residents_on(cur, "JB-CC-CUN2", date(2021, 12, 31), between)
    assert then["residents"] == 2_000
    [town] = residents_on(cur, "JB-CICHENG", date(2020, 6, 29))
    assert (town["residents"], town["summed"]) == (None, True)  # nothing counted yet
    assert residents_on(cur, "JB-NOWHERE", date(2021, 12, 31)) == []
    counted = {r["unit"] for r in residents_on(cur, None, date(2021, 12, 31))}
    assert counted == {"NB", "JB", "JB-CICHENG", "JB-CC-CUN1", "JB-CC-CUN2", "JB-YONGJIANG"}
    history = resident_counts(cur, "JB-CC-CUN2")
    assert [(r["residents"], r["corrected"]) for r in history] == [(2_000, True), (2_500, False)]
    assert [r["residents"] for r in resident_counts(cur, "JB-CC-CUN2", between)] == [2_000]
