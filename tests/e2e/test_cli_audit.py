"""`govledger audit trail|verify|digest` on a real PostgreSQL."""

from __future__ import annotations

import psycopg
import pytest

from infra.bootstrap import build_ledger
from infra.cli import main as cli
from tests.integration.projections.test_town_power_inventory import _scenario
from tests.support import cli_json, project


@pytest.fixture()
def ledger_url(cli_database: str) -> str:
    _scenario(build_ledger(cli_database))
    return cli_database


def test_the_trail_of_a_delegation_shows_who_when_and_why_for_each_event(
    ledger_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    trail = cli_json(capsys, "audit", "trail", "delegation/B1/P2/T1")

    assert [e["event"] for e in trail] == [
        "Delegation.Proposed",
        "Delegation.AdmissionReviewStarted",
        "Delegation.Approved",
        "Delegation.Recalled",
    ]
    recalled = trail[-1]
    assert (recalled["reason"], recalled["effective_at"][:10]) == ("承接能力不足", "2022-03-01")
    assert recalled["recorded_at"] > trail[0]["recorded_at"]
    assert all(e["message_id"] and e["actor"] and e["role"] and e["system"] for e in trail)
    assert [e["version"] for e in trail] == [1, 2, 3, 4]


def test_an_unknown_entity_is_named_and_fails(ledger_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["audit", "trail", "town/NOWHERE", "--json"]) == 1
    assert "no event of entity 'town/NOWHERE' is known" in " ".join(capsys.readouterr().out.split())


def test_verify_accepts_the_digest_taken_before_and_fails_after_tampering(
    ledger_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["audit", "digest"]) == 0
    digest = capsys.readouterr().out.strip()
    assert cli.main(["audit", "verify", "--digest", digest]) == 0
    assert "verified" in capsys.readouterr().out

    with psycopg.connect(ledger_url) as conn:
        conn.execute(
            "UPDATE ledger_events SET state = convert_to(replace(convert_from(state, 'UTF8'),"
            " '承接能力不足', '正常调整'), 'UTF8') WHERE state::text <> ''"
        )

    assert cli.main(["audit", "verify", "--digest", digest]) == 1
    assert "FAILED" in capsys.readouterr().out


def test_inventory_powers_as_of_a_day_as_known_at_a_moment(
    ledger_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    project(build_ledger(ledger_url))
    base = ("inventory", "powers", "--town", "T1", "--as-of", "2022-04-01")

    assert cli_json(capsys, *base, "--known-at", "2000-01-01") == []
    assert [r["code"] for r in cli_json(capsys, *base, "--known-at", "2999-01-01")] == ["P1"]
