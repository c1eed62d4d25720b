"""Kafka over TLS, as production runs it: every client of ours through a real TLS listener.

The embedded broker (tansu 0.6) serves no TLS: `--cert` with `--key` is refused by its own
command line, and `--cert` alone still listens in plaintext. So Debian's socat terminates TLS
in front of a broker started for this test, asking each client for a certificate (mutual
TLS). The broker advertises socat's port, not its own: clients reconnect to the address the
metadata gives, and must stay on TLS. The test makes a CA, a server certificate for
127.0.0.1 and localhost, and a client certificate, with `cryptography`.

Through it: `govledger publish` sends commands (one of them malformed); the intake applies
them and dead-letters the malformed one (its consumer and dead-letter producer, and the admin
client that makes the topics); the relay publishes the events; `govledger linkage` (faust,
and its catalogue's aiokafka reader) reads them, routes a reported case and sends the dispatch
back, which the intake applies. A client without the CA, or without its certificate, is
refused in seconds, saying why.

Without socat the test is skipped saying why, and under CI it fails (`make test` installs it).
"""

from __future__ import annotations

import asyncio
import dataclasses
import datetime
import ipaddress
import logging
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import msgspec
import psycopg
import pytest
from aiokafka.errors import KafkaConnectionError
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from kafka import KafkaProducer
from kafka.errors import KafkaTimeoutError

from aggregates.powers.item import PowerItem
from consumers.linkage.app import Catalogue
from contracts.linkage import commands as c
from infra import bootstrap
from infra.contexts import FAMILIES
from infra.kafka import clients as kafka
from infra.kafka.relay import Relay, relay_producer
from infra.ops.embedded import broker_command, free_port
from infra.ops.linkage_process import LinkageProcess, caught_up, pump
from infra.settings import Kafka, Linkage, Settings
from projections.linkage.cases import cases
from tests.support import case_command, declare, delegate, isolated_settings, register

pytestmark = [pytest.mark.kafka, pytest.mark.timeout(120)]
ROOT = Path(__file__).resolve().parents[2]
SOCAT = shutil.which("socat")
TOWN = "T1"


@dataclasses.dataclass(frozen=True)
class Listener:
    """The TLS listener: where it is, and the files a client may be given."""

    bootstrap: str
    ca: Path
    cert: Path
    key: Path

    def kafka(self, **files: str) -> Kafka:
        return Kafka(security_protocol="SSL", **files)


def _pem(path: Path, certificate: x509.Certificate, key: ec.EllipticCurvePrivateKey | None = None) -> None:
    path.with_suffix(".crt").write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    if key is not None:
        unencrypted = serialization.NoEncryption()
        path.with_suffix(".key").write_bytes(
            key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, unencrypted)
        )


def make_certificates(where: Path) -> None:
    """ca.crt; server.crt/.key for 127.0.0.1 and localhost; client.crt/.key; all signed by ca."""
    now = datetime.datetime.now(datetime.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())

    def issued(subject: str, key: ec.EllipticCurvePrivateKey) -> x509.CertificateBuilder:
        return (
            x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, subject)]))
            .issuer_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "govledger test CA")]))
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(minutes=5))
            .not_valid_after(now + datetime.timedelta(days=1))
        )

    ca = (
        issued("govledger test CA", ca_key)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                key_cert_sign=True,
                crl_sign=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    _pem(where / "ca", ca)
    for name, usage, names in (
        ("server", ExtendedKeyUsageOID.SERVER_AUTH, ["localhost", "127.0.0.1"]),
        ("client", ExtendedKeyUsageOID.CLIENT_AUTH, []),
    ):
        key = ec.generate_private_key(ec.SECP256R1())
        builder = (
            issued(f"govledger test {name}", key)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.ExtendedKeyUsage([usage]), critical=False)
            .add_extension(
                x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False
            )
        )
        if names:
            alternatives = [x509.DNSName(names[0]), x509.IPAddress(ipaddress.ip_address(names[1]))]
            builder = builder.add_extension(x509.SubjectAlternativeName(alternatives), critical=False)
        _pem(where / name, builder.sign(ca_key, hashes.SHA256()), key)


def _accepting(port: int, process: subprocess.Popen[bytes], log: Path, timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and process.poll() is None:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(
        f"{process.args[0]} did not listen on {port}: {log.read_text(errors='replace')[-2000:]}"
    )


def _stop(process: subprocess.Popen[bytes]) -> None:
    """Stop a process this test started, and those it forked (its own process group)."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


@pytest.fixture(scope="module")
def listener(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Listener]:
    """A broker of its own on a plaintext loopback port, advertising the TLS port socat
    serves in front of it (asking every client for a certificate signed by the CA)."""
    if SOCAT is None:
        problem = "no socat to terminate TLS in front of the embedded broker (apt-get install socat)"
        if os.environ.get("CI"):
            pytest.fail(f"CI must run the TLS test: {problem}")
        pytest.skip(problem)
    where = tmp_path_factory.mktemp("tls")
    make_certificates(where)
    plain, tls = free_port(), free_port()
    command = broker_command(plain, f"govledger-tls-{uuid.uuid4().hex}")
    command[command.index("--advertised-listener-url") + 1] = f"tcp://127.0.0.1:{tls}"
    terminate = (
        f"OPENSSL-LISTEN:{tls},bind=127.0.0.1,reuseaddr,fork,verify=1,"
        f"cert={where / 'server.crt'},key={where / 'server.key'},cafile={where / 'ca.crt'}"
    )
    started = []
    try:
        for name, argv, port in (
            ("broker", command, plain),
            ("socat", [SOCAT, "-d", terminate, f"TCP:127.0.0.1:{plain}"], tls),
        ):
            with (where / f"{name}.log").open("wb") as log:
                process = subprocess.Popen(argv, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
            started.append(process)
            _accepting(port, process, where / f"{name}.log")
        yield Listener(f"127.0.0.1:{tls}", where / "ca.crt", where / "client.crt", where / "client.key")
    finally:
        for process in reversed(started):
            _stop(process)


def _full(listener: Listener) -> Kafka:
    return listener.kafka(
        ssl_cafile=str(listener.ca), ssl_certfile=str(listener.cert), ssl_keyfile=str(listener.key)
    )


def test_commands_published_over_tls_are_applied_and_the_linkage_routes_over_tls(
    listener: Listener, database_url: str, tmp_path: Path
) -> None:
    settings = dataclasses.replace(
        isolated_settings(),
        database_url=database_url,
        kafka_bootstrap=listener.bootstrap,
        kafka=_full(listener),
        linkage=Linkage(app_id=f"test-tls-{uuid.uuid4().hex[:8]}", clock="ticks", data_dir=str(tmp_path)),
    )
    lines = [msgspec.json.encode(command) for command in [register("P1"), declare(), *delegate("P1", TOWN)]]
    malformed = b'{"type": "item.register", "message_id": '
    (tmp_path / "commands.jsonl").write_bytes(b"\n".join([*lines, malformed]) + b"\n")

    published = subprocess.run(
        [sys.executable, "-m", "infra.cli.main", "publish", str(tmp_path / "commands.jsonl")],
        cwd=ROOT,
        env={**os.environ, **settings.to_env()},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert published.returncode == 0, published.stderr[-3000:]
    assert f"published {len(lines) + 1} messages to {settings.topics.commands}" in published.stdout

    ledger = bootstrap.build_ledger(database_url)
    worker = bootstrap.build_intake_worker(ledger, listener.bootstrap, settings)
    events = settings.topics.event_topics(list(FAMILIES))
    kafka.ensure_topics(
        listener.bootstrap, settings, extra=[*events.values(), settings.topics.metrics, settings.topics.ticks]
    )
    relay = Relay(ledger, relay_producer(listener.bootstrap, settings), events)
    runner = bootstrap.build_projections(ledger, settings)

    def register_of_cases() -> dict[str, dict[str, object]]:
        runner.catch_up()
        with ledger.recorder.datastore.transaction(commit=False) as cur:
            return {row["number"]: row for row in cases(cur)}

    with LinkageProcess(settings, listener.bootstrap, tmp_path / "linkage.log") as linkage:
        assert pump(
            worker,
            relay,
            lambda: relay.stats.published > 0 and caught_up(listener.bootstrap, settings, relay),
            60,
            linkage,
        ), (tmp_path / "linkage.log").read_text()[-3000:]
        assert worker.intake.stats.applied == len(lines) and worker.intake.stats.dead_lettered == 1
        assert ledger.find(PowerItem.create_id("P1")) is not None

        report = case_command(
            "tls", c.ReportCase, 0, c.CaseReport(case="C1", source="grid", town=TOWN, item="P1")
        )
        producer = kafka.producer(listener.bootstrap, settings)
        value = msgspec.json.encode(report)
        kafka.publish(
            producer, kafka.command_topic(value, settings.topics), [(kafka.command_key(value), value)]
        )
        producer.close()
        assert pump(
            worker,
            relay,
            lambda: register_of_cases().get("C1", {}).get("status") == "dispatched",
            60,
            linkage,
        ), (tmp_path / "linkage.log").read_text()[-3000:]
    assert (register_of_cases()["C1"]["lead"], register_of_cases()["C1"]["basis"]) == (TOWN, "delegated")

    worker.consumer.close()
    worker.after_commit.kafka.close()
    with psycopg.connect(database_url) as conn:
        letters = conn.execute("SELECT rule, published_at IS NOT NULL FROM dead_letters").fetchall()
    assert letters == [("MalformedMessage", True)]  # the dead-letter producer sent it over TLS


def test_a_client_without_the_ca_is_refused_in_seconds_saying_why(
    listener: Listener, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    untrusting = Settings(
        kafka=listener.kafka(ssl_certfile=str(listener.cert), ssl_keyfile=str(listener.key))
    )

    started = time.monotonic()
    with pytest.raises(kafka.BrokerUnreachable, match="CERTIFICATE_VERIFY_FAILED"):
        kafka.ensure_topics(listener.bootstrap, untrusting)
    assert time.monotonic() - started < 5

    (tmp_path / "one.jsonl").write_bytes(msgspec.json.encode(register("P9")) + b"\n")
    env = {**os.environ, **dataclasses.replace(untrusting, kafka_bootstrap=listener.bootstrap).to_env()}
    published = subprocess.run(
        [sys.executable, "-m", "infra.cli.main", "publish", str(tmp_path / "one.jsonl")],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert published.returncode != 0 and "CERTIFICATE_VERIFY_FAILED" in published.stderr

    # the clients themselves, without the check in front: refused too, never in plaintext
    with caplog.at_level(logging.WARNING, logger="kafka"), pytest.raises(KafkaTimeoutError):
        KafkaProducer(
            bootstrap_servers=listener.bootstrap,
            bootstrap_timeout_ms=2000,
            **kafka.client_options(untrusting),
        )
    assert "CERTIFICATE_VERIFY_FAILED" in caplog.text

    async def catalogue() -> None:
        reader = Catalogue().follow(
            listener.bootstrap, ["any"], "test-tls-refused", kafka.aiokafka_options(untrusting)
        )
        await asyncio.wait_for(reader, timeout=10)

    with pytest.raises(KafkaConnectionError):
        asyncio.run(catalogue())


def test_a_client_without_its_certificate_is_refused_after_the_handshake(listener: Listener) -> None:
    anonymous = Settings(kafka=listener.kafka(ssl_cafile=str(listener.ca)))
    with pytest.raises(kafka.BrokerUnreachable, match="client certificate"):
        kafka.ensure_topics(listener.bootstrap, anonymous)
