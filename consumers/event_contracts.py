"""The one translation from domain events to the published event contracts.

Each family's module maps its domain events to (contract, payload builder); a builder
gets the event and its aggregate as of the event (later events name the aggregate only
by id, the contracts by natural key).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from types import ModuleType
from typing import Any, TypeVar

import msgspec

from contracts.envelope import Actor

S = TypeVar("S", bound=msgspec.Struct)


class EventContracts:
    """Which domain events are published, on which family's topic, as which contract.

    Built from each context's translator (`PUBLISHED`: event class -> (contract, payload
    builder); `INTERNAL`: bookkeeping that is never published), grouped by the topic family
    the contexts share (`govledger.events.<family>`), as the context registry declares them.
    """

    def __init__(self, families: Mapping[str, Sequence[ModuleType]], internal: Sequence[ModuleType]) -> None:
        self.families: dict[str, dict[type, tuple[type, Any]]] = {
            family: {k: v for translator in translators for k, v in translator.PUBLISHED.items()}
            for family, translators in families.items()
        }
        self.contracts = {k: v for published in self.families.values() for k, v in published.items()}
        self.family = {k: family for family, published in self.families.items() for k in published}
        self.internal: set[type] = {event for translator in internal for event in translator.INTERNAL}

    def published(self, event: Any) -> bool:
        """Whether the event goes out at all (internal bookkeeping does not)."""
        return type(event) not in self.internal

    def family_of_event(self, event: Any) -> str:
        return self.family[type(event)]

    def to_contract(self, event: Any, aggregate: Any) -> Any:
        """The published form of a domain event, given its aggregate as of the event."""
        return to_contract(self.contracts[type(event)], event, aggregate)


def to_contract(published: tuple[type, Any], event: Any, aggregate: Any) -> Any:
    """The contract of an event: its envelope from the event's audit context, its payload
    from the builder (given the aggregate as of the event: later events name the aggregate
    only by id, the contracts by natural key)."""
    contract, payload = published
    ctx = event.ctx
    return contract(
        event_id=f"{event.originator_id}:{event.originator_version}",
        aggregate_id=str(event.originator_id),
        aggregate_version=event.originator_version,
        recorded_at=event.timestamp,
        effective_at=ctx.effective_at,
        actor=Actor(id=ctx.actor, role=ctx.role, system=ctx.system),
        message_id=ctx.message_id,
        correlation_id=ctx.correlation_id,
        causation_id=ctx.causation_id,
        reason=ctx.reason,
        document_no=ctx.document_no,
        payload=payload(event, aggregate),
    )


def copied(contract: type[S], value: Any, **given: Any) -> S:
    """The `contract` whose every field but those `given` is the same-named attribute of the
    domain `value` (an event, its details, a value object), as a builder would copy them by
    hand; `given` holds the rest: the aggregate's natural key, a field named otherwise.

    A field `value` lacks raises AttributeError: nothing is left to a default unseen. The
    value's other attributes (a sealed token, the event's bookkeeping) are not read."""
    fields = {name: getattr(value, name) for name in contract.__struct_fields__ if name not in given}
    return contract(**fields, **given)
