"""The sink-down demo: well-formed, deterministic, the seeds' figures, and only its two bad commands."""

from __future__ import annotations

import collections
from datetime import date
from decimal import Decimal

import pytest

from aggregates.sinkdown.transfer import SinkDownTransfer
from contracts.sinkdown import commands as c
from infra.bootstrap import build_ledger
from infra.contexts import COMMANDS
from infra.contexts import GovernanceLedger as Ledger
from infra.demo.sinkdown import BAD_RULES, demo_commands
from infra.kafka import clients as kafka
from infra.store.vault import InMemoryVault
from projections.sinkdown.monitors import department_sink_down_shares, town_enforcement_growth
from projections.sinkdown.roster import adjustments
from tests.support import Reader, apply_all, demo_fixtures, in_memory, read_models

decoder = Reader(c.SinkDownCommand)
ADJUSTING = (c.RecallPerson, c.ReturnPerson, c.RotatePerson)


messages, commands = demo_fixtures(demo_commands, decoder)


@pytest.fixture(scope="module")
def applied(commands: list[c.SinkDownCommand]) -> tuple[Ledger, list[tuple[object, str]]]:
    """The demo applied in order to an in-memory ledger with a vault for the personal data."""
    return in_memory(commands, vault=InMemoryVault())


def transfers(ledger: Ledger, commands: list[c.SinkDownCommand], prefix: str) -> list[SinkDownTransfer]:
    codes = [x.payload.transfer for x in commands if isinstance(x, c.ProposeSinkDown)]
    return [ledger.find(SinkDownTransfer.create_id(code)) for code in codes if code.startswith(prefix)]


def test_every_message_decodes_is_keyed_by_its_transfer_or_unit_and_is_stable(messages, commands) -> None:
    for (key, value), command in zip(messages, commands):
        p = command.payload
        assert key == kafka.command_key(value) == getattr(p, "transfer", getattr(p, "unit", "")).encode()
        assert type(command) in COMMANDS.touched
    ids = [command.message_id for command in commands]
    assert len(ids) == len(set(ids))
    assert demo_commands() == messages


def test_envelopes_carry_audit_fields_and_the_personal_data_is_clearly_fake(commands) -> None:
    for command in commands:
        assert command.occurred_at.tzinfo is not None and command.document_no
        assert command.correlation_id and command.actor.role in ("编办", "镇街", "区级部门")
        if isinstance(command, (c.VetoSinkDown, *ADJUSTING)):
            assert command.reason
    persons = [p for x in commands if isinstance(x, c.ProposeSinkDown) for p in x.payload.persons]
    persons += [x.payload.replacement for x in commands if isinstance(x, c.RotatePerson)]
    assert all(
        p.personal.name.startswith("人员") and p.personal.id_number.startswith("TEST-ID-") for p in persons
    )


def test_applying_in_order_refuses_only_the_veto_breaker_and_the_unconsulted_rotation(
    applied, commands
) -> None:
    _, refused = applied
    assert tuple(rule for _, rule in refused) == BAD_RULES
    (made_effective, _), (rotation, _) = refused
    assert isinstance(made_effective, c.MakeSinkDownEffective)
    assert isinstance(rotation, c.RotatePerson)
    again = [x for x in commands if isinstance(x, c.RotatePerson) and x.payload == rotation.payload]
    assert len(again) == 2 and again[1].message_id != rotation.message_id


def test_the_street_report_sinks_264_staff_of_6_departments_into_3_teams_in_3_modes(
    applied, commands
) -> None:
    ledger, _ = applied
    in_effect = [t for t in transfers(ledger, commands, "AN-") if t.status == "effective"]
    serving = [(t, m) for t in in_effect for m in t.members if m.status == "sunk"]

    assert len(serving) == 264
    assert len({t.details.department for t, _ in serving}) == 6
    assert len({t.details.team for t, _ in serving}) == 3
    assert {t.details.mode for t, _ in serving} == {"full", "stationed", "liaison"}
    assert [t.status for t in transfers(ledger, commands, "AN-") if t not in in_effect] == ["vetoed"]


def test_jiangbei_made_27_adjustments_9_of_section_level_all_after_consulting_the_town(
    applied, commands
) -> None:
    ledger, refused = applied
    made = [x for x in commands if isinstance(x, ADJUSTING) and x is not refused[1][0]]
    consulted = {
        (x.payload.transfer, x.payload.person): x.occurred_at
        for x in commands
        if isinstance(x, c.ConsultAdjustment) and x.payload.agreed
    }

    assert len(made) == 27
    assert all(consulted[x.payload.transfer, x.payload.person] < x.occurred_at for x in made)
    by_code = {t.code: t for t in transfers(ledger, commands, "JB-")}
    ranks = [by_code[x.payload.transfer].member(x.payload.person).person.rank for x in made]
    assert sum(rank in ("section", "deputy_section") for rank in ranks) == 9
    assert {t.details.mode for t in by_code.values()} == {"stationed"}
    ended = [m for t in by_code.values() for m in t.members if m.status != "sunk"]
    assert collections.Counter(m.status for m in ended) == {"rotated": 21, "recalled": 3, "returned": 3}


def test_the_aggregates_keep_only_sealed_tokens_that_open_to_the_fake_names(applied, commands) -> None:
    ledger, _ = applied
    members = [m for t in transfers(ledger, commands, "") for m in t.members]

    assert all(m.person.sealed.startswith("pd1.") and "人员" not in m.person.sealed for m in members)
    first = members[0].person
    assert ledger.vault.open(first.person, first.sealed)["name"] == "人员0001"


def test_the_monitors_show_the_seeds_figures_on_postgres(database_url: str, commands) -> None:
    ledger = build_ledger(database_url)
    apply_all(ledger, commands)

    with read_models(ledger) as cur:
        shares = {r["department"]: r for r in department_sink_down_shares(cur, date(2021, 12, 31))}
        growth = [r for r in town_enforcement_growth(cur, date(2021, 12, 31)) if r["town"].startswith("JB-")]
        made = adjustments(cur)
    assert (len(made), sum(r["rank"] == "section" for r in made)) == (27, 9)
    assert all(r["consulted_on"] is not None and r["consulted_on"] < r["on_day"] for r in made)
    assert (shares["AN-CGJ"]["share"], shares["AN-CGJ"]["met"]) == (Decimal("0.8000"), True)
    assert (shares["AN-NRP"]["share"], shares["AN-NRP"]["met"]) == (Decimal("0.4500"), False)
    assert [shares[d]["share"] for d in ("JB-ZHZF", "JB-SAMR", "JB-NRP")] == [
        Decimal("0.8000"),
        Decimal("0.5000"),
        Decimal("0.5000"),
    ]
    assert sum(r["sunk"] for r in shares.values() if r["department"].startswith("AN-")) == 264 - 24
    assert sum(r["liaison"] for r in shares.values()) == 24  # 挂点联系: 8 per street
    assert (len(growth), sum(r["sunk"] for r in growth), sum(r["baseline"] for r in growth)) == (8, 116, 200)
