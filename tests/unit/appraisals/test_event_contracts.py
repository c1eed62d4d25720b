"""Every event of appraisal schemes and appraisals has a published contract that round-trips."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any, get_args

import pytest

from aggregates.appraisals.appraisal import Appraisal
from aggregates.appraisals.scheme import AppraisalScheme
from consumers.appraisals import translator as event_contracts_appraisals
from contracts.appraisals import commands as c
from contracts.appraisals.events import AppraisalEvent
from infra.contexts import EVENTS
from infra.demo import appraisals as demo_appraisals
from tests.support import mid
from tests.unit.builders import applied, contract_classes, decoded, event_classes, published_as, sent, tags

JB, TOWN = demo_appraisals.JB, demo_appraisals.TOWN
contracts_of = published_as("appraisals", AppraisalEvent, event_contracts_appraisals.INTERNAL)


@pytest.fixture(scope="module")
def demo() -> dict[str, list[Any]]:
    return contracts_of(applied(*decoded(demo_appraisals.demo_commands(), c.AppraisalCommand)))


def _of(contracts: list[Any], subject: str) -> Any:
    [payload] = [x.payload for x in contracts if x.payload.subject == subject]
    return payload


def test_every_appraisal_event_has_a_contract_and_every_contract_of_the_union_is_used() -> None:
    m = event_contracts_appraisals.PUBLISHED
    domain_events = event_classes(AppraisalScheme) | event_classes(Appraisal)
    assert domain_events == set(m) and not event_contracts_appraisals.INTERNAL
    assert EVENTS.families["appraisals"] == m
    assert contract_classes(m) == set(get_args(AppraisalEvent))


def test_every_event_of_the_demo_maps_to_a_contract_that_round_trips(demo) -> None:
    assert set(demo) == (
        tags("appraisal", "scheme_defined", "opened", "evidence_attached")
        | tags("appraisal", "scored", "vetoed", "finalised", "result_applied")
    )
    assert [
        len(demo[t])
        for t in ("appraisal.opened", "appraisal.scored", "appraisal.finalised", "appraisal.result_applied")
    ] == [8 + 6, 20 + 6, 7 + 6, 5]  # 6: Luohe's reverse appraisal (反向评价)


def test_a_scheme_is_published_with_its_weights_and_bands(demo) -> None:
    scheme = next(x.payload for x in demo["appraisal.scheme_defined"] if x.payload.scheme == JB)
    assert [(w.party, w.weight) for w in scheme.parties] == [
        ("town", Decimal(40)),
        ("society", Decimal(30)),
        ("department", Decimal(30)),
    ]
    assert (scheme.subject_kind, scheme.cadence, scheme.bands[-1].grade) == (
        "stationed-agency",
        "yearly",
        "failing",
    )


def test_an_opening_names_its_scheme_version_subject_kind_host_town_and_day(demo) -> None:
    opened = _of(demo["appraisal.opened"], f"{TOWN}-PCS")
    assert (opened.scheme, opened.version, opened.kind, opened.town, opened.name) == (
        JB,
        1,
        "stationed-agency",
        TOWN,
        "慈城派出所",
    )
    assert opened.opened_on == date(2022, 1, 4)


def test_linkage_evidence_is_published_with_its_rates_cases_and_metrics_message(demo) -> None:
    attached = _of(demo["appraisal.evidence_attached"], f"{TOWN}-PCS")
    assert (attached.satisfaction, attached.cases, attached.source) == (Decimal("0.972"), 1400, "linkage")
    assert attached.metrics_message_id and attached.on == date(2022, 1, 5)


def test_a_veto_is_published_once_and_fails_the_finalised_grade(demo) -> None:
    [vetoed] = demo["appraisal.vetoed"]
    assert (vetoed.payload.subject, vetoed.payload.town) == (f"{TOWN}-ZRZY", TOWN)
    assert vetoed.reason.endswith("行使反向否决权") and vetoed.payload.on == date(2022, 1, 20)
    failed = _of(demo["appraisal.finalised"], f"{TOWN}-ZRZY")
    assert (failed.total, failed.grade, failed.vetoed) == (Decimal("73.70"), "failing", True)


def test_a_finalised_appraisal_carries_its_weighted_total_and_grade_then_its_result(demo) -> None:
    best = _of(demo["appraisal.finalised"], f"{TOWN}-PCS")  # 94×40% + 92.5×30% + 93×30%
    assert (best.total, best.grade, best.vetoed, best.on) == (
        Decimal("93.25"),
        "excellent",
        False,
        date(2022, 1, 28),
    )
    result = _of(demo["appraisal.result_applied"], f"{TOWN}-PCS")
    assert (result.bonus_tier, result.honour, result.promotion) == ("first", True, True)


def _scheme(town: int) -> dict[str, Any]:
    return {
        "scheme": "S1",
        "cadence": "yearly",
        "bands": (c.GradeBand(grade="failing", floor=Decimal(0)),),
        "parties": (
            c.PartyWeight(party="town", weight=Decimal(town)),
            c.PartyWeight(party="department", weight=Decimal(100 - town)),
        ),
    }


def test_a_revision_and_a_corrected_score_are_published_with_version_and_reason() -> None:
    # Given a scheme, when it is revised, an appraisal opened under it, scored and corrected
    ref = {"subject": "T1-AGENCY", "period": "2021"}

    def score(cls: type, label: str, value: str, reason: str | None = None) -> Any:
        return sent(
            cls,
            label,
            c.PartyScore(**ref, party="town", score=Decimal(value), evidence="月度对账"),
            reason=reason,
        )

    by_tag = contracts_of(
        applied(
            sent(
                c.DefineScheme,
                "define",
                c.SchemeDetails(**_scheme(40), title="派驻考核", subject_kind="stationed-agency"),
            ),
            sent(c.ReviseScheme, "revise", c.SchemeTerms(**_scheme(60)), reason="镇街权重提高"),
            sent(c.OpenAppraisal, "open", c.Opening(**ref, scheme="S1", name="派驻机构", town="T1")),
            score(c.ScoreAppraisal, "score", "80"),
            score(c.CorrectScore, "correct", "85.5", "录入错误"),
        )
    )
    # Then: version 2 with its weights, an opening under it, a correction with its reason
    [revised], [opened] = by_tag["appraisal.scheme_revised"], by_tag["appraisal.opened"]
    assert (revised.payload.version, revised.payload.parties[0].weight, revised.reason) == (
        2,
        Decimal(60),
        "镇街权重提高",
    )
    assert opened.payload.version == 2
    [corrected] = by_tag["appraisal.score_corrected"]
    assert (corrected.payload.score, corrected.payload.party, corrected.reason) == (
        Decimal("85.5"),
        "town",
        "录入错误",
    )
    assert corrected.message_id == mid("correct")
