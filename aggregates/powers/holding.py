"""事项承接 — who exercises power item P in town T: at most one delegation at a time."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from aggregates.base import Context, RuleViolation, natural_id

if TYPE_CHECKING:
    from aggregates.base import DecoratedCreated, DecoratedEvent


class HolderAlreadyEffective(RuleViolation):
    """At most one effective delegation per (item, town)."""


class PowerHolding(Aggregate):
    """事项承接 — the one slot per (item, town) that an approved delegation takes.

    Approving a delegation and taking its slot are saved together, so two approvals
    racing for the same slot collide on the slot's version and one of them loses.
    """

    @staticmethod
    def create_id(item: str, town: str) -> UUID:
        return natural_id("holding", item, town)

    @event("Opened")
    def __init__(self, item: str, town: str, ctx: Context) -> None:
        self.item, self.town = item, town
        self.holder: UUID | None = None
        self.free_from: date | None = None
        self.released: tuple[UUID, ...] = ()  # the delegations that held the slot before

    def ensure_free(
        self, delegation_id: UUID, since: date, named: Callable[[UUID], str] = lambda _: "a delegation"
    ) -> None:
        """Unless the slot is free on `since` for this delegation, refuse; `named` says which
        delegation an id is in the sender's words (its town and batch), where the holding
        knows only ids."""
        if self.holder is not None and self.holder != delegation_id:
            raise HolderAlreadyEffective(
                f"approving {named(delegation_id)}: {self.item} in {self.town} is already exercised "
                f"under {named(self.holder)}: recall or transfer that delegation first"
            )
        if self.free_from is not None and since < self.free_from:
            raise HolderAlreadyEffective(
                f"approving {named(delegation_id)} effective {since}: {self.item} in {self.town} was "
                f"exercised until {self.free_from}: it can take effect from {self.free_from} on"
            )

    def take(self, delegation_id: UUID, since: date, ctx: Context) -> None:
        if self.holder == delegation_id:
            return
        self.ensure_free(delegation_id, since)
        self._taken(delegation_id=delegation_id, since=since, ctx=ctx)

    @event("Taken")
    def _taken(self, delegation_id: UUID, since: date, ctx: Context) -> None:
        self.holder = delegation_id

    def release(self, delegation_id: UUID, on: date, ctx: Context) -> None:
        if self.holder == delegation_id:
            self._released(delegation_id=delegation_id, on=on, ctx=ctx)

    @event("Released")
    def _released(self, delegation_id: UUID, on: date, ctx: Context) -> None:
        # A backdated release never reopens days an earlier holder held.
        self.holder = None
        self.free_from = on if self.free_from is None else max(self.free_from, on)
        self.released = (*self.released, delegation_id)

    if TYPE_CHECKING:  # the event classes that the @event methods above define at class creation
        Opened = DecoratedCreated
        Taken = Released = DecoratedEvent
