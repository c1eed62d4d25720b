"""镇街大部门制: units established, merged and abolished; one leader per unit; plaques cleared."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from aggregates.base import ReasonRequired, RuleViolation
from aggregates.organisation.town import (
    InvalidOrganisationDetails,
    LeaderAlreadySupervises,
    MergeNeedsSeveralUnits,
    NotTheSupervisor,
    PlaqueAlreadyRegistered,
    PlaqueNotRegistered,
    Town,
    TownDetails,
    UnitAlreadyEstablished,
    UnitAlreadySupervised,
    UnitDetails,
    UnitNotActive,
    UnitNotEstablished,
)
from aggregates.organisation.use_cases import TownAlreadyRegistered, TownNotRegistered
from infra.contexts import GovernanceLedger as Ledger
from tests.unit.builders import ctx, event_names, immutable, state

T = "JB-CICHENG"
CICHENG = TownDetails("慈城镇", "宁波市江北区", "town", "5+X")
PARTY = UnitDetails("党建综合办公室", "office", "integrated")
DEV = UnitDetails("发展服务办公室", "office", "integrated")
RURAL = UnitDetails("乡村振兴办公室", "office", "special")
MERGED = UnitDetails("党建和发展服务办公室", "office", "integrated")


def town(ledger: Ledger, code: str = T) -> Town:
    return ledger.repository.get(Town.create_id(code))


def events(ledger: Ledger, code: str = T) -> list[str]:
    return event_names(ledger, Town.create_id(code))


def registered(ledger: Ledger) -> None:
    """Given the town is registered with its party-building and development offices."""
    ledger.register_town(ctx("2021-03-01"), T, CICHENG)
    ledger.establish_unit(ctx("2021-03-01"), T, "PARTY", PARTY)
    ledger.establish_unit(ctx("2021-03-01"), T, "DEV", DEV)


def supervised(ledger: Ledger) -> None:
    """Given each of the two offices has its own supervising leader."""
    registered(ledger)
    ledger.assign_supervisor(ctx("2021-03-02"), T, "PARTY", "L1", "党委副书记")
    ledger.assign_supervisor(ctx("2021-03-02"), T, "DEV", "L2", "副镇长")


def merged(ledger: Ledger) -> None:
    supervised(ledger)
    ledger.merge_units(ctx("2021-06-01", reason="职能相近"), T, ("PARTY", "DEV"), "PD", MERGED)


# -- the town and its units ---------------------------------------------------------------


def test_a_registered_town_has_its_details_and_no_units(ledger: Ledger) -> None:
    ledger.register_town(ctx(), T, CICHENG)

    assert (town(ledger).code, town(ledger).details, town(ledger).units) == (T, CICHENG, ())
    assert town(ledger).id == Town.create_id(T) != Town.create_id("JB-ZHUANGQIAO")


def test_registering_again_with_the_same_details_records_nothing(ledger: Ledger) -> None:
    ledger.register_town(ctx(), T, CICHENG)
    ledger.register_town(ctx(), T, CICHENG)

    with pytest.raises(TownAlreadyRegistered):
        ledger.register_town(ctx(), T, TownDetails("慈城镇", "宁波市江北区", "town", "5办2中心1站"))
    assert events(ledger) == ["Registered"]


@pytest.mark.parametrize(
    "make",
    [
        lambda: TownDetails("慈城镇", "宁波市江北区", "village", "5+X"),
        lambda: TownDetails("慈城镇", " ", "town", "5+X"),
        lambda: UnitDetails("党建综合办公室", "bureau", "integrated"),
        lambda: UnitDetails("党建综合办公室", "office", "X"),
        lambda: UnitDetails("", "office", "integrated"),
    ],
)
def test_details_outside_the_vocabulary_are_refused(make: Any) -> None:
    with pytest.raises(InvalidOrganisationDetails):
        make()


def test_nothing_happens_in_a_town_that_is_not_registered(ledger: Ledger) -> None:
    with pytest.raises(TownNotRegistered):
        ledger.establish_unit(ctx(), T, "PARTY", PARTY)
    assert ledger.find(Town.create_id(T)) is None


def test_units_are_established_in_order_with_kind_type_and_date(ledger: Ledger) -> None:
    registered(ledger)
    ledger.establish_unit(ctx("2021-04-01"), T, "RURAL", RURAL)
    ledger.establish_unit(ctx("2021-04-02"), T, "RURAL", RURAL)  # a retry: nothing new

    units = town(ledger).units
    assert [(u.code, u.details.type, u.status) for u in units] == [
        ("PARTY", "integrated", "active"),
        ("DEV", "integrated", "active"),
        ("RURAL", "special", "active"),
    ]
    assert units[2].since == date(2021, 4, 1)
    assert events(ledger).count("UnitEstablished") == 3


def test_a_unit_code_is_never_reused(ledger: Ledger) -> None:
    registered(ledger)
    with pytest.raises(UnitAlreadyEstablished):
        ledger.establish_unit(ctx(), T, "PARTY", RURAL)
    ledger.abolish_unit(ctx(reason="撤销"), T, "PARTY")
    with pytest.raises(UnitAlreadyEstablished):
        ledger.establish_unit(ctx(), T, "PARTY", PARTY)


def test_an_unknown_unit_can_be_neither_supervised_nor_abolished(ledger: Ledger) -> None:
    registered(ledger)
    with pytest.raises(UnitNotEstablished):
        ledger.assign_supervisor(ctx(), T, "NOPE", "L1", "党委副书记")
    with pytest.raises(UnitNotEstablished):
        ledger.abolish_unit(ctx(reason="x"), T, "NOPE")


# -- merging and abolishing: history is kept ------------------------------------------------


def test_a_merger_ends_the_sources_and_starts_an_unsupervised_unit(ledger: Ledger) -> None:
    merged(ledger)

    units = {u.code: u for u in town(ledger).units}
    assert [(u.status, u.merged_into, u.until) for u in (units["PARTY"], units["DEV"])] == [
        ("merged", "PD", date(2021, 6, 1))
    ] * 2
    assert (units["PD"].status, units["PD"].since) == ("active", date(2021, 6, 1))
    assert town(ledger).supervisions == ()
    ledger.assign_supervisor(ctx(), T, "PD", "L1", "党委副书记")  # free again after the merger
    assert town(ledger).supervisor_of("PD") == "L1"


@pytest.mark.parametrize("sources", [("PARTY",), ("PARTY", "PARTY"), ()])
def test_a_merger_needs_two_distinct_units(ledger: Ledger, sources: tuple[str, ...]) -> None:
    registered(ledger)
    with pytest.raises(MergeNeedsSeveralUnits):
        ledger.merge_units(ctx(reason="整合"), T, sources, "PD", MERGED)


def test_a_merger_needs_a_reason_active_sources_and_a_fresh_code(ledger: Ledger) -> None:
    registered(ledger)
    with pytest.raises(ReasonRequired):
        ledger.merge_units(ctx(reason=None), T, ("PARTY", "DEV"), "PD", MERGED)
    with pytest.raises(UnitAlreadyEstablished):
        ledger.merge_units(ctx(reason="整合"), T, ("PARTY", "DEV"), "DEV", MERGED)
    ledger.abolish_unit(ctx(reason="撤销"), T, "DEV")
    with pytest.raises(UnitNotActive):
        ledger.merge_units(ctx(reason="整合"), T, ("PARTY", "DEV"), "PD", MERGED)


def test_abolishing_needs_a_reason_releases_the_leader_and_is_done_once(ledger: Ledger) -> None:
    supervised(ledger)
    with pytest.raises(ReasonRequired):
        ledger.abolish_unit(ctx(reason=""), T, "DEV")

    ledger.abolish_unit(ctx("2022-01-01", reason="撤销"), T, "DEV")
    ledger.abolish_unit(ctx(reason="撤销"), T, "DEV")

    assert town(ledger).unit("DEV", active=False).until == date(2022, 1, 1)
    assert town(ledger).supervisions == (("PARTY", "L1"),)
    assert events(ledger).count("UnitAbolished") == 1
    with pytest.raises(UnitNotActive):
        ledger.assign_supervisor(ctx(), T, "DEV", "L3", "副镇长")


# -- 一个大部门由一位班子成员分管 --------------------------------------------------------------------


def test_a_second_leader_for_a_supervised_unit_is_refused_not_swapped(ledger: Ledger) -> None:
    supervised(ledger)

    with pytest.raises(UnitAlreadySupervised):
        ledger.assign_supervisor(ctx(), T, "PARTY", "L9", "新任副书记")

    assert town(ledger).supervisor_of("PARTY") == "L1"
    assert events(ledger).count("SupervisorAssigned") == 2


def test_assigning_the_same_leader_again_records_nothing(ledger: Ledger) -> None:
    supervised(ledger)
    ledger.assign_supervisor(ctx(), T, "PARTY", "L1", "党委副书记")
    assert events(ledger).count("SupervisorAssigned") == 2


def test_a_leader_supervises_one_big_unit_at_a_time(ledger: Ledger) -> None:
    supervised(ledger)
    ledger.establish_unit(ctx(), T, "RURAL", RURAL)

    with pytest.raises(LeaderAlreadySupervises):
        ledger.assign_supervisor(ctx(), T, "RURAL", "L1", "党委副书记")
    assert town(ledger).supervisor_of("RURAL") is None


def test_reassigning_takes_an_explicit_release_first(ledger: Ledger) -> None:
    supervised(ledger)
    with pytest.raises(ReasonRequired):
        ledger.release_supervisor(ctx(reason=None), T, "PARTY", "L1")

    ledger.release_supervisor(ctx(reason="分工调整"), T, "PARTY", "L1")
    ledger.assign_supervisor(ctx(), T, "PARTY", "L9", "新任副书记")

    assert town(ledger).supervisions == (("DEV", "L2"), ("PARTY", "L9"))
    assert events(ledger)[-2:] == ["SupervisorReleased", "SupervisorAssigned"]


@pytest.mark.parametrize("unit, leader", [("PARTY", "L2"), ("PARTY", "L9")])
def test_only_the_current_supervisor_can_be_released(ledger: Ledger, unit: str, leader: str) -> None:
    supervised(ledger)
    with pytest.raises(NotTheSupervisor):
        ledger.release_supervisor(ctx(reason="分工调整"), T, unit, leader)


def test_a_supervising_leader_needs_a_name(ledger: Ledger) -> None:
    registered(ledger)
    with pytest.raises(InvalidOrganisationDetails):
        ledger.assign_supervisor(ctx(), T, "PARTY", "L1", " ")


# -- 清理机构牌子 -------------------------------------------------------------------------------


def test_plaques_are_registered_and_removed_with_a_reason(ledger: Ledger) -> None:
    registered(ledger)
    for name in ("老龄工作委员会办公室", "双拥工作领导小组办公室"):
        ledger.register_plaque(ctx(), T, name)
    ledger.register_plaque(ctx(), T, "人民武装部", "PARTY")

    with pytest.raises(ReasonRequired):
        ledger.remove_plaque(ctx(reason=None), T, "老龄工作委员会办公室")
    ledger.remove_plaque(ctx(reason="清理机构牌子"), T, "老龄工作委员会办公室")
    ledger.remove_plaque(ctx(reason="清理机构牌子"), T, "老龄工作委员会办公室")  # no-op

    assert town(ledger).plaques_removed == 1
    assert ("人民武装部", "PARTY", False) in town(ledger).plaques
    assert events(ledger).count("PlaqueRemoved") == 1


def test_plaque_rules(ledger: Ledger) -> None:
    registered(ledger)
    ledger.register_plaque(ctx(), T, "人民武装部", "PARTY")
    ledger.register_plaque(ctx(), T, "人民武装部", "PARTY")  # a retry: nothing new

    with pytest.raises(PlaqueAlreadyRegistered):
        ledger.register_plaque(ctx(), T, "人民武装部", "DEV")
    with pytest.raises(PlaqueNotRegistered):
        ledger.remove_plaque(ctx(reason="清理"), T, "不存在的牌子")
    with pytest.raises(InvalidOrganisationDetails):
        ledger.register_plaque(ctx(), T, "")
    with pytest.raises(UnitNotEstablished):
        ledger.register_plaque(ctx(), T, "某牌子", "NOPE")
    ledger.remove_plaque(ctx(reason="清理"), T, "人民武装部")
    with pytest.raises(PlaqueAlreadyRegistered):  # a removed plaque stays removed
        ledger.register_plaque(ctx(), T, "人民武装部", "PARTY")
    assert events(ledger).count("PlaqueRegistered") == 1


# -- replay and the shallow copies of a batch ---------------------------------------------------


def test_replayed_state_equals_live_state_and_holds_only_immutable_values(ledger: Ledger) -> None:
    merged(ledger)
    ledger.assign_supervisor(ctx(), T, "PD", "L1", "党委副书记")
    ledger.register_plaque(ctx(), T, "老龄工作委员会办公室", "PD")
    live = ledger.find(Town.create_id(T))

    replayed = town(ledger)  # from the stored events, through the JSON transcoder

    assert state(replayed) == state(live)
    assert all(immutable(v) for v in state(replayed).values())
    assert not immutable([1]) and not immutable(("a", ["b"]))


def test_a_later_command_never_changes_an_earlier_saved_state(ledger: Ledger) -> None:
    supervised(ledger)
    before = ledger.find(Town.create_id(T))
    units, supervisions = before.units, before.supervisions

    ledger.merge_units(ctx(reason="整合"), T, ("PARTY", "DEV"), "PD", MERGED)

    assert (before.units, before.supervisions) == (units, supervisions)
    assert before.supervisor_of("PARTY") == "L1" and town(ledger).supervisor_of("PARTY") is None


def test_a_refused_command_in_a_batch_leaves_the_staged_town_untouched(ledger: Ledger) -> None:
    supervised(ledger)
    with ledger.batch() as batch:
        ledger.assign_supervisor(ctx(), T, "PARTY", "L1", "党委副书记")
        ledger.release_supervisor(ctx(reason="分工调整"), T, "DEV", "L2")
        with pytest.raises(RuleViolation):
            ledger.merge_units(ctx(reason="整合"), T, ("PARTY", "NOPE"), "PD", MERGED)
        ledger.commit(batch)

    assert town(ledger).supervisions == (("PARTY", "L1"),)
    assert [u.status for u in town(ledger).units] == ["active", "active"]
