"""下沉比例监测 — the sink-down policy monitors, over the sink-down roster's tables.

Seed 000 (Jiangbei): "综合执法部门 80% 以上、其他主管部门 50% 以上的执法力量下沉一线，基层执法人员
相比改革前增加 58%". A department's share = its enforcement staff sunk down (full and
stationed modes, in force on the day) / its declared baseline; a town's growth = the
enforcement staff sunk into it / its own pre-reform baseline, beside Jiangbei's +58 %.
Liaison staff (挂点联系) are counted apart. Without a baseline, figures and `met` are None.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

TARGETS = {"comprehensive": Decimal("0.80"), "other": Decimal("0.50")}
JIANGBEI_GROWTH = Decimal("0.58")
_PLACES = Decimal("0.0001")

_SUNK = """
    SELECT t.{side} AS unit,
           count(*) FILTER (WHERE t.mode IN ('full', 'stationed')) AS sunk,
           count(*) FILTER (WHERE t.mode = 'liaison') AS liaison
    FROM sink_down_postings p JOIN sink_down_transfers t ON t.id = p.transfer_id
    WHERE p.enforcement AND p.since <= %(on)s AND (p.until IS NULL OR %(on)s < p.until)
    GROUP BY t.{side}"""
_BESIDE_BASELINES = """
    SELECT coalesce(b.unit, s.unit) AS unit, b.category, b.staff AS baseline, b.as_of,
           coalesce(s.sunk, 0) AS sunk, coalesce(s.liaison, 0) AS liaison
    FROM (SELECT * FROM enforcement_baselines WHERE level = %(level)s) b
    FULL JOIN ({sunk}) s ON s.unit = b.unit ORDER BY 1"""


def _rows(cur: Any, level: str, side: str, on: date) -> list[dict[str, Any]]:
    cur.execute(_BESIDE_BASELINES.format(sunk=_SUNK.format(side=side)), {"level": level, "on": on})
    return list(cur.fetchall())


def _ratio(part: int, whole: int | None) -> Decimal | None:
    return None if not whole else Decimal(part) / Decimal(whole)


def department_sink_down_shares(cur: Any, on: date) -> list[dict[str, Any]]:
    """Per department: baseline, staff sunk down, liaison staff, share, target, met."""
    out = []
    for row in _rows(cur, "district", "department", on):
        share, target = _ratio(row["sunk"], row["baseline"]), TARGETS.get(row["category"] or "")
        out.append(
            {
                "department": row["unit"],
                "category": row["category"],
                "baseline": row["baseline"],
                "sunk": row["sunk"],
                "liaison": row["liaison"],
                "share": None if share is None else share.quantize(_PLACES),
                "target": target,
                "met": None if share is None or target is None else share >= target,
            }
        )
    return out


def town_enforcement_growth(cur: Any, on: date) -> list[dict[str, Any]]:
    """Per town: baseline, staff sunk in, total, growth against the baseline, reference, met."""
    out = []
    for row in _rows(cur, "town", "town", on):
        growth = _ratio(row["sunk"], row["baseline"])
        out.append(
            {
                "town": row["unit"],
                "baseline": row["baseline"],
                "sunk": row["sunk"],
                "total": None if row["baseline"] is None else row["baseline"] + row["sunk"],
                "growth": None if growth is None else growth.quantize(_PLACES),
                "reference": JIANGBEI_GROWTH,
                "met": None if growth is None else growth >= JIANGBEI_GROWTH,
            }
        )
    return out
