"""考核方案 — an appraisal scheme: whom it appraises, by which weighted parties, in which bands."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from aggregates.base import Context, RuleViolation, natural_id, require_reason

if TYPE_CHECKING:
    from aggregates.base import DecoratedCreated, DecoratedEvent

# The terms of appraisals (考核): vocabularies, weights, grade bands, the arithmetic, the errors.


SUBJECT_KINDS = frozenset({"stationed-agency", "stationed-person", "town", "department"})
VETO_KINDS = frozenset({"stationed-agency", "stationed-person"})  # 区属镇用: the host town vetoes
PARTIES = frozenset({"town", "street", "society", "department"})  # 镇/街道评价, 社会评价, 部门评价
GRADES = ("excellent", "good", "competent", "basic", "failing")  # 优秀 良好 合格 基本合格 不合格
FAILING = "failing"
BONUS_TIERS = frozenset({"first", "second", "third", "none"})  # 绩效奖金 一档 / 二档 / 三档 / 无
CADENCES = {  # 日考勤、周记录、月对账、季考评、年测评: the period an appraisal covers
    "daily": r"\d{4}-\d{2}-\d{2}",
    "weekly": r"\d{4}-W(0[1-9]|[1-4]\d|5[0-3])",
    "monthly": r"\d{4}-(0[1-9]|1[0-2])",
    "quarterly": r"\d{4}-Q[1-4]",
    "yearly": r"\d{4}",
}
EXAMPLES = {  # each cadence's period, written as the sender writes it
    "daily": "2021-07-01",
    "weekly": "2021-W27",
    "monthly": "2021-07",
    "quarterly": "2021-Q3",
    "yearly": "2021",
}
HUNDRED, CENT = Decimal(100), Decimal("0.01")


class InvalidScheme(RuleViolation):
    """Subject kind, cadence, party or grade outside the vocabulary; bands that leave a
    total without a grade (the failing band starts at 0) or rank grades out of order."""


class WeightsMustSumTo100(RuleViolation):
    """Each weighted party appears once with a weight above 0, and the weights sum to 100."""


class PeriodOutOfCadence(RuleViolation):
    """The period is written for the scheme's cadence:
    2021, 2021-Q3, 2021-07, 2021-W27 or 2021-07-01."""


class ScoreOutOfRange(RuleViolation):
    """A score runs from 0 to 100, in hundredths at most."""


def is_hundredths(value: Decimal, low: Decimal = Decimal(0), high: Decimal = HUNDRED) -> bool:
    return (
        isinstance(value, Decimal)
        and value.is_finite()
        and low <= value <= high
        and value == value.quantize(CENT)
    )


_scheme_check = InvalidScheme.check


@dataclass(frozen=True)
class Weight:
    party: str
    weight: Decimal


@dataclass(frozen=True)
class Band:
    """A grade from its floor up to the next band's floor (exclusive)."""

    grade: str
    floor: Decimal


@dataclass(frozen=True)
class SchemeTerms:
    """One version of a scheme: its cadence, its weighted parties and its grade bands."""

    cadence: str
    weights: tuple[Weight, ...]
    bands: tuple[Band, ...]

    def __post_init__(self) -> None:
        object.__setattr__(self, "weights", tuple(self.weights))  # stored as lists
        bands = tuple(sorted(self.bands, key=lambda b: GRADES.index(b.grade) if b.grade in GRADES else -1))
        object.__setattr__(self, "bands", bands)
        _scheme_check(
            self.cadence in CADENCES,
            f"a scheme of cadence {self.cadence!r}: the cadence is one of {', '.join(CADENCES)}",
        )
        parties = [w.party for w in self.weights]
        _scheme_check(
            set(parties) <= PARTIES,
            f"a scheme weighing {parties}: the parties are among {', '.join(sorted(PARTIES))}",
        )
        if (
            len(set(parties)) != len(parties)
            or not all(is_hundredths(w.weight) and w.weight > 0 for w in self.weights)
            or sum((w.weight for w in self.weights), Decimal(0)) != HUNDRED
        ):
            total = sum((w.weight for w in self.weights), Decimal(0))
            raise WeightsMustSumTo100(
                f"weights {[(w.party, str(w.weight)) for w in self.weights]}, summing to {total}: each party "
                "appears once with a weight above 0 in hundredths, and the weights sum to 100"
            )
        grades = [b.grade for b in bands]
        _scheme_check(
            set(grades) <= set(GRADES) and len(set(grades)) == len(grades),
            f"bands of grades {grades}: each grade is one of {', '.join(GRADES)}, once",
        )
        floors = [(b.grade, str(b.floor)) for b in bands]
        _scheme_check(
            all(is_hundredths(b.floor) for b in bands),
            f"band floors {floors}: floors run from 0 to 100, in hundredths",
        )
        _scheme_check(
            bool(bands) and bands[-1] == Band(FAILING, Decimal(0)),
            f"band floors {floors}: the failing band starts at 0",
        )
        _scheme_check(
            [b.floor for b in bands] == sorted({b.floor for b in bands}, reverse=True),
            f"band floors {floors}: a better grade needs a higher floor",
        )

    @property
    def parties(self) -> tuple[str, ...]:
        return tuple(w.party for w in self.weights)

    def check_period(self, period: str) -> None:
        ok = re.fullmatch(CADENCES[self.cadence], period) is not None
        if ok and self.cadence == "daily":
            try:
                date.fromisoformat(period)
            except ValueError:
                ok = False
        if not ok:
            raise PeriodOutOfCadence(
                f"period {period!r} is not written for the {self.cadence} cadence: write it as "
                f"{EXAMPLES[self.cadence]}"
            )

    def total(self, scores: dict[str, Decimal]) -> Decimal:
        """Σ score × weight / 100, exact, then rounded half-up to hundredths."""
        exact = sum((scores[w.party] * w.weight for w in self.weights), Decimal(0)) / HUNDRED
        return exact.quantize(CENT, rounding=ROUND_HALF_UP)

    def grade(self, total: Decimal) -> str:
        """The band of the rounded total: the best grade whose floor it reaches."""
        return next(b.grade for b in self.bands if total >= b.floor)


class SchemeAlreadyDefined(RuleViolation):
    """The scheme code is taken by a scheme with another title, kind or terms; revise it."""


class SchemeNotDefined(RuleViolation):
    """No scheme (or no such version of it) is defined yet; the sender retries later."""


@dataclass(frozen=True)
class SchemeDetails:
    """What never changes across versions: the scheme's title and the kind of subject."""

    title: str
    subject_kind: str

    def __post_init__(self) -> None:
        if self.subject_kind not in SUBJECT_KINDS or not self.title.strip():
            raise InvalidScheme(
                f"a scheme titled {self.title!r} for subject kind {self.subject_kind!r}: the kind is one of "
                f"{', '.join(sorted(SUBJECT_KINDS))}, and the title is stated"
            )


class AppraisalScheme(Aggregate):
    """考核方案 — versioned: version n is `versions[n - 1]`; a revision adds a version.

    An appraisal copies the terms of the version it is opened under, so revising a
    scheme never changes an appraisal already open (it keeps its version).
    """

    @staticmethod
    def create_id(code: str) -> UUID:
        return natural_id("appraisal-scheme", code)

    @event("Defined")
    def __init__(self, code: str, details: SchemeDetails, terms: SchemeTerms, ctx: Context) -> None:
        self.code, self.details = code, details
        self.versions: tuple[SchemeTerms, ...] = (terms,)

    @property
    def latest(self) -> int:
        return len(self.versions)

    def terms(self, version: int | None = None) -> tuple[int, SchemeTerms]:
        """The given version (the latest when None) and its terms."""
        number = self.latest if version is None else version
        if not 1 <= number <= self.latest:
            raise SchemeNotDefined(
                f"scheme {self.code} has no version {version} yet (its latest is {self.latest}): name a "
                "version "
                f"from 1 to {self.latest}, or retry once the revision arrives"
            )
        return number, self.versions[number - 1]

    def same_definition(self, details: SchemeDetails, terms: SchemeTerms) -> bool:
        return (self.details, self.versions[0]) == (details, terms)

    def revise(self, terms: SchemeTerms, ctx: Context) -> None:
        """A new version; re-sending the latest terms records nothing."""
        if terms == self.versions[-1]:
            return
        require_reason(ctx, "revising an appraisal scheme")
        self._revised(version=self.latest + 1, terms=terms, ctx=ctx)

    @event("Revised")
    def _revised(self, version: int, terms: SchemeTerms, ctx: Context) -> None:
        self.versions = (*self.versions, terms)

    if TYPE_CHECKING:  # the event classes that the @event methods above define at class creation
        Defined = DecoratedCreated
        Revised = DecoratedEvent
