"""审计轨迹 — every event of one entity, in order, with who, when, why and on which message."""

from __future__ import annotations

from dataclasses import asdict, is_dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from eventsourcing.persistence import StoredEvent
from psycopg.sql import SQL, Identifier

from aggregates.base import natural_id

_ENVELOPE = {"originator_id", "originator_version", "timestamp", "ctx"}


def entity_id(text: str) -> UUID:
    """An aggregate id, or a natural key `kind/part/...` (`town/JB-CICHENG`,
    `power-item/JB-ZF-001`, `delegation/B1/JB-ZF-001/JB-CICHENG`)."""
    try:
        return UUID(text)
    except ValueError:
        kind, *parts = text.split("/")
        if not parts:
            raise ValueError(f"{text!r} is neither an id nor a natural key kind/part/...") from None
        return natural_id(kind, *parts)


def trail(ledger: Any, entity: UUID) -> list[dict[str, Any]]:
    """The entity's events in version order, each with its position in the log."""
    with ledger.recorder.datastore.transaction(commit=False) as cur:
        cur.execute(
            SQL(
                "SELECT notification_id, originator_id, originator_version, topic, state"
                " FROM {} WHERE originator_id = %s ORDER BY originator_version"
            ).format(Identifier(ledger.recorder.events_table_name)),
            (entity,),
        )
        rows = cur.fetchall()
    entries = []
    for row in rows:
        stored = StoredEvent(
            row["originator_id"], row["originator_version"], row["topic"], bytes(row["state"])
        )
        event = ledger.mapper.to_domain_event(stored)
        ctx = event.ctx
        entries.append(
            {
                "position": row["notification_id"],
                "version": event.originator_version,
                "event": type(event).__qualname__,
                "recorded_at": event.timestamp,
                "effective_at": ctx.effective_at,
                "actor": ctx.actor,
                "role": ctx.role,
                "system": ctx.system,
                "reason": ctx.reason,
                "document_no": ctx.document_no,
                "correlation_id": ctx.correlation_id,
                "causation_id": ctx.causation_id,
                "message_id": ctx.message_id,
                "details": {k: _plain(v) for k, v in vars(event).items() if k not in _ENVELOPE},
            }
        )
    return entries


def _plain(value: Any) -> Any:
    if is_dataclass(value) and not isinstance(value, type):
        return {k: _plain(v) for k, v in asdict(value).items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, (date, datetime, Decimal, UUID)):
        return str(value)
    return value
