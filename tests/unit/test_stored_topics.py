"""Events stored under the modules their classes had before each context got a package
still read as their classes, and the projections ask the log for those names too."""

from __future__ import annotations

from dataclasses import replace

from eventsourcing.persistence import Mapper
from eventsourcing.utils import get_topic, resolve_topic

from aggregates.powers.delegation import Delegation, DelegationBatch
from aggregates.powers.holding import PowerHolding
from aggregates.stored_topics import MOVED, module_prefixes, stored_topics
from infra.contexts import GovernanceLedger as Ledger
from projections.powers.inventory import TownPowerInventory
from projections.runner import event_classes, topics_read
from tests.unit.builders import approved, catalogued


def _with_old_topics(stored: object, old_module: str) -> object:
    topic = stored.topic  # type: ignore[attr-defined]  # a StoredEvent
    return replace(stored, topic=f"{old_module}:{topic.partition(':')[2]}")  # type: ignore[type-var]  # a stored event is a frozen dataclass


def test_every_older_topic_of_an_event_class_resolves_to_that_class() -> None:
    Ledger(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})  # registers the older names
    for aggregate in (Delegation, DelegationBatch, PowerHolding):
        for cls in event_classes(aggregate):
            topics = stored_topics(cls)
            assert topics[0] == get_topic(cls) and len(topics) > 1
            assert all(resolve_topic(topic) is cls for topic in topics)


def test_a_log_written_under_the_older_module_names_reads_as_the_same_events() -> None:
    ledger = Ledger(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})
    catalogued(ledger, "P1")
    approved(ledger, item="P1", town="T1")
    stored = ledger.recorder.select_notifications(start=1, limit=100)
    assert len(stored) > 3
    generic = Mapper(ledger.mapper.transcoder)
    for event in stored:
        old_module = next(
            old for old, new in MOVED.items() if new == event.topic.partition(":")[0] and old != new
        )
        as_before = _with_old_topics(event, old_module)
        for mapper in (ledger.mapper, generic):
            read = mapper.to_domain_event(as_before)
            assert type(read) is type(mapper.to_domain_event(event))
            assert read.__dict__ == mapper.to_domain_event(event).__dict__


def test_the_projections_fetch_the_older_topics_of_the_events_they_handle() -> None:
    topics = topics_read([TownPowerInventory()])
    assert "aggregates.delegation:Delegation.Approved" in topics
    assert "aggregates.powers.delegation:Delegation.Approved" in topics
    assert module_prefixes("aggregates.quotas.quota_ledger") == (
        "aggregates.quotas.quota_ledger:",
        "aggregates.quota_terms:",
        "aggregates.quota_ledger:",
    )


def test_no_older_module_name_is_now_a_package_the_resolver_would_read_through() -> None:
    current = {new for new in MOVED.values()}
    assert not [old for old in MOVED if any(module.startswith(f"{old}.") for module in current)]


def test_a_fresh_process_resolves_current_and_older_topics_alike() -> None:
    import subprocess
    import sys

    script = (
        "from infra.contexts import GovernanceLedger as Ledger;"
        "from eventsourcing.utils import resolve_topic;"
        "Ledger(env={'PERSISTENCE_MODULE': 'eventsourcing.popo'});"
        "a = resolve_topic('aggregates.powers.item:PowerItem.Registered');"
        "b = resolve_topic('aggregates.power_item:PowerItem.Registered');"
        "assert a is b, (a, b)"
    )
    subprocess.run([sys.executable, "-c", script], check=True)
