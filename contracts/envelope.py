"""The envelope every command and event on our topics carries."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any, Literal, TypeVar, cast, dataclass_transform

import msgspec

MessageId = Annotated[str, msgspec.Meta(min_length=1, max_length=128)]
Code = Annotated[str, msgspec.Meta(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9][A-Za-z0-9._:/-]*$")]
Name = Annotated[str, msgspec.Meta(min_length=1, max_length=500)]
Note = Annotated[str, msgspec.Meta(max_length=4000)]
Instant = Annotated[datetime, msgspec.Meta(tz=True)]
Version = Annotated[int, msgspec.Meta(ge=1)]
# a period: a year, a quarter, an ISO week, a month or a day (2021, 2021-Q3, 2021-W07, 2021-12, 2021-12-01)
Period = Annotated[str, msgspec.Meta(pattern=r"^\d{4}(-(Q[1-4]|W\d{2}|\d{2}(-\d{2})?))?$")]
# the one word for a unit's level (行政层级): 市 / 区(县) / 开发区 / 镇街 / 村(社区); a message taking
# only some of them says which (a quota ledger: not a community, which holds no 编制)
Level = Literal["city", "district", "zone", "town", "community"]
QuotaLevel = Literal["city", "district", "zone", "town"]  # the levels whose units hold quotas (编制)
# a decimal number, written as a JSON string ("0.35", "120000"): exact, as money and rates must be
DecimalNumber = Annotated[Decimal, msgspec.Meta(extra_json_schema={"pattern": r"^-?[0-9]+(\.[0-9]+)?$"})]

# msgspec hands `frozen` (and the other settings) down to subclasses. The type checker reads a
# Struct as a dataclass transform that does not, so each base whose subclasses it checks says so
# with `@dataclass_transform(frozen_default=True, ...)` (as msgspec's own Struct, but frozen).


class Actor(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """Who acted: the person or service, in which role, through which upstream system."""

    id: Name
    role: Name
    system: Name


@dataclass_transform(frozen_default=True, field_specifiers=(msgspec.field,))
class Payload(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """Base of the payloads commands carry (and of the events' payloads built on them)."""


@dataclass_transform(frozen_default=True, field_specifiers=(msgspec.field,))
class Envelope(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True, tag_field="type"):
    """Common fields of a command.

    `message_id` is the idempotency key: a message seen before is ignored, for as long as
    the ledger's duplicate window remembers its id (30 days by default). `effective_at` is
    when the act takes effect (defaults to `occurred_at`), which may differ from when it
    was recorded.
    """

    message_id: MessageId
    version: Literal[1] = 1  # a type with a later version declares it (and its earlier ones) itself
    occurred_at: Instant
    effective_at: Instant | None = None
    actor: Actor
    correlation_id: MessageId | None = None
    causation_id: MessageId | None = None
    reason: Note | None = None
    document_no: Name | None = None


@dataclass_transform(frozen_default=True, field_specifiers=(msgspec.field,))
class EventEnvelope(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True, tag_field="type"):
    """Common fields of an event the ledger publishes.

    `recorded_at` is when the ledger stored it; `effective_at` when it takes effect.
    `causation_id` and `message_id` name the command message that caused it.
    """

    event_id: MessageId
    version: Version = 1
    aggregate_id: MessageId
    aggregate_version: Version
    recorded_at: Instant
    effective_at: Instant
    actor: Actor
    message_id: MessageId
    correlation_id: MessageId | None = None
    causation_id: MessageId | None = None
    reason: Note | None = None
    document_no: Name | None = None


E = TypeVar("E", bound=Envelope)
P = TypeVar("P", bound=Payload)


def reworded(payload: Payload, as_type: type[P], **renamed: str) -> P:
    """A payload as another version's payload type, each field `old=new` renamed, the rest kept."""
    fields = msgspec.structs.asdict(payload)
    for old, new in renamed.items():
        fields[new] = fields.pop(old)
    return as_type(**fields)


def upgraded(old: Envelope, to: type[E], version: int, payload: Payload) -> E:
    """An earlier version's command as the message `to` at `version`, carrying `payload`:
    every envelope field as the sender gave it."""
    kept = {f: getattr(old, f) for f in old.__struct_fields__ if f not in ("version", "payload")}
    made: Any = to  # a command class: it declares its own `payload` and `version`
    return cast(E, made(**kept, version=version, payload=payload))
