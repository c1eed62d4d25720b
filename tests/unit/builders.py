"""Builders for the aggregate tests: contexts, standard details, reviews and scenarios."""

from __future__ import annotations

from dataclasses import fields, is_dataclass, replace
from datetime import date, datetime, time
from decimal import Decimal
from itertools import count
from typing import Any
from uuid import UUID

from aggregates.base import CHINA_STANDARD_TIME, Context
from aggregates.powers.delegation import AdmissionReview, Evaluation, Finding, SupportPackage
from aggregates.powers.item import ItemDetails
from infra.contexts import GovernanceLedger as Ledger

BODY = "区联席会议"
_messages = count(1)


def day(text: str) -> date:
    return date.fromisoformat(text)


def ctx(on: str | date | None = None, **overrides: Any) -> Context:
    """A context with a fresh message id; ``on`` is the CST calendar day it takes effect."""
    effective_on = day(on) if isinstance(on, str) else (on or date(2021, 7, 1))
    fields: dict[str, Any] = dict(
        actor="zhang.san",
        role="编办科员",
        system="权责清单系统",
        message_id=f"msg-{next(_messages)}",
        effective_at=datetime.combine(effective_on, time(9), CHINA_STANDARD_TIME),
        correlation_id="corr-1",
        causation_id=None,
        reason="首批下放",
        document_no="甬北政发〔2021〕1号",
    )
    fields.update(overrides)
    return Context(**fields)


def details(**overrides: Any) -> ItemDetails:
    fields: dict[str, Any] = dict(
        name="对违法建设的行政处罚",
        kind="penalty",
        list="supervisory",
        domain="自然资源规划",
        legal_basis="《城乡规划法》第六十四条",
        department="区自然资源和规划分局",
    )
    fields.update(overrides)
    return ItemDetails(**fields)


def finding(passed: bool = True, note: str = "符合规定") -> Finding:
    return Finding(passed=passed, note=note)


def review(legality: bool = True, reasonableness: bool = True, body: str = BODY) -> AdmissionReview:
    return AdmissionReview(
        body=body, legality=finding(legality, "合法"), reasonableness=finding(reasonableness, "合理")
    )


def support(**overrides: Any) -> SupportPackage:
    fields: dict[str, Any] = dict(
        staff=3, funding_yuan=Decimal("120000.00"), training_sessions=2, guidance="区局派员驻点指导"
    )
    fields.update(overrides)
    return SupportPackage(**fields)


def evaluation(on: str = "2021-12-01", **overrides: Any) -> Evaluation:
    fields: dict[str, Any] = dict(
        evaluated_on=day(on), rating="effective", recommendation="keep", findings="承接良好"
    )
    fields.update(overrides)
    return Evaluation(**fields)


def catalogued(ledger: Ledger, *codes: str, batch: str = "B1") -> None:
    """Given the items are in the catalogue and the batch is declared."""
    for code in codes:
        ledger.register_power_item(ctx(), code, details())
    ledger.declare_batch(ctx(), batch, f"第{batch}批赋权事项")


def filed(ledger: Ledger, batch: str = "B1", item: str = "P1", town: str = "T1", mode: str = "grant") -> None:
    """Given the item is catalogued, the batch declared and the delegation proposed."""
    ledger.register_power_item(ctx(), item, details())
    ledger.declare_batch(ctx(), batch, f"第{batch}批赋权事项")
    ledger.propose_delegation(ctx(), batch, item, town, mode)


def under_review(ledger: Ledger, batch: str = "B1", item: str = "P1", town: str = "T1") -> None:
    filed(ledger, batch, item, town)
    ledger.start_admission_review(ctx(), batch, item, town, BODY)


def approved(
    ledger: Ledger, batch: str = "B1", item: str = "P1", town: str = "T1", on: str = "2021-07-01"
) -> None:
    under_review(ledger, batch, item, town)
    ledger.approve_delegation(ctx(on), batch, item, town, review(), support())


def state(aggregate: Any) -> dict[str, Any]:
    """An aggregate's attributes, without its pending events."""
    return {k: v for k, v in vars(aggregate).items() if k != "_pending_events"}


def with_reason(context: Context, reason: str | None) -> Context:
    return replace(context, reason=reason)


def immutable(value: Any) -> bool:
    """Immutable all the way down: what a command batch's shallow copies of aggregates need."""
    if isinstance(value, (str, int, bool, Decimal, date, UUID, type(None))):  # datetimes are dates
        return True
    if isinstance(value, (tuple, frozenset)):
        return all(immutable(v) for v in value)
    if is_dataclass(value) and not isinstance(value, type):
        return value.__dataclass_params__.frozen and all(  # type: ignore[attr-defined]  # every dataclass has its params
            immutable(getattr(value, f.name)) for f in fields(value)
        )
    return False
