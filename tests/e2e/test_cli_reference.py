"""`govledger contracts docs`: the contract's reference written to a folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from infra.api.reference import pages
from infra.cli import main as cli
from infra.published import schemas


def test_contracts_docs_writes_every_page_to_the_folder_named(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "reference"
    assert cli.main(["contracts", "docs", "--out", str(out)]) == 0

    expected = pages(schemas())
    assert sorted(p.name for p in out.iterdir()) == sorted(expected)
    for name, text in expected.items():
        assert (out / name).read_text(encoding="utf-8") == text, name
    assert (out / "index.html").resolve().as_uri() in capsys.readouterr().out


def test_contracts_docs_writes_to_the_state_folder_by_default(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert cli.main(["contracts", "docs"]) == 0

    assert (tmp_path / ".govledger" / "reference" / "commands.staffing.html").is_file()
