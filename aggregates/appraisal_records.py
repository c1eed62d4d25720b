"""What an appraisal (考核) records — its opening, scores, evidence, veto, result — and its rules."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from aggregates.appraisal_terms import BONUS_TIERS, VETO_KINDS
from aggregates.base import RuleViolation


class AppraisalAlreadyOpened(RuleViolation):
    """The subject's appraisal for the period was opened otherwise (scheme, name or town)."""


class AppraisalNotOpened(RuleViolation):
    """No appraisal of the subject for that period was opened."""


class HostTownRequired(RuleViolation):
    """A stationed agency or person (区属镇用) is appraised with the town it serves, which holds the veto."""


class PartyNotWeighted(RuleViolation):
    """Only a party the appraisal's scheme version weighs can score it."""


class EvidenceRequired(RuleViolation):
    """依事见人: every score and correction states its evidence."""


class ScoreAlreadyGiven(RuleViolation):
    """A party scores once; a change is a correction, with a reason."""


class NoScoreToCorrect(RuleViolation):
    """Only a score already given can be corrected."""


class InvalidEvidence(RuleViolation):
    """Linkage evidence: source "linkage", rates as fractions from 0 to 1, a case count ≥ 0,
    and one metrics message carries one set of figures."""


class ScoresMissing(RuleViolation):
    """Nothing is vetoed, finalised or applied before every weighted party has scored."""


class VetoNotAvailable(RuleViolation):
    """反向否决权 is the host town's power over stationed agencies and persons only."""


class VetoOnlyByTheHostTown(RuleViolation):
    """Only the town the subject is stationed in can veto its appraisal."""


class AlreadyVetoed(RuleViolation):
    """The town vetoes an appraisal at most once."""


class AppraisalFinalised(RuleViolation):
    """Nothing changes a finalised appraisal but the application of its result."""


class NotFinalised(RuleViolation):
    """A result is applied only to a finalised appraisal."""


class ResultAlreadyApplied(RuleViolation):
    """An appraisal's result is applied once."""


class FailingGradeBarsRewards(RuleViolation):
    """A failing (or vetoed) appraisal gets no bonus tier, no 评优 and no 推荐提名."""


class UnknownBonusTier(RuleViolation):
    """The bonus tier (绩效奖金档次) is first, second, third or none."""


@dataclass(frozen=True)
class Opening:
    """Whom, under which scheme version, and (for stationed subjects) in which town."""

    name: str
    kind: str
    scheme: str
    version: int
    town: str | None = None

    def __post_init__(self) -> None:
        if self.kind in VETO_KINDS and not (self.town and self.town.strip()):
            raise HostTownRequired(f"{self.name} ({self.kind}) needs its host town")


@dataclass(frozen=True)
class Score:
    party: str
    score: Decimal
    evidence: str
    on: date


@dataclass(frozen=True)
class LinkageEvidence:
    """区镇联动 performance of the subject for the period, as the linkage publishes it."""

    source: str
    response_on_time: Decimal  # 响应（签收）及时率
    on_time_resolution: Decimal  # 按时办结率
    resolution: Decimal  # 解决率
    satisfaction: Decimal  # 满意率
    cases: int
    metrics_message_id: str

    def __post_init__(self) -> None:
        rates = (self.response_on_time, self.on_time_resolution, self.resolution, self.satisfaction)
        if (self.source != "linkage" or self.cases < 0 or not self.metrics_message_id.strip()
                or not all(isinstance(r, Decimal) and r.is_finite() and 0 <= r <= 1 for r in rates)):
            raise InvalidEvidence(f"linkage evidence {self}")


@dataclass(frozen=True)
class Veto:
    town: str
    reason: str
    on: date


@dataclass(frozen=True)
class Result:
    """考核结果运用: the bonus tier (绩效奖金), 评优评先, 推荐提名 for promotion."""

    bonus_tier: str
    honour: bool
    promotion: bool

    def __post_init__(self) -> None:
        if self.bonus_tier not in BONUS_TIERS:
            raise UnknownBonusTier(f"unknown bonus tier {self.bonus_tier!r}")

    @property
    def rewards(self) -> bool:
        return self.bonus_tier != "none" or self.honour or self.promotion
