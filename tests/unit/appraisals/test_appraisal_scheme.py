"""考核方案: weighted parties summing to 100, grade bands from 0, a cadence, and versions."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from typing import Any

import pytest

from aggregates.appraisals.scheme import (
    AppraisalScheme,
    Band,
    InvalidScheme,
    PeriodOutOfCadence,
    SchemeAlreadyDefined,
    SchemeDetails,
    SchemeNotDefined,
    SchemeTerms,
    Weight,
    WeightsMustSumTo100,
)
from aggregates.base import ReasonRequired
from infra.contexts import GovernanceLedger as Ledger
from tests.unit.builders import ctx, event_names

D = Decimal
JB = "JB-PAIZHU"
DETAILS = SchemeDetails("江北区派驻机构年度考核", "stationed-agency")


def weights(*pairs: tuple[str, str]) -> tuple[Weight, ...]:
    return tuple(Weight(party, D(weight)) for party, weight in pairs)


def bands(*pairs: tuple[str, str]) -> tuple[Band, ...]:
    return tuple(Band(grade, D(floor)) for grade, floor in pairs)


BANDS = bands(("excellent", "90"), ("good", "80"), ("competent", "60"), ("failing", "0"))
JIANGBEI = SchemeTerms(  # 镇街综合评价占40%、社会评价占30%、区级部门占30%
    "yearly", weights(("town", "40"), ("society", "30"), ("department", "30")), BANDS
)
STREET = SchemeTerms("yearly", weights(("street", "60"), ("department", "40")), BANDS)


def defined(
    ledger: Ledger, terms: SchemeTerms = JIANGBEI, code: str = JB, details: SchemeDetails = DETAILS
) -> None:
    """Given the scheme is defined."""
    ledger.define_appraisal_scheme(ctx(), code, details, terms)


def scheme(ledger: Ledger, code: str = JB) -> AppraisalScheme:
    return ledger.repository.get(AppraisalScheme.create_id(code))


def events(ledger: Ledger, code: str = JB) -> list[str]:
    return event_names(ledger, AppraisalScheme.create_id(code))


def test_a_defined_scheme_is_version_1_of_its_terms(ledger: Ledger) -> None:
    defined(ledger)

    jb = scheme(ledger)
    assert (jb.code, jb.details, jb.latest, jb.terms()) == (JB, DETAILS, 1, (1, JIANGBEI))
    assert jb.versions[0].parties == ("town", "society", "department")
    assert jb.id == AppraisalScheme.create_id(JB) != AppraisalScheme.create_id("AN-LIAISON")


def test_the_street_reports_60_40_scheme_is_accepted(ledger: Ledger) -> None:
    defined(ledger, STREET, "AN-LIAISON", SchemeDetails("定点联系执法专员双重考核", "stationed-person"))
    assert scheme(ledger, "AN-LIAISON").terms()[1].parties == ("street", "department")


def test_defining_again_identically_records_nothing_and_otherwise_is_refused(ledger: Ledger) -> None:
    defined(ledger)
    defined(ledger)

    with pytest.raises(SchemeAlreadyDefined):
        defined(ledger, STREET)
    with pytest.raises(SchemeAlreadyDefined):
        defined(ledger, details=SchemeDetails("江北区派驻机构年度考核", "stationed-person"))
    assert events(ledger) == ["Defined"]


@pytest.mark.parametrize(
    "pairs",
    [
        (("town", "40"), ("society", "30"), ("department", "20")),  # 90
        (("town", "40"), ("society", "30"), ("department", "30.01")),  # 100.01
        (("town", "70"), ("town", "30")),  # a party twice
        (("town", "100"), ("society", "0")),  # a party weighing nothing
        (("town", "33.335"), ("society", "33.335"), ("department", "33.33")),  # thousandths
        (("town", "NaN"), ("society", "100")),
        (),
    ],
)
def test_weights_must_sum_to_exactly_100(pairs: Any) -> None:
    with pytest.raises(WeightsMustSumTo100):
        SchemeTerms("yearly", weights(*pairs), BANDS)


def test_weights_in_hundredths_summing_to_100_are_exact() -> None:
    terms = SchemeTerms(
        "quarterly", weights(("town", "33.33"), ("society", "33.33"), ("department", "33.34")), BANDS
    )
    assert sum(w.weight for w in terms.weights) == D(100)


@pytest.mark.parametrize(
    "make",
    [
        lambda: SchemeTerms("hourly", JIANGBEI.weights, BANDS),
        lambda: SchemeTerms("yearly", weights(("village", "60"), ("department", "40")), BANDS),
        lambda: SchemeDetails("考核", "village"),
        lambda: SchemeDetails(" ", "town"),
        lambda: SchemeTerms("yearly", JIANGBEI.weights, bands(("superb", "95"), ("failing", "0"))),
    ],
)
def test_kinds_cadences_parties_and_grades_outside_the_vocabulary_are_refused(make: Any) -> None:
    with pytest.raises(InvalidScheme):
        make()


@pytest.mark.parametrize(
    "pairs",
    [
        (("excellent", "90"), ("good", "80")),  # no failing band: a total below 80 has no grade
        (("excellent", "90"), ("failing", "10")),  # the failing band does not start at 0
        (("excellent", "80"), ("good", "90"), ("failing", "0")),  # a better grade, a lower floor
        (("excellent", "90"), ("good", "90"), ("failing", "0")),  # two grades, one floor
        (("excellent", "100.5"), ("failing", "0")),
        (("good", "80"), ("good", "70"), ("failing", "0")),
    ],
)
def test_bands_give_every_total_one_grade_better_grades_higher(pairs: Any) -> None:
    with pytest.raises(InvalidScheme):
        SchemeTerms("yearly", JIANGBEI.weights, bands(*pairs))


def test_bands_are_kept_best_grade_first_whatever_order_they_come_in() -> None:
    terms = SchemeTerms("yearly", JIANGBEI.weights, tuple(reversed(BANDS)))
    assert terms == JIANGBEI and terms.grade(D("79.99")) == "competent"


@pytest.mark.parametrize(
    "cadence, good, bad",
    [
        ("yearly", "2021", "2021-Q1"),
        ("quarterly", "2021-Q3", "2021-Q5"),
        ("monthly", "2021-07", "2021-13"),
        ("weekly", "2021-W27", "2021-W54"),
        ("daily", "2021-07-01", "2021-02-30"),
    ],
)
def test_a_period_is_written_for_the_cadence(cadence: str, good: str, bad: str) -> None:
    terms = replace(JIANGBEI, cadence=cadence)
    terms.check_period(good)
    with pytest.raises(PeriodOutOfCadence):
        terms.check_period(bad)


def test_a_revision_needs_a_reason_and_adds_a_version(ledger: Ledger) -> None:
    defined(ledger)
    revised = replace(
        JIANGBEI, bands=bands(("excellent", "92"), ("good", "80"), ("competent", "60"), ("failing", "0"))
    )
    with pytest.raises(ReasonRequired):
        ledger.revise_appraisal_scheme(ctx(reason=None), JB, revised)

    ledger.revise_appraisal_scheme(ctx(reason="优秀档提高至92分"), JB, revised)
    ledger.revise_appraisal_scheme(ctx(reason="重发"), JB, revised)  # the latest again: nothing

    jb = scheme(ledger)
    assert (jb.latest, jb.terms(1)[1], jb.terms()) == (2, JIANGBEI, (2, revised))
    assert events(ledger) == ["Defined", "Revised"]
    with pytest.raises(SchemeNotDefined):
        jb.terms(3)


def test_an_undefined_scheme_cannot_be_revised(ledger: Ledger) -> None:
    with pytest.raises(SchemeNotDefined):
        ledger.revise_appraisal_scheme(ctx(reason="调整"), JB, JIANGBEI)


def test_a_replayed_scheme_holds_tuples_not_the_lists_json_gives_back(ledger: Ledger) -> None:
    defined(ledger)
    ledger.revise_appraisal_scheme(ctx(reason="调整"), JB, STREET)

    replayed = scheme(ledger)

    assert replayed.versions == ledger.find(AppraisalScheme.create_id(JB)).versions
    assert all(isinstance(v.weights, tuple) and isinstance(v.bands, tuple) for v in replayed.versions)
    assert isinstance(replayed.versions, tuple)
