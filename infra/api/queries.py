"""What the route modules share: the readers' guard, parameter types, the two time axes,
sections of pages, 404s.

A list route takes its page and time axes as one value the framework builds from the query
(`DEPENDENCIES`): `paging` (limit, offset), `window` (as_of, known_at, limit, offset) or
`dated` (on, known_at, limit, offset); each parameter is still documented in the OpenAPI
document as a parameter of every route that takes it.

Text parameters refuse NUL (PostgreSQL text cannot hold it) and anything over 200
characters, so a bad code is a 400 naming the parameter, never a database error. The
time axes follow the command line (`infra.axes`): `as_of` is the day in force,
`known_at` the moment the ledger stood at; either one asks for an auditor.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Annotated, Any, TypeVar

from litestar import Request
from litestar.di import NamedDependency, Provide
from litestar.exceptions import NotFoundException, ValidationException
from litestar.params import PathParameter, QueryParameter

from infra.api.access import AUDITOR, READER, allow, require
from infra.api.paging import Limit, Offset, page
from infra.api.scope import Attribution
from infra.axes import Sections, Unknown, moment

T = TypeVar("T")

READERS = allow(READER, AUDITOR)  # a route for readers and auditors alike (whole scope only)


def readers(attribution: Attribution) -> dict[str, Any]:
    """A route for readers and auditors alike, its answers attributed as `attribution` says
    (so tokens of a narrower scope read it too, narrowed)."""
    return allow(READER, AUDITOR, scope=attribution)


TEXT = r"^[^\x00]+$"  # PostgreSQL text holds anything but NUL
Code = Annotated[
    str,
    PathParameter(
        min_length=1,
        max_length=200,
        pattern=TEXT,
        description="a code as the ledger spells it, e.g. JB-CICHENG",
    ),
]
Filter = Annotated[
    str | None,
    QueryParameter(min_length=1, max_length=200, pattern=TEXT, description="only the rows of this code"),
]
AsOf = Annotated[date | None, QueryParameter(description="the day in force (auditors; today when absent)")]
KnownAt = Annotated[
    str | None,
    QueryParameter(
        min_length=1,
        max_length=64,
        description="as the ledger stood then: a day (its end, China time) or an ISO"
        " time (auditors; now when absent)",
    ),
]
On = Annotated[date | None, QueryParameter(description="the day to evaluate (today when absent)")]
Year = Annotated[int | None, QueryParameter(ge=1, le=9999, description="a year (the day's when absent)")]


def auditing(request: Request, as_of: date | None, known_at: str | None) -> None:
    """Either time axis asks for an auditor."""
    if as_of or known_at:
        require(request, AUDITOR, "a query as of another day or another state of the ledger")


def instant(name: str, text: str) -> datetime:
    """A moment as the command line reads it (a day means its end, China time); 400 if not one."""
    try:
        found = moment(text)
        found.astimezone(UTC)  # out of range once moved to UTC: refuse it here
    except (ValueError, OverflowError) as e:
        raise ValidationException(f"{name}: {e}") from e
    return found


def when(request: Request, as_of: date | None, known_at: str | None) -> tuple[date, datetime | None]:
    """The day and the recorded-time bound of a query; either one asks for an auditor."""
    auditing(request, as_of, known_at)
    return as_of or date.today(), instant("known_at", known_at) if known_at else None


def known(read: Callable[[], T]) -> T:
    """What `read` finds; a 404 naming the thing when the view says it is `Unknown`."""
    try:
        return read()
    except Unknown as error:
        raise NotFoundException(str(error)) from None


def unknown(what: str, then: bool = False) -> NotFoundException:
    """404: no `what` is known (`then`: as of the day and state asked for)."""
    return NotFoundException(f"no {what}{' as of then' if then else ''} is known")


@contextmanager
def reading(request: Request) -> Iterator[Any]:
    """A dict-row cursor on the read models, in a transaction that writes nothing."""
    with request.app.state.ledger.recorder.datastore.transaction(commit=False) as cur:
        yield cur


@dataclass(frozen=True)
class Paged:
    """The page a list route was asked for."""

    limit: int
    offset: int

    def page(self, rows: list[Any]) -> dict[str, Any]:
        return page(rows, self.limit, self.offset)

    def sections(self, found: dict[str, list[Any]]) -> dict[str, dict[str, Any]]:
        """Each section of a sectioned answer as its own page, all with the same limit and offset."""
        return {name: self.page(rows) for name, rows in found.items()}


@dataclass(frozen=True)
class TimeWindow(Paged):
    """A page on both time axes (`as_of`, `known_at`; either asks for an auditor): `time` is
    (day, moment) when either was given, today and now standing in for the other, or None for
    the current view; `day` is `as_of` or today and `known` the moment of `known_at` or None."""

    time: tuple[date, datetime] | None
    day: date
    known: datetime | None

    def read(self, request: Request, view: Sections, code: str | None) -> dict[str, list[Any]]:
        """The view's sections of `code`, as of the window; a 404 when the view knows none."""
        with reading(request) as cur:
            return known(lambda: view.read(cur, code, self.time))


@dataclass(frozen=True)
class DayWindow(Paged):
    """A page for a day (`on`, today when absent) as the ledger stood at `known_at` (None: now;
    it asks for an auditor)."""

    day: date
    known: datetime | None


def _paging(limit: Limit = 100, offset: Offset = 0) -> Paged:
    return Paged(limit, offset)


def _window(
    request: Request, as_of: AsOf = None, known_at: KnownAt = None, limit: Limit = 100, offset: Offset = 0
) -> TimeWindow:
    day, known = when(request, as_of, known_at)
    time = (day, known or datetime.now(UTC)) if as_of or known_at else None  # now stands in for known_at
    return TimeWindow(limit, offset, time, day, known)


def _dated(
    request: Request, on: On = None, known_at: KnownAt = None, limit: Limit = 100, offset: Offset = 0
) -> DayWindow:
    _, known = when(request, None, known_at)
    return DayWindow(limit, offset, on or date.today(), known)


# What a route declares to be given them (by the parameter's name: `paging`, `window`, `dated`).
Paging = NamedDependency[Paged]
Window = NamedDependency[TimeWindow]
Dated = NamedDependency[DayWindow]

DEPENDENCIES = {
    "paging": Provide(_paging, sync_to_thread=False),
    "window": Provide(_window, sync_to_thread=False),
    "dated": Provide(_dated, sync_to_thread=False),
}
