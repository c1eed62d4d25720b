"""The cadre reserve through Kafka, the intake and PostgreSQL: 包河's AB库 demo on the staffing
topic — the district's rule first, the streets' reserves after — refuses exactly its two bad
commands, dead-lettered with their rules, and the read models show the tiers and appointments."""

from __future__ import annotations

from datetime import UTC, date, datetime

from infra.bootstrap import build_ledger
from infra.demo import reserve as demo_reserve
from projections.reserve.register import appointments_as_of, reserve_as_of
from tests.support import Intake, select
from tests.unit.builders import with_streets


def test_the_reserve_demo_through_kafka_refuses_only_its_bad_commands(intake: Intake) -> None:
    with build_ledger(intake.database_url) as ledger:  # the streets, as organisation and jurisdictions do
        with_streets(demo_reserve.STREETS, demo_reserve.DISTRICT, ledger=ledger)
    intake.run(demo_reserve.rule_commands())  # its own key: taken in before the reserves that read it
    worker = intake.run(demo_reserve.demo_commands())

    stats = worker.intake.stats
    assert (stats.applied, stats.dead_lettered) == (len(demo_reserve.demo_commands()) - 2, 2)
    [letters] = select(intake.database_url, "SELECT rule, topic, error FROM dead_letters ORDER BY rule")
    assert [rule for rule, _topic, _error in letters] == sorted(demo_reserve.BAD_RULES)
    assert {topic for _rule, topic, _error in letters} == {intake.settings.topics.staffing}
    assert "tier A takes cadres from tier B only" in letters[0][2]
    with intake.read_models() as cur:
        on, now = date(2021, 12, 31), datetime.now(UTC)
        summary = {
            r["town"]: (r["tier_b"], r["tier_a"], r["appointed"], r["removed"])
            for r in reserve_as_of(cur, None, on, now)
        }
        assert summary == {"BH-CHANGQING": (4, 2, 2, 0), "BH-WANNIANBU": (5, 3, 4, 1)}
        principal = [a for a in appointments_as_of(cur, None, on, now) if a["office"] == "principal"]
        assert len(principal) == 3 and {a["from_tier"] for a in principal} == {"A"}
