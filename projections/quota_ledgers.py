"""编制台账 — each unit's quotas, approved and occupied (stub: the read model is being written)."""

from __future__ import annotations

from typing import Any

TABLES: list[str] = []
TRUNCATE: list[str] = []


class QuotaLedgers:
    tables, truncate = TABLES, TRUNCATE

    def apply(self, cur: Any, event: Any) -> None:
        pass
