"""一人一镇 — the one town a sunk-down person serves at a time."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from aggregates.base import Context, RuleViolation, natural_id

if TYPE_CHECKING:
    from aggregates.base import DecoratedCreated, DecoratedEvent


class PersonAlreadyPlaced(RuleViolation):
    """One town per person at a time: recall, return or rotate the person out first."""


class Placement(Aggregate):
    """一人一镇 — the slot per person that a sink-down transfer takes when it takes effect.

    The transfer and the slots of all its persons are saved together, so two transfers
    racing for one person collide on the slot's version and one of them loses.
    """

    @staticmethod
    def create_id(person: str) -> UUID:
        return natural_id("placement", person)

    @event("Opened")
    def __init__(self, person: str, ctx: Context) -> None:
        self.person = person
        self.transfer: str | None = None
        self.town: str | None = None
        self.free_from: date | None = None

    def ensure_free(self, transfer: str, since: date) -> None:
        if self.transfer is not None and self.transfer != transfer:
            raise PersonAlreadyPlaced(
                f"placing {self.person} with sink-down {transfer}: {self.person} serves {self.town} with "
                f"sink-down {self.transfer}; recall, return or rotate them out of {self.transfer} first"
            )
        if self.free_from is not None and since < self.free_from:
            raise PersonAlreadyPlaced(
                f"placing {self.person} with sink-down {transfer} on {since}: {self.person} served elsewhere "
                f"until {self.free_from}; they can be placed from {self.free_from} on"
            )

    def take(self, transfer: str, town: str, since: date, ctx: Context) -> None:
        if self.transfer == transfer:
            return
        self.ensure_free(transfer, since)
        self._taken(transfer=transfer, town=town, since=since, ctx=ctx)

    @event("Taken")
    def _taken(self, transfer: str, town: str, since: date, ctx: Context) -> None:
        self.transfer, self.town = transfer, town

    def release(self, transfer: str, on: date, ctx: Context) -> None:
        if self.transfer == transfer:
            self._released(transfer=transfer, on=on, ctx=ctx)

    @event("Released")
    def _released(self, transfer: str, on: date, ctx: Context) -> None:
        # A backdated release never reopens days the person served.
        self.transfer, self.town = None, None
        self.free_from = on if self.free_from is None else max(self.free_from, on)

    if TYPE_CHECKING:  # the event classes that the @event methods above define at class creation
        Opened = DecoratedCreated
        Taken = Released = DecoratedEvent
