"""The terms of a delegation: its admission review, support package and evaluations."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from aggregates.base import RuleViolation

RATINGS = frozenset({"effective", "needs_improvement", "ineffective"})
RECOMMENDATIONS = frozenset({"keep", "adjust", "recall"})


class ReviewNotPassed(RuleViolation):
    """Approval needs both the legality and the reasonableness review passed."""


class SupportNotDeclared(RuleViolation):
    """Approval declares staff, funding, training and guidance, each explicit even when zero."""


class InvalidEvaluation(RuleViolation):
    """An evaluation rates and recommends from a fixed vocabulary."""


@dataclass(frozen=True)
class Finding:
    passed: bool
    note: str


@dataclass(frozen=True)
class AdmissionReview:
    """准入审核 — the reviewing body and its legality and reasonableness findings."""

    body: str
    legality: Finding
    reasonableness: Finding

    @property
    def passed(self) -> bool:
        return self.legality.passed and self.reasonableness.passed


@dataclass(frozen=True)
class SupportPackage:
    """人员、经费、培训、指导 — what comes with the power."""

    staff: int
    funding_yuan: Decimal
    training_sessions: int
    guidance: str

    def __post_init__(self) -> None:
        if not self.funding_yuan.is_finite():
            raise SupportNotDeclared("funding must be a finite amount")
        if self.staff < 0 or self.funding_yuan < 0 or self.training_sessions < 0:
            raise SupportNotDeclared("staff, funding and training cannot be negative")
        if not self.guidance.strip():
            raise SupportNotDeclared("guidance must be stated, even as 'none'")


@dataclass(frozen=True)
class Evaluation:
    """调研评估 — a periodic evaluation of how the town exercises the power."""

    evaluated_on: date
    rating: str
    recommendation: str
    findings: str

    def __post_init__(self) -> None:
        if self.rating not in RATINGS or self.recommendation not in RECOMMENDATIONS:
            raise InvalidEvaluation(f"{self.rating!r} / {self.recommendation!r}")

