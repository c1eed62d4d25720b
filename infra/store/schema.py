"""Every table of ours in the ledger's database, beside the library's events table and the
read models (whose tables their runner creates, and drops and creates again in a rebuild).

The recorder runs these with the library's own statements, under one advisory lock, when
the composition root builds the ledger (`bootstrap.build_ledger`): whatever process starts
first (the demo, a worker, the API, the CLI) finds or makes the whole schema, and nothing
else creates a table.
"""

from __future__ import annotations

# The intake's bookkeeping, written in the transaction that saves a batch's events.
INTAKE = [
    """CREATE TABLE IF NOT EXISTS intake_offsets (
        consumer_group text NOT NULL, cluster_id text NOT NULL, topic text NOT NULL,
        partition int NOT NULL, next_offset bigint NOT NULL,
        PRIMARY KEY (consumer_group, cluster_id, topic, partition))""",
    """CREATE TABLE IF NOT EXISTS intake_messages (
        message_id text PRIMARY KEY, outcome text NOT NULL, topic text NOT NULL,
        partition int NOT NULL, "offset" bigint NOT NULL,
        received_at timestamptz NOT NULL DEFAULT now())""",
    """CREATE TABLE IF NOT EXISTS dead_letters (
        id bigserial PRIMARY KEY, topic text NOT NULL, partition int NOT NULL,
        "offset" bigint NOT NULL, message_id text, message_type text, rule text NOT NULL,
        error text NOT NULL, original bytea NOT NULL,
        failed_at timestamptz NOT NULL DEFAULT now(), published_at timestamptz)""",
    """CREATE INDEX IF NOT EXISTS dead_letters_unpublished
        ON dead_letters (id) WHERE published_at IS NULL""",
]

# The hash chain: one link per stored event (infra/store/chain.py).
CHAIN = """CREATE TABLE IF NOT EXISTS event_chain (
    notification_id bigint PRIMARY KEY, link bytea NOT NULL)"""

# The key vault: one key per person, None once erased (infra/store/vault.py).
PERSON_KEYS = """CREATE TABLE IF NOT EXISTS person_keys (
    person text PRIMARY KEY, key bytea, created_at timestamptz NOT NULL DEFAULT now(),
    erased_at timestamptz, basis text)"""

# The API's bearer tokens, by digest (infra/api/access.py).
API_TOKENS = """CREATE TABLE IF NOT EXISTS api_tokens (
    name text PRIMARY KEY, role text NOT NULL, digest text UNIQUE NOT NULL,
    issued_at timestamptz NOT NULL, revoked_at timestamptz)"""

# How far each relay has published (infra/kafka/relay.py).
RELAY_POSITIONS = """CREATE TABLE IF NOT EXISTS relay_positions (
    name text PRIMARY KEY, position bigint NOT NULL)"""

TABLES = [*INTAKE, CHAIN, PERSON_KEYS, API_TOKENS, RELAY_POSITIONS]
