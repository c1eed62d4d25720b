"""The levels and community-worker demos: well-formed, deterministic, keyed as the intake keys
them, and true to the seeds' figures (漯河 378 → 1,692 at 18 per 10,000; 包河's 9 streets, 2 towns,
2 big communities, 1 development zone, 1.4 million residents and 四岗十八级)."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest

from aggregates.community_workers.register import WorkerRegister
from aggregates.community_workers.scale import WorkerScale
from aggregates.jurisdictions.jurisdiction import Jurisdiction
from aggregates.quotas.quota_ledger import QuotaLedger
from contracts.jurisdictions import commands as j
from infra.contexts import Command
from infra.contexts import GovernanceLedger as Ledger
from infra.demo import community_workers as demo_workers
from infra.demo import jurisdictions as demo_units
from infra.kafka.clients import command_key
from tests.support import Reader, apply_messages

UNITS = [m for phase in demo_units.demo_phases() for m in phase]
STAFFING = demo_units.top_up_commands() + demo_workers.setup_commands() + demo_workers.register_commands()
read = Reader(Command).decode


@pytest.fixture(scope="module")
def applied() -> tuple[Ledger, list[str]]:
    """The demo applied in its phases' order: the refused commands' rules."""
    ledger, refused = Ledger(), []
    for phase in [*demo_units.demo_phases(), STAFFING]:
        refused += [rule for _, rule in apply_messages(ledger, phase)]
    return ledger, refused


def test_every_message_is_keyed_as_the_intake_keys_it_and_is_stable() -> None:
    for key, value in UNITS + STAFFING:
        assert key is not None and key == command_key(value)
    ids = [read(value).message_id for _, value in UNITS + STAFFING]
    assert len(ids) == len(set(ids))
    assert [m for phase in demo_units.demo_phases() for m in phase] == UNITS
    assert (
        demo_units.top_up_commands() + demo_workers.setup_commands() + demo_workers.register_commands()
        == STAFFING
    )


def test_a_parent_is_always_in_an_earlier_phase_than_its_units() -> None:
    seen: set[str] = set()
    for phase in demo_units.demo_phases():
        commands = [read(value) for _, value in phase]
        for command in commands:
            if isinstance(command, j.RegisterJurisdiction) and command.payload.parent is not None:
                assert command.payload.parent in seen, command.payload.code
        seen |= {c.payload.code for c in commands if isinstance(c, j.RegisterJurisdiction)}


def test_only_the_deliberately_bad_promotion_is_refused(applied: tuple[Ledger, list[str]]) -> None:
    assert applied[1] == demo_workers.BAD_RULES


def test_baohe_has_9_streets_2_towns_2_big_communities_a_zone_and_14_million_residents(
    applied: tuple[Ledger, list[str]],
) -> None:
    ledger = applied[0]
    kinds = Counter(
        ledger.find(Jurisdiction.create_id(code)).details.kind for code in [*demo_units.BAOHE, "BH-ETDZ"]
    )
    assert kinds == {"street": 9, "town": 2, "big_community": 2, "development_zone": 1}
    assert ledger.find(Jurisdiction.create_id("BH-ETDZ")).parent == "BH"
    assert ledger.find(Jurisdiction.create_id("BH")).residents[-1][1] == 1_400_000
    scale = ledger.find(WorkerScale.create_id("BH")).details
    assert (len(scale.post_types), scale.pay_grades, scale.promotion_step) == (4, 18, 1)  # 四岗十八级


def test_baohes_streets_get_the_citys_top_up_on_15_within_the_district(
    applied: tuple[Ledger, list[str]],
) -> None:
    ledger = applied[0]
    for code in demo_units.STREETS:
        street: Any = ledger.find(QuotaLedger.create_id(code))
        assert street.count("administrative").approved == 15 + demo_units.TOP_UP
        assert 15 <= street.count("administrative").approved <= 25  # 15—25名
    city: Any = ledger.find(QuotaLedger.create_id("HF-ORGANS"))
    assert (city.level, city.count("administrative").approved) == ("city", 4200 - 9 * demo_units.TOP_UP)


def test_luohe_recruits_378_to_reach_1692_in_14_streets_and_110_communities(
    applied: tuple[Ledger, list[str]],
) -> None:
    ledger = applied[0]
    registers = [ledger.find(WorkerRegister.create_id(c)) for c in demo_units.LUOHE_COMMUNITIES]
    assert len(demo_units.LUOHE_STREETS) == 14 and len(registers) == 110
    assert sum(len(r.in_post) for r in registers) == 1_692
    public = [b for r in registers for b in r.batches if b.method == "public_recruitment"]
    assert sum(b.count for b in public) == demo_workers.LUOHE_RECRUITED == 378
    residents = sum(
        ledger.find(Jurisdiction.create_id(c)).residents[-1][1] for c in demo_units.LUOHE_COMMUNITIES
    )
    assert residents == demo_units.LUOHE_RESIDENTS == 843_000
    assert 1_692 * 10_000 / residents >= 18 > (1_692 - 378) * 10_000 / residents
