"""编制周转池 — pool balance and outstanding draws (stub: the read model is being written)."""

from __future__ import annotations

from typing import Any

TABLES: list[str] = []
TRUNCATE: list[str] = []


class PoolBalance:
    tables, truncate = TABLES, TRUNCATE

    def apply(self, cur: Any, event: Any) -> None:
        pass
