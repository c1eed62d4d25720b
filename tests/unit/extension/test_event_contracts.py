"""Every event of an extension has a published contract on the powers topic that round-trips."""

from __future__ import annotations

from datetime import date
from typing import get_args

from aggregates.extension.item_extension import ItemExtension
from aggregates.powers.holding import PowerHolding
from consumers.extension import translator
from contracts.extension.events import ExtensionEvent
from contracts.powers.events import PowerEvent
from infra.contexts import EVENTS
from infra.contexts import GovernanceLedger as Ledger
from tests.unit.builders import (
    BODY,
    contract_classes,
    ctx,
    details,
    event_classes,
    published_as,
    review,
    support,
)

contracts_of = published_as(
    "powers", ExtensionEvent | PowerEvent, translator.INTERNAL | {PowerHolding.Opened}
)


def test_every_extension_event_has_a_contract_on_the_powers_topic_and_every_contract_is_used() -> None:
    assert translator.INTERNAL == {ItemExtension.Opened} <= EVENTS.internal
    assert event_classes(ItemExtension) - translator.INTERNAL == set(translator.PUBLISHED)
    assert translator.PUBLISHED.items() <= EVENTS.families["powers"].items()
    assert contract_classes(translator.PUBLISHED) == set(get_args(ExtensionEvent))


def test_an_extension_its_withdrawal_and_a_count_are_published_by_item_and_town(ledger: Ledger) -> None:
    # Given P1, owned by JB-NRP (a code, as published), delegated to T1 from 2021-07-01
    ledger.register_power_item(ctx(), "P1", details(department="JB-NRP"))
    ledger.declare_batch(ctx(), "B1", "首批")
    ledger.propose_delegation(ctx(), "B1", "P1", "T1", "grant")
    ledger.start_admission_review(ctx(), "B1", "P1", "T1", BODY)
    ledger.approve_delegation(ctx("2021-07-01"), "B1", "P1", "T1", review(), support())
    ledger.extend_item(ctx("2021-08-01"), "P1", "T1", ("T1-SQ01", "T1-CUN01"))
    ledger.withdraw_extension(ctx("2021-11-01"), "P1", "T1", ("T1-CUN01",))
    ledger.record_handled(ctx("2021-09-05"), "P1", "T1", "T1-SQ01", "2021-08", 12)

    found = contracts_of(ledger)
    [extended], [withdrawn], [handled] = (
        found[f"extension.{t}"] for t in ("extended", "withdrawn", "handled_recorded")
    )
    assert (extended.payload.item, extended.payload.town, extended.payload.communities) == (
        "P1",
        "T1",
        ("T1-SQ01", "T1-CUN01"),
    )
    assert (extended.payload.batch, extended.payload.on) == ("B1", date(2021, 8, 1))
    assert (withdrawn.payload.communities, withdrawn.payload.on) == (("T1-CUN01",), date(2021, 11, 1))
    assert (
        handled.payload.period,
        handled.payload.first_day,
        handled.payload.last_day,
        handled.payload.count,
    ) == (
        "2021-08",
        date(2021, 8, 1),
        date(2021, 8, 31),
        12,
    )
