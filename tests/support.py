"""Builders of upstream commands and helpers shared by the integration tests."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import msgspec
from kafka import KafkaConsumer

from aggregates.base import RuleViolation
from contracts.deadletter import DeadLetter
from contracts.envelope import Actor
from contracts.powers import commands as c
from infra import bootstrap
from infra.contexts import Command, apply
from infra.kafka import clients as kafka
from infra.settings import Settings, Topics

ACTOR = Actor(id="jb-bianban", role="编办", system="机构编制管理系统")
JUNE = datetime(2021, 6, 1, tzinfo=UTC)
JULY = datetime(2021, 7, 1, tzinfo=UTC)


def isolated_settings(partitions: int = 3) -> Settings:
    """Settings with topics and a consumer group of their own, on the shared test broker."""
    tag = uuid.uuid4().hex[:8]
    return Settings(
        consumer_group=f"test-{tag}",
        topics=Topics(
            commands=f"test.commands.{tag}",
            duties=f"test.duties.{tag}",
            organisation=f"test.organisation.{tag}",
            staffing=f"test.staffing.{tag}",
            appraisals=f"test.appraisals.{tag}",
            linkage=f"test.linkage.{tag}",
            metrics=f"test.metrics.{tag}",
            ticks=f"test.ticks.{tag}",
            dead_letters=f"test.dlq.{tag}",
            partitions=partitions,
        ),
        session_timeout_ms=6000,
    )


def mid(label: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, label))


def register(code: str, message_id: str | None = None) -> c.RegisterPowerItem:
    return c.RegisterPowerItem(
        message_id=message_id or mid(f"register/{code}"),
        occurred_at=JUNE,
        actor=ACTOR,
        payload=c.ItemDetails(
            code=code,
            name=f"事项 {code}",
            kind="penalty",
            list="supervisory",
            domain="城市绿化",
            legal_basis="《城市绿化条例》",
            department="JB-GREEN",
        ),
    )


def declare(batch: str = "B1") -> c.DeclareDelegationBatch:
    return c.DeclareDelegationBatch(
        message_id=mid(f"declare/{batch}"),
        occurred_at=JUNE,
        actor=ACTOR,
        payload=c.BatchDetails(code=batch, title="首批"),
    )


def propose(item: str, town: str, batch: str = "B1") -> c.ProposeDelegation:
    return c.ProposeDelegation(
        message_id=mid(f"propose/{batch}/{item}/{town}"),
        occurred_at=JUNE,
        actor=ACTOR,
        payload=c.Proposal(batch=batch, item=item, town=town, mode="grant"),
    )


def review(item: str, town: str, batch: str = "B1") -> c.StartAdmissionReview:
    return c.StartAdmissionReview(
        message_id=mid(f"review/{batch}/{item}/{town}"),
        occurred_at=JUNE,
        actor=ACTOR,
        payload=c.ReviewStart(batch=batch, item=item, town=town, reviewing_body="区联席会议"),
    )


def approve(item: str, town: str, batch: str = "B1", legal: bool = True) -> c.ApproveDelegation:
    finding = c.Finding(passed=True, note="")
    return c.ApproveDelegation(
        message_id=mid(f"approve/{batch}/{item}/{town}/{legal}"),
        occurred_at=JUNE,
        effective_at=JULY,
        actor=ACTOR,
        document_no="甬北编〔2021〕12号",
        payload=c.Approval(
            batch=batch,
            item=item,
            town=town,
            review=c.AdmissionReview(
                reviewing_body="区联席会议", legality=c.Finding(passed=legal, note=""), reasonableness=finding
            ),
            support=c.SupportPackage(
                staff=1, funding_yuan=Decimal("50000"), training_sessions=2, guidance="区综合执法局"
            ),
        ),
    )


def delegate(item: str, town: str, batch: str = "B1") -> list[msgspec.Struct]:
    return [propose(item, town, batch), review(item, town, batch), approve(item, town, batch)]


def encoded(commands: list[msgspec.Struct]) -> list[tuple[bytes | None, bytes]]:
    values = [msgspec.json.encode(command) for command in commands]
    return [(kafka.command_key(value), value) for value in values]


def run_intake(
    database_url: str,
    broker: str,
    settings: Settings,
    messages: list[tuple[bytes | None, bytes]],
    timeout: float = 60.0,
):
    """Publish the messages, run an intake worker until it has consumed them; return it."""
    ledger = bootstrap.build_ledger(database_url)
    worker = bootstrap.build_intake_worker(ledger, broker, settings)
    producer, targets, by_topic = kafka.producer(broker), {}, {}
    for key, value in messages:  # each command on the topic of its family
        by_topic.setdefault(kafka.command_topic(value, settings.topics), []).append((key, value))
    for topic, batch in by_topic.items():
        targets.update(kafka.publish(producer, topic, batch))
    deadline = time.monotonic() + timeout
    done = lambda: all(worker.intake.positions.get(k, 0) >= v for k, v in targets.items())
    worker.run(lambda: done() or time.monotonic() > deadline)
    worker.consumer.close()
    assert done(), "the intake did not consume everything in time"
    return worker


_any_command = msgspec.json.Decoder(Command)


def apply_all(ledger: Any, commands: Iterable[Any]) -> list[tuple[Any, str]]:
    """Apply the commands in order, as the intake would; return the refused ones, each with
    the rule it broke (a demo's deliberately bad commands)."""
    refused = []
    for command in commands:
        try:
            apply(ledger, command)
        except RuleViolation as violation:
            refused.append((command, violation.rule))
    return refused


def apply_messages(ledger: Any, messages: Iterable[tuple[bytes | None, bytes]]) -> list[tuple[Any, str]]:
    """`apply_all` on encoded (key, value) messages of any family."""
    return apply_all(ledger, (_any_command.decode(value) for _key, value in messages))


def dead_letters(broker: str, topic: str) -> list[DeadLetter]:
    """Everything on the dead-letter topic so far."""
    consumer = KafkaConsumer(
        topic, bootstrap_servers=broker, auto_offset_reset="earliest", consumer_timeout_ms=5000
    )
    letters = [msgspec.json.decode(r.value, type=DeadLetter) for r in consumer]
    consumer.close()
    return letters


@contextmanager
def projected(database_url: str, settings: Settings) -> Iterator[Any]:
    """A cursor on the read models, caught up with the event log."""
    ledger = bootstrap.build_ledger(database_url)
    bootstrap.build_projections(ledger, settings).catch_up()
    with ledger.recorder.datastore.transaction() as cur:
        yield cur


def cli_json(capsys: Any, *argv: str) -> Any:
    """Run `govledger ARGV --json` and return what it printed, decoded."""
    from infra.cli import main as cli

    assert cli.main([*argv, "--json"]) == 0
    return msgspec.json.decode(capsys.readouterr().out)


def free_ports(count: int = 1) -> int:
    """The first of `count` consecutive loopback ports that are free now."""
    import socket

    for _ in range(50):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            first = probe.getsockname()[1]
        if first + count > 65535:
            continue
        try:
            for port in range(first, first + count):
                with socket.socket() as taken:
                    taken.bind(("127.0.0.1", port))
        except OSError:
            continue
        return first
    raise RuntimeError(f"no {count} consecutive free ports")


def http_get(port: int, path: str, headers: dict[str, str] | None = None) -> tuple[int, bytes]:
    """GET http://127.0.0.1:PORT/PATH: the status and the body (errors included)."""
    import urllib.error
    import urllib.request

    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            return answer.status, answer.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()
    except OSError:
        return 0, b""
