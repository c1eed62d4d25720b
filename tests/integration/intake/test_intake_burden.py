"""The burden-reduction registry end to end: through the broker's duties topic, the intake and
PostgreSQL — a baseline, items imposed and cleared, an unapproved imposition refused and kept."""

from __future__ import annotations

from datetime import date

from contracts.burden import commands as b
from projections.burden.refused import refused_impositions
from projections.burden.registry import burden_counts, department_burden, town_burden
from tests.support import ACTOR, JUNE, Intake, encoded, from_bureau

STREETS = ["AN-JD-PILOT", "AN-JD-EAST"]


def _terms(code: str, name: str, **fields: object) -> b.BurdenTerms:
    return b.BurdenTerms(
        department="AN-CGJ",
        code=code,
        district="AN",
        kind="indicator",
        name=name,
        basis="《考核细则》",
        **fields,
    )


def test_items_are_registered_cleared_and_an_unapproved_imposition_is_refused_and_kept(
    intake: Intake,
) -> None:
    # Given the district's baseline of 2021-06-01, taken in first (it travels keyed by the district)
    baseline = from_bureau(
        b.TakeBurdenBaseline,
        "burden/baseline",
        b.Baseline(district="AN", towns=STREETS),
        effective_at=JUNE,
        document_no="**区委办〔2021〕26号",
    )
    intake.run(encoded([baseline]))

    # When a department's existing indicators are registered, one is cleared, and a new one is
    # imposed on one street without the district's approval
    january, september, november = (JUNE.replace(month=m) for m in (1, 9, 11))
    commands = [
        from_bureau(b.ImposeBurdenItem, "burden/I1", _terms("I1", "台账资料完备率"), effective_at=january),
        from_bureau(b.ImposeBurdenItem, "burden/I2", _terms("I2", "重点任务完成情况"), effective_at=january),
        from_bureau(
            b.ClearBurdenItem,
            "burden/I1/clear",
            b.BurdenRef(department="AN-CGJ", code="I1"),
            effective_at=september,
            reason="以台账留痕代替工作实绩",
        ),
        from_bureau(
            b.ImposeBurdenItem,
            "burden/X1",
            _terms("X1", "考核排名", towns=["AN-JD-PILOT"]),
            effective_at=november,
        ),
    ]
    worker = intake.run(encoded(commands))

    # Then the refusal is recorded (not lost) and the sender told through a dead letter
    assert worker.intake.stats.refused == 1 and worker.intake.stats.applied == 3
    [letter] = intake.dead_letters()
    assert (letter.rule, letter.message_id, letter.topic) == (
        "ImpositionNotApproved",
        commands[-1].message_id,
        intake.settings.topics.duties,
    )
    with intake.read_models() as cur:
        found = department_burden(cur, "AN-CGJ")
        assert [r["code"] for r in found["imposed"]] == ["I2"]
        assert [(r["code"], r["cleared_reason"]) for r in found["cleared"]] == [
            ("I1", "以台账留痕代替工作实绩")
        ]
        assert [r["code"] for r in town_burden(cur, "AN-JD-EAST", date(2021, 7, 1), None)] == ["I1", "I2"]
        [evidence] = refused_impositions(cur, department="AN-CGJ")
        assert (evidence["code"], evidence["town"], evidence["message_id"], evidence["actor"]) == (
            "X1",
            "AN-JD-PILOT",
            commands[-1].message_id,
            ACTOR.id,
        )
        [indicators] = burden_counts(cur, date(2021, 12, 31))
        assert (indicators["kind"], indicators["before"], indicators["after"]) == ("indicator", 2, 1)
