"""Duties and town organisation through their own topics, the intake and the read models."""

from __future__ import annotations

from contracts.duties import commands as d
from contracts.organisation import commands as o
from projections.duties.refused import refused_pushdowns
from projections.organisation.structure import town_structure
from tests.support import Intake, encoded, from_bureau

STREET = "BH-WANNIANBU"


def test_a_push_down_never_admitted_is_kept_as_evidence_and_the_sender_is_told(intake: Intake) -> None:
    push = from_bureau(
        d.PushDownDuty, "push/x01", d.DutyPushDown(department="AN-CGJ", duty="AN-CGJ-X01", town="AN-JD-PILOT")
    )
    worker = intake.run(encoded([push]))

    assert (worker.intake.stats.refused, worker.intake.stats.events > 0) == (1, True)
    with intake.read_models() as cur:
        [refusal] = refused_pushdowns(cur, department="AN-CGJ")
        assert (refusal["duty"], refusal["town"], refusal["message_id"]) == (
            "AN-CGJ-X01",
            "AN-JD-PILOT",
            push.message_id,
        )
    [letter] = intake.dead_letters()
    assert (letter.rule, letter.message_id, letter.topic) == (
        "DutyNotAdmitted",
        push.message_id,
        intake.settings.topics.duties,
    )


def test_a_second_supervisor_for_one_unit_is_dead_lettered_and_the_first_stays(intake: Intake) -> None:
    street = o.TownDetails(
        code=STREET, name="万年埠街道", district_name="合肥市包河区", kind="street", model="一办七部两中心"
    )
    commands = [
        from_bureau(o.RegisterTown, "t", street),
        from_bureau(
            o.EstablishUnit,
            "u",
            o.UnitDetails(town=STREET, unit="URBAN", name="城市管理部", kind="department", type="integrated"),
        ),
        from_bureau(
            o.AssignSupervisor,
            "s1",
            o.Supervision(town=STREET, unit="URBAN", leader="L1", leader_name="副主任甲"),
        ),
        from_bureau(
            o.AssignSupervisor,
            "s2",
            o.Supervision(town=STREET, unit="URBAN", leader="L2", leader_name="副主任乙"),
        ),
    ]
    worker = intake.run(encoded(commands))

    assert (worker.intake.stats.applied, worker.intake.stats.dead_lettered) == (3, 1)
    with intake.read_models() as cur:
        assert [(u["code"], u["leader"]) for u in town_structure(cur, STREET)] == [("URBAN", "L1")]
    [letter] = intake.dead_letters()
    assert (letter.rule, letter.message_id) == ("UnitAlreadySupervised", commands[3].message_id)


def test_a_command_on_another_familys_topic_is_dead_lettered_naming_its_topic(intake: Intake) -> None:
    town = from_bureau(
        o.RegisterTown,
        "town/on-powers",
        o.TownDetails(
            code="BH-WRONG", name="错投街道", district_name="合肥市包河区", kind="street", model="一办七部"
        ),
    )
    topics = intake.settings.topics
    worker = intake.run(encoded([town]), on=topics.commands)  # the powers' topic

    assert (worker.intake.stats.applied, worker.intake.stats.dead_lettered) == (0, 1)
    with intake.read_models() as cur:
        assert town_structure(cur, "BH-WRONG") == []
    [letter] = intake.dead_letters()
    assert (letter.rule, letter.message_id, letter.topic) == ("WrongTopic", town.message_id, topics.commands)
    assert (
        letter.error
        == f"town.register was published on {topics.commands}; it belongs on {topics.organisation}"
    )
