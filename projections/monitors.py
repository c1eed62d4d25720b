"""政策监测 — every policy monitor on one page: what a district office checks against its targets.

Composes the read models' own monitors: enforcement staff sunk down per department
(≥ 80 % comprehensive enforcement, ≥ 50 % others), town enforcement staff against the
pre-reform baseline (Jiangbei +58 %), towns' share of the yearly staffing plan (≥ 50 %),
the turnover pool's balance and outstanding draws, and the burden-reduction counts (减负:
indicators, inspections, meetings and forms imposed on towns, before and after), and
community workers per 10,000 residents against the city's standard (社区工作者配备, 漯河: 18).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from projections.burden.registry import burden_counts
from projections.community_workers.monitor import worker_ratios
from projections.pool.balance import PURPOSE_NAMES, expiring_draws, outstanding_draws, pool_balance
from projections.quotas.ledgers import plan_shares
from projections.sinkdown.monitors import department_sink_down_shares, town_enforcement_growth

SECTIONS = {
    "departments": "执法力量下沉比例 — enforcement staff sunk down, per department",
    "towns": "镇街执法力量增长 — town enforcement staff against the pre-reform baseline",
    "plan": "用编计划 — towns' share of the yearly staffing plan (≈30 % before, ≥ 50 % now)",
    "pool": "编制周转池 — pool balance",
    "draws": "周转池在用编制 — outstanding draws by purpose",
    "expiring": "即将到期 — draws whose term ends within 30 days",
    "workers": "社区工作者配备 — community workers per 10,000 residents against the city's standard",
    "burden": "减负监测 — items departments impose on towns, per kind: on the baseline day and on the day",
}


def monitors(cur: Any, on: date, year: int) -> dict[str, list[dict[str, Any]]]:
    """Each monitor's rows; a row with `met` False misses its target."""
    return {
        "departments": department_sink_down_shares(cur, on),
        "towns": town_enforcement_growth(cur, on),
        "plan": plan_shares(cur, year),
        "pool": pool_balance(cur),
        "draws": [
            {**row, "purpose": PURPOSE_NAMES.get(row["purpose"], row["purpose"])}
            for row in outstanding_draws(cur, group_by="purpose")
        ],
        "expiring": expiring_draws(cur, 30, on),
        "workers": worker_ratios(cur, on),
        "burden": burden_counts(cur, on),
    }


def missed(found: dict[str, list[dict[str, Any]]]) -> list[tuple[str, dict[str, Any]]]:
    """The rows that miss their target, by section."""
    return [(section, row) for section, rows in found.items() for row in rows if row.get("met") is False]


def answer(found: dict[str, list[dict[str, Any]]], on: date, year: int) -> dict[str, Any]:
    """The answer `/api/v1/monitors` pages and `govledger monitors --json` prints: each
    section's title and rows, each row saying whether it `missed` its target (the command
    line's ✗), and `missed` counting them all."""
    sections = {
        name: {"title": SECTIONS[name], "items": [{**r, "missed": r.get("met") is False} for r in rows]}
        for name, rows in found.items()
    }
    return {"on": on, "year": year, "missed": len(missed(found)), "sections": sections}
