"""力量下沉 — who was sunk down where, and the sink-down ratios (stub: the read model is being written)."""

from __future__ import annotations

from typing import Any

TABLES: list[str] = []
TRUNCATE: list[str] = []


class SinkDownRoster:
    tables, truncate = TABLES, TRUNCATE

    def apply(self, cur: Any, event: Any) -> None:
        pass
