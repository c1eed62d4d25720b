"""The inventory and audit views of the command line, on the demo's duties and organisation."""

from __future__ import annotations

import pytest

from infra.demo import duties as demo_duties
from infra.demo import organisation as demo_organisation
from infra.demo import territorial as demo_territorial
from tests.support import cli_json, demo_ledger, project


@pytest.fixture()
def demo_database(cli_database: str) -> str:
    project(demo_ledger(cli_database, demo_duties, demo_territorial, demo_organisation))
    return cli_database


def test_the_duty_lists_of_a_town_are_basic_cooperating_and_recalled(
    demo_database: str, capsys: pytest.CaptureFixture[str]
) -> None:
    pilot = cli_json(capsys, "inventory", "duties", "--town", "AN-JD-PILOT")
    west = cli_json(capsys, "inventory", "duties", "--town", "AN-JD-WEST")
    cicheng = cli_json(capsys, "inventory", "duties", "--town", "JB-CICHENG")

    assert len(pilot["basic"]) == 34 + 7 + 32 - 1  # one entrusted duty was cancelled
    assert [d["code"] for d in west["recalled"]] and len(west["recalled"]) == 2
    assert cicheng["cooperating"] and all(d["partner"] == "JB-CICHENG" for d in cicheng["cooperating"])
    assert "JB-ZR-001" in {d["code"] for d in cicheng["basic"]}


def test_the_structure_of_a_street_shows_its_units_leaders_and_removed_plaques(
    demo_database: str, capsys: pytest.CaptureFixture[str]
) -> None:
    structure = cli_json(capsys, "inventory", "structure", "--town", "AN-JD-PILOT")

    assert len(structure["plaques_removed"]) == 13 and structure["model"]
    kinds = [u["kind"] for u in structure["units"]]
    assert (kinds.count("office"), kinds.count("centre"), kinds.count("station")) == (5, 2, 1)
    assert all(u["leader"] for u in structure["units"])


def test_the_refused_push_downs_register_names_the_departments_that_tried(
    demo_database: str, capsys: pytest.CaptureFixture[str]
) -> None:
    everything = cli_json(capsys, "audit", "refused-pushdowns")
    jiangbei_health = cli_json(capsys, "audit", "refused-pushdowns", "--department", "JB-HEALTH")

    assert {r["department"] for r in everything} == {"AN-CGJ", "JB-EMERG", "JB-HEALTH"}
    assert [(r["duty"], r["town"]) for r in jiangbei_health] == [("JB-ZR-003", "JB-KONGPU")]
