"""The territorial demo: Jiangbei's 77 duties and 15 scenarios, well-formed and all applicable."""

from __future__ import annotations

import re

import msgspec

from aggregates.territorial.duty import MECHANISMS, TOWN, TerritorialDuty
from aggregates.territorial.scenario import JointEnforcementScenario
from contracts.envelope import Actor
from contracts.territorial import commands as c
from contracts.territorial import events as out
from infra.contexts import GovernanceLedger as Ledger
from infra.contexts import apply, touches
from infra.demo.catalogue import TOWNS
from infra.demo.territorial import DISTRICT, NAMES, demo_commands
from infra.kafka.clients import command_key
from tests.support import demo_fixtures

CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:/-]*$")
decoder = msgspec.json.Decoder(c.TerritorialCommand)


messages, commands = demo_fixtures(demo_commands, decoder)


def of_type(commands: list[c.TerritorialCommand], cls: type) -> list:
    return [command.payload for command in commands if isinstance(command, cls)]


def test_message_ids_are_unique_and_stable(messages, commands) -> None:
    ids = [command.message_id for command in commands]
    assert len(ids) == len(set(ids))
    assert demo_commands() == messages


def test_keys_are_the_codes_the_intake_would_key_by(messages, commands) -> None:
    for (key, value), command in zip(messages, commands):
        assert key == command.payload.code.encode() == command_key(value)


def test_jiangbei_lists_77_territorial_duties_with_guideline_example_and_flow(commands) -> None:
    duties = of_type(commands, c.RegisterTerritorialDuty)
    assert len(duties) == 77 and len({d.code for d in duties}) == len({d.name for d in duties}) == 77
    assert {d.district for d in duties} == {DISTRICT} and len({d.domain for d in duties}) == 11
    assert len({d.guideline for d in duties}) == 77 and all(d.example and d.flow for d in duties)
    assert {m for d in duties for m in d.mechanisms} == set(MECHANISMS)
    parties = {p.unit for d in duties for p in (d.lead, *d.cooperating)}
    assert parties - {TOWN} <= set(NAMES) and all(CODE.match(unit) for unit in parties)
    town_led = [d for d in duties if d.lead.unit == TOWN]
    assert 15 <= len(town_led) <= 30  # mostly department-led, the town cooperating


def test_jiangbei_lists_15_joint_enforcement_scenarios_for_its_streets(commands) -> None:
    scenarios = of_type(commands, c.RegisterJointScenario)
    assert len(scenarios) == 15 and len({s.category for s in scenarios}) == 15
    assert {"illegal_construction", "cooking_fumes", "street_vending"} <= {s.category for s in scenarios}
    assert {town for s in scenarios for town in s.towns} <= set(TOWNS)
    assert {s.lead for s in scenarios} | {d for s in scenarios for d in s.cooperating} <= set(NAMES)
    assert sum(not s.towns for s in scenarios) == 2  # rural ones: every town
    assert all("JB-CICHENG" not in s.towns for s in scenarios)  # 在街道推行属地联动执法


def test_every_command_applies_without_breaking_a_rule(commands) -> None:
    ledger = Ledger()
    for command in commands:
        assert touches(command)
        apply(ledger, command)

    duties = [ledger.find(TerritorialDuty.create_id(DISTRICT, f"JB-SD-{n:03d}")) for n in range(1, 78)]
    scenarios = [
        ledger.find(JointEnforcementScenario.create_id(DISTRICT, f"JB-LD-{n:02d}")) for n in range(1, 16)
    ]
    assert None not in duties and None not in scenarios
    assert sorted(d.revision for d in duties)[-3:] == [1, 2, 2]
    assert [s.code for s in scenarios if s.revision == 2] == ["JB-LD-02"]
    assert scenarios[1].terms.applies_to("JB-CICHENG")


def test_amendments_state_a_reason_and_follow_the_registrations(commands) -> None:
    amendments = [m for m in commands if isinstance(m, (c.AmendTerritorialDuty, c.AmendJointScenario))]
    assert len(amendments) == 3 and all(m.reason and m.document_no for m in amendments)
    assert commands[-3:] == amendments
    assert all(m.occurred_at.tzinfo is not None and m.actor.role == "编办" for m in commands)


def test_the_registrations_republished_as_events_round_trip_through_the_event_union(commands) -> None:
    published = msgspec.json.Decoder(out.TerritorialEvent)
    for command in commands[:-3]:
        duty = isinstance(command, c.RegisterTerritorialDuty)
        cls, payload_cls = (
            (out.TerritorialDutyRegistered, out.DutyRevision)
            if duty
            else (out.JointScenarioRegistered, out.ScenarioRevision)
        )
        payload = payload_cls(**msgspec.structs.asdict(command.payload), revision=1)
        event = cls(
            event_id=f"{command.message_id}:1",
            aggregate_id=command.message_id,
            aggregate_version=1,
            recorded_at=command.occurred_at,
            effective_at=command.effective_at,
            actor=Actor(id="a", role="r", system="s"),
            message_id=command.message_id,
            payload=payload,
        )
        assert published.decode(msgspec.json.encode(event)) == event
    assert msgspec.json.schema(out.TerritorialEvent) and msgspec.json.schema(c.TerritorialCommand)
