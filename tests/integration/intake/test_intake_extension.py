"""Items extended to communities through Kafka, the intake and PostgreSQL: on the powers topic,
keyed by the item, an extension follows the delegation it rests on; one of an item the town
does not hold is dead-lettered with its rule; the read model counts the cases handled."""

from __future__ import annotations

from datetime import UTC, date, datetime

from contracts.extension import commands as x
from projections.extension.register import extended_as_of, items_as_of
from tests.support import Intake, delegate, encoded, from_bureau, register, select

T, SQ, CUN = "JB-CICHENG", "JB-CICHENG-SQ01", "JB-CICHENG-CUN01"


def _sent(cls: type, payload: object, on: str, **envelope: object) -> object:
    at = datetime.fromisoformat(f"{on}T09:00:00+08:00")
    return from_bureau(cls, f"{cls.__name__}/{payload}", payload, at, effective_at=at, **envelope)


def test_an_extension_rests_on_its_delegation_and_one_of_an_item_not_held_is_dead_lettered(
    intake: Intake,
) -> None:
    commands = [register("P1"), register("P2"), *delegate("P1", T)]  # P2 is never delegated to the town
    commands += [
        _sent(x.ExtendItem, x.Reach(item="P1", town=T, communities=(SQ, CUN)), "2021-08-01"),
        _sent(
            x.RecordHandled,
            x.HandledCount(item="P1", town=T, community=SQ, period="2021-08", count=40),
            "2021-09-05",
        ),
        _sent(
            x.RecordHandled,
            x.HandledCount(item="P1", town=T, community=CUN, period="2021-08", count=2),
            "2021-09-05",
        ),
        _sent(x.WithdrawExtension, x.Reach(item="P1", town=T, communities=(CUN,)), "2021-10-01"),
        _sent(x.ExtendItem, x.Reach(item="P2", town=T, communities=(SQ,)), "2021-08-01"),
    ]
    worker = intake.run(encoded(commands))

    assert worker.intake.stats.dead_lettered == 1
    [[(rule, topic, error)]] = select(intake.database_url, "SELECT rule, topic, error FROM dead_letters")
    assert (rule, topic) == ("ItemNotHeldByTown", intake.settings.topics.commands)
    assert "does not hold P2 on 2021-08-01" in error
    with intake.read_models() as cur:
        now = datetime.now(UTC)
        rows = extended_as_of(cur, T, None, date(2021, 9, 30), now)
        assert [(r["item"], r["community"], r["handled"]) for r in rows] == [("P1", CUN, 2), ("P1", SQ, 40)]
        [item] = items_as_of(cur, T, date(2021, 12, 31), now)
        assert (item["item"], item["department"], item["communities"], item["handled"]) == (
            "P1",
            "JB-GREEN",
            1,
            42,
        )
