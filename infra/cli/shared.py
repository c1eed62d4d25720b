"""No `govledger` command: what the command modules share, the console and the ledger."""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from rich.console import Console

from aggregates.ledger import Ledger
from infra import bootstrap
from infra.ops.embedded import ensure_database
from infra.settings import Settings

console = Console(width=None if sys.stdout.isatty() else 132)
log = logging.getLogger("infra.cli.main")  # the workers' log lines keep the logger they always had


def open_ledger(settings: Settings) -> Ledger:
    return bootstrap.build_ledger(ensure_database(settings))


@contextmanager
def read_models(ledger: Any, settings: Settings, *, catch_up: bool = False) -> Iterator[Any]:
    """A read-only cursor on the read models, their tables made sure of (and, with
    `catch_up`, brought up to date with the event log first)."""
    runner = bootstrap.build_projections(ledger, settings)
    if catch_up:
        runner.catch_up()
    with ledger.recorder.datastore.transaction(commit=False) as cur:
        yield cur
