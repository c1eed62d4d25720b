"""配备标准 — a city's standard of community workers per 10,000 residents, by the day in force."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from aggregates.base import Context, DatedFigures, figure_changes, natural_id, with_figure
from aggregates.community_workers.scale import check

if TYPE_CHECKING:
    from aggregates.base import DecoratedCreated, DecoratedEvent


class WorkerStandard(Aggregate):
    """配备标准 — a city's standard of community workers per 10,000 residents, by the day it takes
    effect (`figures`: (day, standard) pairs; a correction of a day replaces its figure)."""

    @staticmethod
    def create_id(city: str) -> UUID:
        return natural_id("worker_standard", city)

    @event("Opened")
    def __init__(self, city: str, ctx: Context) -> None:
        self.city = city
        self.figures: DatedFigures = ()

    def set(self, standard: int, ctx: Context) -> None:
        check(standard >= 1, f"a standard of {standard} per 10,000: at least 1")
        if figure_changes(self.figures, standard, ctx, f"{self.city}'s standard"):
            self._set(standard=standard, on=ctx.effective_on, ctx=ctx)

    @event("Set")
    def _set(self, standard: int, on: date, ctx: Context) -> None:
        self.figures = with_figure(self.figures, on, standard)

    if TYPE_CHECKING:
        Opened = DecoratedCreated
        Set = DecoratedEvent
