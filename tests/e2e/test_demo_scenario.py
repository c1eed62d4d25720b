"""The demo scenario: well-formed, deterministic, and exactly its bad messages break rules."""

from __future__ import annotations

import collections
import json
import re
from datetime import date, datetime
from types import SimpleNamespace

import msgspec
import pytest

from aggregates.base import CHINA_STANDARD_TIME
from aggregates.powers.delegation import Delegation
from aggregates.powers.holding import PowerHolding
from contracts.powers import commands as c
from infra.contexts import decode
from infra.demo.catalogue import DEPARTMENTS
from infra.demo.powers import TOWNS, demo_commands
from tests.support import demo_fixtures

CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:/-]*$")
EXPECTED_BAD = ["ItemNotCatalogued", "ReasonRequired", "ReviewNotPassed", "HolderAlreadyEffective"]
decoder = msgspec.json.Decoder(c.PowerCommand)


messages, commands = demo_fixtures(demo_commands, decoder, decodable=slice(None, -1))  # the last is malformed


def of_type(commands: list[c.PowerCommand], cls: type) -> list:
    return [command for command in commands if isinstance(command, cls)]


def test_every_value_but_the_last_decodes_and_the_last_does_not(messages) -> None:
    for _, value in messages[:-1]:
        decoder.decode(value)
    with pytest.raises(msgspec.DecodeError):
        decoder.decode(messages[-1][1])
    with pytest.raises(json.JSONDecodeError):
        json.loads(messages[-1][1])
    assert decode(SimpleNamespace(value=messages[-1][1])).rule == "MalformedMessage"
    assert decode(SimpleNamespace(value=messages[0][1])).command is not None


def test_message_ids_are_unique_and_stable(messages, commands) -> None:
    ids = [command.message_id for command in commands]
    assert len(ids) == len(set(ids))
    assert demo_commands() == messages
    assert [decoder.decode(v).message_id for _, v in demo_commands()[:-1]] == ids


def test_keys_are_item_codes_or_batch_codes(messages, commands) -> None:
    for (key, _), command in zip(messages, commands):
        payload = command.payload
        expected = payload.item if hasattr(payload, "item") else payload.code
        assert key == expected.encode()


def test_first_batch_has_17_domains_206_items_and_8_towns(commands) -> None:
    items = [command.payload for command in of_type(commands, c.RegisterPowerItem)]
    assert len(items) == 206 and len({item.code for item in items}) == 206
    assert len({item.name for item in items}) == 206
    assert len({item.domain for item in items}) == 17
    assert {item.department for item in items} == set(DEPARTMENTS)
    assert all(CODE.match(code) for code in [*TOWNS, *DEPARTMENTS])
    assert len(TOWNS) == 8 and "慈城镇" in TOWNS.values()
    assert {item.kind for item in items} >= {"penalty", "inspection", "coercion"}
    proposals = of_type(commands, c.ProposeDelegation)
    assert {p.payload.town for p in proposals} == set(TOWNS)
    first = {(p.payload.item, p.payload.town) for p in proposals if p.payload.batch == "JB-2021-01"}
    assert len(first) == 206 * 8 + 1  # every pair, plus the uncatalogued item
    assert collections.Counter(p.payload.mode for p in proposals).most_common(1)[0][0] == "grant"


def test_envelopes_carry_audit_fields(commands) -> None:
    for command in commands:
        assert command.occurred_at.tzinfo is not None
        if isinstance(command, (c.ApproveDelegation, c.RejectDelegation, c.RecallDelegation)):
            assert command.document_no
        if isinstance(command, (c.ApproveDelegation, c.RecallDelegation, c.TransferDelegation)):
            assert command.effective_at is not None
        if not isinstance(command, (c.RegisterPowerItem, c.DeclareDelegationBatch)):
            assert command.correlation_id and command.actor.role == "编办"
            assert command.causation_id or isinstance(command, c.ProposeDelegation)
    approvals = of_type(commands, c.ApproveDelegation)
    first = [a for a in approvals if a.payload.batch == "JB-2021-01"]
    effective = {a.effective_at.astimezone(CHINA_STANDARD_TIME).date() for a in first}
    assert effective == {date(2021, 7, 1)}
    assert all(a.payload.support.guidance for a in approvals)


def test_applying_in_order_refuses_exactly_the_bad_messages(applied, commands) -> None:
    _, refused = applied
    assert [rule for _, rule in refused] == EXPECTED_BAD
    # The tail: bad proposal, bad recall, then two second-batch filings whose approvals fail.
    tail = commands[-8:]
    assert [command for command, _ in refused] == [tail[0], tail[1], tail[4], tail[7]]
    recall_without_reason = refused[1][0]
    assert isinstance(recall_without_reason, c.RecallDelegation)
    assert recall_without_reason.reason is None


def test_the_ledger_ends_in_the_expected_state(applied, commands) -> None:
    ledger, _ = applied
    rejected = of_type(commands, c.RejectDelegation)
    recalled = [r for r in of_type(commands, c.RecallDelegation) if r.reason]
    transferred = of_type(commands, c.TransferDelegation)
    assert len(rejected) >= 30 and len(recalled) >= 5 and 1 <= len(transferred) <= 2
    assert len(of_type(commands, c.EvaluateDelegation)) >= 10

    def delegation(p: c.DelegationRef) -> Delegation:
        found = ledger.find(Delegation.create_id(p.batch, p.item, p.town))
        assert isinstance(found, Delegation)
        return found

    assert {delegation(r.payload).status for r in rejected} == {"rejected"}
    assert {delegation(r.payload).status for r in recalled} == {"recalled"}
    assert {delegation(r.payload).ended_on for r in recalled} == {date(2022, 3, 1)}
    assert {delegation(t.payload).transferred_to for t in transferred} == {"JB-ZHZF"}
    assert not any(t.payload.item.startswith("JB-ZHZF") for t in transferred)
    evaluated = of_type(commands, c.EvaluateDelegation)
    assert all(delegation(e.payload).last_evaluation.evaluated_on.month == 12 for e in evaluated)

    in_force = [
        a.payload
        for a in of_type(commands, c.ApproveDelegation)
        if a.payload.batch == "JB-2021-01" and delegation(a.payload).in_force_on(date(2022, 6, 1))
    ]
    assert len(in_force) == 206 * 8 - len(rejected) - len(recalled) - len(transferred)
    for p in in_force[:50]:
        holding = ledger.find(PowerHolding.create_id(p.item, p.town))
        assert holding.holder == Delegation.create_id(p.batch, p.item, p.town)
    # The second batch's refused approvals changed nothing.
    for command in of_type(commands, c.ApproveDelegation)[-2:]:
        assert delegation(command.payload).status == "under_review"


def test_occurred_at_is_fixed(commands) -> None:
    assert all(isinstance(command.occurred_at, datetime) for command in commands)
    years = {command.occurred_at.year for command in commands}
    assert years <= {2021, 2022}
