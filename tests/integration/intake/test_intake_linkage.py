"""Linkage cases through their own topic, the intake, the register and the metrics, on real
Kafka and PostgreSQL; a command that breaks a rule is dead-lettered and the rest go on."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import msgspec

from aggregates.linkage.case import LinkageCase
from contracts.linkage import commands as c
from infra import bootstrap
from infra.kafka import clients as kafka
from projections.linkage.cases import case_history, cases
from projections.linkage.metrics import metrics, metrics_for
from tests.support import Intake, encoded, from_bureau

CST = timezone(timedelta(hours=8))
T0 = datetime(2021, 7, 1, 9, tzinfo=CST)
CASE, TOWN, ZHZF, SCJG = "JB-12345-0001", "JB-CICHENG", "JB-ZHZF", "JB-SCJG"


def _send(cls: type, hours: float, payload: Any, **envelope: Any) -> Any:
    return from_bureau(
        cls, f"linkage/{cls.__name__}/{hours}", payload, T0 + timedelta(hours=hours), **envelope
    )


def _happy_path() -> list[Any]:
    """12345 reports; the router dispatches to the town with the enforcement bureau; both sign
    for, the bureau reports in, the town handles and resolves; the citizen is satisfied."""
    act = lambda cls, h, party: _send(cls, h, c.PartyAct(case=CASE, party=party))
    report = _send(
        c.ReportCase, 0, c.CaseReport(case=CASE, source="hotline", town=TOWN, category="illegal-building")
    )
    return [
        report,
        _send(
            c.DispatchCase,
            1,
            c.Dispatch(
                case=CASE,
                tier="town",
                lead=TOWN,
                cooperating=(ZHZF,),
                sign_for_by=T0 + timedelta(days=1),
                resolve_by=T0 + timedelta(days=7),
                basis="town_daily",
                cause=report.message_id,
            ),
        ),
        act(c.SignForCase, 2, ZHZF),
        act(c.SignForCase, 3, TOWN),
        act(c.ReportIn, 4, ZHZF),
        act(c.HandleCase, 5, TOWN),
        _send(c.ResolveCase, 48, c.Resolution(case=CASE, party=TOWN, outcome="resolved")),
        _send(c.CloseCase, 72, c.Closing(case=CASE, satisfaction="satisfied")),
    ]


def test_a_case_goes_from_its_report_to_the_register_and_the_metrics_and_a_stranger_is_told(
    intake: Intake,
) -> None:
    commands = _happy_path()
    stranger = _send(c.SignForCase, 2.5, c.PartyAct(case=CASE, party=SCJG))  # not a party
    commands.insert(3, stranger)
    assert kafka.command_key(msgspec.json.encode(stranger)) == CASE.encode()  # one partition
    worker = intake.run(encoded(commands))

    assert (worker.intake.stats.applied, worker.intake.stats.dead_lettered) == (8, 1)
    [letter] = intake.dead_letters()
    assert (letter.rule, letter.message_id, letter.topic) == (
        "NotAParty",
        stranger.message_id,
        intake.settings.topics.linkage,
    )
    with intake.read_models() as cur:
        [row] = cases(cur, town=TOWN)
        assert (
            row["number"],
            row["status"],
            row["lead"],
            row["outcome"],
            row["satisfaction"],
            row["signed_at"],
            row["closed_at"],
        ) == (
            CASE,
            "closed",
            TOWN,
            "resolved",
            "satisfied",
            T0 + timedelta(hours=3),
            T0 + timedelta(hours=72),
        )
        assert [h["event"] for h in case_history(cur, CASE)] == [
            "reported",
            "dispatched",
            "signed_for",
            "signed_for",
            "reported_in",
            "handled",
            "resolved",
            "closed",
        ]
        town = metrics_for(cur, TOWN, "2021-07")
        assert town is not None
        assert (
            town["dispatched"],
            town["signed_on_time"],
            town["solved"],
            town["satisfied"],
            town["response"],
            town["satisfaction"],
        ) == (1, 1, 1, 1, Decimal("1.0000"), Decimal("1.0000"))
        assert [(m["party"], m["dispatched"], m["signed"]) for m in metrics(cur, "2021-07-01")] == [
            (TOWN, 1, 1),
            (ZHZF, 1, 1),
        ]
    reader = bootstrap.build_ledger(intake.database_url)
    [closing] = [e for e in reader.events.get(LinkageCase.create_id(CASE)) if type(e).__name__ == "Closed"]
    assert closing.ctx.message_id == commands[-1].message_id
