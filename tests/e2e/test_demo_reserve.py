"""The cadre reserve demo: 包河's AB库 in two streets, well-formed, and only its bad commands refused."""

from __future__ import annotations

import msgspec

from aggregates.reserve.cadre_reserve import CadreReserve
from contracts.reserve import commands as c
from infra.demo.reserve import BAD_RULES, DISTRICT, STREETS, demo_commands, rule_commands
from infra.kafka.clients import command_key
from tests.support import apply_all, demo_fixtures
from tests.unit.builders import with_streets

decoder = msgspec.json.Decoder(c.ReserveCommand)
messages, commands = demo_fixtures(lambda: rule_commands() + demo_commands(), decoder)


def test_message_ids_are_unique_and_stable_and_keys_are_the_street_or_the_district(
    messages, commands
) -> None:
    ids = [command.message_id for command in commands]
    assert len(ids) == len(set(ids)) and rule_commands() + demo_commands() == messages
    for (key, value), command in zip(messages, commands):
        expected = getattr(command.payload, "town", None) or command.payload.district
        assert key == expected.encode() == command_key(value)
    assert {getattr(x.payload, "town", None) for x in commands} - {None} == set(STREETS)


def test_every_command_applies_but_the_promotion_straight_to_a_and_the_principal_post_from_b(
    commands,
) -> None:
    ledger = with_streets(STREETS, DISTRICT)  # as the demo's organisation and jurisdictions do first
    refused = apply_all(ledger, commands)

    assert [rule for _, rule in refused] == BAD_RULES
    [(promotion, _), (appointment, _)] = refused
    assert isinstance(promotion, c.PromoteCadre) and promotion.payload.person == "BH-WNB-C13"
    assert isinstance(appointment, c.AppointCadre) and appointment.payload.office == "principal"
    tiers = {
        town: sorted(
            (x.person, x.tier) for x in ledger.repository.get(CadreReserve.create_id(town)).cadres if x.tier
        )
        for town in STREETS
    }
    assert [t for _, t in tiers["BH-WANNIANBU"]].count("A") == 3 and len(tiers["BH-WANNIANBU"]) == 8
    assert [t for _, t in tiers["BH-CHANGQING"]].count("A") == 2 and len(tiers["BH-CHANGQING"]) == 6
    assert all(x.payload.district == DISTRICT for x in commands if isinstance(x, c.OpenReserve))
