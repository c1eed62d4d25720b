"""The published JSON Schema of every inbound command and outbound event."""

from __future__ import annotations

from typing import Any, Union

import msgspec

from contracts.appraisal_events import AppraisalEvent
from contracts.appraisals import AppraisalCommand
from contracts.commands import DutyCommand, StaffingCommand
from contracts.deadletter import DeadLetter
from contracts.duty_events import DutyAdmissionEvent
from contracts.linkage import ClockTick, LinkageCommand
from contracts.linkage_events import LinkageEvent
from contracts.linkage_metrics import PartyDay
from contracts.organisation import OrganisationCommand
from contracts.organisation_events import OrganisationEvent
from contracts.pool_events import PoolEvent
from contracts.power_events import PowerEvent
from contracts.powers import PowerCommand
from contracts.quota_events import QuotaEvent
from contracts.sink_down_events import SinkDownEvent
from contracts.territorial_events import TerritorialEvent

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
