"""The town structure read model on a real PostgreSQL: units, supervisors, plaques, rebuild."""

from __future__ import annotations

from datetime import date

import psycopg

from aggregates.organisation.town import TownDetails, UnitDetails
from infra.bootstrap import build_ledger
from infra.contexts import GovernanceLedger as Ledger
from projections.organisation.structure import (
    TownStructure,
    plaques_removed,
    removed_plaques,
    town_model,
    town_structure,
    unit_history,
)
from projections.runner import ProjectionRunner
from tests.support import caught_up, clerk, rebuilt, table_rows

T = "ST-ANON"
OFFICE = lambda name: UnitDetails(name, "office", "integrated")
ctx = clerk("st-bianban", "编办", "机构编制管理系统", "**编〔2021〕15号")


def _scenario(ledger: Ledger) -> Ledger:
    """A street's units set up, merged, abolished and supervised, its plaques; returns the ledger."""
    details = TownDetails("**街道", "**区", "street", "5办2中心1站")
    ledger.register_town(ctx("2021-09-01"), T, details)
    for code, name in (
        ("PARTY", "党建工作办公室"),
        ("COMMUNITY", "社区建设办公室"),
        ("URBAN", "城市管理办公室"),
    ):
        ledger.establish_unit(ctx("2021-09-01"), T, code, OFFICE(name))
    grid = UnitDetails("网格化治理中心", "centre", "integrated")
    ledger.establish_unit(ctx("2021-09-01"), T, "GRID", grid)
    ledger.establish_unit(ctx("2021-09-01"), T, "OLD", OFFICE("综合协调办公室"))
    for n, unit in enumerate(("PARTY", "COMMUNITY", "URBAN", "GRID"), 1):
        ledger.assign_supervisor(ctx("2021-09-02"), T, unit, f"L{n}", f"班子成员{n}")
    ledger.merge_units(
        ctx("2021-10-01", "优化整合"), T, ("PARTY", "COMMUNITY"), "PC", OFFICE("党建和社区工作办公室")
    )
    ledger.assign_supervisor(ctx("2021-10-02"), T, "PC", "L2", "班子成员2")
    ledger.abolish_unit(ctx("2021-10-03", "职能并入城市管理办公室"), T, "OLD")
    ledger.release_supervisor(ctx("2021-11-01", "分工调整"), T, "URBAN", "L3")
    ledger.assign_supervisor(ctx("2021-11-01"), T, "URBAN", "L5", "班子成员5")
    for name in ("老龄工作委员会办公室", "双拥工作领导小组办公室", "人民武装部"):
        ledger.register_plaque(ctx("2021-09-05"), T, name, "PC" if name == "人民武装部" else None)
    for name in ("老龄工作委员会办公室", "双拥工作领导小组办公室"):
        ledger.remove_plaque(ctx("2021-12-01", "清理编制法律法规明确外的机构牌子"), T, name)
    return ledger


def _runner(ledger: Ledger, page: int = 5000) -> ProjectionRunner:
    return ProjectionRunner(ledger, [TownStructure()], name="town_structure", page=page)


def _rows(url: str) -> list[list[tuple]]:
    return table_rows(url, ("town_organisations", "town_units", "town_supervision", "town_plaques"))


def test_the_structure_shows_current_units_with_their_one_leader(database_url: str) -> None:
    ledger = _scenario(build_ledger(database_url))
    runner = _runner(ledger)
    assert runner.catch_up() == ledger.recorder.max_notification_id()

    with ledger.recorder.datastore.transaction(commit=False) as cur:
        units = town_structure(cur, T)
        assert [(u["code"], u["kind"], u["type"], u["leader"]) for u in units] == [
            ("URBAN", "office", "integrated", "L5"),
            ("GRID", "centre", "integrated", "L4"),
            ("PC", "office", "integrated", "L2"),
        ]
        assert units[2]["name"] == "党建和社区工作办公室" and units[2]["since"] == date(2021, 10, 1)
        history = {u["code"]: u for u in unit_history(cur, T)}
        assert [history[c]["merged_into"] for c in ("PARTY", "COMMUNITY")] == ["PC", "PC"]
        old = history["OLD"]
        assert (old["status"], old["until"]) == ("abolished", date(2021, 10, 3))
        model = town_model(cur, T)
        assert model["model"] == "5办2中心1站"
        assert model["units_by_kind"] == {"office": 2, "centre": 1}
        assert town_model(cur, "NOPE") is None and town_structure(cur, "NOPE") == []


def test_removed_plaques_are_counted_with_their_reason(database_url: str) -> None:
    with caught_up(_runner(_scenario(build_ledger(database_url)))) as cur:
        assert plaques_removed(cur, T) == 2
        removed = removed_plaques(cur, T)
        assert {p["reason"] for p in removed} == {"清理编制法律法规明确外的机构牌子"}
        assert {p["removed_on"] for p in removed} == {date(2021, 12, 1)}
        assert plaques_removed(cur, "NOPE") == 0


def test_the_supervision_history_keeps_every_ended_assignment(database_url: str) -> None:
    _runner(_scenario(build_ledger(database_url))).catch_up()

    with psycopg.connect(database_url) as conn:
        ended = conn.execute(
            "SELECT unit, leader, ended_by FROM town_supervision WHERE ended_by IS NOT NULL ORDER BY unit"
        ).fetchall()
    assert ended == [("COMMUNITY", "L2", "merged"), ("PARTY", "L1", "merged"), ("URBAN", "L3", "released")]


def test_a_rebuild_in_small_pages_reproduces_the_same_rows(database_url: str) -> None:
    runner = _runner(_scenario(build_ledger(database_url)), page=3)

    before, after = rebuilt(runner, lambda: _rows(database_url))

    assert after == before
    assert [len(rows) for rows in before] == [1, 6, 6, 3]
