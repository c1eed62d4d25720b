"""镇街职责清单 — a town's duty lists: basic, cooperating, and recalled to the upper level.

Composes two read models: duties pushed down through admission (职责准入) and the
district's territorial duties (属地管理事项), where the town either leads or cooperates.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from projections.duties.town_list import town_duties
from projections.organisation.structure import town_model
from projections.territorial.duty_list import territorial_duties_for


def duty_lists(cur: Any, town: str, on: date | None = None) -> dict[str, list[dict[str, Any]]]:
    admitted = town_duties(cur, town)
    carried = {(d["department"], d["duty"]) for d in town_duties(cur, town, on)} if on else None
    model = town_model(cur, town)  # the town's district, when its organisation is known
    territorial = territorial_duties_for(cur, town, model["district"] if model else None)
    basic = [
        d
        for d in admitted
        if d["status"] == "admitted" and (carried is None or (d["department"], d["duty"]) in carried)
    ]
    return compose(town, basic, [d for d in admitted if d["status"] != "admitted"], territorial)


def compose(
    town: str, basic: list[dict[str, Any]], recalled: list[dict[str, Any]], territorial: list[dict[str, Any]]
) -> dict[str, list[dict[str, Any]]]:
    """The three lists from the admitted duties the town carries, those recalled, and the
    territorial duties where it leads or cooperates."""
    return {
        "basic": [
            {
                "source": "admission",
                "code": d["duty"],
                "name": d["name"],
                "lead": town,
                "partner": d["department"],
                "since": d["since"],
            }
            for d in basic
        ]
        + [
            {
                "source": "territorial",
                "code": t["code"],
                "name": t["name"],
                "lead": town,
                "partner": ", ".join(p["unit"] for p in t["cooperating"]),
                "since": t["since"],
            }
            for t in territorial
            if t["lead"] == town
        ],
        "cooperating": [
            {
                "source": "territorial",
                "code": t["code"],
                "name": t["name"],
                "lead": t["lead"],
                "partner": town,
                "since": t["since"],
            }
            for t in territorial
            if any(p["unit"] == town for p in t["cooperating"])
        ],
        "recalled": [
            {
                "source": "admission",
                "code": d["duty"],
                "name": d["name"],
                "lead": d["department"],
                "partner": town,
                "since": d["ended_on"],
            }
            for d in recalled
        ],
    }
