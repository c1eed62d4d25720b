"""The msgspec transcoder writes exactly the bytes the library's JSONTranscoder writes."""

from __future__ import annotations

import enum
import math
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from eventsourcing.persistence import JSONTranscoder, TranscodingNotRegisteredError
from hypothesis import given, settings
from hypothesis import strategies as st

from aggregates.base import Context
from aggregates.transcoder import MsgspecJSONTranscoder
from infra.contexts import GovernanceLedger as Ledger
from tests.unit import builders


def _both() -> tuple[JSONTranscoder, MsgspecJSONTranscoder]:
    ledger = Ledger(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})
    library, ours = JSONTranscoder(), MsgspecJSONTranscoder()
    ledger.register_transcodings(library)
    ledger.register_transcodings(ours)
    return library, ours


LIBRARY, OURS = _both()
moments = st.datetimes(timezones=builders.zones)
texts = st.text()  # control characters, quotes, backslashes, CJK, astral planes
contexts = builders.contexts(texts, moments)
scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | texts
    | st.uuids()
    | moments
    | st.dates()
    | st.decimals(allow_nan=False, allow_infinity=False)
    | contexts
    | st.floats()
)
states = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4) | st.tuples(inner, inner) | st.dictionaries(texts, inner, max_size=4)
    ),
    max_leaves=30,
)


@settings(max_examples=400, deadline=None)
@given(st.dictionaries(texts, states, max_size=8))
def test_the_same_bytes_as_the_library(state: dict) -> None:
    written = OURS.encode(state)
    assert written == LIBRARY.encode(state)
    assert LIBRARY.encode(LIBRARY.decode(written)) == written  # and the library reads it back


class Level(str, enum.Enum):  # noqa: UP042 - what is tested: a str-mixin Enum, as older code defines them
    TOWN = "town"


class Rank(enum.IntEnum):
    FIRST = 1


def test_subclasses_of_plain_types_as_the_library_writes_them() -> None:
    state = {
        "level": Level.TOWN,
        "rank": Rank.FIRST,
        "day": date(2021, 7, 1),
        "at": datetime(2021, 7, 1, 9, tzinfo=UTC),
        "yuan": Decimal("50000.00"),
    }
    assert OURS.encode(state) == LIBRARY.encode(state)


def test_an_unregistered_type_is_refused_with_the_library_error() -> None:
    with pytest.raises(TranscodingNotRegisteredError):
        OURS.encode({"x": object()})


def test_the_ledger_writes_with_it() -> None:
    ledger = Ledger(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})
    assert isinstance(ledger.mapper.transcoder, MsgspecJSONTranscoder)


@settings(max_examples=400, deadline=None)
@given(st.dictionaries(texts, states, max_size=8))
def test_it_reads_back_what_the_library_reads(state: dict) -> None:
    written = LIBRARY.encode(state)
    assert OURS.decode(written) == LIBRARY.decode(written)


def test_what_msgspec_does_not_parse_is_read_by_the_library() -> None:
    written = LIBRARY.encode({"x": [float("inf"), float("-inf"), 1e308 * 10], "n": 10**40})
    assert OURS.decode(written) == {"x": [float("inf"), float("-inf"), float("inf")], "n": 10**40}
    assert math.isnan(OURS.decode(LIBRARY.encode({"x": float("nan")}))["x"])


def test_an_unregistered_type_read_back_is_refused_with_the_library_error() -> None:
    with pytest.raises(TranscodingNotRegisteredError):
        OURS.decode(b'{"x":{"_type_":"nobody","_data_":1}}')
    assert OURS.decode(b'{"x":{"_type_":"nobody"}}') == {"x": {"_type_": "nobody"}}  # not a box


def test_value_objects_read_back_equal_and_still_normalised_by_their_post_init() -> None:
    from aggregates.duties.admission import CATEGORIES, DutyAdmissionTerms

    context = Context("a", "b", "c", "m", datetime(2021, 7, 1, tzinfo=UTC), document_no="n")
    read = OURS.decode(OURS.encode({"ctx": context}))["ctx"]
    assert read == context and read.__dict__ == context.__dict__
    with pytest.raises(TypeError):  # fields missing: __init__'s own error, as the library's
        OURS.decode(b'{"x":{"_type_":"Context","_data_":{"actor":"a"}}}')
    terms = DutyAdmissionTerms("n", sorted(CATEGORIES)[0], "b", ("T2", "T1"))
    read = OURS.decode(OURS.encode({"terms": terms}))["terms"]
    assert read == terms and read.towns == ("T1", "T2")  # the stored list made a tuple again
