"""`govledger cases` and `govledger metrics` on a real PostgreSQL, and the metrics as
appraisal evidence."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from functools import partial

import msgspec
import pytest

from contracts.linkage import commands as c
from infra.bootstrap import build_ledger
from infra.cli import linkage as cli_linkage
from infra.demo import appraisals as demo_appraisals
from tests.support import CASES_T0 as T0
from tests.support import apply_all, case_command, cli_json, demo_ledger, project

PCS = "JB-CICHENG-PCS"  # a stationed agency the demo appraises for 2021
_at = partial(case_command, "cli-linkage")


def _case(number: str, lead: str, close: str | None) -> list[msgspec.Struct]:
    report = _at(c.ReportCase, 0, c.CaseReport(case=number, source="grid", town="T1", category="litter"))
    out = [
        report,
        _at(
            c.DispatchCase,
            0.1,
            c.Dispatch(
                case=number,
                tier="town",
                lead=lead,
                sign_for_by=T0 + timedelta(hours=2),
                resolve_by=T0 + timedelta(days=3),
                basis="town_daily",
                cause=report.message_id,
            ),
        ),
        _at(c.SignForCase, 0.5 if close else 3, c.PartyAct(case=number, party=lead)),
    ]
    if close:
        out += [
            _at(c.ResolveCase, 5, c.Resolution(case=number, party=lead, outcome="resolved")),
            _at(c.CloseCase, 6, c.Closing(case=number, satisfaction=close)),
        ]
    return out


@pytest.fixture()
def linkage_database(cli_database: str) -> str:
    ledger = demo_ledger(cli_database, demo_appraisals)
    assert (
        apply_all(
            ledger, _case("C1", PCS, "satisfied") + _case("C2", PCS, "dissatisfied") + _case("C3", "T1", None)
        )
        == []
    )
    project(ledger)
    return cli_database


def test_open_cases_of_a_town_and_one_case_s_history(linkage_database, capsys):
    assert [r["number"] for r in cli_json(capsys, "cases", "--town", "T1", "--open")] == ["C3"]
    assert len(cli_json(capsys, "cases", "--town", "T1")) == 3
    history = cli_json(capsys, "cases", "--case", "C1")["history"]
    assert [h["event"] for h in history] == ["reported", "dispatched", "signed_for", "resolved", "closed"]


def test_metrics_of_a_month_rate_each_party(linkage_database, capsys):
    rows = {r["party"]: r for r in cli_json(capsys, "metrics", "--period", "2021-12")}
    assert (rows[PCS]["closed"], Decimal(rows[PCS]["satisfaction"])) == (2, Decimal("0.5"))
    assert Decimal(rows["T1"]["response"]) == 0  # signed for an hour late
    assert cli_json(capsys, "metrics", "--period", "2022") == []


def test_the_figures_go_as_evidence_only_to_subjects_appraised_in_the_period(linkage_database):
    ledger = build_ledger(linkage_database)
    with ledger.recorder.datastore.transaction(commit=False) as cur:
        sent = cli_linkage.evidence(cur, "2021")
        again = cli_linkage.evidence(cur, "2021")
    [evidence] = sent
    assert (evidence.payload.subject, evidence.payload.satisfaction, evidence.payload.cases) == (
        PCS,
        Decimal("0.5"),
        2,
    )
    assert evidence.message_id == again[0].message_id  # unchanged figures: the same message
