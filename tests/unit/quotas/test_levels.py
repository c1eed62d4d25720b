"""Quota ledgers at every level that holds 编制: a city tops up a town's quotas (市级补充, down: no
approval), any move up a level (town < zone < district < city) needs one, and a community holds
no ledger."""

from __future__ import annotations

import pytest

from aggregates.quotas.quota_ledger import (
    InvalidQuotaDetails,
    LedgerDetails,
    QuotaLedger,
    ReverseAdjustmentNotApproved,
    TransferApproval,
    upward,
)
from infra.contexts import GovernanceLedger as Ledger
from tests.unit.builders import ctx

LEVELS = {"HF-ORGANS": "city", "BH-ORGANS": "district", "BH-ETDZ": "zone", "BH-WANNIANBU": "town"}
APPROVAL = TransferApproval("中共合肥市委机构编制委员会", "合编委〔2020〕5号")


def opened(ledger: Ledger) -> None:
    """Given a ledger at each level, 100 administrative quotas approved in each on 2020-01-02."""
    for unit, level in LEVELS.items():
        ledger.open_quota_ledger(ctx("2020-01-02"), unit, level, LedgerDetails(unit, "合肥市包河区"))
        ledger.approve_quotas(ctx("2020-01-02"), unit, "administrative", 100)


def approved(ledger: Ledger, unit: str) -> int:
    found: QuotaLedger = ledger.repository.get(QuotaLedger.create_id(unit))
    return found.count("administrative").approved


def test_a_city_tops_up_a_towns_quotas_without_an_approval(ledger: Ledger) -> None:
    opened(ledger)
    ledger.transfer_quotas(ctx("2020-03-02"), "HF-ORGANS", "BH-WANNIANBU", "town", "administrative", 3)
    ledger.transfer_quotas(ctx("2020-03-02"), "BH-ORGANS", "BH-ETDZ", "zone", "administrative", 5)
    assert [approved(ledger, u) for u in LEVELS] == [97, 95, 105, 103]


@pytest.mark.parametrize(
    ("source", "target"),
    [
        ("BH-WANNIANBU", "HF-ORGANS"),  # a town up to the city
        ("BH-ORGANS", "HF-ORGANS"),  # a district up to the city
        ("BH-ETDZ", "BH-ORGANS"),  # a zone up to its host district
        ("BH-WANNIANBU", "BH-ETDZ"),  # a town up to a zone
    ],
)
def test_any_move_up_a_level_needs_an_approval(ledger: Ledger, source: str, target: str) -> None:
    opened(ledger)
    with pytest.raises(ReverseAdjustmentNotApproved):
        ledger.transfer_quotas(ctx("2020-09-01"), source, target, LEVELS[target], "administrative", 2)
    ledger.transfer_quotas(ctx("2020-09-01"), source, target, LEVELS[target], "administrative", 2, APPROVAL)
    assert (approved(ledger, source), approved(ledger, target)) == (98, 102)


def test_the_levels_are_ordered_and_a_community_holds_no_ledger(ledger: Ledger) -> None:
    assert upward("town", "zone") and upward("zone", "district") and upward("district", "city")
    assert not upward("city", "town") and not upward("town", "town")
    with pytest.raises(InvalidQuotaDetails):
        ledger.open_quota_ledger(ctx(), "BH-WNB-SQ01", "community", LedgerDetails("某社区", "合肥市包河区"))
