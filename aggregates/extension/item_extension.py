"""事项延伸 — a town's power item extended to its communities and villages (向村(社区)延伸)."""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import TYPE_CHECKING
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from aggregates.base import Context, RuleViolation, natural_id, require_reason

if TYPE_CHECKING:
    from aggregates.base import DecoratedCreated, DecoratedEvent

# Jiangbei: "编制镇街'内跑'事项清单，实现15项高频事项向村(社区)延伸 ... 已累计办理1392件" (seed 000).


class ItemNotHeldByTown(RuleViolation):
    """A town extends an item, and counts cases under it, only on days it holds the item: an
    effective delegation of that item to that town."""


class InvalidReach(RuleViolation):
    """An extension or a withdrawal names one or more communities, each once; a community is
    extended to again no earlier than the day it was withdrawn from."""


class NotExtendedTo(RuleViolation):
    """Only a community the item is extended to is withdrawn from, and its cases are counted only
    for days the item was extended to it."""


class InvalidHandledCount(RuleViolation):
    """A count of cases handled is a whole number of at least zero, for a period written as a
    year, a quarter, a month, an ISO week or a day."""


class HandledPeriodsOverlap(RuleViolation):
    """A community's counts under one item are for periods that do not overlap; a count for the
    same period again corrects the earlier one."""


_PERIOD = re.compile(r"^(\d{4})(?:-(?:Q([1-4])|W(\d{2})|(\d{2})(?:-(\d{2}))?))?$")


def period_days(period: str) -> tuple[date, date]:
    """The first and last day of a period: `2021`, `2021-Q3`, `2021-W27`, `2021-07` or `2021-07-01`."""
    found = _PERIOD.match(period)
    try:
        if found is None:
            raise ValueError(period)
        year, quarter, week, month, day = found.groups()
        y = int(year)
        if quarter:
            first_month = 3 * int(quarter) - 2
            last_month = first_month + 2
            return date(y, first_month, 1), date(y, last_month, calendar.monthrange(y, last_month)[1])
        if week:
            monday = date.fromisocalendar(y, int(week), 1)
            return monday, monday + timedelta(days=6)
        if day:
            one = date(y, int(month), int(day))
            return one, one
        if month:
            m = int(month)
            return date(y, m, 1), date(y, m, calendar.monthrange(y, m)[1])
        return date(y, 1, 1), date(y, 12, 31)
    except (ValueError, OverflowError):
        raise InvalidHandledCount(
            f"{period!r} is not a period: a year, quarter, month, ISO week or day (2021, 2021-Q3, "
            "2021-07, 2021-W27, 2021-07-01)"
        ) from None


def reach_of(communities: Sequence[str]) -> tuple[str, ...]:
    """The communities of an act, each named once."""
    if (
        not communities
        or len(set(communities)) != len(communities)
        or not all(c.strip() for c in communities)
    ):
        raise InvalidReach(f"an act of extension names communities, each once: {list(communities)}")
    return tuple(communities)


@dataclass(frozen=True)
class Span:
    """One community taking the item in: from `since` to the day before `until` (None: still),
    under the delegation (of `delegation_batch`) by which the town holds the item."""

    community: str
    delegation_batch: str
    since: date
    until: date | None = None

    def covers(self, first: date, last: date) -> bool:
        return self.since <= first and (self.until is None or last < self.until)


@dataclass(frozen=True)
class Figure:
    """办理件数 — the cases one community handled in one period."""

    community: str
    period: str
    first_day: date
    last_day: date
    count: int


class ItemExtension(Aggregate):
    """事项延伸 — one town's item taken in by its communities and villages, and the cases they
    handled under it.

    The town holds the item by a delegation; the use cases read it and hand in what it says
    (its batch, its department, whether it was in force on a day). Communities are kept as
    the sender names them.
    """

    @staticmethod
    def create_id(item: str, town: str) -> UUID:
        return natural_id("item_extension", item, town)

    @event("Opened")
    def __init__(self, item: str, town: str, ctx: Context) -> None:
        self.item, self.town = item, town
        self.spans: tuple[Span, ...] = ()
        self.figures: tuple[Figure, ...] = ()

    def current(self, community: str) -> Span | None:
        """The community's span still open, if any."""
        return next((s for s in self.spans if s.community == community and s.until is None), None)

    def reached(self) -> tuple[str, ...]:
        return tuple(s.community for s in self.spans if s.until is None)

    def extend_to(self, communities: tuple[str, ...], batch: str, department: str, ctx: Context) -> None:
        """To the communities not yet reached (those reached already are left as they are)."""
        new = tuple(c for c in communities if self.current(c) is None)
        for community in new:
            ended = max((s.until for s in self.spans if s.community == community and s.until), default=None)
            if ended is not None and ctx.effective_on < ended:
                raise InvalidReach(
                    f"{self.item} of {self.town} was withdrawn from {community} on {ended}: "
                    f"extend it again from then, not from {ctx.effective_on}"
                )
        if new:
            self._extended(communities=new, batch=batch, department=department, on=ctx.effective_on, ctx=ctx)

    @event("Extended")
    def _extended(
        self, communities: tuple[str, ...], batch: str, department: str, on: date, ctx: Context
    ) -> None:
        self.spans = (*self.spans, *(Span(c, batch, on) for c in communities))

    def withdraw(self, communities: tuple[str, ...], ctx: Context) -> None:
        on = ctx.effective_on
        for community in communities:
            span = self.current(community)
            if span is None or on < span.since:
                since = f"from {span.since}" if span else "to no one there"
                raise NotExtendedTo(
                    f"{self.item} of {self.town} is not extended to {community} on {on} (extended {since})"
                )
        self._withdrawn(communities=communities, on=on, ctx=ctx)

    @event("Withdrawn")
    def _withdrawn(self, communities: tuple[str, ...], on: date, ctx: Context) -> None:
        self.spans = tuple(
            replace(s, until=on) if s.until is None and s.community in communities else s for s in self.spans
        )

    def record(
        self,
        community: str,
        period: str,
        count: int,
        held: Callable[[str, date], bool],
        ctx: Context,
    ) -> None:
        """The count for the period; `held(batch, day)` says whether the town held the item
        under that batch's delegation on a day. The same count again records nothing."""
        first, last = period_days(period)
        InvalidHandledCount.check(count >= 0, f"{count} cases handled: a count is at least zero")
        span = next((s for s in self.spans if s.community == community and s.covers(first, last)), None)
        if span is None:
            raise NotExtendedTo(
                f"{self.item} of {self.town} was not extended to {community} on every day of {period} "
                f"({first} to {last})"
            )
        if not (held(span.delegation_batch, first) and held(span.delegation_batch, last)):
            raise ItemNotHeldByTown(
                f"{self.town} did not hold {self.item} under its delegation of batch {span.delegation_batch} "
                f"on every day of {period}: cases are counted for days it held the item"
            )
        same = next((f for f in self.figures if f.community == community and f.period == period), None)
        if same is not None and same.count == count:
            return
        for other in self.figures:
            if other.community == community and other.period != period:
                if other.first_day <= last and first <= other.last_day:
                    raise HandledPeriodsOverlap(
                        f"{community}'s count for {other.period} covers days of {period}: one count a day"
                    )
        if same is not None:
            require_reason(ctx, f"correcting {community}'s count for {period}")
        self._recorded(
            community=community, period=period, first_day=first, last_day=last, count=count, ctx=ctx
        )

    @event("HandledRecorded")
    def _recorded(
        self, community: str, period: str, first_day: date, last_day: date, count: int, ctx: Context
    ) -> None:
        figure = Figure(community, period, first_day, last_day, count)
        others = tuple(f for f in self.figures if (f.community, f.period) != (community, period))
        self.figures = (*others, figure)

    if TYPE_CHECKING:  # the event classes that the @event methods above define at class creation
        Opened = DecoratedCreated
        Extended = Withdrawn = HandledRecorded = DecoratedEvent
