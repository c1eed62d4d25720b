"""Inbound commands decode strictly: unknown fields, wrong types and gaps are refused."""

from __future__ import annotations

import msgspec
import pytest

from contracts.powers.commands import ApproveDelegation, PowerCommand
from tests.support import approve, register

DECODER = msgspec.json.Decoder(PowerCommand)


def _mutated(command: msgspec.Struct, change) -> bytes:
    data = msgspec.json.decode(msgspec.json.encode(command))
    change(data)
    return msgspec.json.encode(data)


def test_a_command_round_trips_through_json_by_its_type_tag() -> None:
    command = approve("P1", "T1")
    decoded = DECODER.decode(msgspec.json.encode(command))

    assert isinstance(decoded, ApproveDelegation) and decoded == command
    assert msgspec.json.decode(msgspec.json.encode(command))["type"] == "delegation.approve"


@pytest.mark.parametrize(
    "change",
    [
        lambda d: d["payload"].update(colour="red"),  # unknown field
        lambda d: d["payload"]["support"].pop("guidance"),  # support must be explicit
        lambda d: d["payload"]["support"].update(staff="2"),  # no coercion of strings
        lambda d: d["payload"]["support"].update(staff=-1),
        lambda d: d.update(type="delegation.abolish"),  # unknown type
        lambda d: d.update(occurred_at="2021-06-01T00:00:00"),  # time zone required
        lambda d: d.update(message_id=""),
        lambda d: d["payload"].update(item="P 1"),  # codes are plain identifiers
    ],
)
def test_a_malformed_command_is_refused_by_the_decoder(change) -> None:
    with pytest.raises(msgspec.ValidationError):
        DECODER.decode(_mutated(approve("P1", "T1"), change))


def test_an_unknown_kind_of_power_is_refused() -> None:
    raw = _mutated(register("P1"), lambda d: d["payload"].update(kind="taxation"))
    with pytest.raises(msgspec.ValidationError):
        DECODER.decode(raw)
