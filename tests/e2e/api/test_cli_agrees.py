"""The command line and the API answer alike: the same fields and shapes for the same view,
and what the API answers 404 for, the command line names and exits 1 for."""

from __future__ import annotations

import json
from typing import Any

import pytest

from infra.cli import main as cli
from infra.settings import Settings
from tests.e2e.api.reading import ALL, Api, read

TOWN = "JB-CICHENG"


def _cli(
    settings: Settings, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], *argv: str
) -> tuple[int, str]:
    monkeypatch.setenv("GOVLEDGER_DATABASE_URL", settings.database_url)
    capsys.readouterr()
    rc = cli.main(list(argv))
    return rc, capsys.readouterr().out


def _unpaged(body: dict[str, Any]) -> dict[str, Any]:
    return {k: v["items"] if isinstance(v, dict) and "items" in v else v for k, v in body.items()}


def test_a_towns_structure_has_the_same_fields_and_rows_on_both(
    api: Api, demo_settings: Settings, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    rc, out = _cli(demo_settings, monkeypatch, capsys, "inventory", "structure", "--town", TOWN, "--json")
    by_api = _unpaged(read(api, "reader", f"/api/v1/towns/{TOWN}/structure?{ALL}"))

    assert rc == 0
    assert json.loads(out) == by_api
    assert set(by_api) == {"town", "model", "units", "plaques_removed"} and by_api["model"]


@pytest.mark.parametrize(
    ("argv", "path", "said"),
    [
        (
            ("inventory", "structure", "--town", "NO-SUCH-TOWN"),
            "/api/v1/towns/NO-SUCH-TOWN/structure",
            "no organisation of town 'NO-SUCH-TOWN' is known",
        ),
        (
            ("inventory", "quotas", "--unit", "NO-SUCH-UNIT"),
            "/api/v1/quotas/NO-SUCH-UNIT",
            "no quota ledger of unit 'NO-SUCH-UNIT' is known",
        ),
        (
            ("inventory", "pool", "--pool", "NO-SUCH-POOL"),
            "/api/v1/pool?pool=NO-SUCH-POOL",
            "no turnover pool 'NO-SUCH-POOL' is known",
        ),
        (
            ("cases", "--case", "NO-SUCH-CASE"),
            "/api/v1/cases/NO-SUCH-CASE",
            "no case 'NO-SUCH-CASE' is known",
        ),
        (
            ("appraisals", "--subject", "NO-SUCH-SUBJECT"),
            "/api/v1/appraisals/subjects/NO-SUCH-SUBJECT",
            "no appraisal of subject 'NO-SUCH-SUBJECT' is known",
        ),
    ],
)
def test_what_the_api_does_not_know_the_command_line_names_and_exits_1_for(
    api: Api,
    demo_settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    argv: tuple[str, ...],
    path: str,
    said: str,
) -> None:
    problem = read(api, "reader", path, status=404)
    rc, out = _cli(demo_settings, monkeypatch, capsys, *argv)

    assert problem["detail"] == said
    assert rc == 1 and said in " ".join(out.split())
