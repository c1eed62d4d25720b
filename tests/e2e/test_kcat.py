"""kcat, the command-line Kafka client an upstream team reaches for, publishes our commands.

Each command is one line, `<key>|<json>`, on its family's command topic, keyed as our own
producer keys it (`infra.kafka.clients.command_key`) and placed by the Java client's
partitioner (`-X topic.partitioner=murmur2_random`; librdkafka's own default, CRC32, would put
a key elsewhere than kafka-python does). The intake applies what kcat published and
dead-letters a line that is not a command.

librdkafka before 2.2.0 (Debian 12's kcat links 2.0.2) skips one byte too few of each tagged
field in a flexible response, so it cannot parse the ApiVersions answer of the embedded broker,
which writes every tagged field (FinalizedFeaturesEpoch = -1 among them). So when kcat's own
librdkafka is older, Debian's kcat runs on the librdkafka that the confluent-kafka
wheel ships (or GOVLEDGER_LIBRDKAFKA), through LD_LIBRARY_PATH. When there is no kcat, or no
librdkafka it can use, the test is skipped saying why, and fails under CI.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import time
from pathlib import Path

import msgspec
import psycopg
import pytest
from kafka.partitioner.default import murmur2

from aggregates.powers.item import PowerItem
from contracts.organisation import commands as o
from infra import bootstrap
from infra.kafka import clients as kafka
from projections.organisation.structure import town_structure
from tests.support import Intake, from_bureau, isolated_settings, register

KCAT = os.environ.get("GOVLEDGER_KCAT") or shutil.which("kcat") or "/usr/bin/kcat"
FIXED = (2, 2, 0)  # the first librdkafka that skips tagged fields right
DELIMITER = b"|"
PARTITIONS = 3
TOWN = "BH-KCAT"


def _librdkafka(env: dict[str, str]) -> tuple[int, ...] | None:
    """The librdkafka version kcat runs on under `env`, from `kcat -V`."""
    shown = subprocess.run([KCAT, "-V"], env=env, capture_output=True, text=True, timeout=10).stdout
    found = re.search(r"librdkafka (\d+)\.(\d+)\.(\d+)", shown)
    return tuple(int(part) for part in found.groups()) if found else None


def _dotted(version: tuple[int, ...] | None) -> str:
    return ".".join(map(str, version)) if version else "(unknown)"


def _wheel_librdkafka() -> Path | None:
    """GOVLEDGER_LIBRDKAFKA, or the librdkafka shipped in confluent-kafka's wheel (beside its
    package, in `confluent_kafka.libs/`), if installed; it is not imported."""
    configured = os.environ.get("GOVLEDGER_LIBRDKAFKA")
    if configured:
        return Path(configured)
    spec = importlib.util.find_spec("confluent_kafka")
    if spec is None or spec.origin is None:
        return None
    libs = Path(spec.origin).parent.with_name("confluent_kafka.libs")
    return next(iter(sorted(libs.glob("librdkafka*.so*"))), None)


def _usable_kcat(libdir: Path) -> tuple[dict[str, str], str | None]:
    """The environment to run kcat in, and why it cannot run (None when it can)."""
    env = dict(os.environ)
    if not Path(KCAT).is_file():
        return env, f"no kcat at {KCAT} (install Debian's kcat, or set GOVLEDGER_KCAT)"
    own = _librdkafka(env)
    if own is not None and own >= FIXED:
        return env, None
    library = _wheel_librdkafka()
    if library is None or not library.is_file():
        return env, (
            f"kcat runs on librdkafka {_dotted(own)}, which cannot read the embedded broker's ApiVersions"
            " answer, and no librdkafka >= 2.2.0 was found to run it on (install confluent-kafka"
            " in the venv, or set GOVLEDGER_LIBRDKAFKA)"
        )
    libdir.mkdir(parents=True, exist_ok=True)
    (libdir / "librdkafka.so.1").symlink_to(library.resolve())
    env["LD_LIBRARY_PATH"] = os.pathsep.join(filter(None, [str(libdir), env.get("LD_LIBRARY_PATH")]))
    newer = _librdkafka(env)
    if newer is None or newer < FIXED:
        return env, f"kcat still runs on librdkafka {_dotted(newer)} with {library} on LD_LIBRARY_PATH"
    return env, None


@pytest.fixture(scope="module")
def kcat_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The environment kcat publishes in; skips the test (fails it under CI) when it cannot."""
    env, problem = _usable_kcat(tmp_path_factory.mktemp("kcat") / "lib")
    if problem is not None:
        if os.environ.get("CI"):
            pytest.fail(f"CI must run the kcat test: {problem}")
        pytest.skip(problem)
    return env


def kcat_publish(env: dict[str, str], broker: str, topic: str, lines: list[bytes]) -> None:
    """`kcat -P` the lines (`<key>|<json>`, or a bare value) to the topic; waits for the acks."""
    command = [KCAT, "-P", "-b", broker, "-t", topic, "-K", DELIMITER.decode()]
    command += ["-X", "topic.partitioner=murmur2_random"]
    done = subprocess.run(command, input=b"\n".join(lines) + b"\n", env=env, capture_output=True, timeout=30)
    assert done.returncode == 0 and not done.stderr, done.stderr.decode(errors="replace")


def line(value: bytes) -> bytes:
    """One kcat input line: the command's key, the delimiter and the command."""
    key = kafka.command_key(value)
    assert DELIMITER not in (key or b"")
    return (key + DELIMITER if key else b"") + value


def test_commands_published_with_kcat_are_applied_and_a_malformed_line_is_dead_lettered(
    kcat_env: dict[str, str], database_url: str, broker: str
) -> None:
    intake = Intake(database_url, broker, isolated_settings(partitions=PARTITIONS))
    topics = intake.settings.topics
    town = o.TownDetails(
        code=TOWN, name="万年埠街道", district_name="BH", kind="street", model="一办七部两中心"
    )
    unit = o.UnitDetails(town=TOWN, unit="URBAN", name="城市管理部", kind="department", type="integrated")
    commands = [
        register("KC1"),
        from_bureau(o.RegisterTown, "kcat/town", town),
        from_bureau(o.EstablishUnit, "kcat/unit", unit),
    ]
    values = [msgspec.json.encode(command) for command in commands]
    malformed = b'{"type": "town.register", "message_id": '
    by_topic: dict[str, list[bytes]] = {}
    for value in [*values, malformed]:
        by_topic.setdefault(kafka.command_topic(value, topics), []).append(value)
    assert set(by_topic) == {topics.commands, topics.organisation}

    ledger = bootstrap.build_ledger(database_url)
    worker = bootstrap.build_intake_worker(ledger, broker, intake.settings)  # creates the topics
    for topic, published in by_topic.items():
        kcat_publish(kcat_env, broker, topic, [line(value) for value in published])
    deadline = time.monotonic() + 15
    consumed = lambda: sum(worker.intake.positions.values()) >= len(values) + 1
    worker.run(lambda: consumed() or time.monotonic() > deadline)
    worker.consumer.close()
    assert consumed(), f"the intake consumed {worker.intake.positions} in 15 s"

    assert (worker.intake.stats.applied, worker.intake.stats.dead_lettered) == (3, 1)
    assert ledger.find(PowerItem.create_id("KC1")) is not None
    with intake.read_models() as cur:
        assert [(u["code"], u["name"]) for u in town_structure(cur, TOWN)] == [("URBAN", "城市管理部")]
    with psycopg.connect(database_url) as conn:
        outcomes = conn.execute(
            "SELECT message_id, outcome, topic, partition FROM intake_messages"
        ).fetchall()
        letters = conn.execute(
            "SELECT rule, original, topic, published_at IS NOT NULL FROM dead_letters"
        ).fetchall()
    placed = {}  # where our own producer would have put each command: its topic and partition
    for command, value in zip(commands, values):
        key = kafka.command_key(value)
        assert key is not None
        partition = (murmur2(key) & 0x7FFFFFFF) % PARTITIONS
        placed[command.message_id] = ("applied", kafka.command_topic(value, topics), partition)
    assert {row[0]: row[1:] for row in outcomes} == placed
    assert [(rule, bytes(original), topic, sent) for rule, original, topic, sent in letters] == [
        ("MalformedMessage", malformed, topics.commands, True)
    ]
