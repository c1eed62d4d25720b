"""考核 — league tables and open appraisals (stub: the read model is being written)."""

from __future__ import annotations

from typing import Any

TABLES: list[str] = []
TRUNCATE: list[str] = []


class AppraisalLeague:
    tables, truncate = TABLES, TRUNCATE

    def apply(self, cur: Any, event: Any) -> None:
        pass
