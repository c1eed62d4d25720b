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
    """The event log's head and, for each projection and relay, its position and lag
    (head − position), read from PostgreSQL in one transaction."""
    with datastore.transaction(commit=False) as cur:
        cur.execute(f"SELECT coalesce(max(notification_id), 0) AS head FROM {events_table}")
        head = int(cur.fetchone()["head"])
        found: dict[str, Any] = {"head": head, "projections": {}, "relays": {}}
        for kind, table in (("projections", "projection_positions"), ("relays", "relay_positions")):
            cur.execute("SELECT to_regclass(%s) IS NOT NULL AS present", (table,))
            if not cur.fetchone()["present"]:
                continue
            cur.execute(f"SELECT name, position FROM {table} ORDER BY name")
            found[kind] = {
                r["name"]: {"position": int(r["position"]), "lag": head - int(r["position"])}
                for r in cur.fetchall()
            }
    return found


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
