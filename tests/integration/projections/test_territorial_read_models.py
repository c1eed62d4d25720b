"""The territorial duty list and the joint-enforcement scenarios on a real PostgreSQL."""

from __future__ import annotations

from contextlib import AbstractContextManager
from datetime import date
from typing import Any

import msgspec

from aggregates.territorial.duty import (
    MECHANISMS,
    TOWN,
    ResponsibleParty,
    TerritorialDutyTerms,
    TerritorialGuidance,
)
from aggregates.territorial.scenario import JointScenarioTerms
from contracts.territorial.commands import TerritorialCommand
from infra.bootstrap import build_ledger
from infra.contexts import GovernanceLedger as Ledger
from infra.contexts import apply
from infra.demo.territorial import STREETS, demo_commands
from projections.runner import ProjectionRunner
from projections.territorial.duty_list import (
    TerritorialDutyList,
    territorial_duties_for,
    territorial_duty_history,
)
from projections.territorial.scenarios import JointScenarios, scenarios_for, scenarios_in
from tests.support import caught_up, clerk, rebuilt_row_counts

GUIDANCE = TerritorialGuidance("导则第1项", "范例1", "流程图1")


ctx = clerk("jb-bianban", "编办", "属地管理清单系统", "甬北编〔2021〕30号")


def duty(name: str, lead: str, *cooperating: str, mechanisms=("collaboration",)) -> TerritorialDutyTerms:
    return TerritorialDutyTerms(
        name,
        "城市管理",
        ResponsibleParty(lead, f"{lead} 主体责任"),
        tuple(ResponsibleParty(u, f"{u} 配合") for u in cooperating),
        mechanisms,
        GUIDANCE,
    )


def scenario(
    name: str, category: str, towns: tuple[str, ...] = (), lead: str = "JB-ZHZF"
) -> JointScenarioTerms:
    return JointScenarioTerms(name, category, lead, ("JB-EEB", "JB-SAMR"), "巡查劝导并上报", towns)


def _scenario(ledger: Ledger) -> Ledger:
    """Duties and joint scenarios of two districts registered, amended, retired; returns the ledger."""
    ledger.register_territorial_duty(ctx("2021-09-01"), "JB", "SD-1", duty("扬尘防治", "JB-HUD", TOWN))
    ledger.register_territorial_duty(ctx("2021-09-01"), "JB", "SD-2", duty("垃圾分类", TOWN, "JB-ZHZF"))
    ledger.register_territorial_duty(ctx("2021-09-01"), "JB", "SD-3", duty("古树保护", "JB-GREEN", TOWN))
    ledger.register_territorial_duty(ctx("2021-09-01"), "BH", "SD-1", duty("包河事项", "BH-ZJ", TOWN))
    ledger.amend_territorial_duty(
        ctx("2022-03-01", "动态调整", "甬北编〔2022〕6号"),
        "JB",
        "SD-1",
        duty("扬尘防治", "JB-HUD", TOWN, "JB-PSB", mechanisms=MECHANISMS),
    )
    ledger.retire_territorial_duty(ctx("2022-04-01", "并入 SD-1"), "JB", "SD-3")
    ledger.register_joint_scenario(
        ctx("2021-09-01"), "JB", "LD-1", scenario("油烟扰民", "fumes", ("JB-KONGPU",))
    )
    ledger.register_joint_scenario(ctx("2021-09-01"), "JB", "LD-2", scenario("露天焚烧", "burning"))
    ledger.register_joint_scenario(ctx("2021-09-01"), "JB", "LD-3", scenario("占道经营", "vending", STREETS))
    ledger.register_joint_scenario(
        ctx("2021-09-01"), "BH", "LD-1", scenario("包河焚烧", "burning", lead="BH-HB")
    )
    ledger.amend_joint_scenario(
        ctx("2022-03-01", "延伸至慈城镇"),
        "JB",
        "LD-1",
        scenario("油烟扰民", "fumes", ("JB-KONGPU", "JB-CICHENG")),
    )
    ledger.retire_joint_scenario(ctx("2022-04-01", "并入综合整治"), "JB", "LD-3")
    return ledger


def _runner(ledger: Ledger, page: int = 5000) -> ProjectionRunner:
    return ProjectionRunner(ledger, [TerritorialDutyList(), JointScenarios()], name="territorial", page=page)


def _projected(database_url: str) -> AbstractContextManager[Any]:
    """A cursor on the territorial read models, caught up with the scenario."""
    return caught_up(_runner(_scenario(build_ledger(database_url))))


def test_a_towns_duties_name_the_town_as_the_party_and_list_mechanisms(database_url: str) -> None:
    with _projected(database_url) as cur:
        rows = territorial_duties_for(cur, "JB-KONGPU", district="JB")
        assert [r["code"] for r in rows] == ["SD-1", "SD-2"]  # SD-3 retired, BH's not ours
        dust, waste = rows
        assert dust["lead"] == "JB-HUD" and dust["revision"] == 2
        assert [p["unit"] for p in dust["cooperating"]] == ["JB-KONGPU", "JB-PSB"]
        assert dust["mechanisms"] == list(MECHANISMS) and dust["since"] == date(2022, 3, 1)
        assert waste["lead"] == "JB-KONGPU" and waste["cooperating"][0]["unit"] == "JB-ZHZF"
        assert (waste["guideline"], waste["example"], waste["flow"]) == ("导则第1项", "范例1", "流程图1")
        assert len(territorial_duties_for(cur, "JB-KONGPU")) == 3  # without a district: every list


def test_a_duty_keeps_every_revision_with_who_when_and_why(database_url: str) -> None:
    with _projected(database_url) as cur:
        history = territorial_duty_history(cur, "JB", "SD-1")
        assert [(r["change"], r["effective_on"], r["reason"]) for r in history] == [
            ("registered", date(2021, 9, 1), None),
            ("amended", date(2022, 3, 1), "动态调整"),
        ]
        assert history[1]["document_no"] == "甬北编〔2022〕6号"
        assert len(history[0]["terms"]["cooperating"]) == 1
        assert len(history[1]["terms"]["cooperating"]) == 2
        retired = territorial_duty_history(cur, "JB", "SD-3")
        assert [r["change"] for r in retired] == ["registered", "retired"]
        assert retired[1]["terms"] is None and retired[1]["actor"] == "jb-bianban"


def test_scenarios_are_found_by_category_and_town(database_url: str) -> None:
    with _projected(database_url) as cur:
        found = scenarios_for(cur, "fumes", "JB-CICHENG", district="JB")
        assert [(r["code"], r["lead"], r["cooperating"], r["town_part"], r["town"]) for r in found] == [
            ("LD-1", "JB-ZHZF", ["JB-EEB", "JB-SAMR"], "巡查劝导并上报", "JB-CICHENG")
        ]
        assert found[0]["revision"] == 2
        assert scenarios_for(cur, "fumes", "JB-BAISHA", district="JB") == []  # not its towns
        assert scenarios_for(cur, "vending", "JB-BAISHA", district="JB") == []  # retired
        assert [r["lead"] for r in scenarios_for(cur, "burning", "JB-BAISHA", district="JB")] == ["JB-ZHZF"]
        assert [r["district"] for r in scenarios_for(cur, "burning", "JB-BAISHA")] == ["BH", "JB"]
        assert [r["category"] for r in scenarios_in(cur, "JB-KONGPU", "JB")] == ["burning", "fumes"]


def test_a_rebuild_reproduces_the_same_rows(database_url: str) -> None:
    runner = _runner(_scenario(build_ledger(database_url)), page=3)  # several pages
    tables = ("territorial_duties", "territorial_duty_revisions", "joint_scenarios")

    assert rebuilt_row_counts(runner, database_url, tables) == [4, 6, 4]  # duties, revisions, scenarios


def test_the_demo_lists_77_duties_for_every_town_and_dispatches_its_15_scenarios(
    database_url: str,
) -> None:
    ledger, decoder = build_ledger(database_url), msgspec.json.Decoder(TerritorialCommand)
    for _key, value in demo_commands():
        apply(ledger, decoder.decode(value))

    with caught_up(_runner(ledger)) as cur:
        for town in ("JB-CICHENG", *STREETS):
            duties = territorial_duties_for(cur, town, "JB")
            assert len(duties) == 77
            assert all(town in (d["lead"], *(p["unit"] for p in d["cooperating"])) for d in duties)
        assert len(scenarios_in(cur, "JB-KONGPU", "JB")) == 15
        assert {r["category"] for r in scenarios_in(cur, "JB-CICHENG", "JB")} == {
            "open_burning",
            "farmland_occupation",
            "cooking_fumes",
        }
        [construction] = scenarios_for(cur, "illegal_construction", "JB-BAISHA", "JB")
        assert construction["lead"] == "JB-ZHZF" and "JB-NRP" in construction["cooperating"]
