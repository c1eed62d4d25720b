"""Structured logs: JSON lines (or text) on stderr with the caller's fields, and no secrets."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator

import pytest

from infra.ops import logs
from infra.settings import Ops


@pytest.fixture(autouse=True)
def restored_logging() -> Iterator[None]:
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    levels = {name: logging.getLogger(name).level for name in (*logs.OURS, "kafka")}
    yield
    root.handlers[:], root.level = handlers, level
    for name, was in levels.items():
        logging.getLogger(name).setLevel(was)


def _lines(err: str) -> list[dict]:
    return [json.loads(line) for line in err.splitlines() if line.startswith("{")]


def test_a_json_line_holds_time_level_logger_message_and_the_extra_fields(capsys) -> None:
    logs.configure(Ops(log_format="json", log_level="INFO"))
    logging.getLogger("infra.cli.main").info("intake stopped", extra={"applied": 3, "topics": ["a", "b"]})

    [line] = _lines(capsys.readouterr().err)
    assert line["level"] == "INFO" and line["logger"] == "infra.cli.main"
    assert line["message"] == "intake stopped"
    assert line["applied"] == 3 and line["topics"] == ["a", "b"]
    assert line["ts"].endswith("+00:00") and isinstance(line["pid"], int)


def test_an_error_carries_its_traceback_in_the_same_line(capsys) -> None:
    logs.configure(Ops())
    try:
        raise ValueError("bad page")
    except ValueError:
        logging.getLogger("infra.ops.observers").exception("step failed", extra={"position": 7})

    [line] = _lines(capsys.readouterr().err)
    assert line["level"] == "ERROR" and line["position"] == 7
    assert "ValueError: bad page" in line["error"]


def test_our_packages_log_at_the_level_set_libraries_only_from_warning_on(capsys) -> None:
    logs.configure(Ops(log_level="DEBUG"))
    logging.getLogger("consumers.intake").debug("batch committed")
    logging.getLogger("kafka.conn").info("connecting")
    logging.getLogger("kafka.conn").warning("connection lost")

    assert [line["message"] for line in _lines(capsys.readouterr().err)] == [
        "batch committed",
        "connection lost",
    ]


def test_text_format_and_configuring_twice_keeps_one_handler(capsys) -> None:
    logs.configure(Ops())
    logs.configure(Ops(log_format="text"))
    logging.getLogger("infra.ops.supervisor").warning("child exited; restarting", extra={"child": "intake-1"})

    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1
    assert err[0].endswith("WARNING infra.ops.supervisor child exited; restarting child=intake-1")


def test_a_database_url_is_logged_without_its_password() -> None:
    redacted = logs.redact("postgresql://ledger:s3cret@db.internal:5432/govledger")
    assert "s3cret" not in redacted
    assert "password=***" in redacted and "host=db.internal" in redacted
    assert logs.redact("postgresql://postgres@127.0.0.1/x") == "user=postgres dbname=x host=127.0.0.1"
