"""The appraisal demo: well-formed, deterministic, and only its two bad commands are refused."""

from __future__ import annotations

import collections
from decimal import Decimal

import msgspec
import pytest

from aggregates.appraisals.appraisal import Appraisal
from aggregates.appraisals.scheme import AppraisalScheme
from contracts.appraisals import commands as c
from infra.contexts import COMMANDS, touches
from infra.contexts import GovernanceLedger as Ledger
from infra.demo.appraisals import AGENCIES, BAD_RULES, REVERSE, REVERSED, VETOED, demo_commands, demo_phases
from infra.kafka import clients as kafka
from tests.support import demo_fixtures

decoder = msgspec.json.Decoder(c.AppraisalCommand)
TOWN = "JB-CICHENG"


messages, commands = demo_fixtures(demo_commands, decoder)


def appraisal(ledger: Ledger, subject: str) -> Appraisal:
    found = ledger.find(Appraisal.create_id(subject, "2021"))
    assert isinstance(found, Appraisal)
    return found


def test_every_message_is_keyed_as_the_broker_keys_it_and_is_stable(messages, commands) -> None:
    for (key, value), command in zip(messages, commands):
        p = command.payload
        named = p.scheme if isinstance(command, (c.DefineScheme, c.ReviseScheme)) else p.subject
        assert key == kafka.command_key(value) == named.encode()
        assert type(command) in COMMANDS.touched and touches(command)
    ids = [command.message_id for command in commands]
    assert len(ids) == len(set(ids)) and demo_commands() == messages
    schemes, rest = demo_phases()
    assert {type(decoder.decode(v)) for _, v in schemes} == {c.DefineScheme}
    assert c.DefineScheme not in {type(decoder.decode(v)) for _, v in rest}


def test_envelopes_carry_audit_fields(commands) -> None:
    for command in commands:
        assert command.occurred_at.tzinfo is not None and command.document_no
        assert command.correlation_id and command.actor.system
        if isinstance(command, c.VetoAppraisal):
            assert command.reason
    counts = collections.Counter(type(command).__name__ for command in commands)
    assert counts == {
        "DefineScheme": 3,
        "OpenAppraisal": 8 + 6,  # 6: Luohe's reverse appraisal (反向评价)
        "ScoreAppraisal": 20 + 6,
        "AttachEvidence": 4,
        "VetoAppraisal": 2,
        "FinaliseAppraisal": 8 + 6,
        "ApplyResult": 5,
    }


def test_applying_in_order_refuses_only_the_two_bad_commands(applied) -> None:
    _, refused = applied
    assert tuple(rule for _, rule in refused) == BAD_RULES
    second_veto, early = (command for command, _ in refused)
    assert isinstance(early, c.FinaliseAppraisal) and early.payload.subject == f"{TOWN}-ZHZF"
    assert isinstance(second_veto, c.VetoAppraisal)


def test_jiangbei_agencies_are_weighted_40_30_30_and_one_is_vetoed(applied) -> None:
    ledger, _ = applied
    scheme = ledger.find(AppraisalScheme.create_id("JB-PAIZHU"))
    assert [(w.party, w.weight) for w in scheme.versions[0].weights] == [
        ("town", Decimal(40)),
        ("society", Decimal(30)),
        ("department", Decimal(30)),
    ]
    outcomes = {code: appraisal(ledger, f"{TOWN}-{code}") for code, *_ in AGENCIES}
    assert {code: (a.total, a.grade) for code, a in outcomes.items()} == {
        "PCS": (Decimal("93.25"), "excellent"),
        "SCJG": (Decimal("88.00"), "good"),
        "ZRZY": (Decimal("73.70"), "failing"),
        "ZHZF": (Decimal("90.25"), "excellent"),
        "SFS": (Decimal("86.80"), "good"),
    }
    assert [code for code, a in outcomes.items() if a.veto] == [VETOED]
    assert all(a.status == "applied" and a.opening.town == TOWN for a in outcomes.values())
    assert outcomes["PCS"].result.promotion and not outcomes[VETOED].result.rewards
    assert len([a for a in outcomes.values() if a.evidence]) == 4


def test_the_street_weighs_its_liaison_officers_60_40_and_one_awaits_the_department(
    applied,
) -> None:
    ledger, _ = applied
    officers = [appraisal(ledger, f"AN-JD-PILOT-ZFZY-0{n}") for n in (1, 2, 3)]
    assert [(a.total, a.grade) for a in officers[:2]] == [
        (Decimal("91.20"), "excellent"),
        (Decimal("83.00"), "competent"),
    ]
    assert (officers[2].status, officers[2].missing) == ("open", ("department",))
    assert officers[0].terms.parties == ("street", "department")


@pytest.mark.parametrize(
    "change",
    [
        lambda d: d["payload"].update(period="2021Q1"),
        lambda d: d["payload"].update(party="village"),
        lambda d: d["payload"].update(colour="red"),
        lambda d: d["payload"].pop("evidence"),
        lambda d: d.update(type="appraisal.delete"),
    ],
)
def test_a_malformed_appraisal_command_is_refused_by_the_decoder(messages, change) -> None:
    score = next(v for _, v in messages if b'"appraisal.score"' in v)
    data = msgspec.json.decode(score)
    change(data)
    with pytest.raises(msgspec.ValidationError):
        decoder.decode(msgspec.json.encode(data))


def test_luohes_towns_appraise_the_departments_working_with_them_reverse_appraisal(applied) -> None:
    # 反向评价: a scheme of department subjects whose one weighted party is the town
    ledger, _ = applied
    scheme = ledger.find(AppraisalScheme.create_id(REVERSE))
    assert scheme.details.subject_kind == "department"
    assert [(w.party, w.weight) for w in scheme.versions[0].weights] == [("town", Decimal(100))]
    for town, scored in REVERSED.items():
        for department, score in scored.items():
            found = appraisal(ledger, f"{town}-{department}")
            assert (found.opening.kind, found.opening.town, found.total) == (
                "department",
                town,
                Decimal(score),
            )
    failed = appraisal(ledger, "LH-LONGCHENG-LH-YC-EMERG")
    assert (failed.grade, failed.veto) == ("failing", None)  # below 60, no veto for a department
