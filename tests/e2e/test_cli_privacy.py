"""`govledger privacy show|erase`: every read recorded, erasure for good, the log intact."""

from __future__ import annotations

import json
from datetime import date

import pytest

from infra.bootstrap import build_ledger
from infra.cli import main as cli
from infra.demo import sinkdown as demo_sink_down
from projections.sinkdown.monitors import department_sink_down_shares
from tests.support import cli_json, demo_ledger, project, read_models

BASIS = "本人申请删除（《个人信息保护法》第四十七条）"


@pytest.fixture()
def person(cli_database: str) -> str:
    """The demo's sink-downs with their sealed personal data; yields a person sunk down."""
    project(demo_ledger(cli_database, demo_sink_down))  # the demo's bad commands are refused
    return "AN-P0001"


def _trail(capsys: pytest.CaptureFixture[str], person: str) -> list[dict]:
    return cli_json(capsys, "audit", "trail", f"personal-record/{person}")


def _shares(database_url: str) -> list[dict]:
    with read_models(build_ledger(database_url)) as cur:
        return department_sink_down_shares(cur, date(2021, 12, 31))


def test_reading_personal_data_returns_it_and_records_who_read_it_and_why(
    person: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["privacy", "show", person, "--purpose", "纪检核查", "--actor", "li.si"]) == 0
    assert json.loads(capsys.readouterr().out)["name"] == "人员0001"

    [opened, read] = _trail(capsys, person)
    assert (read["event"], read["actor"], read["role"], read["reason"]) == (
        "PersonalRecord.ReadRecorded",
        "li.si",
        "auditor",
        "纪检核查",
    )
    assert read["details"]["fields"] == ["id_number", "name", "phone"]
    assert read["details"]["found"] is True


def test_after_erasure_nothing_opens_the_read_is_still_recorded_and_the_log_verifies(
    person: str, database_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    before = _shares(database_url)

    assert cli.main(["privacy", "erase", person, "--basis", BASIS]) == 0
    assert cli.main(["privacy", "show", person, "--purpose", "复核"]) == 1
    assert json.loads(capsys.readouterr().out.splitlines()[-1]) is None

    events = _trail(capsys, person)
    assert [e["event"] for e in events] == [
        "PersonalRecord.Opened",
        "PersonalRecord.Erased",
        "PersonalRecord.ReadRecorded",
    ]
    assert events[1]["details"]["basis"] == BASIS and events[2]["details"]["found"] is False
    assert cli.main(["audit", "verify"]) == 0
    assert _shares(database_url) == before
