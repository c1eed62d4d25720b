"""The duty-admission demo: well-formed, deterministic, and exactly three push-downs refused."""

from __future__ import annotations

import collections
from datetime import date

import msgspec
import pytest

from aggregates.duties.admission import DutyAdmission
from contracts.duties import commands as c
from infra.contexts import GovernanceLedger as Ledger
from infra.contexts import apply
from infra.demo.catalogue import TOWNS
from infra.demo.duties import STREETS, demo_commands, street_duties
from tests.support import demo_fixtures

decoder = msgspec.json.Decoder(c.DutyAdmissionCommand)


messages, commands = demo_fixtures(demo_commands, decoder)


@pytest.fixture(scope="module")
def ledger(commands: list[c.DutyAdmissionCommand]) -> Ledger:
    """Every command applied in order through the intake's handlers; none may raise."""
    ledger = Ledger()
    for command in commands:
        apply(ledger, command)
    return ledger


def duty_file(ledger: Ledger, department: str, duty: str) -> DutyAdmission:
    found = ledger.find(DutyAdmission.create_id(department, duty))
    assert isinstance(found, DutyAdmission)
    return found


def test_ids_are_unique_and_stable_and_keys_are_duty_codes(messages, commands) -> None:
    ids = [command.message_id for command in commands]
    assert len(ids) == len(set(ids)) and demo_commands() == messages
    assert all(key == command.payload.duty.encode() for (key, _), command in zip(messages, commands))
    assert collections.Counter(type(command).__name__ for command in commands) == {
        "ApplyDutyAdmission": 76,
        "ReviewDutyAdmission": 76,
        "AdmitDuty": 75,
        "PushDownDuty": 73 * 3 + 8 + 2 + 3,
        "AdjustDutyAdmission": 1,
        "CancelDutyAdmission": 1,
    }


def test_the_street_lists_hold_34_statutory_7_entrusted_and_32_service_duties() -> None:
    duties = street_duties()
    assert collections.Counter(d.category for d in duties) == {
        "statutory": 34,
        "entrusted": 7,
        "public_service": 32,
    }
    assert len({d.duty for d in duties}) == len({d.name for d in duties}) == 73
    assert all(d.towns == list(STREETS) for d in duties) and len(STREETS) == 3


def test_envelopes_carry_the_audit_fields(commands) -> None:
    for command in commands:
        assert command.occurred_at.tzinfo is not None and command.correlation_id
        assert command.causation_id or isinstance(command, (c.ApplyDutyAdmission, c.PushDownDuty))
        if isinstance(command, (c.AdmitDuty, c.AdjustDutyAdmission, c.CancelDutyAdmission)):
            assert command.document_no and command.effective_at is not None
        if isinstance(command, (c.ApplyDutyAdmission, c.PushDownDuty)):
            assert command.actor.role == "部门"
        else:
            assert command.actor.role == "编办"


def test_the_street_duties_are_admitted_pushed_down_adjusted_and_cancelled(ledger) -> None:
    duties = street_duties()
    files = [duty_file(ledger, d.department, d.duty) for d in duties]
    assert collections.Counter(f.status for f in files) == {"admitted": 72, "cancelled": 1}
    assert {f.admitted_on for f in files} == {date(2021, 5, 1)}
    cancelled, hotline = files[34], files[-1]
    assert (cancelled.duty, cancelled.status, cancelled.pushed_down) == ("AN-WT-01", "cancelled", ())
    assert hotline.terms.towns == hotline.pushed_down == ("AN-JD-EAST", "AN-JD-PILOT")
    assert all(f.pushed_down == tuple(sorted(STREETS)) for f in files[:34] + files[35:-1])


def test_jiangbei_admits_two_duties_with_support_and_rejects_one(ledger) -> None:
    waste = duty_file(ledger, "JB-ZHZF", "JB-ZR-001")
    safety = duty_file(ledger, "JB-EMERG", "JB-ZR-002")
    smoking = duty_file(ledger, "JB-HEALTH", "JB-ZR-003")
    assert waste.status == safety.status == "admitted" and smoking.status == "rejected"
    assert waste.pushed_down == tuple(sorted(TOWNS)) and waste.support.staff == 2
    assert safety.pushed_down == ("JB-HONGTANG", "JB-ZHUANGQIAO")
    assert smoking.review is not None and not smoking.review.reasonableness.passed


def test_exactly_three_push_downs_are_refused_and_recorded(ledger) -> None:
    notifications = ledger.recorder.select_notifications(start=1, limit=100_000)
    refused = [
        e
        for e in map(ledger.mapper.to_domain_event, notifications)
        if isinstance(e, DutyAdmission.PushDownRefused)
    ]
    assert [(e.department, e.duty, e.town, e.admission) for e in refused] == [
        ("JB-HEALTH", "JB-ZR-003", "JB-KONGPU", "rejected"),
        ("JB-EMERG", "JB-ZR-002", "JB-CICHENG", "admitted"),
        ("AN-CGJ", "AN-CGJ-X01", "AN-JD-PILOT", "none"),
    ]
    assert [e.on for e in refused] == [date(2021, 10, 8), date(2021, 10, 12), date(2022, 4, 6)]
    assert all(e.ctx.actor.endswith("-office") and e.ctx.message_id for e in refused)
    assert duty_file(ledger, "AN-CGJ", "AN-CGJ-X01").status == "none"


def test_a_refusal_fits_its_published_contract(ledger) -> None:
    """What the relay would publish for the first refusal, as `consumers/event_contracts.py` maps it."""
    from contracts.duties import events as out
    from contracts.envelope import Actor

    notifications = ledger.recorder.select_notifications(start=1, limit=100_000)
    e = next(
        e
        for e in map(ledger.mapper.to_domain_event, notifications)
        if isinstance(e, DutyAdmission.PushDownRefused)
    )
    published = out.DutyPushDownRefused(
        event_id=f"{e.originator_id}:{e.originator_version}",
        aggregate_id=str(e.originator_id),
        aggregate_version=e.originator_version,
        recorded_at=e.timestamp,
        effective_at=e.ctx.effective_at,
        actor=Actor(id=e.ctx.actor, role=e.ctx.role, system=e.ctx.system),
        message_id=e.ctx.message_id,
        payload=out.PushDownRefusal(
            department=e.department, duty=e.duty, town=e.town, admission=e.admission, detail=e.detail, on=e.on
        ),
    )
    decoded = msgspec.json.Decoder(out.DutyAdmissionEvent).decode(msgspec.json.encode(published))
    assert decoded == published and decoded.payload.rule == "DutyNotAdmitted"
