"""权力事项: registering, amending and retiring catalogued power items."""

from __future__ import annotations

import pytest

from aggregates.base import ReasonRequired
from aggregates.powers.item import (
    InvalidItemDetails,
    ItemAlreadyRegistered,
    ItemNotCatalogued,
    ItemRetired,
    PowerItem,
)
from infra.contexts import GovernanceLedger as Ledger
from tests.unit.builders import ctx, details, state


def stored_events(ledger: Ledger, code: str = "P1") -> list[object]:
    return list(ledger.events.get(PowerItem.create_id(code)))


# -- the aggregate on its own ------------------------------------------------------------


def test_a_registered_item_holds_its_code_and_details_and_is_active() -> None:
    item = PowerItem(code="P1", details=details(), ctx=ctx())

    assert (item.code, item.details, item.retired) == ("P1", details(), False)
    assert item.id == PowerItem.create_id("P1")
    item.ensure_delegable()


def test_the_item_id_is_derived_from_the_code_alone() -> None:
    assert PowerItem.create_id("P1") == PowerItem.create_id("P1")
    assert PowerItem.create_id("P1") != PowerItem.create_id("P2")


def test_a_retired_item_is_no_longer_delegable() -> None:
    item = PowerItem(code="P1", details=details(), ctx=ctx())

    item.retire(ctx(reason="事项取消"))

    with pytest.raises(ItemRetired):
        item.ensure_delegable()


def test_amending_with_the_same_details_records_nothing() -> None:
    item = PowerItem(code="P1", details=details(), ctx=ctx())
    item.collect_events()

    item.amend(details(), ctx(reason="复核"))

    assert item.collect_events() == []


@pytest.mark.parametrize(
    "overrides",
    [
        {"kind": "taxation"},
        {"kind": "行政处罚"},
        {"list": "village"},
        {"name": ""},
        {"domain": "   "},
        {"legal_basis": ""},
        {"department": " "},
    ],
)
def test_details_outside_the_catalogue_vocabulary_are_refused(overrides: dict[str, str]) -> None:
    with pytest.raises(InvalidItemDetails):
        details(**overrides)


@pytest.mark.parametrize(
    "kind", ["licensing", "penalty", "inspection", "coercion", "public_service", "other"]
)
@pytest.mark.parametrize("list_", ["government_affairs", "supervisory", "service"])
def test_every_kind_and_list_of_the_vocabulary_is_accepted(kind: str, list_: str) -> None:
    assert details(kind=kind, list=list_).kind == kind


# -- the use cases -------------------------------------------------------------------------


def test_registering_an_item_puts_it_in_the_catalogue(ledger: Ledger) -> None:
    ledger.register_power_item(ctx(), "P1", details())

    item = ledger.repository.get(PowerItem.create_id("P1"))
    assert (item.code, item.details, item.retired) == ("P1", details(), False)


def test_registering_the_same_item_twice_with_the_same_details_records_nothing(
    ledger: Ledger,
) -> None:
    ledger.register_power_item(ctx(), "P1", details())

    ledger.register_power_item(ctx(), "P1", details())

    assert len(stored_events(ledger)) == 1


def test_registering_a_taken_code_with_other_details_is_refused(ledger: Ledger) -> None:
    ledger.register_power_item(ctx(), "P1", details())

    with pytest.raises(ItemAlreadyRegistered):
        ledger.register_power_item(ctx(), "P1", details(name="另一事项"))

    assert ledger.repository.get(PowerItem.create_id("P1")).details == details()
    assert len(stored_events(ledger)) == 1


def test_amending_an_item_replaces_its_details(ledger: Ledger) -> None:
    ledger.register_power_item(ctx(), "P1", details())

    ledger.amend_power_item(ctx(reason="法律修订"), "P1", details(legal_basis="新法第十条"))

    item = ledger.repository.get(PowerItem.create_id("P1"))
    assert item.details.legal_basis == "新法第十条"
    assert [type(e).__name__ for e in stored_events(ledger)] == ["Registered", "Amended"]


@pytest.mark.parametrize("reason", [None, "", "   "])
def test_amending_an_item_needs_a_reason(ledger: Ledger, reason: str | None) -> None:
    ledger.register_power_item(ctx(), "P1", details())

    with pytest.raises(ReasonRequired):
        ledger.amend_power_item(ctx(reason=reason), "P1", details(name="新名称"))

    assert ledger.repository.get(PowerItem.create_id("P1")).details == details()


def test_amending_with_unchanged_details_is_a_no_op(ledger: Ledger) -> None:
    ledger.register_power_item(ctx(), "P1", details())

    ledger.amend_power_item(ctx(reason="复核"), "P1", details())

    assert len(stored_events(ledger)) == 1


def test_an_unknown_item_can_be_neither_amended_nor_retired(ledger: Ledger) -> None:
    with pytest.raises(ItemNotCatalogued):
        ledger.amend_power_item(ctx(reason="x"), "P9", details())
    with pytest.raises(ItemNotCatalogued):
        ledger.retire_power_item(ctx(reason="x"), "P9")

    assert ledger.find(PowerItem.create_id("P9")) is None


def test_retiring_an_item_needs_a_reason(ledger: Ledger) -> None:
    ledger.register_power_item(ctx(), "P1", details())

    with pytest.raises(ReasonRequired):
        ledger.retire_power_item(ctx(reason=None), "P1")

    assert ledger.repository.get(PowerItem.create_id("P1")).retired is False


def test_retiring_an_item_twice_records_one_retirement(ledger: Ledger) -> None:
    ledger.register_power_item(ctx(), "P1", details())

    ledger.retire_power_item(ctx(reason="事项取消"), "P1")
    ledger.retire_power_item(ctx(reason="事项取消"), "P1")

    assert [type(e).__name__ for e in stored_events(ledger)] == ["Registered", "Retired"]
    assert ledger.repository.get(PowerItem.create_id("P1")).retired is True


def test_a_retired_item_cannot_be_amended(ledger: Ledger) -> None:
    ledger.register_power_item(ctx(), "P1", details())
    ledger.retire_power_item(ctx(reason="事项取消"), "P1")

    with pytest.raises(ItemRetired):
        ledger.amend_power_item(ctx(reason="恢复"), "P1", details(name="新名称"))


def test_a_retired_code_registered_again_with_the_same_details_stays_retired(
    ledger: Ledger,
) -> None:
    ledger.register_power_item(ctx(), "P1", details())
    ledger.retire_power_item(ctx(reason="事项取消"), "P1")

    ledger.register_power_item(ctx(), "P1", details())

    assert ledger.repository.get(PowerItem.create_id("P1")).retired is True
    assert len(stored_events(ledger)) == 2


def test_the_replayed_item_equals_the_item_the_use_cases_worked_on(ledger: Ledger) -> None:
    ledger.register_power_item(ctx(), "P1", details())
    ledger.amend_power_item(ctx(reason="法律修订"), "P1", details(name="新名称"))
    ledger.retire_power_item(ctx(reason="事项取消"), "P1")
    seen = ledger.find(PowerItem.create_id("P1"))

    replayed = ledger.repository.get(PowerItem.create_id("P1"))

    assert replayed is not seen
    assert state(replayed) == state(seen)
