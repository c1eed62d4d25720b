"""Builders of upstream commands and helpers shared by the integration and end-to-end tests."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from types import ModuleType
from typing import Any, TypeVar

import msgspec
import psycopg
import pytest
from kafka import KafkaConsumer

from aggregates.base import CHINA_STANDARD_TIME, Context, RuleViolation
from consumers.intake import CommandDecoder, versions_of
from contracts.deadletter import DeadLetter
from contracts.envelope import Actor
from contracts.powers import commands as c
from contracts.sinkdown import commands as sd
from infra import bootstrap
from infra.contexts import EARLIER, Command, GovernanceLedger, apply
from infra.kafka import clients as kafka
from infra.settings import TOPIC_NAMES, Settings, Topics

ROOT = Path(__file__).resolve().parents[1]
ACTOR = Actor(id="jb-bianban", role="编办", system="机构编制管理系统")
JUNE = datetime(2021, 6, 1, tzinfo=UTC)
JULY = datetime(2021, 7, 1, tzinfo=UTC)
CASES_T0 = datetime(2021, 12, 1, 9, tzinfo=CHINA_STANDARD_TIME)
T = TypeVar("T")


def own_topics(prefix: str, partitions: int = Topics.partitions, events: bool = True) -> Topics:
    """Topics of their own, each named after its setting under `prefix` (`PREFIX.dead_letters`);
    the relay's events too, unless `events` is False (then they go where deployed ones do)."""
    names = [name for name in TOPIC_NAMES if events or name != "events"]
    return Topics(**{name: f"{prefix}.{name}" for name in names}, partitions=partitions)


def isolated_settings(partitions: int = 3) -> Settings:
    """Settings with topics and a consumer group of their own, on the shared test broker."""
    tag = uuid.uuid4().hex[:8]
    return Settings(
        consumer_group=f"test-{tag}",
        topics=own_topics(f"test.{tag}", partitions, events=False),
        session_timeout_ms=6000,
    )


# The personal-data tests' clerk, posted to a town by their sink-down proposal
PII_PERSONAL = sd.PersonalData(name="测试人员甲", id_number="TEST-ID-PII000001", phone="13800000001")
PII_CLERK = sd.Person(person="PII-P0001", post="进驻执法人员", enforcement=True, personal=PII_PERSONAL)


def mid(label: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, label))


def from_bureau(cls: type, label: str, payload: Any, at: datetime = JUNE, **envelope: Any) -> Any:
    """Command `cls` from the bureau (ACTOR) occurring `at`, its message id made of `label`, in
    the version its class is (the current one, or an earlier one's class); `envelope` gives the
    rest (effective_at, document_no, reason)."""
    version = max(versions_of(cls))
    return cls(
        message_id=mid(label),
        occurred_at=at,
        actor=ACTOR,
        payload=payload,
        **{"version": version, **envelope},
    )


def pii_proposal(*persons: sd.Person, label: str = "pii/propose") -> sd.ProposeSinkDown:
    """The personal-data tests' sink-down proposal of `persons` (transfer PII-T1), from the bureau
    in June, its message id made of `label`."""
    payload = sd.Proposal(
        transfer="PII-T1",
        department="AN-SAMR",
        town="AN-JD-PILOT",
        mode="stationed",
        team="**街道综合行政执法队",
        persons=persons,
    )
    return from_bureau(sd.ProposeSinkDown, label, payload, JUNE)


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
    return from_bureau(c.DeclareDelegationBatch, f"declare/{batch}", c.BatchDetails(code=batch, title="首批"))


def _delegation_step(cls: type, step: str, payload: Any) -> Any:
    """`cls` with `payload`, its message id named after the step and the delegation it moves."""
    return from_bureau(cls, f"{step}/{payload.batch}/{payload.item}/{payload.town}", payload)


def propose(item: str, town: str, batch: str = "B1") -> c.ProposeDelegation:
    return _delegation_step(
        c.ProposeDelegation, "propose", c.Proposal(batch=batch, item=item, town=town, mode="grant")
    )


def review(item: str, town: str, batch: str = "B1") -> c.StartAdmissionReview:
    payload = c.ReviewStart(batch=batch, item=item, town=town, reviewing_body="区联席会议")
    return _delegation_step(c.StartAdmissionReview, "review", payload)


def approve(item: str, town: str, batch: str = "B1", legal: bool = True) -> c.ApproveDelegation:
    finding = c.Finding(passed=True, note="")
    approval = c.Approval(
        batch=batch,
        item=item,
        town=town,
        review=c.AdmissionReview(
            reviewing_body="区联席会议", legality=c.Finding(passed=legal, note=""), reasonableness=finding
        ),
        support=c.SupportPackage(
            staff=1, funding_yuan=Decimal("50000"), training_sessions=2, guidance="区综合执法局"
        ),
    )
    label = f"approve/{batch}/{item}/{town}/{legal}"
    return from_bureau(
        c.ApproveDelegation, label, approval, effective_at=JULY, document_no="甬北编〔2021〕12号"
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
    ledger: Any = None,
    on: str | None = None,
):
    """Publish the messages (each on its family's topic, or all `on` one), run an intake worker
    (on `ledger`, or on one of its own) until it has consumed them; return it."""
    ledger = bootstrap.build_ledger(database_url) if ledger is None else ledger
    worker = bootstrap.build_intake_worker(ledger, broker, settings)
    producer, targets, by_topic = kafka.producer(broker, settings), {}, {}
    for key, value in messages:  # each command on the topic of its family
        by_topic.setdefault(on or kafka.command_topic(value, settings.topics), []).append((key, value))
    for topic, batch in by_topic.items():
        targets.update(kafka.publish(producer, topic, batch))
    deadline = time.monotonic() + timeout
    done = lambda: all(worker.intake.positions.get(k, 0) >= v for k, v in targets.items())
    worker.run(lambda: done() or time.monotonic() > deadline)
    worker.consumer.close()
    assert done(), "the intake did not consume everything in time"
    return worker


@dataclass(frozen=True)
class _Value:
    value: bytes
    topic: str | None = None


class Reader:
    """Reads command values as the intake does (an earlier version upgraded on the way in);
    a value the intake would dead-letter raises, with its rule and why."""

    def __init__(self, command_type: Any) -> None:
        self._decoder = CommandDecoder(command_type, earlier=EARLIER)

    def decode(self, value: bytes) -> Any:
        decoded = self._decoder.decode(_Value(value))
        if decoded.command is None:
            raise msgspec.ValidationError(f"{decoded.rule}: {decoded.error}")
        return decoded.command


_any_command = Reader(Command)


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


def in_memory(commands: Iterable[Any], vault: Any = None) -> tuple[Any, list[tuple[Any, str]]]:
    """A fresh in-memory ledger (holding `vault`, if one is given) with the commands applied in
    order, and the refused ones with their rules (see `apply_all`)."""
    ledger = GovernanceLedger()
    if vault is not None:
        ledger.vault = vault
    return ledger, apply_all(ledger, commands)


def demo_fixtures(
    demo_commands: Callable[[], list[tuple[bytes | None, bytes]]],
    decoder: msgspec.json.Decoder[Any] | Reader,
    decodable: slice = slice(None),
) -> tuple[Any, Any]:
    """A demo's test module's fixtures, `messages, commands = demo_fixtures(...)`: `messages`, the
    demo's (made once a module), and `commands`, those in `decodable` decoded by `decoder`."""

    @pytest.fixture(scope="module", name="messages")
    def messages() -> list[tuple[bytes | None, bytes]]:
        return demo_commands()

    @pytest.fixture(scope="module", name="commands")
    def commands(messages: list[tuple[bytes | None, bytes]]) -> list[Any]:
        return [decoder.decode(value) for _key, value in messages[decodable]]

    return messages, commands


def apply_messages(ledger: Any, messages: Iterable[tuple[bytes | None, bytes]]) -> list[tuple[Any, str]]:
    """`apply_all` on encoded (key, value) messages of any family, read as the intake reads them."""
    return apply_all(ledger, (_any_command.decode(value) for _key, value in messages))


def records(broker: str, topic: str) -> list[Any]:
    """Every record on the topic so far (read until none has come for five seconds)."""
    consumer = KafkaConsumer(
        topic, bootstrap_servers=broker, auto_offset_reset="earliest", consumer_timeout_ms=5000
    )
    found = list(consumer)
    consumer.close()
    return found


def dead_letters(broker: str, topic: str) -> list[DeadLetter]:
    """Everything on the dead-letter topic so far."""
    return [msgspec.json.decode(r.value, type=DeadLetter) for r in records(broker, topic)]


def clerk(
    actor: str, role: str, system: str, document_no: str | None, ids: Iterator[str] | None = None
) -> Callable[..., Context]:
    """`ctx(day, reason=None, document_no=...)`: the context of one office's clerk, effective at
    09:00 UTC on the day, its message id made of the day and the reason (or the next of `ids`)."""

    def ctx(day: str, reason: str | None = None, document_no: str | None = document_no) -> Context:
        message_id = next(ids) if ids is not None else f"m-{day}-{reason}"
        at = datetime.fromisoformat(day).replace(hour=9, tzinfo=UTC)
        return Context(actor, role, system, message_id, at, reason=reason, document_no=document_no)

    return ctx


def case_command(label: str, cls: type, hours: float, payload: msgspec.Struct) -> Any:
    """A linkage command `hours` after CASES_T0, occurring and effective then; its message id
    made of `label`, the command and its payload."""
    at = CASES_T0 + timedelta(hours=hours)
    return from_bureau(cls, f"{label}/{cls.__name__}/{payload}", payload, at, effective_at=at)


def demo_ledger(database_url: str, *demos: ModuleType) -> Any:
    """A ledger on the database with the demos' commands applied in order (their bad ones refused)."""
    ledger = bootstrap.build_ledger(database_url)
    apply_messages(ledger, [message for demo in demos for message in demo.demo_commands()])
    return ledger


def project(ledger: Any, settings: Settings | None = None) -> Any:
    """Every read model caught up with the ledger's event log; returns their runner."""
    runner = bootstrap.build_projections(ledger, settings or Settings())
    runner.catch_up()
    return runner


@contextmanager
def caught_up(runner: Any) -> Iterator[Any]:
    """A cursor on the runner's read models once it has caught up with the event log (checked:
    its position is the log's head)."""
    runner.catch_up()
    assert runner.position() == runner.head()
    with runner.ledger.recorder.datastore.transaction(commit=False) as cur:
        yield cur


def read_models(ledger: Any, settings: Settings | None = None) -> AbstractContextManager[Any]:
    """A cursor on every read model, caught up with the ledger's event log."""
    return caught_up(bootstrap.build_projections(ledger, settings or Settings()))


def built_and_read(server_url: str, build: Callable[[str], tuple[Any, T]]) -> Iterator[tuple[Any, T]]:
    """For a module's readers: a fresh database on `server_url`, `build(database_url)`'s ledger
    (and what it returns beside it), and a cursor on its read models caught up."""
    from tests.conftest import fresh_database

    with fresh_database(server_url) as database_url:
        ledger, beside = build(database_url)
        with read_models(ledger) as cur:
            yield cur, beside


@contextmanager
def projected(database_url: str, settings: Settings) -> Iterator[Any]:
    """A cursor on the read models of the database, caught up with its event log."""
    with read_models(bootstrap.build_ledger(database_url), settings) as cur:
        yield cur


@dataclass
class Intake:
    """Where an intake worker runs: the test's database, the shared broker, and settings with
    topics and a consumer group of their own."""

    database_url: str
    broker: str
    settings: Settings

    def run(
        self, messages: list[tuple[bytes | None, bytes]], ledger: Any = None, on: str | None = None
    ) -> Any:
        """Publish the messages (each on its family's topic, or all `on` one), run an intake
        worker (on `ledger`, or on one of its own) until it has consumed them; return it."""
        return run_intake(self.database_url, self.broker, self.settings, messages, ledger=ledger, on=on)

    def read_models(self) -> AbstractContextManager[Any]:
        """A cursor on the read models, caught up with the event log."""
        return projected(self.database_url, self.settings)

    def dead_letters(self) -> list[DeadLetter]:
        """Everything on the dead-letter topic so far."""
        return dead_letters(self.broker, self.settings.topics.dead_letters)


def rebuilt(runner: Any, rows: Callable[[], T]) -> tuple[T, T]:
    """The rows once the runner has caught up, and again once it has rebuilt its read models
    from the whole log (checked: the rebuild reaches the log's head)."""
    runner.catch_up()
    before = rows()
    assert runner.rebuild() == runner.ledger.recorder.max_notification_id()
    return before, rows()


def rebuilt_row_counts(runner: Any, url: str, tables: Sequence[str], order_by: str = "1, 2") -> list[int]:
    """How many rows each table holds once the runner has caught up; checked: a rebuild of its
    read models from the whole log gives the very same rows (see `rebuilt`)."""
    before, after = rebuilt(runner, lambda: table_rows(url, tables, order_by))
    assert after == before
    return [len(rows) for rows in before]


def select(url: str, *queries: str) -> list[list[tuple]]:
    """The rows of each query, as plain tuples, on a connection of its own."""
    with psycopg.connect(url) as conn:
        return [conn.execute(query).fetchall() for query in queries]


def table_rows(url: str, tables: Iterable[str], order_by: str = "1, 2") -> list[list[tuple]]:
    """Every row of each table, ordered by `order_by`."""
    return select(url, *(f"SELECT * FROM {table} ORDER BY {order_by}" for table in tables))


def cli_json(capsys: Any, *argv: str) -> Any:
    """Run `govledger ARGV --json` and return what it printed, decoded."""
    from infra.cli import main as cli

    assert cli.main([*argv, "--json"]) == 0
    return msgspec.json.decode(capsys.readouterr().out)


def run_script(*argv: str, timeout: float, **env: str | None) -> str:
    """`python ARGV` run from the repository's root, `env` added to this process's environment (a
    None takes the variable out); it must exit with 0. Returns what it printed."""
    environment = {**os.environ, **{name: value for name, value in env.items() if value is not None}}
    for name in [name for name, value in env.items() if value is None]:
        environment.pop(name, None)
    done = subprocess.run(
        [sys.executable, *argv], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=timeout
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return done.stdout


def run_benchmark(
    script: str, *argv: str, server_url: str, scratch: Path, timeout: float = 180, **env: str | None
) -> tuple[str, Any]:
    """`run_script` of a benchmark on the PostgreSQL server (GOVLEDGER_BENCH_SERVER_URL), recording
    its run in a results file of its own, in `scratch`: what it printed, and the one run it
    recorded (decoded)."""
    results = scratch / "bench.jsonl"
    out = run_script(
        script,
        *argv,
        "--results",
        str(results),
        timeout=timeout,
        GOVLEDGER_BENCH_SERVER_URL=server_url,
        **env,
    )
    [line] = results.read_text().splitlines()
    return out, json.loads(line)


def bench_line(out: str, label: str, count: int) -> bool:
    """Whether a benchmark printed `label`'s line: its four timings (ms), then `count` done and
    none failed."""
    return re.search(re.escape(label) + r"(\s+\d+\.\d\d){4}" + rf"\s+{count}\s+0$", out, re.M) is not None


def bench_database_dropped(server_url: str, out: str) -> bool:
    """Whether the database a benchmark names in its output (`database NAME: dropped`) is gone."""
    found = re.search(r"database (govledger_bench_\w+): dropped", out)
    assert found, "the benchmark names no database it dropped"
    with psycopg.connect(server_url) as conn:
        return not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (found.group(1),)).fetchall()


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
