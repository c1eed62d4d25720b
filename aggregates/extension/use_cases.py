"""Use cases of items extended to communities and villages (事项延伸, seed 000)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from aggregates.base import Context
from aggregates.command_batch import UseCases, use_case
from aggregates.extension.item_extension import ItemExtension, ItemNotHeldByTown, NotExtendedTo, reach_of
from aggregates.jurisdictions.jurisdiction import check_community_of
from aggregates.powers.delegation import Delegation
from aggregates.powers.holding import PowerHolding


class ExtensionUseCases(UseCases):
    """事项延伸 — towns' items extended to communities and villages, and the cases they handled."""

    def _held(self, item: str, town: str, on: date) -> Delegation:
        """The delegation by which the town holds the item on the day: the one holding its
        (item, town) slot, or one that held it before, in force that day; otherwise the town
        does not hold it."""
        holding = self._read(PowerHolding, PowerHolding.create_id(item, town))
        holders = [] if holding is None else [holding.holder, *holding.released]
        for holder in holders:
            found = self._read(Delegation, holder) if holder is not None else None
            if found is not None and found.in_force_on(on):
                return found
        raise ItemNotHeldByTown(
            f"{town} does not hold {item} on {on}: only an item delegated to the town and in force "
            "that day is extended to its communities"
        )

    def _in_force(self, batch: str, item: str, town: str, day: date) -> bool:
        found = self._read(Delegation, Delegation.create_id(batch, item, town))
        return found is not None and found.in_force_on(day)

    def _extension(self, item: str, town: str) -> ItemExtension:
        return self._found(
            ItemExtension,
            ItemExtension.create_id(item, town),
            lambda: NotExtendedTo(f"{item} of {town} is extended to no community"),
        )

    @use_case
    def extend_item(self, ctx: Context, item: str, town: str, communities: Sequence[str]) -> None:
        reach = reach_of(communities)
        for community in reach:
            check_community_of(self._read, community, town)
        delegation = self._held(item, town, ctx.effective_on)
        extension = self._get_or_add(
            ItemExtension,
            ItemExtension.create_id(item, town),
            lambda: ItemExtension(item=item, town=town, ctx=ctx),
        )
        extension.extend_to(reach, delegation.batch, delegation.department, ctx)

    @use_case
    def withdraw_extension(self, ctx: Context, item: str, town: str, communities: Sequence[str]) -> None:
        extension = self._extension(item, town)
        extension.withdraw(reach_of(communities), ctx)

    @use_case
    def record_handled(
        self, ctx: Context, item: str, town: str, community: str, period: str, count: int
    ) -> None:
        held = lambda batch, day: self._in_force(batch, item, town, day)
        self._extension(item, town).record(community, period, count, held, ctx)
