"""`govledger reserve` and `govledger extensions` on PostgreSQL: the views the API answers, on
both time axes; an unknown street or town is said so, with exit 1."""

from __future__ import annotations

import pytest

from infra.bootstrap import build_ledger
from infra.cli import main as cli
from infra.demo import reserve as demo_reserve
from tests.support import apply_messages, cli_json, project
from tests.unit.builders import approved, ctx, with_streets

STREET, T, SQ = "BH-WANNIANBU", "T1", "T1-SQ01"


def test_a_street_s_reserve_and_a_town_s_extensions_are_shown_and_unknown_ones_refused(
    cli_database: str, capsys: pytest.CaptureFixture[str]
) -> None:
    ledger = with_streets(demo_reserve.STREETS, demo_reserve.DISTRICT, ledger=build_ledger(cli_database))
    apply_messages(ledger, demo_reserve.rule_commands() + demo_reserve.demo_commands())
    approved(ledger, item="P1", town=T)
    ledger.extend_item(ctx("2021-08-01"), "P1", T, (SQ, "T1-CUN01"))
    ledger.record_handled(ctx("2021-09-05"), "P1", T, SQ, "2021-08", 30)
    project(ledger)

    now = cli_json(capsys, "reserve", "cadres", "--town", STREET)
    then = cli_json(
        capsys, "reserve", "cadres", "--town", STREET, "--on", "2021-06-30", "--known-at", "2099-01-01"
    )
    moves = cli_json(capsys, "reserve", "movements", "--town", STREET)
    assert [(r["tier_b"], r["tier_a"], r["appointed"]) for r in now["reserve"]] == [(5, 3, 4)]
    assert [(r["tier_b"], r["tier_a"]) for r in then["reserve"]] == [(8, 4)]
    assert {a["office"] for a in moves["appointments"]} == {"principal", "deputy"}

    town = cli_json(capsys, "extensions", "town", "--town", T)
    community = cli_json(capsys, "extensions", "community", "--community", SQ, "--on", "2021-08-31")
    assert [(i["item"], i["communities"], i["handled"]) for i in town["items"]] == [("P1", 2, 30)]
    assert [(r["community"], r["handled"]) for r in community["extended"]] == [(SQ, 30)]

    trail = cli_json(capsys, "audit", "trail", f"cadre_reserve/{STREET}")  # the audit trail, by natural key
    extension = cli_json(capsys, "audit", "trail", f"item_extension/P1/{T}")
    assert [e["event"] for e in trail].count("CadreReserve.Appointed") == 4 and trail[-1]["effective_at"]
    assert [e["event"].split(".")[1] for e in extension] == ["Opened", "Extended", "HandledRecorded"]

    assert cli.main(["reserve", "cadres", "--town", "BH-NOWHERE"]) == 1
    assert "no cadre reserve of town 'BH-NOWHERE' is known" in capsys.readouterr().out
    assert cli.main(["extensions", "town", "--town", "T9", "--on", "2021-12-31"]) == 1
    assert "as of then" in capsys.readouterr().out
