"""The linkage over the API: the case register, one case, the rates — what `govledger cases`
and `govledger metrics` print on the demo, and which cases are overdue when."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from infra.api.routes.linkage import CaseEvent, CaseRow
from infra.axes import moment
from infra.settings import Settings
from projections.linkage import cases as linkage_cases
from tests.e2e.api.reading import ALL, READERS, Api, fields, projected, read, statuses
from tests.support import cli_json


@pytest.fixture()
def cli_on_demo(demo_settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GOVLEDGER_DATABASE_URL", demo_settings.database_url)


def numbers(body: dict[str, Any]) -> list[str]:
    return [row["number"] for row in body["items"]]


@pytest.mark.parametrize(
    "path", ["/api/v1/cases", "/api/v1/cases/CC-20211201-001", "/api/v1/linkage/metrics?period=2021-12"]
)
def test_readers_and_auditors_read_the_linkage_operators_do_not(api: Api, path: str) -> None:
    assert statuses(api, path) == READERS


def test_the_register_is_what_govledger_cases_prints(api: Api, cli_on_demo: None, capsys: Any) -> None:
    body = read(api, "reader", f"/api/v1/cases?{ALL}")
    assert body["items"] == cli_json(capsys, "cases")
    opened = read(api, "reader", f"/api/v1/cases?open=true&town=JB-CICHENG&{ALL}")
    assert opened["items"] == cli_json(capsys, "cases", "--open", "--town", "JB-CICHENG")
    party = read(api, "reader", f"/api/v1/cases?party=JB-ZHZF&{ALL}")
    assert party["items"] == cli_json(capsys, "cases", "--party", "JB-ZHZF")
    assert body["total"] > opened["total"] > 0 and party["total"] > 0
    assert set(body["items"][0]) == fields(CaseRow)


def test_a_late_sign_for_is_overdue_until_it_is_signed_for(api: Api) -> None:
    with projected(api) as cur:
        late = next(
            c for c in linkage_cases.cases(cur) if c["signed_at"] and c["signed_at"] > c["sign_for_by"]
        )
    waiting = late["sign_for_by"] + (late["signed_at"] - late["sign_for_by"]) / 2
    signed = late["signed_at"] + timedelta(minutes=1)
    assert signed < late["resolve_by"]
    at = f"/api/v1/cases?overdue=true&{ALL}&at="
    assert late["number"] in numbers(read(api, "reader", at + waiting.isoformat().replace("+", "%2B")))
    assert late["number"] not in numbers(read(api, "reader", at + signed.isoformat().replace("+", "%2B")))


def test_overdue_cases_are_those_the_deadline_clock_finds_late(api: Api) -> None:
    at = "2030-01-01"  # long after the demo's December 2021: what is still open is late
    overdue = read(api, "reader", f"/api/v1/cases?overdue=true&at={at}&{ALL}")
    opened = read(api, "reader", f"/api/v1/cases?open=true&{ALL}")
    with projected(api) as cur:
        late = {c["number"] for c in linkage_cases.overdue_cases(cur, moment(at))}
    assert set(numbers(overdue)) == late and overdue["total"] > 0
    assert set(late) <= set(numbers(opened)) and all(row["overdue"] for row in overdue["items"])
    everything = read(api, "reader", f"/api/v1/cases?at={at}&{ALL}")["items"]
    assert [r["number"] for r in everything if r["overdue"]] == numbers(overdue)
    assert not any(r["overdue"] for r in everything if r["status"] == "closed")


def test_at_must_be_a_day_or_a_time(api: Api) -> None:
    assert "at" in read(api, "reader", "/api/v1/cases?overdue=true&at=tomorrow", 400)["detail"]


def test_one_case_and_its_history(api: Api, cli_on_demo: None, capsys: Any) -> None:
    with projected(api) as cur:  # a case late now
        number = linkage_cases.overdue_cases(cur, datetime.now(UTC))[0]["number"]
    body = read(api, "reader", f"/api/v1/cases/{number}?{ALL}")
    [row] = [r for r in read(api, "reader", f"/api/v1/cases?{ALL}")["items"] if r["number"] == number]
    assert body["case"] == row and body["case"]["overdue"] is True
    assert {**body, "history": body["history"]["items"]} == cli_json(capsys, "cases", "--case", number)
    assert body["history"]["total"] > 2 and set(body["history"]["items"][0]) == fields(CaseEvent)
    assert "NO-SUCH-CASE" in read(api, "reader", "/api/v1/cases/NO-SUCH-CASE", 404)["detail"]


def test_the_rates_per_party_are_what_govledger_metrics_prints(
    api: Api, cli_on_demo: None, capsys: Any
) -> None:
    body = read(api, "reader", f"/api/v1/linkage/metrics?period=2021-12&{ALL}")
    assert body["items"] == cli_json(capsys, "metrics", "--period", "2021-12")
    one = read(api, "reader", f"/api/v1/linkage/metrics?period=2021-12&party=JB-CICHENG&{ALL}")
    assert one["items"] == cli_json(capsys, "metrics", "--period", "2021-12", "--party", "JB-CICHENG")
    assert body["total"] > 1 and one["total"] == 1
    assert "period" in read(api, "reader", "/api/v1/linkage/metrics?period=2021-13", 400)["detail"]
