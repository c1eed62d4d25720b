"""Every domain event has a published contract, and every stored event maps to a valid one."""

from __future__ import annotations

import msgspec

from aggregates.powers.delegation import Delegation, DelegationBatch
from aggregates.powers.holding import PowerHolding
from aggregates.powers.item import PowerItem
from contracts.powers.commands import PowerCommand
from contracts.powers.events import PowerEvent
from infra.contexts import EVENTS, apply, to_contract
from infra.contexts import GovernanceLedger as Ledger
from infra.demo.powers import demo_commands
from tests.unit.builders import event_classes

AGGREGATES = (PowerItem, DelegationBatch, Delegation, PowerHolding)


def test_every_domain_event_of_powers_and_delegations_has_a_contract() -> None:
    domain_events = set().union(*map(event_classes, AGGREGATES))
    assert EVENTS.internal & domain_events == {PowerHolding.Opened}  # the slot's opening is internal
    assert domain_events - EVENTS.internal == {e for e in EVENTS.contracts if e in domain_events}
    assert not EVENTS.internal & set(EVENTS.contracts)


def test_every_event_of_the_demo_maps_to_a_contract_that_round_trips() -> None:
    ledger, decoder = Ledger(), msgspec.json.Decoder(PowerCommand)
    for _key, value in demo_commands():
        try:
            apply(ledger, decoder.decode(value))
        except Exception:
            pass
    published, aggregates, tags = msgspec.json.Decoder(PowerEvent), {}, set()
    for notification in ledger.recorder.select_notifications(start=1, limit=100_000):
        event = ledger.mapper.to_domain_event(notification)
        aggregate = aggregates[event.originator_id] = event.mutate(aggregates.get(event.originator_id))
        if type(event) not in EVENTS.contracts:
            continue
        contract = to_contract(event, aggregate)
        assert published.decode(msgspec.json.encode(contract)) == contract
        assert contract.message_id == event.ctx.message_id
        tags.add(type(contract).__struct_config__.tag)
    assert {
        "delegation.approved",
        "delegation.recalled",
        "holding.taken",
        "holding.released",
        "delegation.rejected",
        "delegation.transferred",
        "delegation.evaluated",
    } <= tags


def test_every_event_of_every_aggregate_is_published_or_declared_internal() -> None:
    import importlib
    import pkgutil

    from eventsourcing.domain import Aggregate

    import aggregates
    from infra.contexts import EVENTS

    for module in pkgutil.walk_packages(aggregates.__path__, "aggregates."):
        importlib.import_module(module.name)
    classes, seen = list(Aggregate.__subclasses__()), set()
    while classes:
        cls = classes.pop()
        classes += cls.__subclasses__()
        if cls.__module__.startswith("aggregates."):
            seen |= event_classes(cls)
    mapped = {event for family in EVENTS.families.values() for event in family}

    assert len(seen) > 70  # every family, not an empty walk
    assert seen - mapped - EVENTS.internal == set()
