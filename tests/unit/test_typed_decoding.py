"""Events read through a decoder typed for their class are exactly the events the library reads."""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any
from uuid import UUID, uuid4

import pytest
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import (
    DatetimeAsISO,
    DecimalAsStr,
    Mapper,
    MapperDeserialisationError,
    StoredEvent,
    UUIDAsHex,
)
from hypothesis import given, settings
from hypothesis import strategies as st

from aggregates.base import Context, transcodings
from aggregates.transcoder import MsgspecJSONTranscoder
from aggregates.typed_decoding import LedgerMapper
from infra.contexts import GovernanceLedger as Ledger
from tests.unit import builders


@dataclass(frozen=True)
class Leaf:
    name: str
    count: int
    ratio: float
    flag: bool
    note: str | None


class Negative(ValueError):
    pass


@dataclass(frozen=True)
class Amount:
    yuan: Decimal
    codes: tuple[str, ...]

    def __post_init__(self) -> None:
        if self.yuan < 0:
            raise Negative(str(self.yuan))
        object.__setattr__(self, "codes", tuple(sorted(self.codes)))  # stored as a list


@dataclass(frozen=True)
class Bundle:
    leaves: tuple[Leaf, ...]
    amount: Amount | None
    day: date | None
    at: datetime
    ref: UUID


class Sample(Aggregate):
    class Happened(Aggregate.Event):
        bundle: Bundle
        leaf: Leaf | None
        days: tuple[date, ...]
        label: str
        size: int
        share: float
        anything: Any
        ctx: Context


def _mappers() -> tuple[LedgerMapper, Mapper[UUID]]:
    transcoder = MsgspecJSONTranscoder()
    for transcoding in [UUIDAsHex(), DecimalAsStr(), DatetimeAsISO(), *transcodings(Leaf, Amount, Bundle)]:
        transcoder.register(transcoding)
    return LedgerMapper(transcoder), Mapper(transcoder)


TYPED, GENERIC = _mappers()
moments = st.datetimes(timezones=builders.zones) | st.datetimes()  # aware and naive
texts = st.text()
floats = st.floats(allow_nan=False, allow_infinity=False)
leaves = st.builds(
    Leaf,
    name=texts,
    count=st.integers(-(2**63), 2**63 - 1),
    ratio=floats,
    flag=st.booleans(),
    note=st.none() | texts,
)
amounts = st.builds(
    Amount,
    yuan=st.decimals(min_value=0, allow_nan=False, places=2),
    codes=st.lists(texts, max_size=3).map(tuple),
)
bundles = st.builds(
    Bundle,
    leaves=st.lists(leaves, max_size=3).map(tuple),
    amount=st.none() | amounts,
    day=st.none() | st.dates(),
    at=moments,
    ref=st.uuids(),
)
contexts = builders.contexts(texts, moments)
anything = st.recursive(
    st.none() | st.booleans() | st.integers() | texts | st.dates() | leaves,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(texts, inner, max_size=3),
    max_leaves=8,
)
events = st.builds(
    Sample.Happened,
    originator_id=st.uuids(),
    originator_version=st.integers(1, 10**6),
    timestamp=moments,
    bundle=bundles,
    leaf=st.none() | leaves,
    days=st.lists(st.dates(), max_size=3).map(tuple),
    label=texts,
    size=st.integers(-(10**6), 10**6),
    share=floats | st.integers(-(10**6), 10**6),
    anything=anything,
    ctx=contexts,
)


def same(a: Any, b: Any) -> bool:
    """Equal, and of the very same types all the way down (a list is not a tuple here, nor an
    int a float), with dicts' keys in the same order."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(same(a[k], b[k]) for k in a)
    if isinstance(a, (list, tuple)):
        return len(a) == len(b) and all(map(same, a, b))
    if dataclasses.is_dataclass(a) or hasattr(a, "__dict__") and not isinstance(a, type):
        return same(vars(a), vars(b))
    if isinstance(a, datetime):
        return a == b and a.utcoffset() == b.utcoffset()
    return bool(a == b) and repr(a) == repr(b)


def read_both(stored: StoredEvent) -> tuple[Any, Any]:
    return TYPED.to_domain_event(stored), GENERIC.to_domain_event(stored)


@settings(max_examples=300, deadline=None)
@given(events)
def test_the_typed_path_reads_what_the_library_reads(event: Sample.Happened) -> None:
    stored = GENERIC.to_stored_event(event)
    typed, generic = read_both(stored)
    assert same(typed, generic)
    assert TYPED.typed is not None and TYPED.typed.decode(Sample.Happened, stored.state) is not None  # taken
    assert TYPED._by_topic[stored.topic] is not None  # by the mapper too


def _stored(event: Sample.Happened, change: Any) -> StoredEvent:
    stored = GENERIC.to_stored_event(event)
    state = json.loads(stored.state)
    change(state)
    return StoredEvent(
        stored.originator_id,
        stored.originator_version,
        stored.topic,
        json.dumps(state, separators=(",", ":"), ensure_ascii=False).encode(),
    )


def _an_event() -> Sample.Happened:
    at = datetime(2021, 7, 1, 9, tzinfo=timezone(timedelta(hours=8)))
    leaf = Leaf("a", 1, 0.5, True, None)
    return Sample.Happened(
        originator_id=uuid4(),
        originator_version=3,
        timestamp=at,
        bundle=Bundle((leaf,), Amount(Decimal("50000.00"), ("b", "a")), date(2021, 7, 1), at, uuid4()),
        leaf=leaf,
        days=(date(2021, 7, 1),),
        label="x",
        size=2,
        share=1.5,
        anything={"k": [1, "v"]},
        ctx=Context("a", "b", "c", "m", at, document_no="n"),
    )


def _set(path: str, value: Any) -> Any:
    def change(state: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        for key in parents:
            state = state[key]
        state[last] = value

    return change


def _pop(path: str) -> Any:
    def change(state: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        for key in parents:
            state = state[key]
        del state[last]

    return change


@pytest.mark.parametrize(
    "change",
    [
        _set("extra", 1),  # a key the class does not have
        _pop("label"),  # a field missing
        _set("size", 2.0),  # a float where the class says int
        _set("label", 7),  # a number where the class says str
        _set("leaf._data_.count", 1.0),  # the same inside a value object
        _set("bundle._data_.day", {"_type_": "datetime_iso", "_data_": "2021-07-01T09:00:00+08:00"}),
        _set("bundle._data_.at", {"_data_": "2021-07-01T09:00:00+08:00"}),  # not a box without its type
        _set("ctx._data_.extra", None),  # a value object with a key too many (its __init__ refuses it)
        _pop("ctx._data_.reason"),  # ... or one missing (its default, as the library's)
        _set("class_version", 2),  # a state written by another version of the class
    ],
)
def test_a_state_the_class_does_not_describe_is_read_by_the_generic_path(change: Any) -> None:
    stored = _stored(_an_event(), change)
    assert TYPED.typed is not None and TYPED.typed.decode(Sample.Happened, stored.state) is None
    try:
        generic = GENERIC.to_domain_event(stored)
    except Exception as error:
        with pytest.raises(type(error)):
            TYPED.to_domain_event(stored)
        return
    assert same(TYPED.to_domain_event(stored), generic)


def test_an_int_where_the_class_says_float_stays_an_int_as_the_library_keeps_it() -> None:
    stored = _stored(_an_event(), _set("share", 2))
    assert TYPED.typed is not None and TYPED.typed.decode(Sample.Happened, stored.state) is not None
    typed, generic = read_both(stored)
    assert same(typed, generic) and type(typed.share) is int


def test_a_value_object_whose_rules_refuse_it_fails_as_the_library_fails() -> None:
    stored = _stored(_an_event(), _set("bundle._data_.amount._data_.yuan._data_", "-1"))
    with pytest.raises(MapperDeserialisationError, match="-1"):
        GENERIC.to_domain_event(stored)
    with pytest.raises(MapperDeserialisationError, match="-1"):
        TYPED.to_domain_event(stored)


def test_post_init_still_normalises_what_the_typed_path_builds() -> None:
    event = TYPED.to_domain_event(GENERIC.to_stored_event(_an_event()))
    assert event.bundle.amount.codes == ("a", "b")  # sorted into a tuple, as __init__ would


def _every_event_class() -> set[type]:
    import importlib
    import pkgutil

    import aggregates

    for module in pkgutil.walk_packages(aggregates.__path__, "aggregates."):
        importlib.import_module(module.name)
    found, todo = set(), [Aggregate]
    while todo:
        for sub in todo.pop().__subclasses__():
            todo.append(sub)
            for value in vars(sub).values():
                if (
                    isinstance(value, type)
                    and issubclass(value, Aggregate.Event)
                    and value.__module__.startswith("aggregates")
                ):
                    found.add(value)
    return found


def test_every_event_class_of_the_ledger_has_a_typed_decoder() -> None:
    mapper = Ledger(env={"PERSISTENCE_MODULE": "eventsourcing.popo"}).mapper
    assert isinstance(mapper, LedgerMapper) and mapper.typed is not None
    classes = _every_event_class()
    assert len(classes) > 100
    missing = [cls.__qualname__ for cls in classes if mapper.typed.decoder(cls) is None]
    assert missing == []


def test_the_demo_events_read_the_same_both_ways() -> None:
    from infra.contexts import apply, decode
    from infra.demo.run import _phases
    from infra.settings import Settings

    ledger = Ledger(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})
    assert isinstance(ledger.mapper, LedgerMapper) and ledger.mapper.typed is not None
    for phase in _phases(Settings()):
        for messages in phase.values():
            for _key, value in messages:
                command = decode(type("Record", (), {"value": value})()).command
                try:
                    apply(ledger, command)
                except Exception:
                    pass
    generic, classes = Mapper(ledger.mapper.transcoder), set()
    for stored in ledger.recorder.select_notifications(start=1, limit=1_000_000):
        cls = type(generic.to_domain_event(stored))
        assert ledger.mapper.typed.decode(cls, stored.state) is not None, cls.__qualname__
        assert same(ledger.mapper.to_domain_event(stored), generic.to_domain_event(stored))
        classes.add(cls)
    assert len(classes) >= 50  # the demo exercises most families of the ledger's events
