"""选任规则 — a district's choice to fill its streets' principal mid-level posts from tier A only."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from aggregates.base import Context, natural_id

if TYPE_CHECKING:
    from aggregates.base import DecoratedCreated, DecoratedEvent

# A district that never chose does not require tier A for a principal post: the seed says
# what tier A is for ("培养街道中层正职的摇篮"), not that every district makes it a condition.
DEFAULT = False


class AppointmentRule(Aggregate):
    """选任规则 — whether a district appoints principal mid-level posts (中层正职) from tier A only.

    Dated: each setting is in force from its effective day until a later one; on a day
    before any setting, the default (not required) holds.
    """

    @staticmethod
    def create_id(district: str) -> UUID:
        return natural_id("reserve_rule", district)

    @event("Opened")
    def __init__(self, district: str, ctx: Context) -> None:
        self.district = district
        self.settings: tuple[tuple[date, bool], ...] = ()  # (from, required), by day

    def principal_only_from_a_on(self, day: date) -> bool:
        found = [required for since, required in self.settings if since <= day]
        return found[-1] if found else DEFAULT

    def set(self, principal_only_from_a: bool, ctx: Context) -> None:
        """The district's choice from the effective day on; the same choice on the same day
        again records nothing."""
        if (ctx.effective_on, principal_only_from_a) in self.settings[-1:]:
            return
        self._set(principal_only_from_a=principal_only_from_a, ctx=ctx)

    @event("Set")
    def _set(self, principal_only_from_a: bool, ctx: Context) -> None:
        # by day; settings of one day in the order recorded, the later one in force
        added = (*self.settings, (ctx.effective_on, principal_only_from_a))
        self.settings = tuple(sorted(added, key=lambda setting: setting[0]))

    if TYPE_CHECKING:  # the event classes that the @event methods above define at class creation
        Opened = DecoratedCreated
        Set = DecoratedEvent
