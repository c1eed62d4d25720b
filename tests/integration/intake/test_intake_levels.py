"""The levels and the community workers through Kafka, the intake and the read models: the units
of administration (organisation topic) first, then the scales, standards, registers and the
city's quota top-up (staffing topic), as the demo sends them; what breaks a rule is
dead-lettered with it."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from contracts.community_workers import commands as w
from contracts.jurisdictions import commands as j
from contracts.organisation import commands as o
from infra.demo import community_workers as demo_workers
from infra.demo import jurisdictions as demo_units
from projections.community_workers.monitor import worker_ratios
from projections.community_workers.register import workers_on
from projections.jurisdictions.tree import jurisdiction_tree, residents_on
from projections.quotas.ledgers import quota_ledger
from tests.support import Intake, encoded, from_bureau, isolated_settings, select


def test_units_and_registers_flow_through_the_intake_into_the_tree_the_register_and_the_monitor(
    database_url: str, broker: str
) -> None:
    intake = Intake(database_url, broker, isolated_settings(partitions=1))  # one partition: in order
    town = o.TownDetails(
        code="AN-JD-PILOT", name="**街道", district_name="AN", kind="street", model="5办2中心1站"
    )
    village = j.JurisdictionDetails(
        code="AN-SQ1", name="某社区", level="community", kind="community", parent="AN-JD-PILOT"
    )
    misplaced = j.JurisdictionDetails(
        code="LH-X", name="某社区", level="community", kind="community", parent="LH-YC"
    )
    extra = [
        from_bureau(o.RegisterTown, "levels/town", town, version=2),
        from_bureau(j.RegisterJurisdiction, "levels/village", village),  # its town: by town.register only
        from_bureau(j.RegisterJurisdiction, "levels/misplaced", misplaced),  # a community under a district
    ]
    units = [m for phase in demo_units.demo_phases() for m in phase] + encoded(extra)
    first = intake.run(units)
    assert (first.intake.stats.applied, first.intake.stats.dead_lettered) == (len(units) - 1, 1)

    unplaced = w.Recruitment(
        community="AN-SQ1",
        recruitment="AN-1",
        method="in_post",
        count=1,
        workers=(w.WorkerPost(worker="AN-SQ1-W1", post_type="staff", pay_grade=1),),
    )
    staffing = (
        demo_units.top_up_commands()
        + demo_workers.setup_commands()
        + demo_workers.register_commands()
        + encoded([from_bureau(w.RecruitWorkers, "levels/unplaced", unplaced)])
    )
    second = intake.run(staffing)
    assert (second.intake.stats.applied, second.intake.stats.dead_lettered) == (len(staffing) - 2, 2)
    [refused] = select(database_url, "SELECT rule, message_type FROM dead_letters ORDER BY rule")
    assert refused == [
        ("DistrictNotKnown", "community_worker.recruit"),  # AN, its district's name, is not registered
        ("ParentNotOneLevelUp", "jurisdiction.register"),
        ("PromotionOutOfStep", "community_worker.promote"),
    ]

    end = date(2021, 12, 31)
    with intake.read_models() as cur:
        luohe = jurisdiction_tree(cur, "LH", end)
        assert [sum(r["level"] == level for r in luohe) for level in ("district", "town", "community")] == [
            3,
            17,
            110,
        ]
        assert (luohe[0]["residents"], luohe[0]["summed"]) == (843_000, True)
        [baohe] = residents_on(cur, "BH", end)
        assert (baohe["residents"], baohe["counted_on"]) == (1_400_000, date(2020, 6, 30))
        assert {r["code"] for r in jurisdiction_tree(cur, "BH", end) if r["level"] == "town"} == set(
            demo_units.BAOHE
        )
        assert jurisdiction_tree(cur, "AN-JD-PILOT", end)[1]["code"] == "AN-SQ1"

        assert (
            len(workers_on(cur, end, district="LH-YH") + workers_on(cur, end, district="LH-YC"))
            + len(workers_on(cur, end, district="LH-ZL"))
            == 1_692
        )
        assert len(workers_on(cur, date(2021, 8, 31), town="LH-ST01")) == sum(
            demo_units.LUOHE_WORKERS[c] - demo_workers.RECRUITED[c]
            for c, (_, street) in demo_units.LUOHE_COMMUNITIES.items()
            if street == "LH-ST01"
        )
        ratios = {(r["level"], r["town"] or r["district"]): r for r in worker_ratios(cur, end)}
        assert all(r["met"] for key, r in ratios.items() if key[1].startswith("LH-"))
        assert ratios["district", "BH"]["standard"] is None and ratios["district", "BH"]["met"] is None
        before = [r for r in worker_ratios(cur, date(2021, 8, 31)) if r["district"].startswith("LH-")]
        assert (
            sum(r["workers"] for r in before if r["level"] == "district")
            == 1_692 - demo_workers.LUOHE_RECRUITED
        )
        assert all(r["met"] is False for r in before)
        assert all(r["per_10000"] >= Decimal(18) for key, r in ratios.items() if key[1].startswith("LH-"))

        street = {row["kind"]: row for row in quota_ledger(cur, "BH-WANNIANBU")}
        assert street["administrative"]["approved"] == 15 + demo_units.TOP_UP  # 区内调剂 + 市级补充
