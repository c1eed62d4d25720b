"""Builders for the aggregate tests: contexts, standard details, reviews and scenarios; commands
sent and applied, and the stored events in their published form, for the event-contract tests."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import fields, is_dataclass, replace
from datetime import UTC, date, datetime, time, timedelta, timezone
from decimal import Decimal
from itertools import count
from typing import Any, TypeVar
from uuid import UUID

import msgspec
import pytest
from hypothesis import strategies as st

from aggregates.base import CHINA_STANDARD_TIME, Context, ReasonRequired
from aggregates.organisation.town import TownDetails
from aggregates.powers.delegation import AdmissionReview, Evaluation, Finding, SupportPackage
from aggregates.powers.item import ItemDetails
from infra.contexts import GovernanceLedger as Ledger
from infra.contexts import family_of_event, to_contract
from tests.support import JULY, JUNE, Reader, apply_all, from_bureau

BODY = "区联席会议"
A = TypeVar("A")
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


def dated_figures(
    record: Callable[[Context, int], object], first: tuple[str, int], later: tuple[str, int], corrected: int
) -> None:
    """Given a dated figure (see `aggregates.base.figure_changes`) recorded on its first day, the
    same again (nothing recorded), and another on a later day; checked: the first day's figure
    `corrected` without a reason is refused."""
    record(ctx(first[0]), first[1])
    record(ctx(first[0]), first[1])  # again: nothing recorded
    record(ctx(later[0]), later[1])
    with pytest.raises(ReasonRequired):
        record(ctx(first[0], reason=None), corrected)


def state(aggregate: Any) -> dict[str, Any]:
    """An aggregate's attributes, without its pending events."""
    return {k: v for k, v in vars(aggregate).items() if k != "_pending_events"}


def saved(ledger: Ledger, aggregate_id: UUID, cls: type[A]) -> A:
    """The aggregate as the ledger last saved it, checked to be a `cls`."""
    aggregate = ledger.find(aggregate_id)
    assert isinstance(aggregate, cls)
    return aggregate


def event_names(ledger: Ledger, aggregate_id: UUID) -> list[str]:
    """The class names of the aggregate's stored events, in order."""
    return [type(e).__name__ for e in ledger.events.get(aggregate_id)]


def mutated(ledger: Ledger, aggregate_id: UUID) -> Any:
    """The aggregate rebuilt from its stored events as they are (lists where its state holds
    tuples), each mutating what the one before made."""
    aggregate = None
    for event in ledger.events.get(aggregate_id):
        aggregate = event.mutate(aggregate)
    return aggregate


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


# -- strategies ------------------------------------------------------------------------------

zones = st.sampled_from([UTC, timezone(timedelta(hours=8)), timezone(timedelta(hours=-3, minutes=-30))])


def contexts(
    texts: st.SearchStrategy[str], moments: st.SearchStrategy[datetime]
) -> st.SearchStrategy[Context]:
    """Any context: its texts, optional ones included, and its effective moment drawn as given."""
    return st.builds(
        Context,
        actor=texts,
        role=texts,
        system=texts,
        message_id=texts,
        effective_at=moments,
        correlation_id=st.none() | texts,
        reason=st.none() | texts,
        document_no=st.none() | texts,
    )


# -- commands sent and applied, events published ---------------------------------------------


def sent(cls: type, label: str, payload: Any, **fields: Any) -> Any:
    """A command from the bureau, labelled for its message id, sent in June to take effect in July."""
    return from_bureau(cls, label, payload, JUNE, **{"effective_at": JULY, **fields})


def decoded(messages: Iterable[tuple[bytes | None, bytes]], command_type: Any) -> list[Any]:
    """The commands of encoded (key, value) messages, read as the given type (as the intake
    reads them: an earlier version upgraded)."""
    decoder = Reader(command_type)
    return [decoder.decode(value) for _key, value in messages]


def with_streets(streets: Mapping[str, str], district: str, ledger: Ledger | None = None) -> Ledger:
    """A ledger (a fresh one unless given) in which these streets (code: name) of `district` are
    registered (`town.register`), as the demo's organisation and jurisdictions do first."""
    ledger = Ledger() if ledger is None else ledger
    for code, name in streets.items():
        ledger.register_town(ctx("2021-01-04"), code, TownDetails(name, district, "street", "一办七部两中心"))
    return ledger


def applied(*commands: msgspec.Struct, ledger: Ledger | None = None) -> Ledger:
    """A ledger (a fresh one unless given) with the commands applied in order, refused ones skipped."""
    ledger = Ledger() if ledger is None else ledger
    apply_all(ledger, commands)
    return ledger


def event_classes(aggregate: type) -> set[type]:
    """The aggregate's own event classes."""
    return {
        v
        for v in vars(aggregate).values()
        if isinstance(v, type) and issubclass(v, aggregate.Event) and v.__name__ not in ("Event", "Created")
    }  # the library's unused defaults


def contract_classes(published: Mapping[type, tuple[type, Any]]) -> set[type]:
    """The contracts a translator's table publishes its events as."""
    return {contract for contract, _payload in published.values()}


def tags(prefix: str, *names: str) -> set[str]:
    """The published tags of one aggregate's events: ``tags("town", "registered")`` is {"town.registered"}."""
    return {f"{prefix}.{name}" for name in names}


def published_as(
    family: str, union: Any, internal: Iterable[type] = ()
) -> Callable[[Ledger], dict[str, list[Any]]]:
    """What a ledger publishes of the family, the internal events left out (see `published_by_tag`)."""
    return lambda ledger: published_by_tag(ledger, family, union, set(internal))


def published_by_tag(
    ledger: Ledger, family: str, union: Any, internal: set[type], mixed: bool = False
) -> dict[str, list[Any]]:
    """Every stored event in its published form, by tag; each must round-trip unchanged. With
    `mixed`, the ledger holds other families' events too (a unit's parents): those are left out."""
    aggregates: dict[Any, Any] = {}
    by_tag: dict[str, list[Any]] = defaultdict(list)
    for notification in ledger.recorder.select_notifications(start=1, limit=100_000):
        event = ledger.mapper.to_domain_event(notification)
        aggregate = aggregates[event.originator_id] = event.mutate(aggregates.get(event.originator_id))
        if type(event) in internal:
            continue
        if mixed and family_of_event(event) != family:
            continue
        contract = to_contract(event, aggregate)
        assert family_of_event(event) == family
        assert msgspec.json.decode(msgspec.json.encode(contract), type=union) == contract
        assert contract.message_id == event.ctx.message_id
        by_tag[type(contract).__struct_config__.tag].append(contract)
    return by_tag
