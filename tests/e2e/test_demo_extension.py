"""The extension demo: 慈城镇's 15 high-frequency items extended to its villages and communities,
1,392 cases handled, on items the powers demo delegates to it; only its bad command refused."""

from __future__ import annotations

import msgspec

from aggregates.extension.item_extension import ItemExtension
from contracts.extension import commands as x
from infra.contexts import GovernanceLedger as Ledger
from infra.demo import powers as demo_powers
from infra.demo.extension import BAD_RULES, COMMUNITIES, HANDLED, TOWN, demo_commands, extended_items
from infra.kafka.clients import command_key
from tests.support import apply_all, apply_messages, demo_fixtures

decoder = msgspec.json.Decoder(x.ExtensionCommand)
messages, commands = demo_fixtures(demo_commands, decoder)


def test_message_ids_are_unique_and_stable_and_keys_are_the_items(messages, commands) -> None:
    ids = [command.message_id for command in commands]
    assert len(ids) == len(set(ids)) and demo_commands() == messages
    for (key, value), command in zip(messages, commands):
        assert key == command.payload.item.encode() == command_key(value)


def test_fifteen_items_go_to_two_communities_and_four_villages_and_1392_cases_are_counted(commands) -> None:
    extensions = [command.payload for command in commands if isinstance(command, x.ExtendItem)]
    assert len({e.item for e in extensions}) == 16 and {e.town for e in extensions} == {TOWN}  # one refused
    assert len(extended_items()) == 15 and len({i.split("-")[1] for i in extended_items()}) == 15
    assert {c for e in extensions for c in e.communities} == set(COMMUNITIES)
    last: dict[tuple[str, str, str], int] = {}
    for command in commands:
        if isinstance(command, x.RecordHandled):
            p = command.payload
            last[p.item, p.community, p.period] = p.count  # a later count corrects the earlier
    assert sum(last.values()) == HANDLED and len(last) == 15 * 6 * 5 - 2


def test_every_command_applies_once_the_powers_demo_is_in_but_the_item_the_town_does_not_hold(
    commands,
) -> None:
    ledger = Ledger()
    apply_messages(ledger, demo_powers.demo_commands()[:-1])
    refused = apply_all(ledger, commands)

    assert [rule for _, rule in refused] == BAD_RULES
    figures = [
        f.count
        for item in extended_items()
        for f in ledger.repository.get(ItemExtension.create_id(item, TOWN)).figures
    ]
    assert sum(figures) == HANDLED
