"""A hash chain whose ledger switched from SHA-256 to SM3 (GOVLEDGER_CRYPTO=gm) part-way: every
record verified by the algorithm that made it, and tampering found under either."""

from __future__ import annotations

import hashlib
import struct
from datetime import UTC, datetime

import psycopg
import pytest
from cryptography.hazmat.primitives import hashes

from aggregates.base import Context
from aggregates.powers.item import ItemDetails
from infra.bootstrap import build_ledger
from infra.store.chain import GENESIS, Digest, head, link, verify

CTX = Context("qlqd-sync", "system", "权责清单系统", "m1", datetime(2021, 6, 1, tzinfo=UTC), reason="核定")
SWITCHED_AT = 6  # the first event stored under the gm suite


def _details(name: str) -> ItemDetails:
    return ItemDetails(name, "penalty", "supervisory", "城市绿化", "条例", "JB-GREEN")


@pytest.fixture
def ledger(database_url: str, monkeypatch: pytest.MonkeyPatch):
    """Five events stored under the standard suite, then the ledger restarted with
    GOVLEDGER_CRYPTO=gm and five more (four of them in one batch)."""
    monkeypatch.delenv("GOVLEDGER_CRYPTO", raising=False)
    standard = build_ledger(database_url)
    for n in range(1, 6):
        standard.register_power_item(CTX, f"P{n}", _details(f"事项{n}"))
    standard.close()
    monkeypatch.setenv("GOVLEDGER_CRYPTO", "gm")
    ledger = build_ledger(database_url)
    ledger.register_power_item(CTX, "P6", _details("事项6"))
    with ledger.batch() as batch:
        for n in range(7, 11):
            ledger.register_power_item(CTX, f"P{n}", _details(f"事项{n}"))
        ledger.commit(batch)
    return ledger


def _check(ledger, digest=None):
    return verify(ledger.recorder.datastore, ledger.recorder.events_table_name, digest)


def _tamper(database_url: str, *statements: str) -> None:
    with psycopg.connect(database_url) as conn:
        for statement in statements:
            conn.execute(statement)


def _by_hand(algorithm: str, *parts: bytes) -> bytes:
    """The digest from each library's own interface, beside the chain's code."""
    if algorithm == "sha256":
        return hashlib.sha256(b"".join(parts)).digest()
    sm3 = hashes.Hash(hashes.SM3())
    sm3.update(b"".join(parts))
    return sm3.finalize()


def test_a_chain_switched_to_sm3_verifies_every_record_by_the_algorithm_that_made_it(
    ledger, database_url: str
) -> None:
    verdict = _check(ledger)

    assert (verdict.ok, verdict.checked) == (True, 10)
    assert verdict.algorithms == ((1, "sha256"), (SWITCHED_AT, "sm3"))
    with psycopg.connect(database_url) as conn:
        rows = conn.execute(
            "SELECT e.notification_id, originator_id, originator_version, topic, state, link, algorithm"
            " FROM ledger_events e JOIN event_chain USING (notification_id) ORDER BY 1"
        ).fetchall()
    previous = GENESIS
    for position, originator_id, version, topic, state, stored, algorithm in rows:
        assert algorithm == ("sha256" if position < SWITCHED_AT else "sm3")
        expected = _by_hand(
            algorithm,
            previous,
            struct.pack(">qq", position, version),
            originator_id.bytes,
            topic.encode() + b"\0",
            bytes(state),
        )
        assert bytes(stored) == expected
        previous = expected
    assert verdict.head == Digest(10, previous) == head(ledger.recorder.datastore)


@pytest.mark.parametrize("position", [3, 8], ids=["sha256-record", "sm3-record"])
def test_a_changed_event_is_found_whichever_algorithm_linked_it(
    ledger, database_url: str, position: int
) -> None:
    _tamper(
        database_url,
        "UPDATE ledger_events SET state ="
        " convert_to(replace(convert_from(state, 'UTF8'), '事项', '事件'), 'UTF8')"
        f" WHERE notification_id = {position}",
    )

    verdict = _check(ledger)

    assert (verdict.ok, verdict.bad_position) == (False, position)
    assert "changed" in (verdict.problem or "")


@pytest.mark.parametrize(
    ("relabel", "position", "words"),
    [("sha256", 8, "does not match its link"), ("sm3", 3, "does not match its link"), ("md5", 7, "unknown")],
)
def test_a_link_relabelled_with_another_algorithm_fails(
    ledger, database_url: str, relabel: str, position: int, words: str
) -> None:
    _tamper(
        database_url, f"UPDATE event_chain SET algorithm = '{relabel}' WHERE notification_id = {position}"
    )

    verdict = _check(ledger)

    assert (verdict.ok, verdict.bad_position) == (False, position)
    assert words in (verdict.problem or "")


def test_a_chain_rewritten_across_the_switch_is_caught_by_a_digest_kept_before(
    ledger, database_url: str
) -> None:
    kept = _check(ledger).head
    assert kept is not None
    _tamper(
        database_url,
        "UPDATE ledger_events SET state ="
        " convert_to(replace(convert_from(state, 'UTF8'), 'P4', 'P9'), 'UTF8') WHERE notification_id = 4",
    )
    previous = GENESIS  # the tamperer recomputes every link, each by its own algorithm
    with psycopg.connect(database_url) as conn:
        rows = conn.execute(
            "SELECT e.notification_id, originator_id, originator_version, topic, state, algorithm"
            " FROM ledger_events e JOIN event_chain USING (notification_id) ORDER BY 1"
        ).fetchall()
        for position, originator_id, version, topic, state, algorithm in rows:
            previous = link(previous, position, originator_id, version, topic, bytes(state), algorithm)
            conn.execute("UPDATE event_chain SET link = %s WHERE notification_id = %s", (previous, position))

    assert _check(ledger).ok
    verdict = _check(ledger, kept)
    assert (verdict.ok, verdict.bad_position) == (False, 10)
    assert "digest" in (verdict.problem or "")


def test_switching_back_to_standard_chains_on_with_sha256(ledger, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GOVLEDGER_CRYPTO", "standard")
    ledger.register_power_item(CTX, "P11", _details("事项11"))

    verdict = _check(ledger)

    assert (verdict.ok, verdict.checked) == (True, 11)
    assert verdict.algorithms == ((1, "sha256"), (SWITCHED_AT, "sm3"), (11, "sha256"))
