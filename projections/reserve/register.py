"""干部AB库台账 — each street's cadre reserve on both time axes: who is in tier B and tier A on a
day, every movement, the appointments drawn from it, as the ledger stood at a moment.

Every movement is a row (`reserve_movements`): the tier the cadre left and the one they are
in after it (null: out of the reserve), `effective_on` the day it takes effect (China
Standard Time), `recorded_at` when the ledger recorded it. A cadre's standing on day D as
the ledger stood at K is their latest movement effective by D among those recorded by K.
The districts' rule for principal posts is kept the same way (`reserve_rules`).
Cadres are person ids only: no name reaches these tables.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from aggregates.reserve.appointment_rule import DEFAULT, AppointmentRule
from aggregates.reserve.cadre_reserve import CadreReserve
from projections.runner import EventHandlers

TABLES = [
    """CREATE TABLE IF NOT EXISTS reserve_rows (
        reserve_id uuid PRIMARY KEY, town text UNIQUE NOT NULL, district text NOT NULL,
        opened_on date NOT NULL, recorded_at timestamptz NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS reserve_movements (
        reserve_id uuid NOT NULL, version int NOT NULL, person text NOT NULL, movement text NOT NULL,
        from_tier text, tier text, basis text, grounds text, office text, post text,
        document_no text, reason text, effective_on date NOT NULL, recorded_at timestamptz NOT NULL,
        PRIMARY KEY (reserve_id, version))""",
    """CREATE INDEX IF NOT EXISTS reserve_movements_person
        ON reserve_movements (reserve_id, person, effective_on)""",
    "CREATE TABLE IF NOT EXISTS reserve_rule_districts (rule_id uuid PRIMARY KEY, district text NOT NULL)",
    """CREATE TABLE IF NOT EXISTS reserve_rules (
        rule_id uuid NOT NULL, version int NOT NULL, district text NOT NULL,
        principal_only_from_a boolean NOT NULL, effective_on date NOT NULL,
        recorded_at timestamptz NOT NULL, PRIMARY KEY (rule_id, version))""",
]
TRUNCATE = ["TRUNCATE reserve_rows, reserve_movements, reserve_rule_districts, reserve_rules"]
_MOVEMENT = "INSERT INTO reserve_movements VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"


def _moved(movement: str, from_tier: str | None, tier: str | None) -> Any:
    """A handler writing the event as a movement from `from_tier` to `tier` (None: outside the
    reserve; "event": the tier the event names)."""

    def handle(cur: Any, e: Any) -> None:
        selection, appointment = getattr(e, "selection", None), getattr(e, "appointment", None)
        ctx = e.ctx
        cur.execute(
            _MOVEMENT,
            (
                e.originator_id,
                e.originator_version,
                e.person,
                movement,
                e.tier if from_tier == "event" else from_tier,
                tier,
                selection.basis if selection else None,
                selection.grounds if selection else None,
                appointment.office if appointment else None,
                appointment.post if appointment else None,
                ctx.document_no,
                ctx.reason,
                ctx.effective_on,
                e.timestamp,
            ),
        )

    return handle


_HANDLERS: dict[type, Any] = {
    CadreReserve.Opened: lambda cur, e: cur.execute(
        "INSERT INTO reserve_rows VALUES (%s, %s, %s, %s, %s)",
        (e.originator_id, e.town, e.district, e.ctx.effective_on, e.timestamp),
    ),
    CadreReserve.Entered: _moved("entered", None, "B"),
    CadreReserve.Promoted: _moved("promoted", "B", "A"),
    CadreReserve.Demoted: _moved("demoted", "A", "B"),
    CadreReserve.Removed: _moved("removed", "event", None),
    CadreReserve.Appointed: _moved("appointed", "event", None),
    AppointmentRule.Opened: lambda cur, e: cur.execute(
        "INSERT INTO reserve_rule_districts VALUES (%s, %s)", (e.originator_id, e.district)
    ),
    AppointmentRule.Set: lambda cur, e: cur.execute(
        "INSERT INTO reserve_rules SELECT rule_id, %s, district, %s, %s, %s FROM reserve_rule_districts"
        " WHERE rule_id = %s",
        (e.originator_version, e.principal_only_from_a, e.ctx.effective_on, e.timestamp, e.originator_id),
    ),
}


class ReserveRegister(EventHandlers):
    """干部AB库台账 — the streets' cadre reserves, movements and appointments, on both time axes."""

    tables, truncate, handlers = TABLES, TRUNCATE, _HANDLERS


_TOWN = "(%(town)s::text IS NULL OR r.town = %(town)s) AND r.recorded_at <= %(known)s"
_KNOWN = "m.recorded_at <= %(known)s AND m.effective_on <= %(on)s"
# each cadre's latest movement effective by the day, among those recorded by the moment
_STANDING = (
    "SELECT DISTINCT ON (m.reserve_id, m.person) r.town, m.person, m.tier, m.effective_on AS since,"
    " m.basis, m.grounds FROM reserve_movements m JOIN reserve_rows r ON r.reserve_id = m.reserve_id"
    f" WHERE {_TOWN} AND {_KNOWN} ORDER BY m.reserve_id, m.person, m.effective_on DESC, m.version DESC"
)
# the district's rule in force on the day, as known at the moment (the default where none)
_RULE = (
    "coalesce((SELECT x.principal_only_from_a FROM reserve_rules x WHERE x.district = r.district"
    " AND x.recorded_at <= %(known)s AND x.effective_on <= %(on)s"
    " ORDER BY x.effective_on DESC, x.recorded_at DESC, x.version DESC LIMIT 1), %(default)s)"
)


def _args(town: str | None, on: date, known_at: datetime) -> dict[str, Any]:
    return {"town": town, "on": on, "known": known_at, "default": DEFAULT}


def reserve_as_of(cur: Any, town: str | None, on: date, known_at: datetime) -> list[dict[str, Any]]:
    """Each street's reserve opened by `on` (all, or `town`'s), as the ledger stood at
    `known_at`: its district, how many cadres are in tier B and tier A that day, how many were
    appointed from it and taken out of it by then, and whether its district's rule requires
    tier A for a principal post that day."""
    cur.execute(
        "SELECT r.town, r.district, r.opened_on,"
        " count(*) FILTER (WHERE s.tier = 'B')::int AS tier_b,"
        " count(*) FILTER (WHERE s.tier = 'A')::int AS tier_a,"
        " (SELECT count(*) FROM reserve_movements m WHERE m.reserve_id = r.reserve_id"
        f" AND m.movement = 'appointed' AND {_KNOWN})::int AS appointed,"
        " (SELECT count(*) FROM reserve_movements m WHERE m.reserve_id = r.reserve_id"
        f" AND m.movement = 'removed' AND {_KNOWN})::int AS removed,"
        f" {_RULE} AS principal_only_from_a"
        f" FROM reserve_rows r LEFT JOIN ({_STANDING}) s ON s.town = r.town"
        f" WHERE {_TOWN} AND r.opened_on <= %(on)s"
        " GROUP BY r.reserve_id ORDER BY r.town",
        _args(town, on, known_at),
    )
    return list(cur.fetchall())


def cadres_as_of(cur: Any, town: str | None, on: date, known_at: datetime) -> list[dict[str, Any]]:
    """The cadres in the reserve on `on` as known at `known_at` (person ids only), tier A
    first: since when they are in their tier, and the basis of their latest selection."""
    cur.execute(
        f"SELECT town, person, tier, since, basis, grounds FROM ({_STANDING}) s"
        " WHERE tier IS NOT NULL ORDER BY town, tier, since, person",
        _args(town, on, known_at),
    )
    return list(cur.fetchall())


_MOVEMENTS = (
    "SELECT r.town, m.person, m.movement, m.from_tier, m.tier, m.basis, m.grounds, m.office, m.post,"
    " m.document_no, m.reason, m.effective_on AS on_day, m.recorded_at FROM reserve_movements m"
    f" JOIN reserve_rows r ON r.reserve_id = m.reserve_id WHERE {_TOWN} AND {_KNOWN}"
)


def movements_as_of(cur: Any, town: str | None, on: date, known_at: datetime) -> list[dict[str, Any]]:
    """Every movement into, within and out of the reserve effective by `on`, as known at
    `known_at`, in the order they took effect."""
    cur.execute(f"{_MOVEMENTS} ORDER BY r.town, m.effective_on, m.version", _args(town, on, known_at))
    return list(cur.fetchall())


def appointments_as_of(cur: Any, town: str | None, on: date, known_at: datetime) -> list[dict[str, Any]]:
    """The appointments drawn from the reserve by `on`, as known at `known_at`: to which post,
    deputy or principal, from which tier, under which document."""
    cur.execute(
        f"SELECT town, person, office, post, from_tier, on_day, document_no FROM ({_MOVEMENTS}"
        " AND m.movement = 'appointed') a ORDER BY town, on_day, person",
        _args(town, on, known_at),
    )
    return list(cur.fetchall())
