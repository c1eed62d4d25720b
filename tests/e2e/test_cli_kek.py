"""`govledger privacy new-kek|rotate-kek`: every person's key moved to a new KEK, the events and
their hash chain untouched; what was sealed before opens under the new KEK only."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from infra.bootstrap import build_ledger
from infra.cli import main as cli
from infra.contexts import Command
from infra.demo import sinkdown as demo_sink_down
from tests.support import Reader, apply_all, project

PERSON = "AN-P0001"


@pytest.fixture()
def old_kek(cli_database: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The demo's sink-downs, their personal data sealed under a KEK of their own."""
    path = tmp_path / "old.kek"
    assert cli.main(["privacy", "new-kek", str(path)]) == 0
    monkeypatch.setenv("GOVLEDGER_KEK_FILE", str(path))
    ledger, reader = build_ledger(cli_database), Reader(Command)  # as the intake reads them
    apply_all(ledger, [reader.decode(value) for _key, value in demo_sink_down.demo_commands()])
    project(ledger)
    return path


def _digest(capsys: pytest.CaptureFixture[str]) -> str:
    assert cli.main(["audit", "digest"]) == 0
    return capsys.readouterr().out.strip()


def test_rotate_kek_moves_every_key_to_the_new_kek_and_leaves_the_log_as_it_was(
    old_kek: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    new = tmp_path / "new.kek"
    assert cli.main(["privacy", "new-kek", str(new)]) == 0
    assert cli.main(["privacy", "new-kek", str(new)]) == 1  # a KEK file is never written over
    capsys.readouterr()
    before = _digest(capsys)

    assert (
        cli.main(["privacy", "rotate-kek", "--kek-file", str(new), "--previous-kek-file", str(old_kek)]) == 0
    )
    said = capsys.readouterr().out
    assert "every key is under KEK" in said and "re-wrapped" in said

    assert _digest(capsys) == before  # no event written, none changed
    monkeypatch.setenv("GOVLEDGER_KEK_FILE", str(new))
    assert cli.main(["privacy", "rotate-kek", "--check"]) == 0  # nothing left to move
    capsys.readouterr()
    assert cli.main(["privacy", "show", PERSON, "--purpose", "纪检核查"]) == 0
    assert json.loads(capsys.readouterr().out)["name"] == "人员0001"

    monkeypatch.setenv("GOVLEDGER_KEK_FILE", str(old_kek))
    assert cli.main(["privacy", "show", PERSON, "--purpose", "纪检核查"]) == 1
    assert "KekUnavailable" in capsys.readouterr().out
    assert cli.main(["audit", "verify"]) == 0


def test_rotate_kek_without_the_kek_the_keys_are_under_says_so_and_fails(
    old_kek: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    other = tmp_path / "other.kek"
    assert cli.main(["privacy", "new-kek", str(other)]) == 0
    monkeypatch.setenv("GOVLEDGER_KEK_FILE", str(other))

    assert cli.main(["privacy", "rotate-kek"]) == 1
    said = capsys.readouterr().out
    assert "which was not given" in said and "--previous-kek-file" in said

    monkeypatch.setenv("GOVLEDGER_KEK_FILE", str(old_kek))
    assert cli.main(["privacy", "show", PERSON, "--purpose", "纪检核查"]) == 0  # nothing was moved
