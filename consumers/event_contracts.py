"""The one translation from domain events to the published event contracts.

Each family's module maps its domain events to (contract, payload builder); a builder
gets the event and its aggregate as of the event (later events name the aggregate only
by id, the contracts by natural key).
"""

from __future__ import annotations

from typing import Any

from aggregates.privacy.record import PersonalRecord
from contracts.envelope import Actor
from consumers.appraisals import translator as event_contracts_appraisals
from consumers.duties import translator as event_contracts_duties
from consumers.linkage import translator as event_contracts_linkage
from consumers.organisation import translator as event_contracts_organisation
from consumers.powers import translator as event_contracts_powers
from consumers.quotas import translator as event_contracts_quotas
from consumers.sinkdown import translator as event_contracts_staffing

_MODULES = (event_contracts_powers, event_contracts_duties, event_contracts_organisation,
            event_contracts_staffing, event_contracts_quotas, event_contracts_appraisals,
            event_contracts_linkage)
# family (the topic `govledger.events.<family>`) -> its map
FAMILIES: dict[str, dict[type, tuple[type, Any]]] = {
    "powers": event_contracts_powers.MAP,
    "duties": event_contracts_duties.MAP,
    "organisation": event_contracts_organisation.MAP,
    "staffing": {**event_contracts_staffing.MAP, **event_contracts_quotas.MAP},
    "appraisals": event_contracts_appraisals.MAP,
    "linkage": event_contracts_linkage.MAP,
}
_MAP: dict[type, tuple[type, Any]] = {k: v for m in FAMILIES.values() for k, v in m.items()}
_FAMILY: dict[type, str] = {k: family for family, m in FAMILIES.items() for k in m}
# Not published: each family's internal bookkeeping (slot openings), and who read a
# person's data and its erasure (audit records for auditors; subscribers hold ids only).
INTERNAL: set[type] = {
    *(event for module in _MODULES for event in module.INTERNAL),
    PersonalRecord.Opened, PersonalRecord.ReadRecorded, PersonalRecord.Erased,
}


def published(event: Any) -> bool:
    """Whether the event goes out at all (internal bookkeeping does not)."""
    return type(event) not in INTERNAL


def family_of_event(event: Any) -> str:
    return _FAMILY[type(event)]


def to_contract(event: Any, aggregate: Any) -> Any:
    """The published form of a domain event, given its aggregate as of the event."""
    contract, payload = _MAP[type(event)]
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
