"""权力事项 — a catalogued power item that a district department exercises."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from aggregates.base import Context, ListEntry, RuleViolation, natural_id

if TYPE_CHECKING:
    from aggregates.base import DecoratedCreated, DecoratedEvent

KINDS = frozenset({"licensing", "penalty", "inspection", "coercion", "public_service", "other"})
LISTS = frozenset({"government_affairs", "supervisory", "service"})


class InvalidItemDetails(RuleViolation):
    """Kind or list outside the catalogue's vocabulary, or a required field left empty."""


class ItemNotCatalogued(RuleViolation):
    """未列入清单事项不得擅自下放: the item is not in the catalogue."""


class ItemRetired(RuleViolation):
    """The item was retired from the catalogue; it can be neither amended nor delegated."""


class ItemAlreadyRegistered(RuleViolation):
    """The code is taken by an item with other details; amend it instead."""


@dataclass(frozen=True)
class ItemDetails:
    name: str
    kind: str
    list: str
    domain: str
    legal_basis: str
    department: str

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise InvalidItemDetails(
                f"a power item of kind {self.kind!r}: the kind is one of {', '.join(sorted(KINDS))}"
            )
        if self.list not in LISTS:
            raise InvalidItemDetails(
                f"a power item on list {self.list!r}: the list is one of {', '.join(sorted(LISTS))}"
            )
        for name in ("name", "domain", "legal_basis", "department"):
            if not getattr(self, name).strip():
                raise InvalidItemDetails(f"a power item with an empty {name}: state its {name}")


class PowerItem(ListEntry, Aggregate):
    """权力事项 — one item of the power list, from registration to retirement."""

    entry = "a power item"

    @staticmethod
    def create_id(code: str) -> UUID:
        return natural_id("power-item", code)

    @event("Registered")
    def __init__(self, code: str, details: ItemDetails, ctx: Context) -> None:
        self.code = code
        self.details = details
        self.retired = False

    def ensure_delegable(self) -> None:
        if self.retired:
            raise ItemRetired(
                f"power item {self.code} is retired from the catalogue: it is neither amended nor "
                "delegated; register the power under a new code"
            )

    _refuse_if_retired = ensure_delegable  # a retired item is not amended either

    def amend(self, details: ItemDetails, ctx: Context) -> None:
        self._ensure_amendable(ctx)
        if details != self.details:
            self._amended(details=details, ctx=ctx)

    @event("Amended")
    def _amended(self, details: ItemDetails, ctx: Context) -> None:
        self.details = details

    @event("Retired")
    def _retired(self, ctx: Context) -> None:
        self.retired = True

    if TYPE_CHECKING:  # the event classes that the @event methods above define at class creation
        Registered = DecoratedCreated
        Amended = Retired = DecoratedEvent
