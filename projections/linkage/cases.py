"""案件台账 — the linkage case register: one row per case as it stands, and each case's history."""

from __future__ import annotations

import re
from datetime import datetime
from functools import partial
from typing import Any

from aggregates.linkage.case import LinkageCase
from projections.runner import event_classes, updating

TABLES = [
    """CREATE TABLE IF NOT EXISTS linkage_cases (
        id uuid PRIMARY KEY, number text UNIQUE NOT NULL, town text NOT NULL,
        source text NOT NULL, category text, item text, priority text NOT NULL, tier text,
        status text NOT NULL, lead text, cooperating text[] NOT NULL, basis text,
        reference text, round int NOT NULL, sign_for_by timestamptz, resolve_by timestamptz,
        signed_at timestamptz, resolved_at timestamptz, outcome text, satisfaction text,
        supervisions int NOT NULL, escalations int NOT NULL, merged_into text,
        reported_at timestamptz NOT NULL, closed_at timestamptz)""",
    "CREATE INDEX IF NOT EXISTS linkage_cases_by_town ON linkage_cases (town, reported_at)",
    """CREATE TABLE IF NOT EXISTS linkage_case_events (
        case_id uuid NOT NULL, version int NOT NULL, event text NOT NULL,
        effective_at timestamptz NOT NULL, actor text NOT NULL, party text,
        detail text NOT NULL, reason text, PRIMARY KEY (case_id, version))""",
]
TRUNCATE = ["TRUNCATE linkage_cases, linkage_case_events"]
COLUMNS = (
    "number, town, source, category, item, priority, tier, status, lead, cooperating,"
    " basis, reference, round, sign_for_by, resolve_by, signed_at, resolved_at, outcome,"
    " satisfaction, supervisions, escalations, merged_into, reported_at, closed_at"
)


def _reported(cur: Any, e: Any) -> None:
    r = e.report
    cur.execute(
        "INSERT INTO linkage_cases VALUES (%s, %s, %s, %s, %s, %s, %s, NULL, 'reported',"
        " NULL, '{}', NULL, NULL, 0, NULL, NULL, NULL, NULL, NULL, NULL, 0, 0, NULL, %s,"
        " NULL)",
        (e.originator_id, e.number, r.town, r.source, r.category, r.item, r.priority, e.ctx.effective_at),
    )


_set = partial(updating, "linkage_cases")


def _assigned(e: Any) -> tuple[Any, ...]:
    a = e.assignment
    return (a.tier, a.lead, list(a.cooperating), a.basis, a.reference, e.round, a.sign_for_by, a.resolve_by)


_ROW: dict[type, Any] = {
    LinkageCase.Reported: _reported,
    LinkageCase.Dispatched: _set(
        "tier = %s, status = 'dispatched', lead = %s, cooperating = %s, basis = %s,"
        " reference = %s, round = %s, sign_for_by = %s, resolve_by = %s, signed_at = NULL",
        _assigned,
    ),
    LinkageCase.SignedFor: _set(  # the lead's sign-for is the one the register shows
        "status = CASE WHEN lead = %s THEN 'signed' ELSE status END,"
        " signed_at = CASE WHEN lead = %s THEN %s ELSE signed_at END",
        lambda e: (e.party, e.party, e.ctx.effective_at),
    ),
    LinkageCase.Handled: _set("status = 'handling'"),
    LinkageCase.SentBack: _set("status = 'sent_back'"),
    LinkageCase.ExtensionGranted: _set("resolve_by = %s", lambda e: (e.resolve_by,)),
    LinkageCase.Resolved: _set(
        "status = 'resolved', resolved_at = %s, outcome = %s", lambda e: (e.ctx.effective_at, e.outcome)
    ),
    LinkageCase.Closed: _set(
        "status = 'closed', satisfaction = %s, closed_at = %s", lambda e: (e.satisfaction, e.ctx.effective_at)
    ),
    LinkageCase.ReworkOrdered: _set(
        "status = 'handling', resolve_by = %s, resolved_at = NULL, outcome = NULL,"
        " satisfaction = NULL, closed_at = NULL",
        lambda e: (e.resolve_by,),
    ),
    LinkageCase.Merged: _set("status = 'merged', merged_into = %s", lambda e: (e.into,)),
    LinkageCase.Supervised: _set("supervisions = supervisions + 1"),
    LinkageCase.Escalated: _set(
        "tier = %s, status = 'escalated', escalations = escalations + 1", lambda e: (e.to_tier,)
    ),
}
_SHOWN = (
    "round",
    "category",
    "item",
    "town",
    "tier",
    "lead",
    "cooperating",
    "outcome",
    "on_time",
    "suggested",
    "days",
    "sign_for_by",
    "resolve_by",
    "satisfaction",
    "into",
    "deadline",
    "due",
    "parties",
    "from_tier",
    "to_tier",
    "previous_lead",
)


def _detail(e: Any) -> str:
    """The event's gist: its telling fields (of the report or the dispatch, where it has one)."""
    fields = {**vars(getattr(e, "report", None) or getattr(e, "assignment", None) or e), **vars(e)}
    shown = {
        k: fields[k]
        for k in _SHOWN
        if fields.get(k) is not None and not (isinstance(fields[k], (str, tuple, list)) and not fields[k])
    }
    return ", ".join(f"{k} {','.join(v) if isinstance(v, (tuple, list)) else v}" for k, v in shown.items())


class LinkageCases:
    tables, truncate, handles = TABLES, TRUNCATE, event_classes(LinkageCase)

    def apply(self, cur: Any, event: Any) -> None:
        if type(event) not in self.handles:  # not a case's event
            return
        if (handler := _ROW.get(type(event))) is not None:  # a report-in, an ask: history only
            handler(cur, event)
        ctx, name = event.ctx, re.sub(r"(?<!^)([A-Z])", r"_\1", type(event).__name__).lower()
        cur.execute(
            "INSERT INTO linkage_case_events VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
            (
                event.originator_id,
                event.originator_version,
                name,
                ctx.effective_at,
                ctx.actor,
                getattr(event, "party", None),
                _detail(event),
                ctx.reason,
            ),
        )


def cases(
    cur: Any, town: str | None = None, party: str | None = None, open_only: bool = False
) -> list[dict[str, Any]]:
    """The register, oldest report first: of one town, of one party (leading or cooperating),
    only the open ones (neither resolved, closed nor merged)."""
    cur.execute(
        f"SELECT {COLUMNS} FROM linkage_cases WHERE (%(town)s::text IS NULL OR town = %(town)s)"
        " AND (%(party)s::text IS NULL OR lead = %(party)s OR %(party)s = ANY(cooperating))"
        " AND (NOT %(open)s OR status NOT IN ('resolved', 'closed', 'merged'))"
        " ORDER BY reported_at, number",
        {"town": town, "party": party, "open": open_only},
    )
    return list(cur.fetchall())


def case(cur: Any, number: str) -> dict[str, Any] | None:
    """One case as the register stands, or None when there is no such case."""
    cur.execute(f"SELECT {COLUMNS} FROM linkage_cases WHERE number = %s", (number,))
    return cur.fetchone()


def case_history(cur: Any, number: str) -> list[dict[str, Any]]:
    """Every event of the case in order, short: what, when it took effect, who, why."""
    cur.execute(
        "SELECT version, event, effective_at, actor, party, detail, reason"
        " FROM linkage_case_events WHERE case_id = %s ORDER BY version",
        (LinkageCase.create_id(number),),
    )
    return list(cur.fetchall())


_STANDING = ("reported", "dispatched", "rework_ordered", "resolved", "closed", "merged")
_ENDED = ("resolved", "closed", "merged")


def _fields(detail: str) -> dict[str, str]:
    """The "name value, name value" pairs `_detail` wrote."""
    return dict(part.split(" ", 1) for part in detail.split(", ") if " " in part)


def _fold(case: dict[str, Any], e: dict[str, Any]) -> None:
    """The case's round after one of its events, as the deadline clock sees it: the lead and
    deadlines of the latest dispatch, whether the lead signed for, whether a deadline runs."""
    name, seen = e["event"], _fields(e["detail"])
    if name == "dispatched":
        case.update(
            lead=seen["lead"],
            signed=False,
            running=True,
            sign_for_by=datetime.fromisoformat(seen["sign_for_by"]),
            resolve_by=datetime.fromisoformat(seen["resolve_by"]),
        )
    elif name == "signed_for" and e["party"] == case.get("lead"):
        case["signed"] = True
    elif name in ("extension_granted", "rework_ordered"):
        case["resolve_by"] = datetime.fromisoformat(seen["resolve_by"])
        case["running"] = case.get("running") or name == "rework_ordered"
    elif name in ("sent_back", "escalated", "resolved"):
        case["running"] = False  # waiting on the centre or on the closing: no deadline runs


def open_cases_at(cur: Any, at: datetime) -> list[dict[str, Any]]:
    """The cases open at `at` (reported by then, neither resolved, closed nor merged by then),
    oldest report first, each with the lead and deadlines of its round then, whether the lead
    had signed for, and `running` (a deadline runs: dispatched and not waiting on anyone)."""
    cur.execute(
        "WITH standing AS (SELECT DISTINCT ON (case_id) case_id, event FROM linkage_case_events"
        " WHERE effective_at <= %(at)s AND event = ANY(%(standing)s)"
        " ORDER BY case_id, version DESC)"
        " SELECT c.id, c.number, c.town, c.reported_at, e.event, e.party, e.detail"
        " FROM standing s JOIN linkage_cases c ON c.id = s.case_id"
        " JOIN linkage_case_events e ON e.case_id = s.case_id AND e.effective_at <= %(at)s"
        " WHERE s.event <> ALL(%(ended)s) ORDER BY c.reported_at, c.number, e.version",
        {"at": at, "standing": list(_STANDING), "ended": list(_ENDED)},
    )
    found: dict[Any, dict[str, Any]] = {}
    for row in cur.fetchall():
        case = found.setdefault(
            row["id"],
            {
                "number": row["number"],
                "town": row["town"],
                "reported_at": row["reported_at"],
                "lead": None,
                "signed": False,
                "running": False,
                "sign_for_by": None,
                "resolve_by": None,
            },
        )
        _fold(case, row)
    return list(found.values())


def overdue_cases(cur: Any, at: datetime) -> list[dict[str, Any]]:
    """The open cases past a deadline at `at`, latest first: past its resolution deadline
    (`resolve`), or else not signed for by its lead in time (`sign_for`); `late_seconds`
    counts from that deadline."""
    late = []
    for case in open_cases_at(cur, at):
        if not case["running"]:
            continue
        if at > case["resolve_by"]:
            deadline, due = "resolve", case["resolve_by"]
        elif not case["signed"] and at > case["sign_for_by"]:
            deadline, due = "sign_for", case["sign_for_by"]
        else:
            continue
        late.append(
            {
                "number": case["number"],
                "town": case["town"],
                "lead": case["lead"],
                "deadline": deadline,
                "due": due,
                "signed": case["signed"],
                "late_seconds": round((at - due).total_seconds()),
            }
        )
    return sorted(late, key=lambda c: (-c["late_seconds"], c["number"]))


def overdue_numbers(cur: Any, at: datetime) -> set[str]:
    """The numbers of the cases overdue at `at`, as the deadline clock judges them: open then,
    a deadline running, and past its resolve deadline or not signed for by its lead in time."""
    return {case["number"] for case in overdue_cases(cur, at)}
