"""行政层级: units registered under a parent one level up, a code named once, a town of
`town.register` as a community's parent, and the residents counted by day."""

from __future__ import annotations

from typing import Any

import pytest

from aggregates.jurisdictions.jurisdiction import (
    InvalidJurisdictionDetails,
    Jurisdiction,
    JurisdictionAlreadyRegistered,
    JurisdictionDetails,
    JurisdictionNotRegistered,
    ParentNotOneLevelUp,
    ParentNotRegistered,
    TownRegisteredOtherwise,
    district_of,
)
from aggregates.organisation.town import TownDetails
from consumers.jurisdictions import translator
from contracts.jurisdictions.events import JurisdictionEvent
from infra.contexts import GovernanceLedger as Ledger
from tests.unit.builders import ctx, dated_figures, day, event_classes, published_by_tag


def unit(level: str, kind: str, parent: str | None, name: str = "某单位") -> JurisdictionDetails:
    return JurisdictionDetails(name, level, kind, parent)


def tree(ledger: Ledger) -> None:
    """Given 漯河市 > 郾城区 > a street > a community, and a development zone of the district."""
    ledger.register_jurisdiction(ctx("2021-01-04"), "LH", unit("city", "city", None, "漯河市"))
    ledger.register_jurisdiction(ctx("2021-01-04"), "LH-YC", unit("district", "district", "LH", "郾城区"))
    ledger.register_jurisdiction(ctx("2021-01-04"), "LH-ZONE", unit("zone", "development_zone", "LH-YC"))
    ledger.register_jurisdiction(ctx("2021-01-04"), "LH-ST", unit("town", "street", "LH-YC", "沙北街道"))
    ledger.register_jurisdiction(ctx("2021-01-04"), "LH-ST-SQ", unit("community", "community", "LH-ST"))


def found(ledger: Ledger, code: str) -> Jurisdiction:
    return ledger.repository.get(Jurisdiction.create_id(code))


def place(ledger: Ledger, community: str) -> Any:
    return district_of(lambda kind, i: ledger.find(i), community)


def test_a_tree_from_the_city_down_registers_each_unit_once(ledger: Ledger) -> None:
    tree(ledger)
    tree(ledger)  # sent again unchanged: nothing more is recorded

    assert (found(ledger, "LH-ST-SQ").parent, found(ledger, "LH-ST-SQ").level) == ("LH-ST", "community")
    assert found(ledger, "LH-ST-SQ").version == 1 and found(ledger, "LH").since == day("2021-01-04")
    with pytest.raises(JurisdictionAlreadyRegistered):
        ledger.register_jurisdiction(ctx(), "LH-ST", unit("town", "town", "LH-YC", "沙北街道"))


@pytest.mark.parametrize(
    "make",
    [
        lambda: unit("town", "village", "X"),  # a village is a community-level unit
        lambda: unit("community", "street", "X"),
        lambda: unit("zone", "district", "X"),
        lambda: unit("province", "city", None),
        lambda: unit("city", "city", "X"),  # a city names no parent
        lambda: unit("district", "district", None),  # the others do
        lambda: unit("town", "street", "X", name=" "),
    ],
)
def test_details_outside_the_vocabulary_are_refused(make: Any) -> None:
    with pytest.raises(InvalidJurisdictionDetails):
        make()


def test_a_parent_is_registered_before_its_units(ledger: Ledger) -> None:
    with pytest.raises(ParentNotRegistered):
        ledger.register_jurisdiction(ctx(), "LH-YC", unit("district", "district", "LH"))


@pytest.mark.parametrize(
    ("code", "level", "kind", "parent"),
    [
        ("X1", "community", "community", "LH-YC"),  # a community under a district
        ("X2", "town", "street", "LH"),  # a town under the city
        ("X3", "district", "district", "LH-YC"),  # a district under a district
        ("X4", "zone", "development_zone", "LH-ST"),  # a zone hosted by a town
        ("X5", "community", "village", "LH-ST-SQ"),  # a village under a community
    ],
)
def test_a_parent_is_one_level_up_or_a_zones_host(
    ledger: Ledger, code: str, level: str, kind: str, parent: str
) -> None:
    tree(ledger)
    with pytest.raises(ParentNotOneLevelUp):
        ledger.register_jurisdiction(ctx(), code, unit(level, kind, parent))


def test_a_zone_may_be_the_citys_or_a_districts_and_towns_may_lie_in_it(ledger: Ledger) -> None:
    tree(ledger)
    ledger.register_jurisdiction(ctx(), "LH-ETDZ", unit("zone", "development_zone", "LH"))
    ledger.register_jurisdiction(ctx(), "LH-Z-ST", unit("town", "street", "LH-ETDZ"))
    ledger.register_jurisdiction(ctx(), "LH-Y-BIG", unit("town", "big_community", "LH-ZONE"))
    ledger.register_jurisdiction(ctx(), "LH-Z-SQ", unit("community", "village", "LH-Z-ST"))
    ledger.register_jurisdiction(ctx(), "LH-Y-SQ", unit("community", "community", "LH-Y-BIG"))

    assert place(ledger, "LH-Z-SQ") == ("LH-Z-ST", "LH-ETDZ")  # no district above: the city's zone
    assert place(ledger, "LH-Y-SQ") == ("LH-Y-BIG", "LH-YC")  # through the zone to its host
    assert place(ledger, "LH-ST-SQ") == ("LH-ST", "LH-YC")
    assert place(ledger, "LH-ST") is None  # not a community


def test_a_town_registered_only_by_town_register_is_a_communitys_parent(ledger: Ledger) -> None:
    ledger.register_town(ctx(), "JB-CICHENG", TownDetails("慈城镇", "JB", "town", "5+X"))
    ledger.register_jurisdiction(ctx(), "JB-CICHENG-CUN1", unit("community", "village", "JB-CICHENG"))
    assert place(ledger, "JB-CICHENG-CUN1") == ("JB-CICHENG", None)  # its district, JB, not registered

    ledger.register_jurisdiction(ctx(), "NB", unit("city", "city", None, "宁波市"))
    ledger.register_jurisdiction(ctx(), "JB", unit("district", "district", "NB", "江北区"))
    assert place(ledger, "JB-CICHENG-CUN1") == ("JB-CICHENG", "JB")  # its district's name is JB's code
    with pytest.raises(ParentNotOneLevelUp):  # a town of town.register is at the town level
        ledger.register_jurisdiction(ctx(), "JB-X", unit("town", "street", "JB-CICHENG"))


def test_a_town_of_town_register_registered_again_keeps_its_level_and_kind(ledger: Ledger) -> None:
    ledger.register_jurisdiction(ctx(), "NB", unit("city", "city", None, "宁波市"))
    ledger.register_jurisdiction(ctx(), "JB", unit("district", "district", "NB", "江北区"))
    ledger.register_town(ctx(), "JB-KONGPU", TownDetails("孔浦街道", "宁波市江北区", "street", "5+X"))
    ledger.register_town(ctx(), "JB-CICHENG", TownDetails("慈城镇", "JB", "town", "5+X"))

    with pytest.raises(TownRegisteredOtherwise):
        ledger.register_jurisdiction(ctx(), "JB-KONGPU", unit("town", "town", "JB"))
    with pytest.raises(TownRegisteredOtherwise):
        ledger.register_jurisdiction(ctx(), "JB-KONGPU", unit("community", "community", "JB-CICHENG"))
    ledger.register_jurisdiction(ctx(), "JB-KONGPU", unit("town", "street", "JB", "孔浦街道"))
    ledger.register_jurisdiction(ctx(), "JB-KONGPU-SQ1", unit("community", "community", "JB-KONGPU"))
    assert place(ledger, "JB-KONGPU-SQ1") == ("JB-KONGPU", "JB")  # placed by its own registration


def test_the_residents_counted_on_a_day_are_corrected_only_with_a_reason(ledger: Ledger) -> None:
    tree(ledger)
    residents = lambda context, figure: ledger.record_residents(context, "LH-ST-SQ", figure)
    dated_figures(residents, ("2021-01-04", 8_000), ("2022-01-04", 8_400), corrected=7_900)

    ledger.record_residents(ctx("2021-01-04", reason="统计口径更正"), "LH-ST-SQ", 7_900)
    assert found(ledger, "LH-ST-SQ").residents == ((day("2021-01-04"), 7_900), (day("2022-01-04"), 8_400))
    assert found(ledger, "LH-ST-SQ").version == 4
    with pytest.raises(InvalidJurisdictionDetails):
        ledger.record_residents(ctx(), "LH-ST-SQ", -1)
    with pytest.raises(JurisdictionNotRegistered):
        ledger.record_residents(ctx(), "LH-NOWHERE", 100)


def test_every_event_is_published_on_the_organisation_topic_and_round_trips(ledger: Ledger) -> None:
    assert event_classes(Jurisdiction) == set(translator.PUBLISHED) and not translator.INTERNAL
    tree(ledger)
    ledger.record_residents(ctx("2021-01-04"), "LH-ST-SQ", 8_000)
    published = {
        tag: [c.payload for c in found]
        for tag, found in published_by_tag(
            ledger, "organisation", JurisdictionEvent, set(), mixed=True
        ).items()
    }
    assert [(p.code, p.parent, p.level, str(p.on)) for p in published["jurisdiction.registered"]][-1] == (
        "LH-ST-SQ",
        "LH-ST",
        "community",
        "2021-01-04",
    )
    [counted] = published["jurisdiction.residents_recorded"]
    assert (counted.code, counted.residents, str(counted.on)) == ("LH-ST-SQ", 8_000, "2021-01-04")
