"""The organisation demo: well-formed, deterministic, and only its one bad command is refused."""

from __future__ import annotations

import collections

import msgspec

from aggregates.organisation.town import Town
from contracts.organisation import commands as c
from infra.contexts import COMMANDS, touches
from infra.contexts import GovernanceLedger as Ledger
from infra.demo.organisation import BAD_RULE, TOWNS, demo_commands
from tests.support import demo_fixtures

decoder = msgspec.json.Decoder(c.OrganisationCommand)
FIVE = ["党建综合办公室", "发展服务办公室", "平安法治办公室", "公共服务办公室", "综合信息指挥室"]


messages, commands = demo_fixtures(demo_commands, decoder)


def town(ledger: Ledger, code: str) -> Town:
    found = ledger.find(Town.create_id(code))
    assert isinstance(found, Town)
    return found


def test_every_message_decodes_is_keyed_by_its_town_and_is_stable(messages, commands) -> None:
    for (key, _), command in zip(messages, commands):
        p = command.payload
        assert key == (p.code if isinstance(command, c.RegisterTown) else p.town).encode()
        assert type(command) in COMMANDS.touched and touches(command) == [Town.create_id(key.decode())]
    ids = [command.message_id for command in commands]
    assert len(ids) == len(set(ids))
    assert demo_commands() == messages


def test_envelopes_carry_audit_fields(commands) -> None:
    for command in commands:
        assert command.occurred_at.tzinfo is not None and command.actor.role == "编办"
        assert command.document_no and command.correlation_id
        if isinstance(command, (c.MergeUnits, c.RemovePlaque, c.ReleaseSupervisor)):
            assert command.reason
    counts = collections.Counter(type(command) for command in commands)
    assert counts[c.RegisterTown] == len(TOWNS) == 10 and counts[c.MergeUnits] == 1


def test_applying_in_order_refuses_only_the_second_supervisor(applied, commands) -> None:
    _, refused = applied
    assert [rule for _, rule in refused] == [BAD_RULE]
    bad = refused[0][0]
    assert isinstance(bad, c.AssignSupervisor) and bad.payload.unit == "URBAN"
    release, reassign = commands[-2:]  # the explicit release, then the same assignment anew
    assert bad is commands[-3] and isinstance(release, c.ReleaseSupervisor)
    assert reassign.payload == bad.payload and reassign.message_id != bad.message_id


def test_jiangbei_towns_run_five_plus_x_with_one_leader_per_unit(applied) -> None:
    ledger, _ = applied
    for code in ("JB-CICHENG", "JB-ZHUANGQIAO", "JB-ZHONGMA"):
        jb = town(ledger, code)
        names = [u.details.name for u in jb.units]
        assert jb.details.model == "5+X" and names[:5] == FIVE
        assert {u.details.type for u in jb.units[5:]} <= {"special"}
        assert {u for u, _ in jb.supervisions} == {u.code for u in jb.units}
        assert len({leader for _, leader in jb.supervisions}) == len(jb.units)
    cicheng = town(ledger, "JB-CICHENG")
    assert (len(cicheng.units), cicheng.details.kind) == (7, "town")
    assert len(town(ledger, "JB-ZHONGMA").units) == 5


def test_the_street_report_street_has_5_offices_2_centres_1_station_and_13_plaques_cleared(
    applied,
) -> None:
    ledger, _ = applied
    anon = town(ledger, "AN-JD-PILOT")
    active = [u for u in anon.units if u.status == "active"]
    kinds = collections.Counter(u.details.kind for u in active)
    assert kinds == {"office": 5, "centre": 2, "station": 1}
    assert [u.merged_into for u in anon.units if u.status == "merged"] == ["PARTY-COMMUNITY"] * 2
    assert anon.plaques_removed == 13 and len(anon.plaques) == 15
    assert {u for u, _ in anon.supervisions} == {u.code for u in active}


def test_the_baohe_street_has_one_office_seven_departments_two_centres(applied) -> None:
    ledger, _ = applied
    bh = town(ledger, "BH-WANNIANBU")
    kinds = collections.Counter(u.details.kind for u in bh.units)
    assert kinds == {"office": 1, "department": 7, "centre": 2}
    assert [u.details.name for u in bh.units if u.details.type == "special"] == ["文化旅游体育部"]
    assert bh.supervisor_of("URBAN") == "BH-WANNIANBU-L11"  # after the explicit release
    assert len(bh.supervisions) == 10 == len({leader for _, leader in bh.supervisions})
