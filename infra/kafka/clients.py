"""Kafka wiring: how clients reach the brokers, topics, clients, and publishing the dead
letters the intake stored."""

from __future__ import annotations

import socket
import struct
from collections.abc import Callable, Sequence
from datetime import UTC
from pathlib import Path
from typing import Any

import msgspec
from kafka import KafkaAdminClient, KafkaConsumer, KafkaProducer
from kafka.admin import NewTopic
from kafka.errors import TopicAlreadyExistsError

from contracts.deadletter import DeadLetter
from infra import contexts
from infra.settings import Kafka, Settings, SettingsError, Topics
from infra.store.recorder import LedgerRecorder

_encoder = msgspec.json.Encoder()
TLS_PROTOCOLS = ("SSL", "SASL_SSL")
SASL_PROTOCOLS = ("SASL_PLAINTEXT", "SASL_SSL")


class BrokerUnreachable(ConnectionError):
    """No bootstrap server answered over the security protocol the settings ask for."""


def client_options(settings: Settings) -> dict[str, Any]:
    """What every kafka-python client we make is given to reach the brokers (`settings.kafka`):
    the security protocol, the TLS files, the SASL mechanism and login. The one place these
    settings are read; aiokafka's options (and so faust's) are made from these."""
    kafka = settings.kafka
    options: dict[str, Any] = {"security_protocol": kafka.security_protocol}
    if kafka.security_protocol in TLS_PROTOCOLS:
        options |= {
            "ssl_cafile": kafka.ssl_cafile or None,  # None: the system's CAs
            "ssl_certfile": kafka.ssl_certfile or None,
            "ssl_keyfile": kafka.ssl_keyfile or None,
            "ssl_check_hostname": True,
        }
    if kafka.security_protocol in SASL_PROTOCOLS:
        options |= {
            "sasl_mechanism": kafka.sasl_mechanism,
            "sasl_plain_username": kafka.sasl_username,
            "sasl_plain_password": sasl_password(kafka),
        }
    return options


def aiokafka_options(settings: Settings) -> dict[str, Any]:
    """`client_options` as aiokafka takes them (the linkage's catalogue reader, and faust's
    clients through the credentials made of them): the TLS files become one SSL context,
    which always checks the broker's name."""
    from aiokafka.helpers import create_ssl_context  # only where aiokafka is used

    options = client_options(settings)
    if options["security_protocol"] in TLS_PROTOCOLS:
        options["ssl_context"] = create_ssl_context(
            cafile=options.pop("ssl_cafile"),
            certfile=options.pop("ssl_certfile"),
            keyfile=options.pop("ssl_keyfile"),
        )
        del options["ssl_check_hostname"]
    return options


def sasl_password(kafka: Kafka) -> str:
    """The SASL password: the setting, else the first line of the password file."""
    if kafka.sasl_password:
        return kafka.sasl_password
    try:
        text = Path(kafka.sasl_password_file).read_text(encoding="utf-8")
    except OSError as error:  # neither the path nor the text is repeated: either may be the secret
        raise SettingsError(
            [f"GOVLEDGER_KAFKA_SASL_PASSWORD_FILE cannot be read ({error.strerror})"]
        ) from None
    return text.splitlines()[0] if text else ""


def check_tls(bootstrap: str, settings: Settings, timeout: float = 10.0) -> None:
    """With a TLS protocol: a TLS handshake with each bootstrap server in turn, with the
    settings' files, and a Kafka request over it (a broker that wants a client certificate
    says so only then), until one answers. A wrong CA, certificate or key, or a listener
    without TLS, is named at once, instead of each client retrying its bootstrap for 30 s
    with the reason only in its log. Raises `BrokerUnreachable` naming each server and why."""
    if settings.kafka.security_protocol not in TLS_PROTOCOLS:
        return
    context = aiokafka_options(settings)["ssl_context"]
    failures = []
    for server in bootstrap.split(","):
        host, _, port = server.strip().rpartition(":")
        stage = "connecting"
        try:
            host = host.strip("[]")  # an IPv6 address, as [::1]:9093
            with socket.create_connection((host, int(port)), timeout=timeout) as raw:
                stage = "in the TLS handshake"
                with context.wrap_socket(raw, server_hostname=host) as tls:
                    stage = "after the handshake (does the broker want a client certificate?)"
                    # ApiVersions v0, correlation id 1, client id "govledger-check"
                    body = struct.pack(">hhih", 18, 0, 1, 15) + b"govledger-check"
                    tls.sendall(struct.pack(">i", len(body)) + body)
                    if len(tls.recv(8)) < 8:
                        raise ConnectionError("the connection was closed without an answer")
            return
        except TimeoutError:
            failures.append(f"{server}: no answer in {timeout:g} s {stage} (a listener without TLS?)")
        except (OSError, ValueError) as error:  # ssl.SSLError among them, with its reason
            failures.append(f"{server}: {error}, {stage}")
    raise BrokerUnreachable(
        f"no broker answered over {settings.kafka.security_protocol}: {'; '.join(failures)}."
        " Check GOVLEDGER_KAFKA_BOOTSTRAP, GOVLEDGER_KAFKA_SSL_CAFILE (the CA that signed the"
        " brokers' certificates) and, where the brokers ask for one, GOVLEDGER_KAFKA_SSL_CERTFILE"
        " and GOVLEDGER_KAFKA_SSL_KEYFILE"
    )


def new_topics(names: Sequence[str], settings: Settings) -> list[NewTopic]:
    """The topics as we create them: our partition count, the replication factor and
    min.insync.replicas of the settings."""
    kafka = settings.kafka
    config = {"min.insync.replicas": str(kafka.min_insync_replicas)}
    return [
        NewTopic(name, settings.topics.partitions, kafka.replication_factor, topic_configs=config)
        for name in names
    ]


def ensure_topics(bootstrap: str, settings: Settings, extra: list[str] | None = None) -> str:
    """Create our topics (and `extra` ones) if missing; return the cluster id (offsets are
    stored per cluster). Topics that exist are left as they are. Every worker and
    `govledger publish` call it first, so a TLS setting that cannot work stops them here."""
    check_tls(bootstrap, settings)
    admin = KafkaAdminClient(
        bootstrap_servers=bootstrap, client_id="govledger-admin", **client_options(settings)
    )
    try:
        existing = set(admin.list_topics())
        wanted = [*command_topics(settings.topics), settings.topics.dead_letters, *(extra or [])]
        missing = new_topics([t for t in wanted if t not in existing], settings)
        if missing:
            try:
                admin.create_topics(missing)
            except TopicAlreadyExistsError:
                pass
        return str(admin.describe_cluster()["cluster_id"])
    finally:
        admin.close()


def command_consumer(bootstrap: str, settings: Settings) -> KafkaConsumer:
    return KafkaConsumer(
        bootstrap_servers=bootstrap,
        group_id=settings.consumer_group,
        enable_auto_commit=False,
        auto_offset_reset="earliest",
        session_timeout_ms=settings.session_timeout_ms,
        heartbeat_interval_ms=settings.heartbeat_interval_ms,
        max_poll_records=settings.max_poll_records,
        fetch_max_wait_ms=settings.fetch_max_wait_ms,
        client_id="govledger-intake",
        **client_options(settings),
    )


def producer(bootstrap: str, settings: Settings) -> KafkaProducer:
    return KafkaProducer(
        bootstrap_servers=bootstrap,
        acks="all",
        linger_ms=5,
        client_id="govledger-producer",
        **client_options(settings),
    )


class DeadLetterPublisher:
    """Publishes the dead letters stored with each batch, then marks them published.

    They were committed with the batch (an outbox), so a crash before publishing loses
    nothing: the next run publishes them. A crash after publishing and before marking
    publishes them again; each carries its id for consumers to drop repeats.
    """

    def __init__(self, recorder: LedgerRecorder, connect: Callable[[], KafkaProducer], topic: str) -> None:
        self.recorder, self.connect, self.topic = recorder, connect, topic
        self.kafka = connect()
        self.published = 0

    def __call__(self) -> int:
        count = 0
        while rows := self.recorder.unpublished_dead_letters():
            futures = []
            for row in rows:
                letter = DeadLetter(
                    id=row["id"],
                    topic=row["topic"],
                    partition=row["partition"],
                    offset=row["offset"],
                    message_id=row["message_id"],
                    message_type=row["message_type"],
                    rule=row["rule"],
                    error=row["error"],
                    original=bytes(row["original"]),
                    failed_at=row["failed_at"].astimezone(UTC),
                )
                key = row["message_id"] or f"{row['topic']}/{row['partition']}/{row['offset']}"
                futures.append(self.kafka.send(self.topic, key=key.encode(), value=_encoder.encode(letter)))
            self.kafka.flush()
            try:
                for future in futures:
                    future.get(timeout=30)  # raises if the broker did not take it: not marked
            except Exception:
                self._renew()
                raise
            self.recorder.mark_published([row["id"] for row in rows])
            count += len(rows)
        self.published += count
        return count

    def _renew(self) -> None:
        """A fresh producer after a failed send: a broker that lost its state rejects the
        old producer's id for good."""
        self.kafka.close(timeout=0)
        self.kafka = self.connect()


def publish(
    kafka: KafkaProducer, topic: str, messages: Sequence[tuple[bytes | None, bytes]]
) -> dict[tuple[str, int], int]:
    """Publish (key, value) pairs; return, per partition, the offset just past the last one."""
    futures = [kafka.send(topic, key=key, value=value) for key, value in messages]
    kafka.flush()
    ends: dict[tuple[str, int], int] = {}
    for future in futures:
        meta = future.get(timeout=30)
        where = (meta.topic, meta.partition)
        ends[where] = max(ends.get(where, 0), meta.offset + 1)
    return ends


class _KeyProbe(msgspec.Struct):
    type: str = ""
    payload: dict[str, object] = {}


_key_probe = msgspec.json.Decoder(_KeyProbe)


def command_key(value: bytes) -> bytes | None:
    """The partition key of a command: what it is about (its context's key fields, as the
    context registry declares them), so that every command about one power item (one duty,
    town, unit, pool, transfer or appraised subject) lands on one partition, in order."""
    try:
        probe = _key_probe.decode(value)
    except (msgspec.DecodeError, msgspec.ValidationError):
        return None
    context = contexts.context_of_tag(probe.type)
    fields = context.key if context else ()
    key = next((probe.payload[f] for f in fields if isinstance(probe.payload.get(f), str)), None)
    return str(key).encode() if key else None


def command_topics(topics: Topics) -> list[str]:
    """The command topic of every topic family, once each."""
    return [topics.of_family(family) for family in contexts.FAMILIES]


def command_topic(value: bytes, topics: Topics) -> str:
    """The topic of a command's family, by its type (of any version, well formed or not);
    what names no known type goes to the powers topic, where the intake dead-letters it
    like any other bad message."""
    try:
        context = contexts.context_of_tag(_key_probe.decode(value).type)
    except (msgspec.DecodeError, msgspec.ValidationError):
        return topics.commands
    return topics.of_family(context.family) if context and context.family else topics.commands
