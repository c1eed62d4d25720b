"""State checksums: a digest of the event log and of every read model, to compare two runs.

Two runs of the same input (a clean one, and one whose workers were killed, restarted or
raced) must end in the same state: nothing lost, nothing doubled. The digest holds

- `events` and `streams`: how many events and aggregates the log holds, a digest of every
  aggregate's (id, last version), and `gaps`, the aggregates whose versions are not 1..n;
- `settled`: the same without the aggregates whose history depends on arrival order
  across partitions (`ARRIVAL_ORDERED`): an event lost or doubled anywhere else shows here;
- `tables`: per read model table, its row count and an order-independent digest of its
  rows (the md5 of the sorted md5s of every row), without the columns that legitimately
  differ between runs (`VOLATILE`, `WITHOUT_VERSION`, `FINAL_ROWS`). No read model has a
  sequence-assigned id or a notification id; their `seq` columns count within one aggregate.

What must be equal (`differences`): by default the final state — every table, `settled`,
the number of streams and of gaps. The total event count and the versions of the quota
ledgers depend on arrival order: a quota transfer arriving before the receiving unit's
opening opens that ledger without its details, and the opening then records them in a
second event, so two correct runs may differ there (the demo's input does). Use
`by_state=False` to compare them too, for inputs without such cross-partition dependencies.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from psycopg.sql import SQL, Composable, Identifier

from aggregates.stored_topics import module_prefixes

# The ledger's own tables (the log, its chain, intake and relay bookkeeping, keys): not
# read models. Bookkeeping differs between runs by design (offsets, timestamps).
LEDGER_TABLES = frozenset(
    {
        "ledger_events",
        "event_chain",
        "intake_offsets",
        "intake_messages",
        "dead_letters",
        "projection_positions",
        "relay_positions",
        "person_keys",
    }
)
# Columns that say when the ledger recorded a row, not what it says: a second run records
# the same facts at other moments. `recorded_until` is kept as "is it still current".
VOLATILE: dict[str, str | None] = {"recorded_at": None, "recorded_from": None, "recorded_until": "{} IS NULL"}
# Quota ledgers hear from two partitions (their own unit's key and transfers keyed by the
# other unit), so their aggregate versions depend on arrival order: their rows are compared
# without `version`, and the unit's recorded details by the latest row only.
WITHOUT_VERSION = frozenset({"quota_figure_rows", "quota_delta_rows", "quota_transfers"})
FINAL_ROWS = {
    "quota_unit_rows": "SELECT DISTINCT ON (ledger_id) * FROM quota_unit_rows"
    " ORDER BY ledger_id, recorded_at DESC"
}


def _discovered(cur: Any) -> list[str]:
    cur.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_schema ="
        " current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name"
    )
    return [r["table_name"] for r in cur.fetchall() if r["table_name"] not in LEDGER_TABLES]


def _columns(cur: Any, table: str) -> list[Composable]:
    cur.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_schema ="
        " current_schema() AND table_name = %s ORDER BY ordinal_position",
        (table,),
    )
    kept: list[Composable] = []
    for name in (r["column_name"] for r in cur.fetchall()):
        if name == "version" and table in WITHOUT_VERSION:
            continue
        if name not in VOLATILE:
            kept.append(Identifier(name))
        elif (expression := VOLATILE[name]) is not None:
            kept.append(SQL(expression).format(Identifier(name)))
    return kept


def _table_digest(cur: Any, table: str) -> dict[str, Any]:
    row = SQL("ROW({})").format(SQL(", ").join(_columns(cur, table)))
    source = SQL(f"({FINAL_ROWS[table]}) AS t") if table in FINAL_ROWS else Identifier(table)
    cur.execute(
        SQL(
            "SELECT count(*) AS n, md5(coalesce(string_agg(h, '' ORDER BY h), ''))"
            " AS digest FROM (SELECT md5({}::text) AS h FROM {}) AS rows"
        ).format(row, source)
    )
    found = cur.fetchone()
    return {"rows": int(found["n"]), "digest": found["digest"]}


# Aggregates whose history depends on arrival order across partitions (see above), by the
# topic prefix of their events; `settled` is the log without them.
ARRIVAL_ORDERED = module_prefixes("aggregates.quotas.quota_ledger")
_LOG = """SELECT count(*) AS streams, coalesce(sum(n), 0) AS events,
    count(*) FILTER (WHERE n <> last) AS gaps,
    md5(coalesce(string_agg(originator_id::text || ':' || last, ',' ORDER BY originator_id), ''))
      AS digest,
    count(*) FILTER (WHERE settled) AS settled_streams,
    coalesce(sum(n) FILTER (WHERE settled), 0) AS settled_events,
    md5(coalesce(string_agg(originator_id::text || ':' || last, ',' ORDER BY originator_id)
      FILTER (WHERE settled), '')) AS settled_digest
  FROM (SELECT originator_id, count(*) AS n, max(originator_version) AS last,
               NOT bool_or(topic LIKE ANY(%s)) AS settled FROM {} GROUP BY originator_id) AS s"""


def state_digest(
    datastore: Any, tables: Sequence[str] | None = None, events_table: str = "ledger_events"
) -> dict[str, Any]:
    """The digest of the log and of the read models (`tables`; by default every table of
    the schema but the ledger's own)."""
    with datastore.transaction(commit=False) as cur:
        cur.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        cur.execute(
            SQL(_LOG).format(Identifier(events_table)), ([f"{prefix}%" for prefix in ARRIVAL_ORDERED],)
        )
        log = cur.fetchone()
        names = sorted(tables if tables is not None else _discovered(cur))
        return {
            "events": int(log["events"]),
            "streams": {"count": int(log["streams"]), "digest": log["digest"], "gaps": int(log["gaps"])},
            "settled": {
                "events": int(log["settled_events"]),
                "streams": int(log["settled_streams"]),
                "digest": log["settled_digest"],
            },
            "tables": {name: _table_digest(cur, name) for name in names},
        }


def differences(reference: Mapping[str, Any], other: Mapping[str, Any], by_state: bool = True) -> list[str]:
    """What differs between two digests (empty: the same state); see the module's note."""
    found = [
        f"table {name}: {reference['tables'].get(name)} != {other['tables'].get(name)}"
        for name in sorted(set(reference["tables"]) | set(other["tables"]))
        if reference["tables"].get(name) != other["tables"].get(name)
    ]
    keys = ["count", "gaps"] if by_state else ["count", "gaps", "digest"]
    found += [
        f"streams {key}: {reference['streams'][key]} != {other['streams'][key]}"
        for key in keys
        if reference["streams"][key] != other["streams"][key]
    ]
    found += [
        f"settled {key}: {reference['settled'][key]} != {other['settled'][key]}"
        for key in reference["settled"]
        if reference["settled"][key] != other["settled"][key]
    ]
    if not by_state and reference["events"] != other["events"]:
        found.append(f"events: {reference['events']} != {other['events']}")
    return found
