"""Builders of published events, as the relay puts them on Kafka, for the linkage's tests."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

import msgspec

from aggregates.base import CHINA_STANDARD_TIME
from contracts.envelope import Actor
from contracts.linkage import events as ev
from contracts.powers import events as pe
from contracts.powers.commands import ItemDetails
from contracts.territorial import events as te

T0 = datetime(2021, 12, 1, 9, 0, tzinfo=CHINA_STANDARD_TIME)
_versions: dict[str, int] = {}


def published(contract: type, payload: Any, aggregate: str, at: datetime = T0) -> Any:
    version = _versions[aggregate] = _versions.get(aggregate, 0) + 1
    return contract(
        event_id=f"{aggregate}:{version}",
        aggregate_id=aggregate,
        aggregate_version=version,
        recorded_at=at,
        effective_at=at,
        actor=Actor(id="a", role="r", system="s"),
        message_id=f"m-{aggregate}-{version}",
        payload=payload,
    )


def raw(event: Any) -> bytes:
    return msgspec.json.encode(event)


def item(code: str, department: str) -> Any:
    return published(
        pe.PowerItemRegistered,
        ItemDetails(
            code=code,
            name=code,
            kind="penalty",
            list="government_affairs",
            domain="城管",
            legal_basis="law",
            department=department,
        ),
        f"item-{code}",
    )


def holding(code: str, town: str, on: date, taken: bool = True) -> Any:
    contract = pe.HoldingTaken if taken else pe.HoldingReleased
    return published(
        contract, pe.Holding(item=code, town=town, delegation_id="d1", on=on), f"holding-{code}-{town}"
    )


def scenario(
    code: str, category: str, lead: str, cooperating: tuple[str, ...], towns: tuple[str, ...] = ()
) -> Any:
    return published(
        te.JointScenarioRegistered,
        te.ScenarioRevision(
            district="JB",
            code=code,
            name=code,
            category=category,
            lead=lead,
            cooperating=cooperating,
            town_part="on-site",
            towns=towns,
            revision=1,
        ),
        f"scenario-{code}",
    )


def reported(case: str, town: str, at: datetime = T0, **subject: Any) -> Any:
    facts = ev.CaseFacts(case=case, source="grid", town=town, reported_at=at, **subject)
    return published(ev.CaseReported, facts, case, at)


def dispatched(
    case: str,
    lead: str,
    cooperating: tuple[str, ...] = (),
    at: datetime = T0,
    sign_for: timedelta = timedelta(hours=2),
    resolve: timedelta = timedelta(days=3),
    tier: str = "town",
    round: int = 1,
) -> Any:
    return published(
        ev.CaseDispatched,
        ev.Dispatched(
            case=case,
            tier=tier,
            lead=lead,
            cooperating=cooperating,
            sign_for_by=at + sign_for,
            resolve_by=at + resolve,
            basis="town_daily",
            cause="x",
            round=round,
        ),
        case,
        at,
    )


def event_of(case: str, contract: type, payload: Any, at: datetime) -> Any:
    return published(contract, payload, case, at)
