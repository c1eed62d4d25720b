"""Settings, read from the environment (GOVLEDGER_*); nothing secret lives in code."""

from __future__ import annotations

import os
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field, fields
from typing import Any


@dataclass(frozen=True)
class Topics:
    """One command topic per family (powers; duties; organisation; staffing; appraisals;
    linkage), the dead letters and the linkage metrics."""

    commands: str = "govledger.commands.powers"
    duties: str = "govledger.commands.duties"
    organisation: str = "govledger.commands.organisation"
    staffing: str = "govledger.commands.staffing"
    appraisals: str = "govledger.commands.appraisals"
    linkage: str = "govledger.commands.linkage"
    metrics: str = "govledger.linkage.metrics"
    ticks: str = "govledger.linkage.ticks"  # the deadline clock's time when it is "ticks"
    dead_letters: str = "govledger.deadletters"
    events: str = "govledger.events"  # the relay publishes family F to `{events}.F`
    partitions: int = 6

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

    app_id: str = "govledger-linkage"
    district_centre: str = "district-centre"
    city_centre: str = "city-centre"
    clock: str = "wall"
    clock_interval_s: float = 5.0
    store: str = "memory"  # its tables: "memory", or "rocksdb" (on disk; see the README before)
    data_dir: str = ".govledger/linkage"  # the tables' files, in a folder per app id
    standby_replicas: int = 0  # with several workers: warm copies of each table partition elsewhere


@dataclass(frozen=True)
class Api:
    """The read API (`govledger api`): where it listens and how many rows a page holds at most.
    Tokens live hashed in the database (`govledger token issue`), never here."""

    host: str = "127.0.0.1"
    port: int = 8780
    max_page: int = 1000
    access_log: bool = True  # a JSON line a request; refusals (401, 403) are logged either way
    header_timeout: float = 10.0  # seconds a connection has to send a request's head
    workers: int = 1  # processes serving at once (each with its own caches and read limits)
    max_connections: int = 500  # served at once; a request beyond them is answered 503
    # Personal data (`/api/v1/people/{person}`): the purposes a read may give (a closed
    # vocabulary, comma-separated), and how many reads a token may make a minute (then 429).
    read_purposes: str = "审计核查,纪检核查,人事管理,信访核查,司法协助"
    personal_reads_per_minute: int = 30

    @property
    def purposes(self) -> tuple[str, ...]:
        return tuple(p.strip() for p in self.read_purposes.split(",") if p.strip())


@dataclass(frozen=True)
class Ops:
    """What every worker gives operators: a Prometheus endpoint with health and readiness
    (`metrics_port` 0 = none; `govledger up` gives each worker the next port from it) and
    its log format ("json" lines, or "text")."""

    metrics_host: str = "127.0.0.1"
    metrics_port: int = 0
    log_format: str = "json"
    log_level: str = "INFO"


@dataclass(frozen=True)
class Settings:
    """Where PostgreSQL and Kafka are; empty means: start an embedded one on loopback."""

    database_url: str = ""
    kafka_bootstrap: str = ""
    state_dir: str = ".govledger"
    consumer_group: str = "govledger-intake"
    session_timeout_ms: int = 6000
    heartbeat_interval_ms: int = 1000
    max_poll_records: int = 2000
    # How long the broker may hold a fetch that found nothing. It answers as soon as a record
    # comes on Kafka, but not every Kafka-compatible broker does; a short wait bounds what a
    # command waits in the worst case, for a few idle fetches a second.
    fetch_max_wait_ms: int = 50
    projection_page: int = 5000
    # Processes projecting shares of the aggregates at once in a rebuild (0: one per core).
    rebuild_processes: int = 0
    topics: Topics = field(default_factory=Topics)
    linkage: Linkage = field(default_factory=Linkage)
    api: Api = field(default_factory=Api)
    ops: Ops = field(default_factory=Ops)

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if env is None else env
        sections: dict[str, dict[str, Any]] = {name: {} for name in _SECTIONS}
        top: dict[str, Any] = {}
        for var, (section, name) in ENV.items():
            if var in env:
                target = sections[section] if section else top
                kind = type(getattr(_SECTIONS.get(section, cls)(), name))
                target[name] = _parsed(var, kind, env[var])
        return cls(**top, **{name: _SECTIONS[name](**values) for name, values in sections.items()})

    def to_env(self) -> dict[str, str]:
        """The environment that gives these settings (to start another process with them)."""
        return {
            var: str(getattr(getattr(self, section) if section else self, name))
            for var, (section, name) in ENV.items()
        }


def _parsed(var: str, kind: type, text: str) -> Any:
    """A variable's text as its field's type; a switch is true/false, yes/no, on/off or 1/0."""
    if kind is not bool:
        return kind(text)
    if text.strip().lower() in ("1", "true", "yes", "on"):
        return True
    if text.strip().lower() in ("0", "false", "no", "off"):
        return False
    raise ValueError(f"{var} is a switch (true or false), not {text!r}")


_SECTIONS: dict[str, Any] = {"topics": Topics, "linkage": Linkage, "api": Api, "ops": Ops}
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
}
ENV["GOVLEDGER_TOPIC_DEADLETTERS"] = ENV.pop("GOVLEDGER_TOPIC_DEAD_LETTERS")  # as documented
