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

# The hash chain: one link per stored event, and the digest that made it (sha256 | sm3;
# infra/store/chain.py).
CHAIN = """CREATE TABLE IF NOT EXISTS event_chain (
    notification_id bigint PRIMARY KEY, link bytea NOT NULL,
    algorithm text NOT NULL DEFAULT 'sha256')"""

# The key vault: one key per person, wrapped under the key-encryption key `kek_id` (kept
# outside the database), None once erased (infra/store/vault.py). A key with no `kek_id`
# is one kept in clear before keys were wrapped: the vault wraps it on first use.
PERSON_KEYS = """CREATE TABLE IF NOT EXISTS person_keys (
    person text PRIMARY KEY, key bytea, created_at timestamptz NOT NULL DEFAULT now(),
    erased_at timestamptz, basis text, kek_id text)"""

# What a database made before those columns lacks, added once: each only when missing, so
# a start on an up-to-date database takes no lock. Chain links made before are SHA-256.
UPGRADES = """DO $$ BEGIN
    IF NOT EXISTS (SELECT FROM pg_attribute WHERE attrelid = 'event_chain'::regclass
                   AND attname = 'algorithm' AND NOT attisdropped) THEN
        ALTER TABLE event_chain ADD COLUMN algorithm text NOT NULL DEFAULT 'sha256';
    END IF;
    IF NOT EXISTS (SELECT FROM pg_attribute WHERE attrelid = 'person_keys'::regclass
                   AND attname = 'kek_id' AND NOT attisdropped) THEN
        ALTER TABLE person_keys ADD COLUMN kek_id text;
    END IF;
    IF to_regclass('person_keys_in_clear') IS NULL THEN
        CREATE INDEX person_keys_in_clear ON person_keys (person)
            WHERE key IS NOT NULL AND kek_id IS NULL;
    END IF;
END $$"""

# What retention removes, found by age (infra/store/retention.py): message ids by when they
# came, dead letters by when they were published (never one still to publish). Made only
# when missing, like the upgrades above: a start on a database that has them takes no lock,
# where CREATE INDEX IF NOT EXISTS would lock the intake's tables at every start. On a
# database made before, the first start builds them; the intake's writes wait meanwhile.
RETENTION_INDEXES = """DO $$ BEGIN
    IF to_regclass('intake_messages_received') IS NULL THEN
        CREATE INDEX intake_messages_received ON intake_messages (received_at);
    END IF;
    IF to_regclass('dead_letters_published') IS NULL THEN
        CREATE INDEX dead_letters_published ON dead_letters (published_at)
            WHERE published_at IS NOT NULL;
    END IF;
END $$"""

# The API's bearer tokens, by digest (infra/api/access.py).
API_TOKENS = """CREATE TABLE IF NOT EXISTS api_tokens (
    name text PRIMARY KEY, role text NOT NULL, digest text UNIQUE NOT NULL,
    issued_at timestamptz NOT NULL, revoked_at timestamptz)"""
# A token's scope and end, and its last use; tokens issued before them keep working, as
# scope `all` without an end.
API_TOKEN_SCOPES = """ALTER TABLE api_tokens ADD COLUMN IF NOT EXISTS scope text NOT NULL DEFAULT 'all',
    ADD COLUMN IF NOT EXISTS expires_at timestamptz, ADD COLUMN IF NOT EXISTS last_used_at timestamptz"""

# How far each relay has published (infra/kafka/relay.py).
RELAY_POSITIONS = """CREATE TABLE IF NOT EXISTS relay_positions (
    name text PRIMARY KEY, position bigint NOT NULL)"""

TABLES = [
    *INTAKE,
    CHAIN,
    PERSON_KEYS,
    UPGRADES,
    RETENTION_INDEXES,
    API_TOKENS,
    API_TOKEN_SCOPES,
    RELAY_POSITIONS,
]
