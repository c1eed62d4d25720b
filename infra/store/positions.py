"""The ledger's positions: the event log's head and how far each follower has come.

Projections and relays keep their positions in PostgreSQL, so their lag (head − position)
is read from the database: any worker, and the API, can report it, whichever process
does the following.
"""

from __future__ import annotations

from typing import Any

from prometheus_client.core import GaugeMetricFamily

EVENTS_TABLE = "ledger_events"


def ledger_positions(datastore: Any, events_table: str = EVENTS_TABLE) -> dict[str, Any]:
    """The event log's head and, for each projection (a read model) and relay, its position
    and lag (head − position), read from PostgreSQL in one transaction. A read model also
    says its state (live; failing, retrying; stalled at an event until resumed, skipped past
    it or rebuilt; rebuilding) and, when at fault, the event and error (`fault`). The
    positions of read models being built by a rebuild (`name@shadow`) are among them: they
    say how far the build has come."""
    with datastore.transaction(commit=False) as cur:
        cur.execute(f"SELECT coalesce(max(notification_id), 0) AS head FROM {events_table}")
        head = int(cur.fetchone()["head"])
        found: dict[str, Any] = {"head": head, "projections": {}, "relays": {}}
        for kind, table in (("projections", "projection_positions"), ("relays", "relay_positions")):
            cur.execute("SELECT to_regclass(%s) IS NOT NULL AS present", (table,))
            if not cur.fetchone()["present"]:
                continue
            cur.execute(f"SELECT * FROM {table} ORDER BY name")
            found[kind] = {r["name"]: _position(head, r) for r in cur.fetchall()}
    return found


def _position(head: int, row: dict[str, Any]) -> dict[str, Any]:
    at = {"position": int(row["position"]), "lag": head - int(row["position"])}
    if "state" in row:  # a read model's
        at |= {"state": row["state"], "version": row["version"]}
        if row["fault"]:
            at |= {"failures": row["failures"], "fault": row["fault"]}
    return at


def stalled(positions: dict[str, Any]) -> dict[str, Any]:
    """The stalled read models of `ledger_positions`, by name."""
    return {name: at for name, at in positions["projections"].items() if at.get("state") == "stalled"}


def stalled_reason(positions: dict[str, Any]) -> str | None:
    """Why a reader should not take the read models as current: the stalled ones, each with
    the event it stopped at; None when none is."""
    found = stalled(positions)
    if not found:
        return None
    return "read models stalled: " + ", ".join(
        f"{name} at event {at['fault']['event_id']} ({at['fault']['error'][:120]})"
        for name, at in found.items()
    )


class PositionsCollector:
    """`ledger_positions` as gauges, read at each scrape."""

    def __init__(self, datastore: Any) -> None:
        self.datastore = datastore

    def collect(self) -> Any:
        positions = ledger_positions(self.datastore)
        yield GaugeMetricFamily(
            "govledger_event_log_head", "Notification id of the newest stored event", value=positions["head"]
        )
        for kind, label in (("projections", "projection"), ("relays", "relay")):
            position = GaugeMetricFamily(
                f"govledger_{label}_position", f"Last event the {label} has taken, by name", labels=["name"]
            )
            lag = GaugeMetricFamily(
                f"govledger_{label}_lag", f"Events stored that the {label} has not taken yet", labels=["name"]
            )
            for name, at in positions[kind].items():
                position.add_metric([name], at["position"])
                lag.add_metric([name], at["lag"])
            yield position
            yield lag
        halted = GaugeMetricFamily(
            "govledger_projection_stalled",
            "1 while the read model is stalled at an event (it is resumed, skipped past it or rebuilt)",
            labels=["name"],
        )
        for name, at in positions["projections"].items():
            if "state" in at:
                halted.add_metric([name], 1 if at["state"] == "stalled" else 0)
        yield halted
