"""The published JSON Schema of every inbound command and outbound event."""

from __future__ import annotations

from typing import Any

import msgspec

from contracts.deadletter import DeadLetter
from contracts.power_events import PowerEvent
from contracts.powers import PowerCommand

MESSAGES: dict[str, Any] = {
    "commands.powers": PowerCommand,
    "events.powers": PowerEvent,
    "deadletters": DeadLetter,
}


def json_schemas() -> dict[str, Any]:
    """One self-contained JSON Schema document per topic family."""
    return {
        name: {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "title": f"govledger {name}",
            **msgspec.json.schema(message_type),
        }
        for name, message_type in MESSAGES.items()
    }
