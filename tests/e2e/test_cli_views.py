"""The inventory and audit views of the command line, on the demo's duties and organisation."""

from __future__ import annotations

import pytest

from infra.bootstrap import build_ledger, build_projections
from infra.demo import duties as demo_duties
from infra.demo import organisation as demo_organisation
from infra.demo import territorial as demo_territorial
from infra.settings import Settings
from tests.support import apply_messages, cli_json


@pytest.fixture()
def demo_database(database_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    ledger = build_ledger(database_url)
    messages = demo_duties.demo_commands() + demo_territorial.demo_commands()
    apply_messages(ledger, messages + demo_organisation.demo_commands())
    build_projections(ledger, Settings()).catch_up()
    monkeypatch.setenv("GOVLEDGER_DATABASE_URL", database_url)
    return database_url


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

    assert len(structure["plaques removed"]) == 13
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
