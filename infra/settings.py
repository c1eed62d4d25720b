"""Settings, read from the environment (GOVLEDGER_*); nothing secret lives in code.

Each field's type says what it may hold: a closed vocabulary is a `Literal`, a bound or a
pattern is msgspec's `Meta` in an `Annotated`. `Settings.from_env` converts every variable
to its field's type with `msgspec.convert`, so the types are the only statement of the
rules and a field added later is checked by its type too. A value outside its type, or a
GOVLEDGER_* variable that is no setting (a misspelt one would otherwise be ignored), stops
the program at start-up with a `SettingsError` naming the variable, its value and what it
may hold; `govledger` prints it as one line and exits 2.

msgspec rather than a settings library: the ledger already decodes its messages with it,
and it checks literals, bounds and patterns and converts text to numbers and switches.
pydantic-settings would bring pydantic for the same checks, and name the variables its
own way where `ENV` below names them ours.
"""

from __future__ import annotations

import difflib
import functools
import math
import os
import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field, fields
from typing import Annotated, Any, Literal, get_args, get_origin, get_type_hints

from msgspec import Meta, ValidationError, convert

# What a field may hold (the message of a refusal is made from these).
Count = Annotated[int, Meta(ge=0)]
AtLeastOne = Annotated[int, Meta(ge=1)]
Port = Annotated[int, Meta(ge=0, le=65535)]  # 0: none
ListenPort = Annotated[int, Meta(ge=1, le=65535)]
Seconds = Annotated[float, Meta(gt=0)]
# how long something is kept, in days (0: for ever); at most a century, which PostgreSQL's
# timestamps can still subtract from today
Days = Annotated[
    int, Meta(ge=0, le=36500, description="a whole number of days from 0 (kept for ever) to 36500")
]
Filled = Annotated[str, Meta(min_length=1)]
# a topic, or a faust app id (its group and the prefix of its own topics)
KafkaName = Annotated[
    str,
    Meta(pattern=r"^[A-Za-z0-9._-]{1,249}$", description="1 to 249 letters, digits, '.', '_' or '-'"),
]
Clock = Literal["wall", "ticks"]
TableStore = Literal["memory", "rocksdb"]
LogFormat = Literal["json", "text"]
LogLevel = Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"]
SecurityProtocol = Literal["PLAINTEXT", "SSL", "SASL_SSL", "SASL_PLAINTEXT"]
SaslMechanism = Literal["PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"]
# the purposes a personal-data read may give, separated by commas
Purposes = Annotated[str, Meta(pattern=r"[^\s,]", description="purposes separated by commas, at least one")]
CryptoSuite = Literal["standard", "gm"]
# a key-encryption key given whole: 32 bytes in base64, or nothing
KekText = Annotated[
    str,
    Meta(pattern=r"^([A-Za-z0-9+/]{43}=)?$", description="32 bytes in base64 (44 characters), or nothing"),
]


class SettingsError(ValueError):
    """A GOVLEDGER_* variable outside what its setting may hold, or one that is no setting;
    `problems` holds one sentence each (the message joins them)."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Topics:
    """One command topic per family (powers; duties; organisation; staffing; appraisals;
    linkage), the dead letters and the linkage metrics."""

    commands: KafkaName = "govledger.commands.powers"
    duties: KafkaName = "govledger.commands.duties"
    organisation: KafkaName = "govledger.commands.organisation"
    staffing: KafkaName = "govledger.commands.staffing"
    appraisals: KafkaName = "govledger.commands.appraisals"
    linkage: KafkaName = "govledger.commands.linkage"
    metrics: KafkaName = "govledger.linkage.metrics"
    ticks: KafkaName = "govledger.linkage.ticks"  # the deadline clock's time when it is "ticks"
    dead_letters: KafkaName = "govledger.deadletters"
    events: KafkaName = "govledger.events"  # the relay publishes family F to `{events}.F`
    partitions: AtLeastOne = 6

    def event_topics(self, families: list[str]) -> dict[str, str]:
        return {family: f"{self.events}.{family}" for family in families}

    def of_family(self, family: str) -> str:
        """The command topic of a topic family (`infra/contexts.py`); the powers' setting
        is named `commands`, as it was the first."""
        return str(getattr(self, "commands" if family == "powers" else family))


@dataclass(frozen=True)
class Linkage:
    """The linkage stream processors: their faust app id, the codes of the district's and
    the city's command centres (where unroutable and escalated cases go), and the deadline
    clock: "wall" (real time, checked every `clock_interval_s`) or "ticks" (the time in the
    messages on the ticks topic: replays, demos and tests, with one worker); and where the
    tables live."""

    app_id: KafkaName = "govledger-linkage"
    district_centre: Filled = "district-centre"
    city_centre: Filled = "city-centre"
    clock: Clock = "wall"
    clock_interval_s: Seconds = 5.0
    store: TableStore = "memory"  # its tables: "memory", or "rocksdb" (on disk; see the README before)
    data_dir: Filled = ".govledger/linkage"  # the tables' files, in a folder per app id
    standby_replicas: Count = 0  # with several workers: warm copies of each table partition elsewhere
    # faust's check, at recovery, that no changelog offset kept on disk (RocksDB) lies past the
    # end the broker reports. Keep it on with a real Kafka: a failure there means the changelog
    # was lost or truncated under the tables. The embedded broker reports a partition's end as
    # its last batch's first offset + 1, so a RocksDB worker stopped after writing a batch fails
    # it with nothing wrong: turn it off with that broker only where the broker outlives the
    # worker (tests, benchmarks). One the worker starts itself is empty at each start, and the
    # check rightly refuses the tables kept from before.
    recovery_check: bool = True
    # /health fails (503) once an agent has records waiting on a partition it holds and has not
    # committed further for this long (faust agents can stop fetching while the loop turns).
    stuck_after_s: Seconds = 60.0
    # With store "rocksdb", what RocksDB may hold in memory for each table partition: two write
    # buffers of this size and a block cache (faust's own defaults, three 64 MB buffers and a
    # 2 GB cache per partition, let a worker holding a million cases grow past 1.5 GB).
    rocksdb_write_buffer_mb: AtLeastOne = 8
    rocksdb_block_cache_mb: AtLeastOne = 16


@dataclass(frozen=True)
class Api:
    """The read API (`govledger api`): where it listens and how many rows a page holds at most.
    Tokens live hashed in the database (`govledger token issue`), never here."""

    host: Filled = "127.0.0.1"
    port: ListenPort = 8780
    max_page: AtLeastOne = 1000
    access_log: bool = True  # a JSON line a request; refusals (401, 403) are logged either way
    header_timeout: Seconds = 10.0  # seconds a connection has to send a request's head
    workers: AtLeastOne = 1  # processes serving at once (each with its own caches and read limits)
    max_connections: AtLeastOne = 500  # served at once; a request beyond them is answered 503
    # Personal data (`/api/v1/people/{person}`): the purposes a read may give (a closed
    # vocabulary, comma-separated), and how many reads a token may make a minute (then 429).
    read_purposes: Purposes = "审计核查,纪检核查,人事管理,信访核查,司法协助"
    personal_reads_per_minute: AtLeastOne = 30

    @property
    def purposes(self) -> tuple[str, ...]:
        return tuple(p.strip() for p in self.read_purposes.split(",") if p.strip())


@dataclass(frozen=True)
class Ops:
    """What every worker gives operators: a Prometheus endpoint with health and readiness
    (`metrics_port` 0 = none; `govledger up` gives each worker the next port from it) and
    its log format ("json" lines, or "text")."""

    metrics_host: Filled = "127.0.0.1"
    metrics_port: Port = 0
    log_format: LogFormat = "json"
    log_level: LogLevel = "INFO"


@dataclass(frozen=True)
class Crypto:
    """The algorithms (GOVLEDGER_CRYPTO: "standard", AES-256-GCM and SHA-256; or "gm", SM4-GCM
    and SM3: `infra/store/ciphers.py`) and the key-encryption key (KEK) that wraps every
    person's key (`infra/store/vault.py`). The KEK is never in the database: it is `kek`
    (32 bytes in base64, e.g. a secret the platform injects), else the file `kek_file`, else
    `{state_dir}/kek`, made on first use while the database holds no wrapped key. Losing it
    loses every person's personal data. `previous_kek` / `previous_kek_file` open keys still
    wrapped under the KEK before (while `govledger privacy rotate-kek` re-wraps them)."""

    suite: CryptoSuite = "standard"
    kek: KekText = ""
    kek_file: str = ""
    previous_kek: KekText = ""
    previous_kek_file: str = ""


@dataclass(frozen=True)
class Kafka:
    """How every client reaches the brokers (GOVLEDGER_KAFKA_*; where they are is
    GOVLEDGER_KAFKA_BOOTSTRAP), and what the topics we create ask of them.

    `security_protocol`: PLAINTEXT (the embedded broker only), SSL (TLS, with a client
    certificate and key where the brokers ask for one), SASL_SSL (TLS and a SASL login), or
    SASL_PLAINTEXT (a login sent in the clear: a closed network only). The TLS files are PEM;
    without `ssl_cafile` the system's CAs are trusted; the broker's name is always checked
    against its certificate. The SASL password is `sasl_password` or, better, the first line
    of the file `sasl_password_file`, read as each client starts; no repr, log line or
    refusal shows it. Every client gets these from `infra.kafka.clients.client_options`.
    `replication_factor` and `min_insync_replicas` go to every topic we (and the linkage's
    faust app) create: 1 and 1 for the one embedded broker; a production cluster of three or
    more brokers wants 3 and 2, so that a write acknowledged to `acks=all` is on two brokers."""

    security_protocol: SecurityProtocol = "PLAINTEXT"
    ssl_cafile: str = ""
    ssl_certfile: str = ""  # the client's certificate, for brokers that ask for one
    ssl_keyfile: str = ""  # its private key (unencrypted), unless the certificate file holds it
    sasl_mechanism: SaslMechanism = "SCRAM-SHA-512"
    sasl_username: str = ""
    sasl_password: str = field(default="", repr=False)
    sasl_password_file: str = ""
    replication_factor: AtLeastOne = 1
    min_insync_replicas: AtLeastOne = 1

    def __post_init__(self) -> None:
        """Settings that contradict each other are refused: above all a TLS or SASL setting
        that the protocol chosen would silently leave unused."""
        var = lambda name: f"GOVLEDGER_KAFKA_{name.upper()}"  # the names ENV gives them
        protocol = f"{var('security_protocol')}={self.security_protocol}"
        tls, sasl = self.security_protocol in ("SSL", "SASL_SSL"), self.security_protocol.startswith("SASL_")
        files = [var(n) for n in ("ssl_cafile", "ssl_certfile", "ssl_keyfile") if getattr(self, n)]
        login = [var(n) for n in ("sasl_username", "sasl_password", "sasl_password_file") if getattr(self, n)]
        problems = []
        if files and not tls:
            problems.append(f"{', '.join(files)} set, but {protocol} uses no TLS (SSL or SASL_SSL does)")
        if self.ssl_keyfile and not self.ssl_certfile:
            problems.append(f"{var('ssl_keyfile')} is set without {var('ssl_certfile')}, its certificate")
        if login and not sasl:
            problems.append(f"{', '.join(login)} set, but {protocol} makes no SASL login (SASL_SSL does)")
        if sasl and not self.sasl_username:
            problems.append(f"{protocol} needs {var('sasl_username')}")
        if sasl and bool(self.sasl_password) == bool(self.sasl_password_file):
            problems.append(f"{protocol} needs one of {var('sasl_password')} and {var('sasl_password_file')}")
        if self.min_insync_replicas > self.replication_factor:
            problems.append(
                f"{var('min_insync_replicas')}={self.min_insync_replicas} is more than"
                f" {var('replication_factor')}={self.replication_factor}: no write could be acknowledged"
            )
        if problems:
            raise SettingsError(problems)


@dataclass(frozen=True)
class Settings:
    """Where PostgreSQL and Kafka are; empty means: start an embedded one on loopback."""

    database_url: str = ""
    kafka_bootstrap: str = ""
    state_dir: Filled = ".govledger"
    consumer_group: Filled = "govledger-intake"
    session_timeout_ms: AtLeastOne = 6000
    heartbeat_interval_ms: AtLeastOne = 1000
    max_poll_records: AtLeastOne = 2000
    # How long the broker may hold a fetch that found nothing. It answers as soon as a record
    # comes on Kafka, but not every Kafka-compatible broker does; a short wait bounds what a
    # command waits in the worst case, for a few idle fetches a second.
    fetch_max_wait_ms: Count = 50
    projection_page: AtLeastOne = 5000
    # Processes projecting shares of the aggregates at once in a rebuild (0: one per core).
    rebuild_processes: Count = 0
    # Failures in a row at one event after which a read model stalls there (the others go on);
    # a lost database is waited out, not counted.
    projection_retries: AtLeastOne = 5
    # How long the intake remembers a message id, to drop a redelivery of it, and how long a
    # dead letter is kept once published; 0 keeps them for ever. `govledger clock` removes
    # what is older (infra/store/retention.py; README: Operations, "Retention").
    duplicate_window_days: Days = 30
    dead_letter_retention_days: Days = 90
    topics: Topics = field(default_factory=Topics)
    linkage: Linkage = field(default_factory=Linkage)
    api: Api = field(default_factory=Api)
    ops: Ops = field(default_factory=Ops)
    crypto: Crypto = field(default_factory=Crypto)
    kafka: Kafka = field(default_factory=Kafka)

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        """The settings the variables give, each checked against its field's type; raises
        `SettingsError` naming every variable refused, and every GOVLEDGER_* one that is no
        setting (`ELSEWHERE` lists those read outside the settings)."""
        env = os.environ if env is None else env
        problems = [_unknown(var) for var in sorted(env) if _is_unknown(var)]
        sections: dict[str, dict[str, Any]] = {name: {} for name in _SECTIONS}
        top: dict[str, Any] = {}
        for var, (section, name) in ENV.items():
            if var in env:
                target = sections[section] if section else top
                kind = _field_types(_SECTIONS.get(section, cls))[name]
                try:
                    target[name] = _parsed(var, kind, env[var])
                except SettingsError as refused:
                    problems += refused.problems
        if problems:
            raise SettingsError(problems)
        return cls(**top, **{name: _SECTIONS[name](**values) for name, values in sections.items()})

    def to_env(self) -> dict[str, str]:
        """The environment that gives these settings (to start another process with them)."""
        return {
            var: str(getattr(getattr(self, section) if section else self, name))
            for var, (section, name) in ENV.items()
        }


@functools.cache
def _field_types(of: type) -> dict[str, Any]:
    return get_type_hints(of, include_extras=True)


_SWITCH_WORDS = {"yes": "true", "on": "true", "no": "false", "off": "false"}
# variables whose value a refusal does not repeat (it may be a password or a key)
_SECRET = re.compile(r"URL|KEY|KEK|SECRET|PASSWORD|PASSPHRASE|TOKEN|CREDENTIAL|SASL", re.IGNORECASE)


def _parsed(var: str, kind: Any, text: str) -> Any:
    """A variable's text as its field's type `kind` (msgspec checks the literals, bounds and
    patterns), else `SettingsError`. Numbers and switches may have spaces around them; a
    switch is true/false, yes/no, on/off or 1/0; a number is finite."""
    base = get_args(kind)[0] if get_origin(kind) is Annotated else kind
    given = text
    if base in (int, float, bool):
        given = text.strip()
    if base is bool:
        given = _SWITCH_WORDS.get(given.lower(), given)
    try:
        value = convert(given, kind, strict=False)
        fits = not (isinstance(value, float) and not math.isfinite(value))
    except ValidationError:
        fits = False
    if not fits:
        shown = f"({len(text)} characters, not shown)" if _SECRET.search(var) else repr(text)
        raise SettingsError([f"{var}={shown} is refused: it takes {_allowed(kind)}"])
    return value


def _allowed(kind: Any) -> str:
    """What a field of type `kind` takes, in words: its literals, its Meta's description, or
    its base type and bounds."""
    if get_origin(kind) is Literal:
        return "one of " + ", ".join(str(value) for value in get_args(kind))
    base, *extras = get_args(kind) if get_origin(kind) is Annotated else (kind,)
    metas = [meta for meta in extras if isinstance(meta, Meta)]
    described = [meta.description for meta in metas if meta.description]
    if described:
        return described[0]
    if base is bool:
        return "a switch: true or false (yes/no, on/off, 1/0)"
    words = [{int: "a whole number", float: "a finite number", str: "text"}.get(base, str(base))]
    for meta in metas:
        if meta.ge is not None and meta.le is not None:
            words.append(f"from {meta.ge} to {meta.le}")
        else:
            bounds = ((">=", meta.ge), (">", meta.gt), ("<=", meta.le), ("<", meta.lt))
            words += [f"{sign} {bound}" for sign, bound in bounds if bound is not None]
        if meta.min_length:
            words.append("that is not empty" if meta.min_length == 1 else f"of {meta.min_length}+ characters")
        if meta.pattern:
            words.append(f"matching {meta.pattern}")
    return " ".join(words)


# GOVLEDGER_* variables read outside the settings, each where it is read
ELSEWHERE = frozenset(
    {
        "GOVLEDGER_ACTOR",  # infra/cli/privacy.py: who reads personal data, for the audit trail
        "GOVLEDGER_ROLE",  # infra/cli/privacy.py: the reader's role
        "GOVLEDGER_BENCH_SERVER_URL",  # benchmarks/figures.py: the PostgreSQL the benchmarks use
        "GOVLEDGER_TEST_DATABASE_URL",  # tests/conftest.py: the tests' PostgreSQL
        "GOVLEDGER_TEST_ARTEFACTS",  # tests/e2e/api/test_dashboard_browser.py: where screenshots go
        "GOVLEDGER_CHROMIUM",  # tests/e2e/api/test_dashboard_browser.py: the browser
        "GOVLEDGER_KCAT",  # tests/e2e/test_kcat.py: the kcat executable
        "GOVLEDGER_LIBRDKAFKA",  # tests/e2e/test_kcat.py: the librdkafka kcat loads
    }
)


def _is_unknown(var: str) -> bool:
    return var.startswith("GOVLEDGER_") and var not in ENV and var not in ELSEWHERE


def _unknown(var: str) -> str:
    """The refusal of a variable that is no setting, with the nearest name (after the prefix
    all share) if one is near."""
    names = {known.removeprefix("GOVLEDGER_"): known for known in [*ENV, *ELSEWHERE]}
    near = difflib.get_close_matches(var.removeprefix("GOVLEDGER_"), names, n=1, cutoff=0.75)
    guess = f"; did you mean {names[near[0]]}?" if near else " (the settings are listed in the README)"
    return f"unknown setting {var}{guess}"


_SECTIONS: dict[str, Any] = {
    "topics": Topics,
    "linkage": Linkage,
    "api": Api,
    "ops": Ops,
    "crypto": Crypto,
    "kafka": Kafka,
}
# the names of the topics (every field of Topics but the partitions' count)
TOPIC_NAMES = tuple(f.name for f in fields(Topics) if f.name != "partitions")


def _variables(prefix: str, section: str, of: type, but: Collection[str] = ()) -> dict[str, tuple[str, str]]:
    """A variable for every field of `of` (`but` those): its name in upper case after `prefix`."""
    return {f"{prefix}{f.name.upper()}": (section, f.name) for f in fields(of) if f.name not in but}


# GOVLEDGER_* variable -> (section, field)
ENV: dict[str, tuple[str, str]] = {
    **_variables("GOVLEDGER_", "", Settings, but=_SECTIONS),
    **_variables("GOVLEDGER_TOPIC_", "topics", Topics),
    **_variables("GOVLEDGER_LINKAGE_", "linkage", Linkage),
    **_variables("GOVLEDGER_API_", "api", Api),
    **_variables("GOVLEDGER_", "ops", Ops),
    **_variables("GOVLEDGER_", "crypto", Crypto, but=("suite",)),  # GOVLEDGER_KEK, _KEK_FILE, ...
    "GOVLEDGER_CRYPTO": ("crypto", "suite"),
    **_variables("GOVLEDGER_KAFKA_", "kafka", Kafka),
}
ENV["GOVLEDGER_TOPIC_DEADLETTERS"] = ENV.pop("GOVLEDGER_TOPIC_DEAD_LETTERS")  # as documented
