"""擅自摊派记录 — impositions on towns refused for want of the district's approval (一事一报).

The same evidence as a refused duty push-down (`projections/duties/refused.py`, whose columns,
rows and query it shares): one row per refused attempt and town it was to fall on — the
department, the item, its kind, where the item stood, why, the day it was to take effect,
when the ledger recorded it, who sent it and in which message.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from aggregates.burden.registry import BurdenItem
from projections.duties.refused import EVIDENCE, record_refusal, refusals
from projections.runner import EventHandlers

TABLES = [
    f"""CREATE TABLE IF NOT EXISTS refused_impositions (
        event_id text NOT NULL, item_id uuid NOT NULL, department text NOT NULL,
        district text NOT NULL, code text NOT NULL, kind text NOT NULL, name text NOT NULL,
        town text NOT NULL, status text NOT NULL, detail text NOT NULL,
        {EVIDENCE}, PRIMARY KEY (event_id, town))""",
    "CREATE INDEX IF NOT EXISTS refused_impositions_department ON refused_impositions (department)",
    "CREATE INDEX IF NOT EXISTS refused_impositions_town ON refused_impositions (town)",
]
TRUNCATE = ["TRUNCATE refused_impositions"]


def _refused(cur: Any, e: Any) -> None:
    for town in e.towns:
        record_refusal(
            cur,
            "refused_impositions",
            e,
            e.department,
            e.district,
            e.code,
            e.terms.kind,
            e.terms.name,
            town,
            e.status,
            e.detail,
        )


class RefusedImpositions(EventHandlers):
    """擅自摊派记录 — a row per refused imposition and town, kept as evidence."""

    tables, truncate, handlers = TABLES, TRUNCATE, {BurdenItem.ImpositionRefused: _refused}


def refused_impositions(
    cur: Any, department: str | None = None, town: str | None = None, since: date | None = None
) -> list[dict[str, Any]]:
    """The refused attempts, a row per town, oldest first; by department, town, attempted day."""
    columns = "department, district, code, kind, name, town, attempted_on, recorded_at, status, detail"
    return refusals(cur, "refused_impositions", columns, department, town, since)
