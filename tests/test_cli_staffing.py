"""`govledger appraisals` (and the staffing views) on the demo's data in a real PostgreSQL."""

from __future__ import annotations

import msgspec
import pytest

from aggregates.base import RuleViolation
from consumers.handlers import apply
from contracts.commands import Command
from infra import cli, demo_appraisals
from infra.bootstrap import build_ledger, build_projections
from infra.settings import Settings


@pytest.fixture()
def demo_database(database_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    ledger, decoder = build_ledger(database_url), msgspec.json.Decoder(Command)
    for _key, value in demo_appraisals.demo_commands():
        try:
            apply(ledger, decoder.decode(value))
        except RuleViolation:
            pass  # the demo's deliberately bad commands
    build_projections(ledger, Settings()).catch_up()
    monkeypatch.setenv("GOVLEDGER_DATABASE_URL", database_url)
    return database_url


def _json(capsys: pytest.CaptureFixture[str], *argv: str) -> list[dict]:
    assert cli.main([*argv, "--json"]) == 0
    return msgspec.json.decode(capsys.readouterr().out)


def test_the_league_table_ranks_the_stationed_agencies_with_the_vetoed_one_last(
    demo_database: str, capsys: pytest.CaptureFixture[str]
) -> None:
    league = _json(capsys, "appraisals", "--period", "2021", "--kind", "stationed-agency")

    assert len(league) == 5
    assert [r["rank"] for r in league] == sorted(r["rank"] for r in league)
    assert [(r["grade"], r["vetoed"]) for r in league][-1] == ("failing", True)
    assert sum(r["vetoed"] for r in league) == 1


def test_missing_scores_and_a_subject_history_are_shown_as_tables(
    demo_database: str, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = _json(capsys, "appraisals", "--missing", "--kind", "stationed-person")
    assert [r["party"] for r in missing] == ["department"]

    assert cli.main(["appraisals", "--period", "2021", "--kind", "stationed-agency"]) == 0
    out = capsys.readouterr().out
    assert "league table: 5" in out and "否决" in out
