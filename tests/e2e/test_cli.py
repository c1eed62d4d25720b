"""The command line, against a real PostgreSQL."""

from __future__ import annotations

import json

import msgspec
import pytest

from infra import contexts
from infra.bootstrap import build_ledger, build_projections
from infra.cli import main as cli
from infra.settings import Settings
from tests.integration.projections.test_town_power_inventory import _scenario
from tests.support import cli_json, isolated_settings, project, propose, records, register


def test_contracts_schema_prints_a_schema_for_every_topic_family(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["contracts", "schema"]) == 0
    schemas = json.loads(capsys.readouterr().out)

    families = {"powers", "duties", "organisation", "staffing", "appraisals", "linkage"}
    assert set(schemas) == {f"{kind}.{family}" for kind in ("commands", "events") for family in families} | {
        "deadletters",
        "linkage.metrics",
        "linkage.ticks",
    }
    tags = {
        m["properties"]["type"]["enum"][0]
        for m in schemas["commands.powers"]["$defs"].values()
        if "type" in m.get("properties", {})
    }
    sent = contexts.sent_commands("powers")  # the power items', delegations' and extensions' commands
    assert tags == {member.__struct_config__.tag for member in sent.__args__}
    assert "delegation.approve" in tags


def test_inventory_powers_prints_a_town_s_powers_as_json(
    cli_database: str, capsys: pytest.CaptureFixture[str]
) -> None:
    project(_scenario(build_ledger(cli_database)))

    rows = cli_json(capsys, "inventory", "powers", "--town", "T1", "--on", "2021-12-01")

    assert [(r["code"], r["since"]) for r in rows] == [("P1", "2021-07-01"), ("P2", "2021-07-01")]


def test_rebuild_replays_the_log_into_the_read_models(
    cli_database: str, capsys: pytest.CaptureFixture[str]
) -> None:
    ledger = _scenario(build_ledger(cli_database))

    assert cli.main(["rebuild"]) == 0

    head = ledger.recorder.max_notification_id()
    assert f"rebuilt every read model from {head} events" in capsys.readouterr().out
    assert build_projections(ledger, Settings()).position() == head

    assert cli.main(["rebuild", "--only", "town_power_inventory,power_history"]) == 0
    assert f"rebuilt town_power_inventory, power_history from {head} events" in capsys.readouterr().out
    assert cli.main(["rebuild", "--only", "town_powers"]) == 2  # no such read model
    assert "no read model town_powers; there are town_power_inventory" in capsys.readouterr().out


def test_publish_sends_each_line_keyed_by_its_power_item(
    broker: str,
    tmp_path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    settings = isolated_settings(partitions=1)
    lines = [msgspec.json.encode(register("P7")), msgspec.json.encode(propose("P7", "T1"))]
    (tmp_path / "upstream.jsonl").write_bytes(b"\n".join(lines) + b"\n")
    monkeypatch.setenv("GOVLEDGER_KAFKA_BOOTSTRAP", broker)
    monkeypatch.setenv("GOVLEDGER_TOPIC_COMMANDS", settings.topics.commands)

    assert cli.main(["publish", str(tmp_path / "upstream.jsonl")]) == 0

    published = [(r.key, r.value) for r in records(broker, settings.topics.commands)]
    assert published == [(b"P7", lines[0]), (b"P7", lines[1])]
