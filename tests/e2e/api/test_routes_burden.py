"""The burden-reduction registry over the API and the command line, on the demo: what a department
imposes and cleared, what falls on a town, the refused impositions, the monitor's counts."""

from __future__ import annotations

import json
from datetime import date

import pytest

from infra.api.answers import BurdenRow, TownBurdenRow
from infra.cli import main as cli
from infra.demo import burden as demo
from infra.settings import Settings
from projections.burden.registry import department_burden, town_burden
from tests.e2e.api.reading import ALL, READERS, Api, fields, plain, projected, read, statuses

DEPT, TOWN = "AN-CGJ", "AN-JD-PILOT"


def test_readers_and_auditors_read_the_registry_operators_do_not(api: Api) -> None:
    assert statuses(api, f"/api/v1/departments/{DEPT}/burden") == READERS
    assert statuses(api, f"/api/v1/towns/{TOWN}/burden") == READERS


def test_a_department_imposes_what_is_in_force_and_cleared_the_street_reports_indicators(api: Api) -> None:
    body = read(api, "reader", f"/api/v1/departments/{DEPT}/burden?{ALL}")
    with projected(api) as cur:
        expected = plain(department_burden(cur, DEPT))
    assert {k: body[k]["items"] for k in ("imposed", "cleared")} == expected
    assert body["department"] == DEPT and body["cleared"]["total"] == 5  # AN-CGJ's share of the 73
    assert set(body["cleared"]["items"][0]) == fields(BurdenRow)
    assert all(row["cleared_reason"] for row in body["cleared"]["items"])


def test_on_a_day_as_known_then_needs_an_auditor_and_shows_the_lists_before_the_clearance(api: Api) -> None:
    path = f"/api/v1/departments/{DEPT}/burden?as_of=2021-08-01&{ALL}"
    read(api, "reader", path, 403)
    body = read(api, "auditor", path)
    assert body["cleared"]["total"] == 0 and body["imposed"]["total"] == 5 + 1 + 1  # 5 + kept + inspection
    gone = read(api, "auditor", f"/api/v1/departments/{DEPT}/burden?as_of=2020-12-31", 404)
    assert "as of then" in gone["detail"]


def test_a_town_carries_the_kept_indicators_the_inspections_and_the_approved_one(api: Api) -> None:
    body = read(api, "reader", f"/api/v1/towns/{TOWN}/burden?{ALL}")
    with projected(api) as cur:
        assert body["items"] == plain(town_burden(cur, TOWN))
    kinds = [row["kind"] for row in body["items"]]
    assert (kinds.count("indicator"), kinds.count("inspection")) == (25, 3)
    assert set(body["items"][0]) == fields(TownBurdenRow)
    [approved] = [row for row in body["items"] if row["code"] == demo.NEW.code]
    assert (approved["approved_by"], approved["approval_document"]) == (
        demo.NEW.approved_by,
        demo.AN_APPROVAL,
    )
    assert read(api, "reader", "/api/v1/towns/JB-NOWHERE/burden", 404)["status"] == 404


def test_the_refused_imposition_is_evidence_for_auditors_only(api: Api) -> None:
    path = "/api/v1/audit/refused-impositions?department=AN-CGJ"
    read(api, "reader", path, 403)
    [row] = read(api, "auditor", path)["items"]
    assert (row["code"], row["town"], row["status"], row["attempted_on"]) == (
        demo.UNAPPROVED.code,
        TOWN,
        "none",
        "2021-11-08",
    )


def test_the_monitor_shows_each_districts_counts_before_and_after(api: Api) -> None:
    sections = read(api, "reader", "/api/v1/monitors?on=2021-12-31")["sections"]
    rows = {(r["district"], r["kind"]): r for r in sections["burden"]["items"]}
    an = rows["AN", "indicator"]
    assert (an["before"], an["after"], an["cleared"], an["change"]) == (98, 25, 73, -73)
    assert (rows["AN", "inspection"]["before"], rows["AN", "inspection"]["after"]) == (2, 3)
    assert (rows["LH-YC", "meeting"]["before"], rows["LH-YC", "meeting"]["after"]) == (6, 2)
    dashboard = read(api, "reader", "/api/v1/dashboard?on=2021-12-31")
    assert dashboard["burden"] == [
        {k: v for k, v in r.items() if k != "missed"} for r in sections["burden"]["items"]
    ]
    assert not any(r["missed"] for r in sections["burden"]["items"])  # counts, no target


def _cli(settings: Settings, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], *argv: str):
    monkeypatch.setenv("GOVLEDGER_DATABASE_URL", settings.database_url)
    capsys.readouterr()
    rc = cli.main(list(argv))
    return rc, capsys.readouterr().out


def test_the_command_line_answers_as_the_api_and_names_what_it_does_not_know(
    api: Api, demo_settings: Settings, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    rc, out = _cli(demo_settings, monkeypatch, capsys, "burden", "department", "--department", DEPT, "--json")
    body = read(api, "reader", f"/api/v1/departments/{DEPT}/burden?{ALL}")
    assert rc == 0 and json.loads(out) == {
        "department": DEPT,
        **{k: body[k]["items"] for k in ("imposed", "cleared")},
    }
    argv = ("burden", "town", "--town", TOWN, "--on", "2021-08-01", "--json")
    rc, out = _cli(demo_settings, monkeypatch, capsys, *argv)
    assert rc == 0 and "市容环卫台账资料完备率" in {row["name"] for row in json.loads(out)}
    rc, out = _cli(demo_settings, monkeypatch, capsys, "burden", "town", "--town", TOWN)
    assert rc == 0 and "AN-JD-PILOT town: 28" in out  # the table: 25 indicators and 3 inspections
    rc, out = _cli(demo_settings, monkeypatch, capsys, "burden", "department", "--department", "AN-NOBODY")
    assert rc == 1 and "AN-NOBODY" in out
    rc, out = _cli(demo_settings, monkeypatch, capsys, "burden", "refused", "--json")
    assert rc == 0 and [r["code"] for r in json.loads(out)] == [demo.UNAPPROVED.code]
    assert date.fromisoformat(json.loads(out)[0]["attempted_on"]) == date(2021, 11, 8)
