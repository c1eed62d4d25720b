"""From a decoded command to one use case of the ledger, for every family of commands."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

from aggregates.base import Context
from aggregates.ledger import Ledger
from consumers.appraisals import translator as appraisal_handlers
from consumers.duties import translator as duty_handlers
from consumers.linkage import translator as linkage_handlers
from consumers.organisation import translator as organisation_handlers
from consumers.pool import translator as pool_handlers
from consumers.powers import translator as power_handlers
from consumers.quotas import translator as quota_handlers
from consumers.sinkdown import translator as sink_down_handlers
from consumers.territorial import translator as territorial_handlers
from contracts.envelope import Envelope

FAMILIES = (power_handlers, duty_handlers, territorial_handlers, organisation_handlers,
            quota_handlers, pool_handlers, sink_down_handlers, appraisal_handlers,
            linkage_handlers)
HANDLERS: dict[type, Callable[[Ledger, Context, Any], None]] = {
    command: handler for family in FAMILIES for command, handler in family.HANDLERS.items()
}
TOUCHES: dict[type, Callable[[Any], list[UUID]]] = {
    command: touched for family in FAMILIES for command, touched in family.TOUCHES.items()
}


def context_of(command: Envelope) -> Context:
    return Context(
        actor=command.actor.id,
        role=command.actor.role,
        system=command.actor.system,
        message_id=command.message_id,
        effective_at=command.effective_at or command.occurred_at,
        correlation_id=command.correlation_id or command.message_id,
        causation_id=command.causation_id,
        reason=command.reason,
        document_no=command.document_no,
    )


def touches(command: Envelope) -> list[UUID]:
    """The aggregates a command reads, so a batch can load them all in one go."""
    return TOUCHES[type(command)](command.payload)  # type: ignore[attr-defined]


def apply(app: Ledger, command: Envelope) -> Any:
    """Apply one command; raises the domain's RuleViolation when it breaks a rule.

    A few use cases record a refusal instead of raising (a push-down of a duty never
    admitted is itself evidence); they return the broken rule, with its events kept.
    """
    return HANDLERS[type(command)](app, context_of(command), command.payload)  # type: ignore[attr-defined]
