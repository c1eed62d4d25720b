"""Each test gets a fresh Ledger on the library's in-memory persistence."""

from __future__ import annotations

import pytest

from infra.contexts import GovernanceLedger as Ledger


@pytest.fixture
def ledger(monkeypatch: pytest.MonkeyPatch) -> Ledger:
    for key in ("PERSISTENCE_MODULE", "LEDGER_PERSISTENCE_MODULE"):
        monkeypatch.delenv(key, raising=False)
    return Ledger()
