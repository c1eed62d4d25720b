"""The grid demo: 漯河's 223 riders, 包河's "1+2+N3+6" teams and 慈城镇's twelve cells, well
formed, keyed by their cells, and applied with exactly its one bad command refused."""

from __future__ import annotations

import msgspec

from aggregates.grid.cell import GridCell
from contracts.grid import commands as g
from infra.contexts import Command
from infra.demo import grid as demo
from infra.demo import organisation
from infra.demo.linkage import reports
from infra.kafka.clients import command_key
from tests.support import demo_fixtures, in_memory

decoder = msgspec.json.Decoder(Command)
messages, commands = demo_fixtures(lambda: demo.town_commands() + demo.demo_commands(), decoder)


def of_type(commands: list, cls: type) -> list:
    return [command.payload for command in commands if isinstance(command, cls)]


def test_message_ids_are_unique_and_stable_and_cells_are_the_keys(messages, commands) -> None:
    ids = [command.message_id for command in commands]
    assert len(ids) == len(set(ids)) and demo.town_commands() + demo.demo_commands() == messages
    for (key, value), command in zip(messages, commands):
        expected = getattr(command.payload, "cell", None) or command.payload.code
        assert key == expected.encode() == command_key(value)


def test_luohe_appoints_223_delivery_riders_as_mobile_grid_members(commands) -> None:
    riders = {m.member for m in of_type(commands, g.AddGridMember) if m.drawn_from == "delivery-riders"}
    assert len(riders) == demo.RIDERS == 223
    assert {m.kind for m in of_type(commands, g.AddGridMember) if m.member in riders} == {"mobile"}


def test_every_command_applies_but_the_third_grid_member_of_a_1_plus_2_team(commands) -> None:
    towns = [decoder.decode(v) for _, v in organisation.demo_commands()]
    ledger, refused = in_memory([*towns, *commands])
    assert [rule for _, rule in refused] == ["UnitAlreadySupervised", *demo.BAD_RULES]
    baohe = ledger.find(GridCell.create_id("BH-WNB-C2-G3"))
    assert baohe.team.model == demo.BAOHE_MODEL
    assert [baohe.holders(r) for r in ("head", "grid_member", "post", "officer")] == [1, 2, 3, 6]
    cells = [
        reported.payload.grid_cell
        for reported in map(decoder.decode, (v for _, v in reports(["P"], ["Q"], "S")))
    ]
    assert set(cells) == set(demo.CICHENG_CELLS)  # every cell the linkage demo's cases name
    assert all(ledger.find(GridCell.create_id(cell)).details.town == demo.CICHENG for cell in cells)
