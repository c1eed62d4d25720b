"""Builders of upstream commands and helpers shared by the integration tests."""

from __future__ import annotations

import time
import uuid
from datetime import datetime, timezone
from decimal import Decimal

import msgspec

from contracts import powers as c
from contracts.envelope import Actor
from infra import bootstrap, kafka
from infra.settings import Settings, Topics

ACTOR = Actor(id="jb-bianban", role="编办", system="机构编制管理系统")
JUNE = datetime(2021, 6, 1, tzinfo=timezone.utc)
JULY = datetime(2021, 7, 1, tzinfo=timezone.utc)


def isolated_settings(partitions: int = 3) -> Settings:
    """Settings with topics and a consumer group of their own, on the shared test broker."""
    tag = uuid.uuid4().hex[:8]
    return Settings(
        consumer_group=f"test-{tag}",
        topics=Topics(commands=f"test.commands.{tag}", duties=f"test.duties.{tag}",
                      organisation=f"test.organisation.{tag}", staffing=f"test.staffing.{tag}",
                      appraisals=f"test.appraisals.{tag}", dead_letters=f"test.dlq.{tag}",
                      partitions=partitions),
        session_timeout_ms=6000,
    )


def mid(label: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, label))


def register(code: str, message_id: str | None = None) -> c.RegisterPowerItem:
    return c.RegisterPowerItem(
        message_id=message_id or mid(f"register/{code}"), occurred_at=JUNE, actor=ACTOR,
        payload=c.ItemDetails(code=code, name=f"事项 {code}", kind="penalty",
                              list="supervisory", domain="城市绿化", legal_basis="《城市绿化条例》",
                              department="JB-GREEN"),
    )


def declare(batch: str = "B1") -> c.DeclareDelegationBatch:
    return c.DeclareDelegationBatch(message_id=mid(f"declare/{batch}"), occurred_at=JUNE,
                                    actor=ACTOR, payload=c.BatchDetails(code=batch, title="首批"))


def propose(item: str, town: str, batch: str = "B1") -> c.ProposeDelegation:
    return c.ProposeDelegation(message_id=mid(f"propose/{batch}/{item}/{town}"), occurred_at=JUNE,
                               actor=ACTOR, payload=c.Proposal(batch=batch, item=item, town=town,
                                                               mode="grant"))


def review(item: str, town: str, batch: str = "B1") -> c.StartAdmissionReview:
    return c.StartAdmissionReview(
        message_id=mid(f"review/{batch}/{item}/{town}"), occurred_at=JUNE, actor=ACTOR,
        payload=c.ReviewStart(batch=batch, item=item, town=town, reviewing_body="区联席会议"))


def approve(item: str, town: str, batch: str = "B1", legal: bool = True) -> c.ApproveDelegation:
    finding = c.Finding(passed=True, note="")
    return c.ApproveDelegation(
        message_id=mid(f"approve/{batch}/{item}/{town}/{legal}"), occurred_at=JUNE,
        effective_at=JULY, actor=ACTOR, document_no="甬北编〔2021〕12号",
        payload=c.Approval(
            batch=batch, item=item, town=town,
            review=c.AdmissionReview(reviewing_body="区联席会议",
                                     legality=c.Finding(passed=legal, note=""),
                                     reasonableness=finding),
            support=c.SupportPackage(staff=1, funding_yuan=Decimal("50000"),
                                     training_sessions=2, guidance="区综合执法局"),
        ),
    )


def delegate(item: str, town: str, batch: str = "B1") -> list[msgspec.Struct]:
    return [propose(item, town, batch), review(item, town, batch), approve(item, town, batch)]


def encoded(commands: list[msgspec.Struct]) -> list[tuple[bytes | None, bytes]]:
    values = [msgspec.json.encode(command) for command in commands]
    return [(kafka.command_key(value), value) for value in values]


def run_intake(database_url: str, broker: str, settings: Settings,
               messages: list[tuple[bytes | None, bytes]], timeout: float = 60.0):
    """Publish the messages, run an intake worker until it has consumed them; return it."""
    ledger = bootstrap.build_ledger(database_url)
    worker = bootstrap.build_intake_worker(ledger, broker, settings)
    producer, targets, by_topic = kafka.producer(broker), {}, {}
    for key, value in messages:  # each command on the topic of its family
        by_topic.setdefault(kafka.command_topic(value, settings.topics), []).append((key, value))
    for topic, batch in by_topic.items():
        targets.update(kafka.publish(producer, topic, batch))
    deadline = time.monotonic() + timeout
    done = lambda: all(worker.intake.positions.get(k, 0) >= v for k, v in targets.items())  # noqa: E731
    worker.run(lambda: done() or time.monotonic() > deadline)
    worker.consumer.close()
    assert done(), "the intake did not consume everything in time"
    return worker
