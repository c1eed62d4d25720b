"""The dashboard's answer on the demo: every figure is what the read models give for the day."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta
from typing import Any

import msgspec

from aggregates.base import CHINA_STANDARD_TIME
from contracts.linkage.metrics import Counts, rates
from infra.axes import moment
from projections.linkage.cases import cases
from projections.linkage.metrics import FIELDS, metrics
from projections.monitors import monitors
from projections.organisation.structure import town_model
from projections.pool.balance import expiring_draws, pool_balance
from projections.territorial.duty_list import territorial_duties_for
from tests.e2e.api.conftest import auth
from tests.e2e.api.reading import Api, plain, projected, read

DAY = "2021-12-31"  # Jiangbei's staffing and pool figures stand at the end of 2021
RUNNING = {"dispatched", "signed", "handling"}  # a deadline runs (as the deadline clock says)


def test_readers_and_auditors_read_the_dashboard_others_do_not(api: Api) -> None:
    client, tokens = api
    path = f"/api/v1/dashboard?on={DAY}"
    assert client.get(path).status_code == 401
    assert client.get(path, headers=auth(tokens["operator"])).status_code == 403
    assert read(api, "auditor", path) == read(api, "reader", path)
    assert client.get("/api/v1/dashboard?on=31.12.2021", headers=auth(tokens["reader"])).status_code == 400


def test_the_towns_are_those_of_the_towns_endpoint_with_their_names(api: Api) -> None:
    body = read(api, "reader", f"/api/v1/dashboard?on={DAY}")
    towns = read(api, "auditor", f"/api/v1/towns?as_of={DAY}")["towns"]
    assert len(body["towns"]) == len(towns) == 8
    shown = {t["town"]: t for t in body["towns"]}
    for town in towns:
        assert {k: shown[town["town"]][k] for k in town} == town
    assert shown["JB-CICHENG"]["name"] == "慈城镇"


def test_the_pool_is_its_balance_and_the_draws_coming_due_within_30_days(api: Api) -> None:
    with projected(api) as cur:
        balances, due_then = plain(pool_balance(cur)), plain(expiring_draws(cur, 30, date(2022, 12, 15)))
    assert read(api, "reader", f"/api/v1/dashboard?on={DAY}")["pool"]["balances"] == balances
    assert balances[0]["available"] == balances[0]["contributed"] - balances[0]["outstanding"]
    later = read(api, "reader", "/api/v1/dashboard?on=2022-12-15")["pool"]
    assert later["expiring"] == due_then and {d["draw"] for d in due_then} == {"CICHENG-01", "YONGJIANG-01"}


def test_the_monitors_are_the_policy_monitors_of_the_day_with_the_misses_counted(api: Api) -> None:
    body = read(api, "reader", f"/api/v1/dashboard?on={DAY}")["monitors"]
    with projected(api) as cur:
        found = plain(monitors(cur, date.fromisoformat(DAY), 2021))
    assert {k: body[k] for k in ("departments", "towns", "plan")} == {
        k: found[k] for k in ("departments", "towns", "plan")
    }
    misses = [r for k in ("departments", "towns", "plan") for r in found[k] if r["met"] is False]
    assert body["missed"] == len(misses) > 0


def test_open_and_overdue_cases_are_the_registers_open_cases_past_a_deadline(api: Api) -> None:
    body = read(api, "reader", f"/api/v1/dashboard?on={DAY}")["cases"]
    at = moment(DAY)
    with projected(api) as cur:
        still_open = cases(cur, open_only=True)
    expected = []
    for c in still_open:
        if c["status"] not in RUNNING:
            continue
        if at > c["resolve_by"]:
            expected.append((c["number"], c["town"], c["lead"], "resolve", c["resolve_by"]))
        elif c["signed_at"] is None and at > c["sign_for_by"]:
            expected.append((c["number"], c["town"], c["lead"], "sign_for", c["sign_for_by"]))
    listed = body["overdue_list"]
    assert sorted((o["number"], o["town"], o["lead"], o["deadline"]) for o in listed) == sorted(
        e[:4] for e in expected
    )
    assert {o["number"]: o["late_seconds"] for o in listed} == {
        e[0]: round((at - e[4]).total_seconds()) for e in expected
    }
    assert body["open"] == len(still_open) and body["overdue"] == len(expected) > 0
    per_town = Counter(c["town"] for c in still_open)
    assert {t["town"]: t["open"] for t in body["by_town"]} == dict(per_town)
    assert sum(t["overdue"] for t in body["by_town"]) == body["overdue"]


def test_cases_on_an_earlier_day_stand_as_they_stood_at_its_end(api: Api) -> None:
    with projected(api) as cur:
        reported = [c for c in cases(cur) if c["reported_at"] <= moment("2021-12-01")]
    first = read(api, "reader", "/api/v1/dashboard?on=2021-12-01")["cases"]
    assert first["open"] == len(reported) == 40 and first["overdue"] == 0  # the late sign-for came that day
    supervised = read(api, "reader", "/api/v1/dashboard?on=2021-12-04")["cases"]["overdue_list"]
    assert [(o["number"], o["lead"], o["deadline"]) for o in supervised] == [
        ("CC-20211201-027", "JB-CICHENG", "resolve")
    ]  # before it went up to the district
    escalated = read(api, "reader", "/api/v1/dashboard?on=2021-12-05")["cases"]["overdue_list"]
    assert [(o["number"], o["lead"], o["deadline"], o["signed"]) for o in escalated] == [
        ("CC-20211201-027", "district-centre", "sign_for", False)
    ]
    with projected(api) as cur:
        (now,) = cases(cur, open_only=True, town=None, party="district-centre")  # its round 2 still runs
    assert escalated[0]["late_seconds"] == round((moment("2021-12-05") - now["sign_for_by"]).total_seconds())


def _rates_of(cur: Any, day: date) -> dict[str, Any]:
    """Every party's counts of the day added up, rated by the contract's definitions."""
    total = Counts()
    for row in metrics(cur, day.isoformat()):
        total = total.add(Counts(**{f: row[f] for f in FIELDS}))
    return {"counts": msgspec.structs.asdict(total), "rates": plain(rates(total))}


def _counted(cur: Any, day: date) -> bool:
    """Anything of any party counted on the day."""
    return any(row[f] for row in metrics(cur, day.isoformat()) for f in FIELDS)


def _last_counted(cur: Any, on: date) -> date:
    """The last day on or before `on` with anything counted, looked for a day at a time."""
    while not _counted(cur, on):
        on -= timedelta(days=1)
    return on


def test_the_rates_are_the_contracts_rates_of_each_days_counts_summed_over_parties(api: Api) -> None:
    for on in (date(2021, 12, 2), date(2021, 12, 31)):
        body = read(api, "reader", f"/api/v1/dashboard?on={on}")["rates"]
        with projected(api) as cur:
            last = _last_counted(cur, on)
            days = [last - timedelta(days=29 - i) for i in range(30)]
            expected = [_rates_of(cur, d) for d in days]
        assert [d["day"] for d in body["days"]] == [d.isoformat() for d in days]
        for shown, wanted in zip(body["days"], expected):
            assert {f: shown[f] for f in FIELDS} == wanted["counts"]
            assert {k: shown[k] for k in body["names"]} == wanted["rates"]
    with projected(api) as cur:
        resolved = [c for c in cases(cur) if c["resolved_at"] is not None]
    assert body["total"]["resolved"] == len(resolved) == 36  # each case's resolution counted once
    assert body["total"]["satisfaction"] == "0.9722"  # 35 of 36 satisfied, as the demo reports


def test_the_rate_window_ends_on_the_last_day_counted_on_or_before_the_day(api: Api) -> None:
    with projected(api) as cur:
        reported = {c["reported_at"].astimezone(CHINA_STANDARD_TIME).date() for c in cases(cur)}
        last = _last_counted(cur, date.fromisoformat(DAY))
    assert reported == {date(2021, 12, 1)} and last == date(2021, 12, 5)  # the demo's days
    moved = read(api, "reader", f"/api/v1/dashboard?on={DAY}")["rates"]
    assert (moved["first"], moved["last"], moved["last_counted"], moved["moved_back"]) == (
        "2021-11-06",
        "2021-12-05",
        "2021-12-05",
        True,
    )
    assert "2021-12-01" in {d["day"] for d in moved["days"] if d["dispatched"]}  # the cases' day is in
    assert moved["total"]["response"] is not None and moved["total"]["signed"] > 0
    counted_on_the_day = read(api, "reader", "/api/v1/dashboard?on=2021-12-02")["rates"]
    assert (counted_on_the_day["last"], counted_on_the_day["moved_back"]) == ("2021-12-02", False)
    nothing_yet = read(api, "reader", "/api/v1/dashboard?on=2021-11-30")["rates"]
    assert (nothing_yet["first"], nothing_yet["last"]) == ("2021-11-01", "2021-11-30")
    assert nothing_yet["last_counted"] is None and nothing_yet["moved_back"] is False
    assert all(v is None for k, v in nothing_yet["total"].items() if k in nothing_yet["names"])


def test_the_rate_window_holds_within_the_calendar(api: Api) -> None:
    first = read(api, "reader", "/api/v1/dashboard?on=0001-01-01")["rates"]
    assert (first["first"], first["last"], first["last_counted"]) == ("0001-01-01", "0001-01-01", None)
    assert [d["day"] for d in first["days"]] == ["0001-01-01"]
    last = read(api, "reader", "/api/v1/dashboard?on=9999-12-31")["rates"]
    assert (last["last"], last["moved_back"], len(last["days"])) == ("2021-12-05", True, 30)


def test_the_answer_names_the_towns_departments_and_parties_it_shows(api: Api) -> None:
    body = read(api, "reader", f"/api/v1/dashboard?on={DAY}")
    names, overdue = body["names"], body["cases"]["overdue_list"]
    shown = (
        {t["town"] for t in body["towns"]}
        | {r["department"] for r in body["monitors"]["departments"]}
        | {r["town"] for r in body["monitors"]["towns"]}
        | {t["town"] for t in body["cases"]["by_town"]}
        | {code for o in overdue for code in (o["town"], o["lead"])}
    )
    assert set(names) <= shown  # only what the answer shows is named
    with projected(api) as cur:
        for town in body["towns"]:  # a town's name is the one it registered (镇街机构设置)
            assert names[town["town"]] == town["name"] == town_model(cur, town["town"])["name"]
        duties = territorial_duties_for(cur, "TOWN")
    leads = {r["lead"]: r["lead_duty"] for r in duties}
    assert names["JB-CICHENG"] == "慈城镇"
    assert names["JB-ZHZF"] == "区综合行政执法局" and leads["JB-ZHZF"].startswith("区综合行政执法局：")
    assert names["district-centre"] == "区社会治理中心"  # the district's command centre (settings' code)
    assert {o["lead"] for o in overdue} >= {"JB-ZHZF", "district-centre"}
    assert "AN-NRP" in shown and "AN-NRP" not in names  # named by no read model: left as a code


def test_the_page_is_public_and_holds_no_figures(api: Api) -> None:
    client, _ = api
    page = client.get("/dashboard")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert "JB-CICHENG" not in page.text and 'data-figure="' not in page.text
    for asset in ("dashboard.js", "dashboard-tables.js", "dashboard-charts.js", "dashboard.css"):
        assert f"/dashboard/static/{asset}" in page.text
        assert client.get(f"/dashboard/static/{asset}").status_code == 200


def test_the_burden_counts_are_the_monitors_of_the_day(api: Api) -> None:
    body = read(api, "reader", f"/api/v1/dashboard?on={DAY}")
    with projected(api) as cur:
        found = plain(monitors(cur, date.fromisoformat(DAY), 2021))["burden"]
    assert body["burden"] == found
    street = next(r for r in found if (r["district"], r["kind"]) == ("AN", "indicator"))
    assert street["cleared"] == 73 and street["after"] == street["before"] - 73


def test_the_community_worker_ratios_are_the_monitors_of_the_day(api: Api) -> None:
    body = read(api, "reader", f"/api/v1/dashboard?on={DAY}")
    with projected(api) as cur:
        found = plain(monitors(cur, date.fromisoformat(DAY), 2021))["workers"]
    assert body["workers"] == found
    luohe = [r for r in found if r["city"] == "LH"]
    assert (
        sum(r["workers"] for r in luohe if r["level"] == "district") == 1692
    )  # 378 recruited: 18 per 10,000
    assert len(luohe) == 3 + 14 and all(r["met"] for r in luohe) and {r["standard"] for r in luohe} == {18}
