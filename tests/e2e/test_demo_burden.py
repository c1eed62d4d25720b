"""The burden-reduction demo: well-formed, deterministic, 73 indicators cleared from 25 departments,
one new item approved, one imposition refused and kept."""

from __future__ import annotations

import collections

import msgspec
import pytest

from aggregates.burden.registry import BurdenItem, ImpositionNotApproved
from contracts.burden import commands as c
from infra.contexts import GovernanceLedger as Ledger
from infra.contexts import apply
from infra.demo import burden as demo
from infra.kafka.clients import command_key
from tests.support import demo_fixtures

decoder = msgspec.json.Decoder(c.BurdenCommand)


messages, commands = demo_fixtures(demo.demo_commands, decoder)


@pytest.fixture(scope="module")
def outcomes(commands: list[c.BurdenCommand]) -> tuple[Ledger, list[tuple[c.BurdenCommand, str]]]:
    """Every command applied in order through the intake's handlers; none may raise; the refused
    (recorded) ones with their rules."""
    ledger, refused = Ledger(), []
    for command in commands:
        result = apply(ledger, command)
        if isinstance(result, ImpositionNotApproved):
            refused.append((command, result.rule))
    return ledger, refused


def test_ids_are_unique_and_stable_and_keys_are_what_the_intake_keys_by(messages, commands) -> None:
    ids = [command.message_id for command in commands]
    assert len(ids) == len(set(ids)) and demo.demo_commands() == messages
    for (key, value), command in zip(messages, commands):
        payload = command.payload
        expected = payload.district if isinstance(command, c.TakeBurdenBaseline) else payload.department
        assert key == expected.encode() == command_key(value)
    baselines, items = demo.demo_phases()
    assert len(baselines) == 2 and baselines + items == messages


def test_73_indicators_are_cleared_from_25_departments_each_with_a_reason_and_document(commands) -> None:
    cleared = [command for command in commands if isinstance(command, c.ClearBurdenItem)]
    street = [command for command in cleared if command.payload.department.startswith("AN-")]
    assert len(street) == demo.AN_CLEARED == 73
    assert len({command.payload.department for command in street}) == 25
    assert all(command.reason and command.document_no for command in cleared)


def test_only_the_unapproved_imposition_is_refused_and_it_is_recorded(outcomes) -> None:
    ledger, refused = outcomes
    assert tuple(rule for _, rule in refused) == demo.BAD_RULES
    [(command, _)] = refused
    item = ledger.find(BurdenItem.create_id(command.payload.department, command.payload.code))
    assert isinstance(item, BurdenItem) and (item.status, item.refused) == ("none", 1)


def test_the_street_reports_lists_keep_one_indicator_each_and_the_new_inspection_is_in_force(
    outcomes, commands
) -> None:
    ledger, _ = outcomes
    imposed = [command.payload for command in commands if isinstance(command, c.ImposeBurdenItem)]
    statuses = collections.Counter(
        (p.district, p.kind, ledger.find(BurdenItem.create_id(p.department, p.code)).status) for p in imposed
    )
    assert statuses == {
        ("AN", "indicator", "cleared"): 73,
        ("AN", "indicator", "imposed"): 25,
        ("AN", "indicator", "none"): 1,  # the refused one
        ("AN", "inspection", "imposed"): 3,  # two existing, one approved
        ("LH-YC", "meeting", "imposed"): 2,
        ("LH-YC", "meeting", "cleared"): 4,
        ("LH-YC", "form", "imposed"): 3,
        ("LH-YC", "form", "cleared"): 5,
        ("LH-YC", "indicator", "imposed"): 2,
        ("LH-YC", "indicator", "cleared"): 3,
    }
    new = ledger.find(BurdenItem.create_id(demo.NEW.department, demo.NEW.code))
    assert (new.status, new.existing, new.approval.approved_by) == ("imposed", False, demo.NEW.approved_by)


def test_luohe_clears_clock_ins_rankings_and_online_time(commands) -> None:
    cleared = {command.payload.code for command in commands if isinstance(command, c.ClearBurdenItem)}
    named = {f"{d}-{code}": name for d, _kind, code, name, _basis, _c in demo.LUOHE_ITEMS}
    assert {"乡镇干部打卡签到考核", "乡镇工作积分排名", "政务平台统计在线时长"} <= {
        named[c] for c in cleared if c in named
    }
