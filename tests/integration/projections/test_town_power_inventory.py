"""The town power inventory on a real PostgreSQL: live updates, as-of days, rebuild."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from aggregates.powers.delegation import AdmissionReview, Finding, SupportPackage
from aggregates.powers.item import ItemDetails
from infra.bootstrap import build_ledger, build_projections
from infra.contexts import GovernanceLedger as Ledger
from infra.settings import Settings
from projections.powers.inventory import town_counts, town_powers
from tests.support import clerk, rebuilt, select

REVIEW = AdmissionReview("区联席会议", Finding(True, "合法"), Finding(True, "合理"))
SUPPORT = SupportPackage(2, Decimal("80000"), 3, "区城管局业务指导")
ctx = clerk("jb-bianban", "编办", "编制系统", "甬北编〔2021〕12号")


def _delegate(ledger: Ledger, item: str, town: str, day: str) -> None:
    ledger.propose_delegation(ctx(day), "B1", item, town, "grant")
    ledger.start_admission_review(ctx(day), "B1", item, town, "区联席会议")
    ledger.approve_delegation(ctx(day), "B1", item, town, REVIEW, SUPPORT)


def _scenario(ledger: Ledger) -> Ledger:
    """Three items, delegated to two towns; one recalled, one renamed. Returns the ledger."""
    for code, kind in (("P1", "licensing"), ("P2", "penalty"), ("P3", "inspection")):
        details = ItemDetails(f"事项{code}", kind, "supervisory", "城市绿化", "条例", "JB-GREEN")
        ledger.register_power_item(ctx("2021-06-01"), code, details)
    _delegate(ledger, "P1", "T1", "2021-07-01")
    _delegate(ledger, "P2", "T1", "2021-07-01")
    _delegate(ledger, "P3", "T2", "2021-08-01")
    ledger.recall_delegation(ctx("2022-03-01", "承接能力不足"), "B1", "P2", "T1")
    ledger.amend_power_item(
        ctx("2021-09-01", "名称调整"),
        "P1",
        ItemDetails("事项P1（新）", "licensing", "supervisory", "城市绿化", "条例", "JB-GREEN"),
    )
    return ledger


def _rows(url: str) -> list[tuple]:
    [rows] = select(
        url, "SELECT d.*, p.name FROM delegations d JOIN power_items p ON p.code = d.item ORDER BY d.id"
    )
    return rows


def test_the_inventory_shows_what_each_town_holds_on_a_given_day(database_url: str) -> None:
    ledger = _scenario(build_ledger(database_url))
    runner = build_projections(ledger, Settings())
    assert runner.catch_up() == ledger.recorder.max_notification_id()

    with ledger.recorder.datastore.transaction() as cur:
        on = lambda day: [r["code"] for r in town_powers(cur, "T1", date.fromisoformat(day))]
        assert on("2021-06-30") == []
        assert on("2021-07-01") == ["P1", "P2"]
        assert on("2022-03-01") == ["P1"]
        held = town_powers(cur, "T1", date(2021, 12, 1))
        assert held[0]["name"] == "事项P1（新）" and held[0]["since"] == date(2021, 7, 1)
        counts = {(r["town"], r["kind"]): r["items"] for r in town_counts(cur, date(2021, 12, 1))}
        assert counts == {("T1", "licensing"): 1, ("T1", "penalty"): 1, ("T2", "inspection"): 1}


def test_a_rebuild_reproduces_the_same_rows(database_url: str) -> None:
    ledger = _scenario(build_ledger(database_url))
    runner = build_projections(ledger, Settings(projection_page=4))  # several pages

    before, after = rebuilt(runner, lambda: _rows(database_url))

    assert after == before
    assert len(before) == 3


def test_the_projection_resumes_from_its_position(database_url: str) -> None:
    ledger = _scenario(build_ledger(database_url))
    runner = build_projections(ledger, Settings(projection_page=5))
    runner.run_once()
    assert runner.position() == 5
    fresh = build_projections(build_ledger(database_url), Settings())  # as after a restart
    fresh.catch_up()
    assert fresh.position() == ledger.recorder.max_notification_id()
    assert len(_rows(database_url)) == 3
