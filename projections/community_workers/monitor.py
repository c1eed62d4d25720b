"""社区工作者配备监测 — community workers per 10,000 residents against the city's standard, for each
district and town (漯河: "每万名常住人口配备18名社区工作者").

A town's or district's workers are those in post in the registers of its communities on the
day; its residents (常住人口) its own count in force then, else the sum of its units' (see
`projections.jurisdictions.tree`); its standard the one in force then for the city above it.
Without residents or a standard, the ratio or `met` is None.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from projections.community_workers.register import standards, workers_on
from projections.jurisdictions import tree

PER = 10_000
_PLACES = Decimal("0.01")


def _city_of(units: dict[str, dict[str, Any]], code: str) -> str | None:
    seen: set[str] = set()
    while code in units and code not in seen:
        if units[code]["level"] == "city":
            return code
        seen.add(code)
        code = units[code]["parent"]
    return None


def worker_ratios(cur: Any, on: date, known_at: datetime | None = None) -> list[dict[str, Any]]:
    """Per district, then each of its towns: workers in post, residents, workers per 10,000
    residents, the city's standard, and whether it is met."""
    workers = workers_on(cur, on, known_at)
    units = tree.units_on(cur, on, known_at)
    people = tree.residents_of(units, tree.counts_in_force(cur, on, known_at))
    standard = {row["city"]: row["standard"] for row in standards(cur, on, known_at)}
    by_district = Counter(w["district"] for w in workers)
    by_town = Counter((w["district"], w["town"]) for w in workers)
    rows = []
    for district in sorted(by_district):
        towns = sorted(t for d, t in by_town if d == district)
        for level, code, count in [
            ("district", district, by_district[district]),
            *(("town", town, by_town[district, town]) for town in towns),
        ]:
            residents = people.get(code, {}).get("residents")
            city = _city_of(units, code)
            ratio = (Decimal(count * PER) / residents).quantize(_PLACES) if residents else None
            target = standard.get(city or "")
            rows.append(
                {
                    "level": level,
                    "district": district,
                    "town": code if level == "town" else None,
                    "name": units[code]["name"] if code in units else None,
                    "city": city,
                    "workers": count,
                    "residents": residents,
                    "per_10000": ratio,
                    "standard": target,
                    "met": None if ratio is None or target is None else ratio >= target,
                }
            )
    return rows
