"""How every client reaches the brokers, from `Settings.kafka` (GOVLEDGER_KAFKA_SECURITY_PROTOCOL...).

TLS is also tested on a real listener (tests/e2e/test_kafka_tls.py). SASL is not: the embedded
broker offers no PLAIN, and a SCRAM user can only be made on it by a client already logged
in. So here each client's options are checked as the client libraries take them: kafka-python's
keywords, aiokafka's SSL context, faust's credentials (through faust's own translation to
aiokafka), and, in the source, that no client is made without them.
"""

from __future__ import annotations

import ast
import asyncio
import ssl
from pathlib import Path
from typing import Any

import faust
import pytest
from faust.transport.drivers.aiokafka import credentials_to_aiokafka_auth

from consumers.linkage.app import build
from infra.kafka import clients
from infra.kafka import relay as relay_module
from infra.settings import Kafka, Linkage, Settings, SettingsError

ROOT = Path(__file__).resolve().parents[2]
TLS_FILES = {"ssl_cafile": "/etc/govledger/ca.pem", "ssl_certfile": "/etc/govledger/client.pem"}
CLIENTS = {"KafkaProducer", "KafkaConsumer", "KafkaAdminClient", "AIOKafkaConsumer", "AIOKafkaProducer"}


def sasl_ssl(tmp_path: Path, **changes: Any) -> Settings:
    """SASL_SSL with a password from a file, and a CA (a real one: aiokafka loads it)."""
    password = tmp_path / "password"
    password.write_text("s3cret pass\nignored second line\n")
    ca = tmp_path / "ca.pem"
    ca.write_text(_some_ca_pem())
    kafka = Kafka(
        security_protocol="SASL_SSL",
        ssl_cafile=str(ca),
        sasl_mechanism="SCRAM-SHA-256",
        sasl_username="govledger",
        sasl_password_file=str(password),
    )
    return Settings(kafka=Kafka(**{**vars(kafka), **changes}))


def _some_ca_pem() -> str:
    """A CA certificate in PEM (made here: no file of the system is assumed)."""
    import datetime

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "unit test ca")])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(1)
        .not_valid_before(now)
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    return certificate.public_bytes(serialization.Encoding.PEM).decode()


def test_plaintext_gives_the_clients_nothing_but_the_protocol() -> None:
    assert clients.client_options(Settings()) == {"security_protocol": "PLAINTEXT"}
    assert clients.aiokafka_options(Settings()) == {"security_protocol": "PLAINTEXT"}


def test_ssl_gives_kafka_python_the_files_and_always_checks_the_broker_name() -> None:
    settings = Settings(kafka=Kafka(security_protocol="SSL", **TLS_FILES))
    assert clients.client_options(settings) == {
        "security_protocol": "SSL",
        "ssl_cafile": "/etc/govledger/ca.pem",
        "ssl_certfile": "/etc/govledger/client.pem",
        "ssl_keyfile": None,  # the certificate file holds the key
        "ssl_check_hostname": True,
    }


def test_sasl_ssl_gives_the_mechanism_and_the_first_line_of_the_password_file(tmp_path: Path) -> None:
    options = clients.client_options(sasl_ssl(tmp_path))
    assert {k: v for k, v in options.items() if k.startswith("sasl")} == {
        "sasl_mechanism": "SCRAM-SHA-256",
        "sasl_plain_username": "govledger",
        "sasl_plain_password": "s3cret pass",
    }
    assert options["security_protocol"] == "SASL_SSL" and options["ssl_cafile"].endswith("ca.pem")


def test_sasl_plaintext_logs_in_without_tls(tmp_path: Path) -> None:
    settings = Settings(
        kafka=Kafka(
            security_protocol="SASL_PLAINTEXT", sasl_username="u", sasl_password="p", sasl_mechanism="PLAIN"
        )
    )
    assert clients.client_options(settings) == {
        "security_protocol": "SASL_PLAINTEXT",
        "sasl_mechanism": "PLAIN",
        "sasl_plain_username": "u",
        "sasl_plain_password": "p",
    }
    assert faust_auth(settings, tmp_path) == {
        "security_protocol": "SASL_PLAINTEXT",
        "sasl_mechanism": "PLAIN",
        "sasl_plain_username": "u",
        "sasl_plain_password": "p",
        "ssl_context": None,
    }


def test_an_unreadable_password_file_is_refused_without_showing_its_name(tmp_path: Path) -> None:
    settings = sasl_ssl(tmp_path, sasl_password_file=str(tmp_path / "hunter2"))
    with pytest.raises(SettingsError) as refused:
        clients.client_options(settings)
    assert "GOVLEDGER_KAFKA_SASL_PASSWORD_FILE" in str(refused.value) and "hunter2" not in str(refused.value)


def test_aiokafka_gets_one_ssl_context_that_checks_the_broker(tmp_path: Path) -> None:
    options = clients.aiokafka_options(sasl_ssl(tmp_path))
    context = options.pop("ssl_context")
    assert isinstance(context, ssl.SSLContext)
    assert context.check_hostname and context.verify_mode == ssl.CERT_REQUIRED
    assert options == {
        "security_protocol": "SASL_SSL",
        "sasl_mechanism": "SCRAM-SHA-256",
        "sasl_plain_username": "govledger",
        "sasl_plain_password": "s3cret pass",
    }


def faust_auth(settings: Settings, tmp: Path) -> Any:
    """What faust's consumers and producers of the linkage app are given to authenticate: its
    `broker_credentials` as faust itself turns them into aiokafka's keywords."""

    async def built() -> Any:
        linkage = Linkage(data_dir=str(tmp))
        app = build(
            Settings(linkage=linkage, kafka=settings.kafka),
            "127.0.0.1:1",
            client=clients.aiokafka_options(settings),
        )
        return credentials_to_aiokafka_auth(app.app.conf.broker_credentials, app.app.conf.ssl_context)

    return asyncio.run(built())


def test_the_faust_app_gets_the_same_login_over_the_same_tls(tmp_path: Path) -> None:
    auth = faust_auth(sasl_ssl(tmp_path), tmp_path)
    assert isinstance(auth.pop("ssl_context"), ssl.SSLContext)
    assert auth == {
        "security_protocol": "SASL_SSL",
        "sasl_mechanism": "SCRAM-SHA-256",
        "sasl_plain_username": "govledger",
        "sasl_plain_password": "s3cret pass",
    }
    tls = Settings(kafka=Kafka(security_protocol="SSL", ssl_cafile=str(tmp_path / "ca.pem")))
    assert faust_auth(tls, tmp_path)["security_protocol"] == "SSL"
    assert faust_auth(Settings(), tmp_path) == {"security_protocol": "PLAINTEXT"}


def test_the_faust_credentials_do_not_show_the_password(tmp_path: Path) -> None:
    async def credentials() -> Any:
        return build(
            Settings(linkage=Linkage(data_dir=str(tmp_path))),
            "127.0.0.1:1",
            client=clients.aiokafka_options(sasl_ssl(tmp_path)),
        ).app.conf.broker_credentials

    given = asyncio.run(credentials())
    assert isinstance(given, faust.SASLCredentials) and "s3cret" not in repr(given)


class Recorded:
    """A client class that keeps what it was made with, and answers as an empty cluster."""

    made: list[tuple[str, dict[str, Any]]] = []
    created: list[Any] = []

    def __init__(self, *topics: str, **options: Any) -> None:
        Recorded.made.append((type(self).__name__, options))

    def list_topics(self) -> list[str]:
        return []

    def create_topics(self, topics: list[Any]) -> None:
        Recorded.created = topics

    def describe_cluster(self) -> dict[str, str]:
        return {"cluster_id": "unit"}

    def close(self, timeout: float | None = None) -> None:
        pass


class KafkaProducer(Recorded):
    pass


class KafkaConsumer(Recorded):
    pass


class KafkaAdminClient(Recorded):
    pass


def test_every_client_we_make_gets_the_options_and_our_topics_the_replication(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    for module in (clients, relay_module):
        for fake in (KafkaProducer, KafkaConsumer, KafkaAdminClient):
            monkeypatch.setattr(module, fake.__name__, fake, raising=False)
    monkeypatch.setattr(clients, "check_tls", lambda bootstrap, settings: None)  # no broker here
    Recorded.made = []
    settings = sasl_ssl(tmp_path, replication_factor=3, min_insync_replicas=2)
    clients.ensure_topics("b:9093", settings, extra=["extra"])
    clients.command_consumer("b:9093", settings)
    clients.producer("b:9093", settings)
    relay_module.relay_producer("b:9093", settings)
    publisher = clients.DeadLetterPublisher(None, lambda: clients.producer("b:9093", settings), "dlq")
    publisher._renew()  # a fresh producer after a failed send: the same options

    expected = clients.client_options(settings)
    made = [(kind, {k: v for k, v in options.items() if k in expected}) for kind, options in Recorded.made]
    kinds = ["KafkaAdminClient", "KafkaConsumer", *["KafkaProducer"] * 4]  # the last two: dead letters
    assert made == [(kind, expected) for kind in kinds]
    created = {t.name: (t.num_partitions, t.replication_factor, t.topic_configs) for t in Recorded.created}
    assert "extra" in created and len(created) == 8  # six command topics, the dead letters, extra
    assert all(made_as == (6, 3, {"min.insync.replicas": "2"}) for made_as in created.values())


def test_the_linkage_app_creates_its_topics_replicated_as_ours(tmp_path: Path) -> None:
    async def built() -> Any:
        settings = Settings(
            linkage=Linkage(data_dir=str(tmp_path)), kafka=Kafka(replication_factor=3, min_insync_replicas=2)
        )
        return build(settings, "127.0.0.1:1")

    linkage = asyncio.run(built())
    assert linkage.app.conf.topic_replication_factor == 3
    for table in linkage.tables.values():
        assert table.changelog_topic.config == {"min.insync.replicas": "2"}
        assert table.changelog_topic.replicas in (None, 3)  # None: the app's factor


def _client_calls(path: Path) -> list[ast.Call]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in CLIENTS
    ]


def test_no_client_in_the_application_is_made_without_the_connection_options() -> None:
    """Every Kafka client made in infra/ and consumers/ takes `**` options (those of
    `client_options`, or aiokafka's made of them): none can fall back to plaintext unseen.
    The benchmarks' baseline clients run on the embedded broker they start, and are left out."""
    sources = [*ROOT.joinpath("infra").rglob("*.py"), *ROOT.joinpath("consumers").rglob("*.py")]
    calls = [(path, call) for path in sources for call in _client_calls(path)]
    assert len(calls) >= 8
    bare = [
        f"{path.relative_to(ROOT)}:{call.lineno}"
        for path, call in calls
        if not any(keyword.arg is None for keyword in call.keywords)
    ]
    assert bare == []


def test_the_password_is_in_no_repr_and_passed_on_to_child_processes_only_by_their_environment() -> None:
    settings = Settings.from_env(
        {
            "GOVLEDGER_KAFKA_SECURITY_PROTOCOL": "SASL_SSL",
            "GOVLEDGER_KAFKA_SASL_USERNAME": "govledger",
            "GOVLEDGER_KAFKA_SASL_PASSWORD": "hunter2-hunter2",
        }
    )
    assert "hunter2" not in repr(settings) and "hunter2" not in str(settings.kafka)
    assert settings.to_env()["GOVLEDGER_KAFKA_SASL_PASSWORD"] == "hunter2-hunter2"  # `up`'s children need it
    assert Settings.from_env(settings.to_env()) == settings


@pytest.mark.parametrize(
    ("env", "said"),
    [
        (
            {"GOVLEDGER_KAFKA_SSL_CAFILE": "/ca.pem"},
            "GOVLEDGER_KAFKA_SECURITY_PROTOCOL=PLAINTEXT uses no TLS",
        ),
        ({"GOVLEDGER_KAFKA_SASL_USERNAME": "u"}, "makes no SASL login"),
        ({"GOVLEDGER_KAFKA_SECURITY_PROTOCOL": "SASL_SSL"}, "needs GOVLEDGER_KAFKA_SASL_USERNAME"),
        (
            {
                "GOVLEDGER_KAFKA_SECURITY_PROTOCOL": "SASL_SSL",
                "GOVLEDGER_KAFKA_SASL_USERNAME": "u",
                "GOVLEDGER_KAFKA_SASL_PASSWORD": "p",
                "GOVLEDGER_KAFKA_SASL_PASSWORD_FILE": "/p",
            },
            "needs one of GOVLEDGER_KAFKA_SASL_PASSWORD and GOVLEDGER_KAFKA_SASL_PASSWORD_FILE",
        ),
        (
            {"GOVLEDGER_KAFKA_SECURITY_PROTOCOL": "SSL", "GOVLEDGER_KAFKA_SSL_KEYFILE": "/k.pem"},
            "without GOVLEDGER_KAFKA_SSL_CERTFILE",
        ),
        ({"GOVLEDGER_KAFKA_MIN_INSYNC_REPLICAS": "2"}, "more than GOVLEDGER_KAFKA_REPLICATION_FACTOR=1"),
        ({"GOVLEDGER_KAFKA_SECURITY_PROTOCOL": "TLS"}, "one of PLAINTEXT, SSL, SASL_SSL, SASL_PLAINTEXT"),
        ({"GOVLEDGER_KAFKA_SASL_MECHANISM": "GSSAPI"}, "one of PLAIN, SCRAM-SHA-256, SCRAM-SHA-512"),
    ],
)
def test_settings_that_cannot_work_together_are_refused_by_name(env: dict[str, str], said: str) -> None:
    with pytest.raises(SettingsError) as refused:
        Settings.from_env(env)
    assert said in str(refused.value)


def test_a_rocksdb_linkage_bounds_what_rocksdb_holds_in_memory_for_each_table_partition(
    tmp_path: Path,
) -> None:
    async def built(store: str, **bounds: int) -> Any:
        return build(Settings(linkage=Linkage(data_dir=str(tmp_path), store=store, **bounds)), "127.0.0.1:1")  # type: ignore[arg-type]  # store: a literal the test chooses

    mb = 1024 * 1024
    rocksdb = asyncio.run(built("rocksdb", rocksdb_write_buffer_mb=4, rocksdb_block_cache_mb=32))
    for table in rocksdb.tables.values():
        assert table.options == {
            "write_buffer_size": 4 * mb,
            "max_write_buffer_number": 2,
            "target_file_size_base": 16 * mb,
            "block_cache_size": 32 * mb,
        }
    memory = asyncio.run(built("memory"))
    assert all(table.options is None for table in memory.tables.values())
