"""At most one effective holder per (item, town), even when two writers race for it."""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from eventsourcing.persistence import IntegrityError

from aggregates.base import Context
from aggregates.powers.delegation import AdmissionReview, Delegation, Finding, SupportPackage
from aggregates.powers.holding import HolderAlreadyEffective, PowerHolding
from aggregates.powers.item import ItemDetails
from infra.bootstrap import build_ledger
from infra.contexts import GovernanceLedger as Ledger

CTX = Context(
    "jb-bianban",
    "编办",
    "机构编制管理系统",
    "m",
    datetime(2021, 7, 1, tzinfo=UTC),
    reason="首批下放",
)
REVIEW = AdmissionReview("区联席会议", Finding(True, ""), Finding(True, ""))
SUPPORT = SupportPackage(0, Decimal("0"), 0, "none")


def _file_two_batches(ledger: Ledger) -> None:
    details = ItemDetails(
        "占用城市绿地审批", "licensing", "government_affairs", "城市绿化", "《城市绿化条例》", "JB-GREEN"
    )
    ledger.register_power_item(CTX, "P1", details)
    for batch in ("B1", "B2"):
        ledger.declare_batch(CTX, batch, batch)
        ledger.propose_delegation(CTX, batch, "P1", "T1", "grant")
        ledger.start_admission_review(CTX, batch, "P1", "T1", "区联席会议")


def test_of_two_writers_racing_to_approve_one_item_for_one_town_exactly_one_wins(
    database_url: str,
) -> None:
    _file_two_batches(build_ledger(database_url))
    writers = {"B1": build_ledger(database_url), "B2": build_ledger(database_url)}
    both_staged, outcomes = threading.Barrier(2, timeout=30), {}

    def approve(batch: str) -> None:
        ledger = writers[batch]
        with ledger.batch() as staged:
            ledger.approve_delegation(CTX, batch, "P1", "T1", REVIEW, SUPPORT)
            both_staged.wait()  # both have read the free slot before either saves
            try:
                ledger.commit(staged)
                outcomes[batch] = "won"
            except IntegrityError:
                outcomes[batch] = "lost"

    threads = [threading.Thread(target=approve, args=(batch,)) for batch in writers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes.values()) == ["lost", "won"]
    winner = next(batch for batch, outcome in outcomes.items() if outcome == "won")
    loser = next(batch for batch, outcome in outcomes.items() if outcome == "lost")
    with pytest.raises(HolderAlreadyEffective):  # retried on fresh state, the rule refuses it
        writers[loser].approve_delegation(CTX, loser, "P1", "T1", REVIEW, SUPPORT)
    reader = build_ledger(database_url)
    holding = reader.repository.get(PowerHolding.create_id("P1", "T1"))
    assert holding.holder == Delegation.create_id(winner, "P1", "T1")
    assert reader.repository.get(Delegation.create_id(loser, "P1", "T1")).status == "under_review"
