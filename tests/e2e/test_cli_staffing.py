"""`govledger appraisals` (and the staffing views) on the demo's data in a real PostgreSQL."""

from __future__ import annotations

import pytest

from infra.cli import main as cli
from infra.demo import appraisals as demo_appraisals
from infra.demo import quotas as demo_quotas
from infra.demo import sinkdown as demo_sink_down
from tests.support import cli_json, demo_ledger, project


@pytest.fixture()
def demo_database(cli_database: str) -> str:
    project(demo_ledger(cli_database, demo_appraisals, demo_quotas, demo_sink_down))  # bad commands refused
    return cli_database


def test_the_league_table_ranks_the_stationed_agencies_with_the_vetoed_one_last(
    demo_database: str, capsys: pytest.CaptureFixture[str]
) -> None:
    league = cli_json(capsys, "appraisals", "--period", "2021", "--kind", "stationed-agency")

    assert len(league) == 5
    assert [r["rank"] for r in league] == sorted(r["rank"] for r in league)
    assert [(r["grade"], r["vetoed"]) for r in league][-1] == ("failing", True)
    assert sum(r["vetoed"] for r in league) == 1


def test_missing_scores_and_a_subject_history_are_shown_as_tables(
    demo_database: str, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = cli_json(capsys, "appraisals", "--missing", "--kind", "stationed-person")
    assert [r["party"] for r in missing] == ["department"]

    assert cli.main(["appraisals", "--period", "2021", "--kind", "stationed-agency"]) == 0
    out = capsys.readouterr().out
    assert "league table: 5" in out and "否决" in out


def test_monitors_mark_the_department_that_misses_its_sink_down_target(
    demo_database: str, capsys: pytest.CaptureFixture[str]
) -> None:
    answer = cli_json(capsys, "monitors", "--on", "2021-12-31", "--year", "2021")  # as the API's
    found = {name: section["items"] for name, section in answer["sections"].items()}

    missed = [r["department"] for r in found["departments"] if r["met"] is False]
    assert len(missed) == 1 and all(r["met"] for r in found["departments"] if r["department"] not in missed)
    assert [r["towns_share_pct"] >= r["target_pct"] for r in found["plan"]] == [True]
    [pool] = found["pool"]
    assert pool["available"] == pool["contributed"] - pool["outstanding"] >= 0
    assert cli.main(["monitors", "--on", "2021-12-31", "--year", "2021"]) == 0
    assert "✗ MISSED" in capsys.readouterr().out


def test_inventory_views_of_quotas_pool_and_sink_down(
    demo_database: str, capsys: pytest.CaptureFixture[str]
) -> None:
    pool = cli_json(capsys, "inventory", "pool")
    assert pool["draws"] and {d["status"] for d in pool["draws"]} >= {"rejected", "expired"}
    roster = cli_json(capsys, "inventory", "sinkdown", "--on", "2021-12-31")
    assert roster and all("name" not in r and "id_number" not in r for r in roster)
    quotas = cli_json(capsys, "inventory", "quotas", "--unit", "DY-SITU")  # 丹阳司徒镇: +15
    assert quotas["quotas"]
    assert sum(t["count"] for t in quotas["transfers"] if t["to_unit"] == "DY-SITU") == 15
