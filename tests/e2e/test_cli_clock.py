"""`govledger clock`: besides the day's clock commands, the daily pruning of message ids and
published dead letters past their retention, with what it removed said."""

from __future__ import annotations

import psycopg
import pytest

from infra.bootstrap import build_ledger
from infra.cli import main as cli
from tests.support import isolated_settings


def _seed(url: str) -> None:
    """Message ids received 31 and 29 days ago; dead letters published 91 and 89 days ago, and
    one that failed 400 days ago and was never published."""
    with psycopg.connect(url) as conn:
        for message_id, days in (("m-31", 31), ("m-29", 29)):
            conn.execute(
                'INSERT INTO intake_messages (message_id, outcome, topic, partition, "offset", received_at)'
                " VALUES (%s, 'applied', 't', 0, 0, now() - make_interval(days => %s))",
                (message_id, days),
            )
        for error, failed, published in (("p-91", 91, 91), ("p-89", 89, 89), ("waiting", 400, None)):
            conn.execute(
                'INSERT INTO dead_letters (topic, partition, "offset", rule, error, original, failed_at,'
                " published_at) VALUES ('t', 0, 0, 'MalformedMessage', %s, '{', now() - make_interval("
                "days => %s), now() - make_interval(days => %s))",
                (error, failed, published),
            )


def _kept(url: str) -> tuple[list[str], list[str]]:
    with psycopg.connect(url) as conn:
        ids = conn.execute("SELECT message_id FROM intake_messages ORDER BY 1").fetchall()
        letters = conn.execute("SELECT error FROM dead_letters ORDER BY 1").fetchall()
    return [r[0] for r in ids], [r[0] for r in letters]


@pytest.fixture()
def clock_env(cli_database: str, broker: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """The command line on the test's database and the shared broker, with a staffing topic of
    its own (where the clock commands go); the database holds the seeded rows."""
    monkeypatch.setenv("GOVLEDGER_KAFKA_BOOTSTRAP", broker)
    monkeypatch.setenv("GOVLEDGER_TOPIC_STAFFING", isolated_settings(partitions=1).topics.staffing)
    build_ledger(cli_database).close()
    _seed(cli_database)
    return cli_database


def test_the_clock_removes_what_is_past_the_window_and_the_retention_and_says_how_much(
    clock_env: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["clock", "--on", "2024-01-01"]) == 0
    out = capsys.readouterr().out

    assert "retention: removed 1 message id(s) received before" in out
    assert "retention: removed 1 dead letter(s) published before" in out
    assert _kept(clock_env) == (["m-29"], ["p-89", "waiting"])
    assert cli.main(["clock", "--on", "2024-01-01"]) == 0  # the next run finds nothing more
    assert "removed 0 message id(s)" in capsys.readouterr().out


def test_the_clock_keeps_everything_where_the_settings_say_0(
    clock_env: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("GOVLEDGER_DUPLICATE_WINDOW_DAYS", "0")
    monkeypatch.setenv("GOVLEDGER_DEAD_LETTER_RETENTION_DAYS", "0")
    assert cli.main(["clock", "--on", "2024-01-01"]) == 0
    out = capsys.readouterr().out

    assert "retention: message id(s) kept for ever" in out
    assert "retention: dead letter(s) kept for ever" in out
    assert _kept(clock_env) == (["m-29", "m-31"], ["p-89", "p-91", "waiting"])
