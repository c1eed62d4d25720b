"""The published JSON Schema of every inbound command and outbound event."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import msgspec


def json_schemas(messages: Mapping[str, Any]) -> dict[str, Any]:
    """One self-contained JSON Schema document per topic (`messages`: topic name after
    `govledger.` -> its message type, as the context registry lists them)."""
    return {
        name: {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "title": f"govledger {name}",
            **msgspec.json.schema(message_type),
        }
        for name, message_type in messages.items()
    }
