"""The published schemas are kept in the repository (`contracts/published/`), and a change
that would break a sender or a reader fails here unless it goes through a new message version."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from contracts.compatibility import breaking_changes_by_topic
from infra import published


def _as_json(value: Any) -> Any:
    return json.loads(json.dumps(value, ensure_ascii=False))


def test_the_published_schemas_are_the_ones_the_code_makes_today() -> None:
    stored, today = published.stored(), _as_json(published.schemas())
    assert sorted(stored) == sorted(today)
    changed = [topic for topic in today if stored[topic] != today[topic]]
    assert changed == [], f"the contract changed: run `govledger contracts publish` ({changed})"


def test_nothing_changed_since_publication_breaks_a_sender_or_a_reader() -> None:
    assert breaking_changes_by_topic(published.stored(), published.schemas()) == []


@pytest.fixture
def kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the published schemas that `publish` writes to instead of the repository's."""
    copy = tmp_path / "published"
    shutil.copytree(published.PUBLISHED, copy)
    monkeypatch.setattr(published, "PUBLISHED", copy)
    return copy


def _edit(kept: Path, topic: str, tag: str, edit: Any) -> None:
    path = kept / f"{topic}.json"
    document = json.loads(path.read_text())
    [definition] = [d for d in document["$defs"].values() if d.get("x-type") == tag]
    edit(document, definition)
    path.write_text(json.dumps(document, ensure_ascii=False))


def test_publishing_refuses_a_change_that_breaks_senders_and_writes_nothing(kept: Path) -> None:
    # as if "quota.approve" had once read a fourth kind of quota, which today's code no longer reads
    def wider(document: dict[str, Any], definition: dict[str, Any]) -> None:
        approval = document["$defs"][definition["properties"]["payload"]["$ref"].rsplit("/", 1)[-1]]
        approval["properties"]["kind"]["enum"].append("temporary")

    _edit(kept, "commands.staffing", "quota.approve", wider)
    before = (kept / "commands.staffing.json").read_bytes()

    breaks = published.publish()

    assert breaks == ['commands.staffing: quota.approve: field payload.kind no longer accepts "temporary"']
    assert (kept / "commands.staffing.json").read_bytes() == before


def test_publishing_writes_a_change_that_breaks_no_one(kept: Path) -> None:
    def older_words(document: dict[str, Any], definition: dict[str, Any]) -> None:
        definition["description"] = "an older description"

    _edit(kept, "commands.staffing", "quota.approve", older_words)

    assert published.publish() == []
    assert published.stored() == _as_json(published.schemas())
