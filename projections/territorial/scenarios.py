"""属地联动执法事项清单 — which "一件事" scenario a case of a category in a town dispatches to.

The linkage asks `scenarios_for(cursor, category, town)` and gets, per scenario in force,
the lead department, the cooperating departments and what the town does. A scenario
with no towns listed applies to every town and street of its district.
"""

from __future__ import annotations

from typing import Any

from aggregates.territorial.scenario import JointEnforcementScenario
from projections.runner import EventHandlers, updating

TABLES = [
    """CREATE TABLE IF NOT EXISTS joint_scenarios (
        id uuid PRIMARY KEY, district text NOT NULL, code text NOT NULL, name text NOT NULL,
        category text NOT NULL, lead text NOT NULL, cooperating text[] NOT NULL,
        town_part text NOT NULL, towns text[] NOT NULL, revision int NOT NULL,
        since date NOT NULL, document_no text, retired_on date, UNIQUE (district, code))""",
    "CREATE INDEX IF NOT EXISTS joint_scenarios_category ON joint_scenarios (category, district)",
]
TRUNCATE = ["TRUNCATE joint_scenarios"]
_FIELDS = ("name", "category", "lead", "cooperating", "town_part", "towns")


def _columns(e: Any) -> tuple[Any, ...]:
    t = e.terms
    return (
        t.name,
        t.category,
        t.lead,
        list(t.cooperating),
        t.town_part,
        list(t.towns),
        e.ctx.effective_on,
        e.ctx.document_no,
    )


_HANDLERS: dict[type, Any] = {
    JointEnforcementScenario.Registered: lambda cur, e: cur.execute(
        "INSERT INTO joint_scenarios VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, 1, %s, %s, NULL)",
        (e.originator_id, e.district, e.code, *_columns(e)),
    ),
    JointEnforcementScenario.Amended: updating(
        "joint_scenarios",
        f"{', '.join(f'{f} = %s' for f in _FIELDS)}, since = %s, document_no = %s, revision = revision + 1",
        _columns,
    ),
    JointEnforcementScenario.Retired: updating(
        "joint_scenarios", "retired_on = %s", lambda e: (e.ctx.effective_on,)
    ),
}


class JointScenarios(EventHandlers):
    tables, truncate, handlers = TABLES, TRUNCATE, _HANDLERS


_COLUMNS = "district, code, name, category, lead, cooperating, town_part, towns, revision, since"


def scenarios_for(cur: Any, category: str, town: str, district: str | None = None) -> list[dict[str, Any]]:
    """The scenarios in force for a case of `category` in `town`: for each, its lead
    department, cooperating departments and the town's part (usually one scenario).

    Pass the town's district when several districts share the ledger; without it, a
    scenario listing no towns is read as applying to towns of every district.
    """
    cur.execute(
        f"SELECT {_COLUMNS}, %(town)s::text AS town FROM joint_scenarios"
        " WHERE category = %(category)s AND retired_on IS NULL"
        " AND (cardinality(towns) = 0 OR %(town)s = ANY(towns))"
        " AND (%(district)s::text IS NULL OR district = %(district)s) ORDER BY district, code",
        {"category": category, "town": town, "district": district},
    )
    return list(cur.fetchall())


def scenarios_in(cur: Any, town: str, district: str | None = None) -> list[dict[str, Any]]:
    """Every scenario in force for `town`, by category: the town's joint-enforcement list."""
    cur.execute(
        f"SELECT {_COLUMNS} FROM joint_scenarios WHERE retired_on IS NULL"
        " AND (cardinality(towns) = 0 OR %(town)s = ANY(towns))"
        " AND (%(district)s::text IS NULL OR district = %(district)s) ORDER BY category, code",
        {"town": town, "district": district},
    )
    return list(cur.fetchall())
