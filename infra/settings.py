"""Settings, read from the environment (GOVLEDGER_*); nothing secret lives in code."""

from __future__ import annotations

import os
from dataclasses import dataclass, field


def _int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


@dataclass(frozen=True)
class Topics:
    """One command topic per family (powers; duties; organisation; staffing; appraisals)
    and the dead letters."""

    commands: str = "govledger.commands.powers"
    duties: str = "govledger.commands.duties"
    organisation: str = "govledger.commands.organisation"
    staffing: str = "govledger.commands.staffing"
    appraisals: str = "govledger.commands.appraisals"
    dead_letters: str = "govledger.deadletters"
    events: str = "govledger.events"  # the relay publishes family F to `{events}.F`
    partitions: int = 6

    @property
    def command_topics(self) -> list[str]:
        return [self.commands, self.duties, self.organisation, self.staffing, self.appraisals]

    def event_topics(self, families: list[str]) -> dict[str, str]:
        return {family: f"{self.events}.{family}" for family in families}

    def of_family(self, family: str) -> str:
        """The command topic of a family of `contracts.commands.FAMILIES`."""
        return {"powers": self.commands, "duties": self.duties, "organisation": self.organisation,
                "staffing": self.staffing, "appraisals": self.appraisals}[family]


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
    projection_page: int = 5000
    topics: Topics = field(default_factory=Topics)

    @classmethod
    def from_env(cls) -> Settings:
        env = os.environ
        return cls(
            database_url=env.get("GOVLEDGER_DATABASE_URL", ""),
            kafka_bootstrap=env.get("GOVLEDGER_KAFKA_BOOTSTRAP", ""),
            state_dir=env.get("GOVLEDGER_STATE_DIR", ".govledger"),
            consumer_group=env.get("GOVLEDGER_CONSUMER_GROUP", "govledger-intake"),
            session_timeout_ms=_int("GOVLEDGER_SESSION_TIMEOUT_MS", 6000),
            heartbeat_interval_ms=_int("GOVLEDGER_HEARTBEAT_INTERVAL_MS", 1000),
            max_poll_records=_int("GOVLEDGER_MAX_POLL_RECORDS", 2000),
            projection_page=_int("GOVLEDGER_PROJECTION_PAGE", 5000),
            topics=Topics(
                commands=env.get("GOVLEDGER_TOPIC_COMMANDS", Topics.commands),
                duties=env.get("GOVLEDGER_TOPIC_DUTIES", Topics.duties),
                organisation=env.get("GOVLEDGER_TOPIC_ORGANISATION", Topics.organisation),
                staffing=env.get("GOVLEDGER_TOPIC_STAFFING", Topics.staffing),
                appraisals=env.get("GOVLEDGER_TOPIC_APPRAISALS", Topics.appraisals),
                dead_letters=env.get("GOVLEDGER_TOPIC_DEADLETTERS", Topics.dead_letters),
                events=env.get("GOVLEDGER_TOPIC_EVENTS", Topics.events),
                partitions=_int("GOVLEDGER_TOPIC_PARTITIONS", Topics.partitions),
            ),
        )
