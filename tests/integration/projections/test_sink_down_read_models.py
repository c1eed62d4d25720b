"""The sink-down roster and monitors on a real PostgreSQL: who is where, shares, growth, erasure."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from decimal import Decimal
from itertools import count
from typing import Any

from aggregates.sinkdown.transfer import Person, SinkDownTransfer, TransferDetails
from infra.bootstrap import build_ledger
from infra.contexts import GovernanceLedger as Ledger
from projections.runner import ProjectionRunner
from projections.sinkdown.monitors import department_sink_down_shares, town_enforcement_growth
from projections.sinkdown.roster import SinkDownRoster, adjustments, roster
from tests.support import clerk, rebuilt_row_counts

A, B = "AN-JD-PILOT", "AN-JD-B"
TEAM = "**街道综合行政执法队"
ctx = clerk("an-bianban", "编办", "机构编制管理系统", "**编〔2021〕20号", ids=(f"m-{n}" for n in count(1)))


def staff(ledger: Ledger, prefix: str, n: int, enforcement: bool = True) -> tuple[Person, ...]:
    return tuple(
        Person(
            f"{prefix}{k:02d}",
            "执法队员",
            enforcement,
            None,
            ledger.vault.seal(f"{prefix}{k:02d}", {"name": f"人员{prefix}{k:02d}", "id_number": "TEST"}),
        )
        for k in range(1, n + 1)
    )


def transfer(
    ledger: Ledger, code: str, details: TransferDetails, persons: tuple[Person, ...], veto: str | None = None
) -> None:
    ledger.propose_sink_down(ctx("2021-09-01"), code, details, persons)
    if veto:
        ledger.veto_sink_down(ctx("2021-09-05", veto), code)
        return
    ledger.consent_to_sink_down(ctx("2021-09-05"), code)
    ledger.make_sink_down_effective(ctx("2021-09-10"), code)


def _scenario(ledger: Ledger) -> None:
    """城管 (comprehensive, baseline 10) sinks 8 down fully into A; 市场监管 (other, baseline 6)
    stations 2 enforcement staff and a clerk in A and keeps one liaison for B; B vetoes 应急's
    transfer. In October one stationed person is rotated and one fully devolved is recalled."""
    for unit, level, category, n in (
        ("AN-CG", "district", "comprehensive", 10),
        ("AN-SJ", "district", "other", 6),
        (A, "town", None, 5),
        (B, "town", None, 4),
    ):
        ledger.declare_enforcement_staff(ctx("2021-01-01"), unit, level, category, n, date(2020, 12, 31))
    transfer(ledger, "CG-A", TransferDetails("AN-CG", A, "full", TEAM), staff(ledger, "CG", 8))
    transfer(
        ledger,
        "SJ-A",
        TransferDetails("AN-SJ", A, "stationed", TEAM),
        staff(ledger, "SJ", 2) + staff(ledger, "SJC", 1, enforcement=False),
    )
    transfer(ledger, "SJ-B", TransferDetails("AN-SJ", B, "liaison", "挂点联系"), staff(ledger, "SJL", 1))
    transfer(
        ledger,
        "YJ-B",
        TransferDetails("AN-YJ", B, "stationed", TEAM),
        staff(ledger, "YJ", 2),
        veto="执法队岗位已满编",
    )
    ledger.consult_adjustment(ctx("2021-10-01"), "SJ-A", "SJ01", "rotate", True)
    ledger.rotate_sunk_person(ctx("2021-10-08", "轮岗交流"), "SJ-A", "SJ01", staff(ledger, "SJN", 1)[0])
    ledger.recall_sunk_person(ctx("2021-10-15", "工作需要"), "CG-A", "CG08")


@contextmanager
def projected(database_url: str, page: int = 5000) -> Iterator[tuple[Ledger, ProjectionRunner, Any]]:
    ledger = build_ledger(database_url)
    _scenario(ledger)
    runner = ProjectionRunner(ledger, [SinkDownRoster()], name="sink_down", page=page)
    runner.catch_up()
    with ledger.recorder.datastore.transaction(commit=False) as cur:
        yield ledger, runner, cur


def test_the_roster_shows_who_serves_where_today_and_on_a_past_day(database_url: str) -> None:
    with projected(database_url) as (_, _, cur):
        today = roster(cur, town=A)
        assert len(today) == 7 + 3  # 城管 CG01..07, 市场监管 SJ02, the clerk, and SJN01
        assert {r["person"] for r in roster(cur, department="AN-SJ", town=A)} == {"SJ02", "SJC01", "SJN01"}
        newcomer = next(r for r in today if r["person"] == "SJN01")
        assert (newcomer["mode"], newcomer["since"], newcomer["replaces"]) == (
            "stationed",
            date(2021, 10, 8),
            "SJ01",
        )
        assert len(roster(cur, town=A, on=date(2021, 9, 30))) == 8 + 3
        assert roster(cur, on=date(2021, 9, 9)) == []
        assert [r["mode"] for r in roster(cur, town=B)] == ["liaison"]  # the vetoed pair is absent
        assert set(today[0]) >= {"person", "post", "department", "team", "transfer"}
        assert not any("人员" in str(v) or "pd1." in str(v) for r in today for v in r.values())


def test_department_shares_count_full_and_stationed_enforcement_staff_against_targets(
    database_url: str,
) -> None:
    with projected(database_url) as (_, _, cur):
        shares = {r["department"]: r for r in department_sink_down_shares(cur, date(2021, 9, 30))}
        cg, sj = shares["AN-CG"], shares["AN-SJ"]
        assert (cg["sunk"], cg["baseline"], cg["share"], cg["target"], cg["met"]) == (
            8,
            10,
            Decimal("0.8000"),
            Decimal("0.80"),
            True,
        )
        assert (sj["sunk"], sj["liaison"], sj["share"], sj["target"], sj["met"]) == (
            2,
            1,
            Decimal("0.3333"),
            Decimal("0.50"),
            False,
        )  # the clerk holds no enforcement post
        assert "AN-YJ" not in shares  # vetoed: nothing sunk, no baseline declared

        after = {r["department"]: r for r in department_sink_down_shares(cur, date(2021, 12, 31))}
        assert (after["AN-CG"]["sunk"], after["AN-CG"]["met"]) == (7, False)  # one recalled
        assert after["AN-SJ"]["sunk"] == 2  # rotation: one out, one in


def test_town_growth_is_set_beside_jiangbeis_58_percent(database_url: str) -> None:
    with projected(database_url) as (_, _, cur):
        growth = {r["town"]: r for r in town_enforcement_growth(cur, date(2021, 9, 30))}
        assert (growth[A]["baseline"], growth[A]["sunk"], growth[A]["total"]) == (5, 10, 15)
        assert (growth[A]["growth"], growth[A]["reference"], growth[A]["met"]) == (
            Decimal("2.0000"),
            Decimal("0.58"),
            True,
        )
        assert (growth[B]["sunk"], growth[B]["growth"], growth[B]["met"]) == (0, Decimal("0.0000"), False)


def test_adjustments_are_listed_with_the_towns_prior_consultation(database_url: str) -> None:
    with projected(database_url) as (_, _, cur):
        rows = adjustments(cur)
        assert [(r["transfer"], r["person"], r["kind"], r["on_day"], r["consulted_on"]) for r in rows] == [
            ("SJ-A", "SJ01", "rotate", date(2021, 10, 8), date(2021, 10, 1)),
            ("CG-A", "CG08", "recall", date(2021, 10, 15), None),  # full devolution: not required
        ]
        assert rows[0]["replacement"] == "SJN01" and rows[0]["reason"] == "轮岗交流"
        assert [r["person"] for r in adjustments(cur, department="AN-CG")] == ["CG08"]


def test_an_erased_persons_token_no_longer_opens_while_the_counts_stay(database_url: str) -> None:
    figures = lambda cur: (roster(cur), department_sink_down_shares(cur, date(2021, 9, 30)))
    with projected(database_url) as (ledger, runner, cur):
        before = figures(cur)
    stored = ledger.repository.get(SinkDownTransfer.create_id("CG-A"))  # from the event log
    token = stored.member("CG01").person.sealed
    assert ledger.vault.open("CG01", token) == {"name": "人员CG01", "id_number": "TEST"}

    assert ledger.vault.erase("CG01", "本人申请删除个人信息") is True

    assert ledger.vault.open("CG01", token) is None
    assert runner.rebuild() > 0  # replaying the log needs no personal data
    with ledger.recorder.datastore.transaction(commit=False) as cur:
        assert figures(cur) == before and "CG01" in {r["person"] for r in before[0]}


def test_a_rebuild_in_small_pages_reproduces_the_same_rows(database_url: str) -> None:
    tables = ("sink_down_transfers", "sink_down_postings", "sink_down_adjustments", "enforcement_baselines")
    with projected(database_url, page=3) as (_, runner, _):
        assert rebuilt_row_counts(runner, database_url, tables) == [4, 8 + 3 + 1 + 2 + 1, 3, 4]
