"""`govledger inventory duties|quotas|pool --as-of D [--known-at K]` on the demo's data."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from infra.axes import as_of, moment
from infra.demo import duties as demo_duties
from infra.demo import organisation as demo_organisation
from infra.demo import quotas as demo_quotas
from infra.demo import territorial as demo_territorial
from tests.support import cli_json, demo_ledger, project
from tests.unit.builders import ctx

TODAY = date.today().isoformat()


@pytest.fixture()
def between(cli_database: str) -> str:
    """The demo, then three changes recorded later and effective earlier: a duty cancelled,
    a departure from a town's quotas, a return to the pool. Yields the moment between."""
    ledger = demo_ledger(cli_database, demo_duties, demo_territorial, demo_organisation, demo_quotas)
    moment = datetime.now(UTC).isoformat()
    ledger.cancel_duty_admission(
        ctx("2022-01-01", reason="兵役登记改由区人武部统一办理"), "AN-ARMED", "AN-SQ-01"
    )
    ledger.vacate_quotas(ctx("2020-06-01"), "DY-SITU", "administrative", 3)
    ledger.return_draw(ctx("2021-10-01"), demo_quotas.POOL, "CICHENG-01", 4)
    project(ledger)
    return moment


def test_a_towns_duty_lists_as_of_a_day_depend_on_when_the_ledger_is_asked(
    between: str, capsys: pytest.CaptureFixture[str]
) -> None:
    base = ("inventory", "duties", "--town", "AN-JD-PILOT", "--as-of", "2022-04-01")
    then, now = cli_json(capsys, *base, "--known-at", between), cli_json(capsys, *base)
    codes = lambda lists, section: {d["code"] for d in lists[section]}

    assert "AN-SQ-01" in codes(then, "basic") and "AN-SQ-01" not in codes(then, "recalled")
    assert "AN-SQ-01" in codes(now, "recalled") and "AN-SQ-01" not in codes(now, "basic")
    assert len(now["basic"]) == len(then["basic"]) - 1
    assert "AN-SQ-01" in codes(
        cli_json(capsys, "inventory", "duties", "--town", "AN-JD-PILOT", "--as-of", "2021-12-31"), "basic"
    )
    assert cli_json(capsys, *base, "--known-at", "2000-01-01")["basic"] == []


def test_a_units_quotas_as_of_a_day_depend_on_when_the_ledger_is_asked(
    between: str, capsys: pytest.CaptureFixture[str]
) -> None:
    base = ("inventory", "quotas", "--unit", "DY-SITU", "--as-of", "2020-06-01")
    admin = lambda found: next(q for q in found["quotas"] if q["kind"] == "administrative")
    then, now = admin(cli_json(capsys, *base, "--known-at", between)), admin(cli_json(capsys, *base))
    eve = admin(cli_json(capsys, "inventory", "quotas", "--unit", "DY-SITU", "--as-of", "2020-05-31"))

    assert (then["approved"], then["occupied"]) == (now["approved"], now["occupied"] + 3)
    assert eve["occupied"] == then["occupied"] == 28
    assert now["approved"] == 30 + 15  # 核定 30 on 2019-12-01, +15 moved down on 2020-01-06


def test_the_pool_as_of_a_day_depends_on_when_the_ledger_is_asked(
    between: str, capsys: pytest.CaptureFixture[str]
) -> None:
    base = ("inventory", "pool", "--as-of", "2021-10-01")
    then, now = cli_json(capsys, *base, "--known-at", between), cli_json(capsys, *base)
    cicheng = lambda found: next(d for d in found["draws"] if d["draw"] == "CICHENG-01")

    assert (cicheng(then)["outstanding"], cicheng(now)["outstanding"]) == (10, 6)
    [pool_then], [pool_now] = then["pools"], now["pools"]
    assert pool_now["available"] == pool_then["available"] + 4
    eve = cli_json(capsys, "inventory", "pool", "--pool", demo_quotas.POOL, "--as-of", "2021-09-30")
    assert cicheng(eve)["outstanding"] == 10


def test_without_as_of_the_views_answer_as_today_and_agree_with_as_of_today(
    between: str, capsys: pytest.CaptureFixture[str]
) -> None:
    duties = ("inventory", "duties", "--town", "AN-JD-PILOT")
    quotas = ("inventory", "quotas", "--unit", "DY-SITU")
    pool = ("inventory", "pool")

    assert cli_json(capsys, *duties) == cli_json(capsys, *duties, "--as-of", TODAY)
    assert cli_json(capsys, *quotas) == cli_json(capsys, *quotas, "--as-of", TODAY)
    today = cli_json(capsys, *pool)
    assert {d["status"] for d in today["draws"]} >= {"rejected", "expired"}  # every draw, as before
    assert today["pools"] == cli_json(capsys, *pool, "--as-of", TODAY)["pools"]


def test_the_two_axes_are_read_from_plain_values_for_the_command_line_and_the_api_alike() -> None:
    before = datetime.now(UTC)
    day, known = as_of("2021-12-31", None)
    assert day == date(2021, 12, 31) and known >= before
    assert as_of(date(2021, 12, 31), "2022-01-01") == (date(2021, 12, 31), moment("2022-01-01"))
    assert as_of(None, "2022-01-01")[0] == date.today()
    assert as_of(None, None) is None and as_of("", None) is None
