"""The published JSON Schema of every inbound command and outbound event."""

from __future__ import annotations

from typing import Any, Union

import msgspec

from contracts.appraisals.events import AppraisalEvent
from contracts.appraisals.commands import AppraisalCommand
from contracts.commands import DutyCommand, StaffingCommand
from contracts.deadletter import DeadLetter
from contracts.duties.events import DutyAdmissionEvent
from contracts.linkage.commands import ClockTick, LinkageCommand
from contracts.linkage.events import LinkageEvent
from contracts.linkage.metrics import PartyDay
from contracts.organisation.commands import OrganisationCommand
from contracts.organisation.events import OrganisationEvent
from contracts.pool.events import PoolEvent
from contracts.powers.events import PowerEvent
from contracts.powers.commands import PowerCommand
from contracts.quotas.events import QuotaEvent
from contracts.sinkdown.events import SinkDownEvent
from contracts.territorial.events import TerritorialEvent

MESSAGES: dict[str, Any] = {
    "commands.powers": PowerCommand,
    "commands.duties": DutyCommand,
    "commands.organisation": OrganisationCommand,
    "commands.staffing": StaffingCommand,
    "commands.appraisals": AppraisalCommand,
    "commands.linkage": LinkageCommand,
    "events.powers": PowerEvent,
    "events.duties": Union[DutyAdmissionEvent, TerritorialEvent],
    "events.organisation": OrganisationEvent,
    "events.staffing": Union[QuotaEvent, PoolEvent, SinkDownEvent],
    "events.appraisals": AppraisalEvent,
    "events.linkage": LinkageEvent,
    "linkage.metrics": PartyDay,
    "linkage.ticks": ClockTick,
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
