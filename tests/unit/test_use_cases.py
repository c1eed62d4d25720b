"""The ledger's use cases end to end in memory: dates, audit context, replay, immutability."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

import pytest

from aggregates.base import Context
from aggregates.powers.delegation import BatchAlreadyDeclared, Delegation, DelegationBatch
from infra.contexts import GovernanceLedger as Ledger
from tests.unit.builders import (
    BODY,
    approved,
    ctx,
    day,
    details,
    evaluation,
    immutable,
    review,
    state,
    support,
    under_review,
)

Step = Callable[[Ledger, Context], None]


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)


def events_since(ledger: Ledger, position: int) -> list[Any]:
    notifications = ledger.recorder.select_notifications(start=position + 1, limit=10_000)
    return [ledger.mapper.to_domain_event(n) for n in notifications]


def position(ledger: Ledger) -> int:
    return ledger.recorder.max_notification_id() or 0


def all_ids(ledger: Ledger) -> list[UUID]:
    return list(dict.fromkeys(e.originator_id for e in events_since(ledger, 0)))


SCENARIO: list[tuple[str, Step]] = [
    ("register P1", lambda lg, c: lg.register_power_item(c, "P1", details())),
    ("register P2", lambda lg, c: lg.register_power_item(c, "P2", details(kind="licensing"))),
    ("register P3", lambda lg, c: lg.register_power_item(c, "P3", details(list="service"))),
    ("amend P1", lambda lg, c: lg.amend_power_item(c, "P1", details(name="新名称"))),
    ("declare B1", lambda lg, c: lg.declare_batch(c, "B1", "首批下放")),
    ("declare B2", lambda lg, c: lg.declare_batch(c, "B2", "成熟一批")),
    ("propose P1@T1", lambda lg, c: lg.propose_delegation(c, "B1", "P1", "T1", "grant")),
    ("propose P1@T2", lambda lg, c: lg.propose_delegation(c, "B1", "P1", "T2", "entrust")),
    ("propose P2@T1", lambda lg, c: lg.propose_delegation(c, "B1", "P2", "T1", "devolve")),
    ("review P1@T1", lambda lg, c: lg.start_admission_review(c, "B1", "P1", "T1", BODY)),
    ("review P1@T2", lambda lg, c: lg.start_admission_review(c, "B1", "P1", "T2", BODY)),
    ("review P2@T1", lambda lg, c: lg.start_admission_review(c, "B1", "P2", "T1", BODY)),
    ("approve P1@T1", lambda lg, c: lg.approve_delegation(c, "B1", "P1", "T1", review(), support())),
    ("approve P1@T2", lambda lg, c: lg.approve_delegation(c, "B1", "P1", "T2", review(), support(staff=0))),
    ("reject P2@T1", lambda lg, c: lg.reject_delegation(c, "B1", "P2", "T1", review(reasonableness=False))),
    ("evaluate P1@T1", lambda lg, c: lg.evaluate_delegation(c, "B1", "P1", "T1", evaluation("2021-12-01"))),
    ("recall P1@T2", lambda lg, c: lg.recall_delegation(c, "B1", "P1", "T2")),
    ("transfer P1@T1", lambda lg, c: lg.transfer_delegation(c, "B1", "P1", "T1", "区执法局")),
    ("propose P1@T2 again", lambda lg, c: lg.propose_delegation(c, "B2", "P1", "T2", "grant")),
    ("review P1@T2 again", lambda lg, c: lg.start_admission_review(c, "B2", "P1", "T2", BODY)),
    ("approve P1@T2 again", lambda lg, c: lg.approve_delegation(c, "B2", "P1", "T2", review(), support())),
    ("retire P3", lambda lg, c: lg.retire_power_item(c, "P3")),
]


def step_context(number: int, name: str) -> Context:
    """A context whose every field is particular to one step."""
    return ctx(
        f"2021-{1 + number % 12:02d}-{1 + number:02d}",
        actor=f"actor-{number}",
        role=f"role-{number}",
        system=f"system-{number}",
        message_id=f"message-{number}",
        correlation_id=f"correlation-{number}",
        causation_id=f"causation-{number}",
        reason=f"reason for {name}",
        document_no=f"文号〔2021〕{number}号",
    )


def run_scenario(ledger: Ledger) -> dict[str, tuple[Context, list[Any]]]:
    """Run every step; what each step's context was and which events it stored."""
    seen: dict[str, tuple[Context, list[Any]]] = {}
    for number, (name, step) in enumerate(SCENARIO):
        before, context = position(ledger), step_context(number, name)
        step(ledger, context)
        seen[name] = (context, events_since(ledger, before))
    return seen


# -- effective dates -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "effective_at, effective_on",
    [
        ("2021-06-30T20:00:00+00:00", "2021-07-01"),
        ("2021-06-30T15:59:59+00:00", "2021-06-30"),
        ("2021-06-30T16:00:00+00:00", "2021-07-01"),
        ("2021-07-01T00:00:00+08:00", "2021-07-01"),
        ("2021-06-30T23:30:00-05:00", "2021-07-01"),
    ],
)
def test_the_effective_day_is_the_china_standard_time_calendar_day(
    effective_at: str, effective_on: str
) -> None:
    assert ctx(effective_at=at(effective_at)).effective_on == day(effective_on)


def test_an_approval_at_8pm_utc_takes_effect_the_next_day_in_china(ledger: Ledger) -> None:
    under_review(ledger)
    evening = ctx(effective_at=datetime(2021, 6, 30, 20, 0, tzinfo=UTC))

    ledger.approve_delegation(evening, "B1", "P1", "T1", review(), support())

    delegation = ledger.repository.get(Delegation.create_id("B1", "P1", "T1"))
    assert delegation.effective_on == date(2021, 7, 1)
    assert not delegation.in_force_on(date(2021, 6, 30))
    assert delegation.in_force_on(date(2021, 7, 1))


def test_a_recall_at_4pm_utc_ends_the_delegation_on_the_next_china_day(ledger: Ledger) -> None:
    approved(ledger, on="2021-07-01")
    late = ctx(effective_at=at("2021-12-31T16:00:00+00:00"), reason="承接不力")

    ledger.recall_delegation(late, "B1", "P1", "T1")

    assert ledger.repository.get(Delegation.create_id("B1", "P1", "T1")).ended_on == day("2022-01-01")


def test_an_event_records_when_it_was_stored_apart_from_when_it_takes_effect(
    ledger: Ledger,
) -> None:
    under_review(ledger)
    recorded_after = datetime.now(UTC)

    ledger.approve_delegation(ctx("2099-01-01"), "B1", "P1", "T1", review(), support())

    approval = list(ledger.events.get(Delegation.create_id("B1", "P1", "T1")))[-1]
    assert approval.ctx.effective_on == day("2099-01-01")
    assert recorded_after <= approval.timestamp <= datetime.now(UTC)
    assert not ledger.find(approval.originator_id).in_force_on(day("2098-12-31"))


# -- batches -----------------------------------------------------------------------------------


def test_declaring_a_batch_twice_with_the_same_title_records_nothing(ledger: Ledger) -> None:
    ledger.declare_batch(ctx(), "B1", "首批下放17个方面206项")
    ledger.declare_batch(ctx(), "B1", "首批下放17个方面206项")

    assert len(list(ledger.events.get(DelegationBatch.create_id("B1")))) == 1


def test_declaring_a_taken_batch_code_with_another_title_is_refused(ledger: Ledger) -> None:
    ledger.declare_batch(ctx(), "B1", "首批下放")

    with pytest.raises(BatchAlreadyDeclared):
        ledger.declare_batch(ctx(), "B1", "第二批")

    assert ledger.repository.get(DelegationBatch.create_id("B1")).title == "首批下放"


# -- audit context and replay ------------------------------------------------------------------


def test_every_step_of_the_scenario_stores_events(ledger: Ledger) -> None:
    seen = run_scenario(ledger)

    assert [name for name, (_, events) in seen.items() if not events] == []


def test_every_event_carries_the_full_context_of_the_command_that_caused_it(
    ledger: Ledger,
) -> None:
    seen = run_scenario(ledger)

    for name, (context, events) in seen.items():
        for event in events:
            assert isinstance(event.ctx, Context), name
            assert event.ctx == context, (name, type(event).__name__)
            assert event.ctx.effective_at.utcoffset() == context.effective_at.utcoffset()


def test_an_approval_stores_the_approval_the_slot_and_its_taking_under_one_context(
    ledger: Ledger,
) -> None:
    seen = run_scenario(ledger)

    context, events = seen["approve P1@T1"]
    assert [type(e).__name__ for e in events] == ["Approved", "Opened", "Taken"]
    assert {e.ctx.message_id for e in events} == {context.message_id}


def test_replaying_each_aggregate_gives_the_state_the_use_cases_saw(ledger: Ledger) -> None:
    run_scenario(ledger)
    ids = all_ids(ledger)
    seen = {aggregate_id: state(ledger.find(aggregate_id)) for aggregate_id in ids}

    replayed = {aggregate_id: state(ledger.repository.get(aggregate_id)) for aggregate_id in ids}

    assert len(ids) == 3 + 2 + 4 + 2  # items, batches, delegations, slots
    assert replayed == seen


def test_the_replayed_delegations_end_where_the_scenario_left_them(ledger: Ledger) -> None:
    run_scenario(ledger)

    def status(batch: str, item: str, town: str) -> str:
        return ledger.repository.get(Delegation.create_id(batch, item, town)).status

    assert status("B1", "P1", "T1") == "transferred"
    assert status("B1", "P1", "T2") == "recalled"
    assert status("B1", "P2", "T1") == "rejected"
    assert status("B2", "P1", "T2") == "approved"
    evaluated = ledger.repository.get(Delegation.create_id("B1", "P1", "T1"))
    assert evaluated.last_evaluation == evaluation("2021-12-01")
    assert evaluated.support.funding_yuan == Decimal("120000.00")


# -- immutability: the command batch copies aggregates shallowly -------------------------------


def test_the_immutability_check_tells_mutable_values_apart() -> None:
    assert immutable(review()) and immutable(support()) and immutable(ctx())
    assert not immutable([1]) and not immutable({"a": 1}) and not immutable({1})


def test_after_a_full_scenario_every_aggregate_attribute_is_immutable(ledger: Ledger) -> None:
    run_scenario(ledger)

    for aggregate_id in all_ids(ledger):
        for aggregate in (ledger.find(aggregate_id), ledger.repository.get(aggregate_id)):
            mutable = {k: v for k, v in state(aggregate).items() if not immutable(v)}
            assert mutable == {}, type(aggregate).__name__
