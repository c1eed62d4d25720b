"""Appraisals through their own topic, the intake and the league, on real Kafka and PostgreSQL."""

from __future__ import annotations

from decimal import Decimal

import msgspec

from contracts.appraisals import commands as a
from infra.demo.appraisals import BAD_RULES, demo_phases
from projections.appraisals.league import league_table, missing_scores
from tests.support import ACTOR, JUNE, Intake, encoded, mid

S, P, T = "JB-CICHENG-PCS", "2021", "JB-CICHENG"


def _scheme() -> a.DefineScheme:
    return a.DefineScheme(
        message_id=mid("scheme/JB"),
        occurred_at=JUNE,
        actor=ACTOR,
        payload=a.SchemeDetails(
            scheme="JB-PAIZHU",
            title="派驻机构年度考核",
            subject_kind="stationed-agency",
            cadence="yearly",
            parties=tuple(
                a.PartyWeight(party=p, weight=Decimal(w))
                for p, w in (("town", "40"), ("society", "30"), ("department", "30"))
            ),
            bands=(
                a.GradeBand(grade="excellent", floor=Decimal(90)),
                a.GradeBand(grade="failing", floor=Decimal(0)),
            ),
        ),
    )


def _appraisal(
    subject: str, scheme: str = "JB-PAIZHU", scores: tuple[str, ...] = ("90.07", "89.82", "90.07")
) -> list[msgspec.Struct]:
    env = lambda what: {
        "message_id": mid(f"{subject}/{what}"),
        "occurred_at": JUNE,
        "actor": ACTOR,
    }
    ref = {"subject": subject, "period": P}
    return [
        a.OpenAppraisal(**env("open"), payload=a.Opening(**ref, scheme=scheme, name=subject, town=T)),
        *(
            a.ScoreAppraisal(
                **env(party),
                payload=a.PartyScore(**ref, party=party, score=Decimal(score), evidence="年度测评"),
            )
            for party, score in zip(("town", "society", "department"), scores)
        ),
        a.FinaliseAppraisal(**env("finalise"), payload=a.AppraisalRef(**ref)),
    ]


def test_an_appraisal_goes_from_its_scheme_to_the_league_and_rule_breakers_are_told(intake: Intake) -> None:
    intake.run(encoded([_scheme()]))  # the scheme first
    commands = [
        *_appraisal(S),
        *_appraisal("JB-CICHENG-SCJG", scores=("95", "95")),
        *_appraisal("JB-CICHENG-SFS", scheme="JB-NOPE")[:1],
    ]
    worker = intake.run(encoded(commands))

    assert (worker.intake.stats.applied, worker.intake.stats.dead_lettered) == (8, 2)
    with intake.read_models() as cur:
        [row] = league_table(cur, P, "stationed-agency")
        assert (row["subject"], row["total"], row["grade"]) == (S, Decimal("90.00"), "excellent")
        assert row["scores"]["society"] == Decimal("89.82")  # decimals on the wire, exact
        assert [(m["subject"], m["party"]) for m in missing_scores(cur, P)] == [
            ("JB-CICHENG-SCJG", "department")
        ]
    letters = {letter.message_id: letter.rule for letter in intake.dead_letters()}
    assert letters == {commands[-2].message_id: "ScoresMissing", commands[-1].message_id: "SchemeNotDefined"}


def test_the_demo_in_two_phases_leaves_only_its_bad_commands_dead_lettered(intake: Intake) -> None:
    for phase in demo_phases():
        intake.run(phase)

    with intake.read_models() as cur:
        league = league_table(cur, P, "stationed-agency", town=T)
        assert [(r["subject"].removeprefix(f"{T}-"), r["grade"]) for r in league] == [
            ("PCS", "excellent"),
            ("ZHZF", "excellent"),
            ("SCJG", "good"),
            ("SFS", "good"),
            ("ZRZY", "failing"),
        ]
        assert [r["vetoed"] for r in league] == [False] * 4 + [True]
        assert league[0]["satisfaction_rate"] == Decimal("0.972")
        assert [m["party"] for m in missing_scores(cur, P, "stationed-person")] == ["department"]
    rules = sorted(letter.rule for letter in intake.dead_letters())
    assert rules == sorted(BAD_RULES)
