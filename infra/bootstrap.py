"""The composition root: settings in, a wired ledger, intake and projections out."""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Collection, Sequence

from psycopg.conninfo import conninfo_to_dict

from aggregates.ledger import Ledger
from consumers.intake import Intake, IntakeWorker
from infra import contexts
from infra.kafka import clients as kafka
from infra.ops import runtime
from infra.settings import Settings
from infra.store.recorder import recorder_of
from infra.store.vault import PersonalDataVault
from projections.runner import ProjectionRunner, model_name, per_aggregate


def ledger_env(database_url: str) -> dict[str, str]:
    """The library's settings for our PostgreSQL, with our recorder."""
    info = conninfo_to_dict(database_url)
    return {
        "PERSISTENCE_MODULE": "eventsourcing.postgres",
        "APPLICATION_RECORDER_TOPIC": "infra.store.recorder:LedgerRecorder",
        "POSTGRES_DBNAME": str(info.get("dbname") or "postgres"),
        "POSTGRES_HOST": str(info.get("host") or "127.0.0.1"),
        "POSTGRES_PORT": str(info.get("port") or "5432"),
        "POSTGRES_USER": str(info.get("user") or "postgres"),
        "POSTGRES_PASSWORD": str(info.get("password") or ""),
        "POSTGRES_POOL_SIZE": "4",
        "POSTGRES_LOCK_TIMEOUT": "30",
        "POSTGRES_IDLE_IN_TRANSACTION_SESSION_TIMEOUT": "60",
    }


def build_ledger(database_url: str) -> Ledger:
    """The ledger with every context's use cases, on our PostgreSQL, sealing personal data.
    Its recorder creates the schema if missing: the library's events table and ours
    (infra/store/schema.py)."""
    ledger = contexts.GovernanceLedger(env=ledger_env(database_url))
    ledger.vault = PersonalDataVault(recorder_of(ledger).datastore)
    return ledger


def build_projections(ledger: Ledger, settings: Settings, retries: int | None = None) -> ProjectionRunner:
    """A runner of every read model. `retries`: a worker's runner, where a read model that
    fails that many times at one event stalls there while the others go on."""
    return ProjectionRunner(ledger, contexts.read_models(), page=settings.projection_page, retries=retries)


def share_runner(
    database_url: str,
    settings: Settings,
    names: Sequence[str],
    prefix: str,
    suffix: str,
    share: tuple[int, int],
    schema: str | None,
) -> ProjectionRunner:
    """A runner of the named per-aggregate read models over one share of the aggregates, for
    a rebuild in shares (`ProjectionRunner.rebuild`); in a process of its own."""
    runtime.tune_garbage_collector()
    return ProjectionRunner(
        build_ledger(database_url),
        [m for m in per_aggregate(contexts.read_models()) if model_name(m) in names],
        prefix,
        settings.projection_page,
        share=share,
        setup=False,
        suffix=suffix,
        schema=schema,
    )


def rebuild_processes(settings: Settings) -> int:
    """How many processes a rebuild projects the per-aggregate read models with."""
    return settings.rebuild_processes or os.cpu_count() or 1


def rebuild(
    ledger: Ledger,
    database_url: str,
    settings: Settings,
    progress: Callable[[int, int], None] = lambda done, total: None,
    only: Collection[str] | None = None,
) -> int:
    """The read models (those named in `only`, else every one) rebuilt from the log
    blue/green, the per-aggregate ones by `settings.rebuild_processes` processes at once
    (0: one per core)."""
    return build_projections(ledger, settings).rebuild(
        progress, rebuild_processes(settings), functools.partial(share_runner, database_url, settings), only
    )


def build_intake_worker(ledger: Ledger, bootstrap: str, settings: Settings) -> IntakeWorker:
    """An intake worker on our command topic, publishing its dead letters after each batch."""
    cluster_id = kafka.ensure_topics(bootstrap, settings)
    decoder = contexts.decoder(settings.topics)
    intake = Intake(ledger, settings.consumer_group, cluster_id, contexts.COMMANDS, decoder)
    publisher = kafka.DeadLetterPublisher(
        intake.recorder, functools.partial(kafka.producer, bootstrap, settings), settings.topics.dead_letters
    )
    return IntakeWorker(
        intake,
        kafka.command_consumer(bootstrap, settings),
        kafka.command_topics(settings.topics),
        after_commit=publisher,
        max_records=settings.max_poll_records,
    )
