"""From a decoded command to one use case of the ledger: the handlers of every context.

Each context's translator (`consumers/<context>/translator.py`) maps its commands to use
cases (`HANDLERS`) and to the aggregates they read (`TOUCHES`); the composition root
gathers them from the context registry (`infra/contexts.py`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from types import ModuleType
from typing import Any
from uuid import UUID

from aggregates.base import Context
from contracts.envelope import Envelope

Handler = Callable[[Any, Context, Any], Any]
Touches = Callable[[Any], list[UUID]]


def touching(create_id: Callable[..., UUID], *keys: str) -> Touches:
    """The touches of a command that reads one aggregate: its id, made by the aggregate's
    `create_id` from the payload's fields `keys` (the aggregate's natural key)."""
    return lambda p: [create_id(*(getattr(p, key) for key in keys))]


def context_of(command: Envelope) -> Context:
    """The audit context every event of the command carries: who, when, why, which message."""
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


class CommandHandlers:
    """Every command's use case and the aggregates it reads, from the contexts' translators."""

    def __init__(self, translators: Iterable[ModuleType]) -> None:
        self.handlers: dict[type, Handler] = {}
        self.touched: dict[type, Touches] = {}
        for translator in translators:
            self.handlers.update(translator.HANDLERS)
            self.touched.update(translator.TOUCHES)

    def touches(self, command: Envelope) -> list[UUID]:
        """The aggregates a command reads, so a batch can load them all in one go."""
        payload = command.payload  # type: ignore[attr-defined]  # each command class declares its own
        return self.touched[type(command)](payload)

    def apply(self, app: Any, command: Envelope) -> Any:
        """Apply one command; raises the domain's RuleViolation when it breaks a rule.

        A few use cases record a refusal instead of raising (a push-down of a duty never
        admitted is itself evidence); they return the broken rule, with its events kept.
        """
        handler = self.handlers[type(command)]
        payload = command.payload  # type: ignore[attr-defined]  # each command class declares its own
        return handler(app, context_of(command), payload)
