"""考核 — one subject appraised for one period: scored, maybe vetoed, finalised, applied."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from aggregates.appraisals.scheme import (
    BONUS_TIERS,
    FAILING,
    VETO_KINDS,
    SchemeTerms,
    ScoreOutOfRange,
    is_hundredths,
)
from aggregates.base import Context, RuleViolation, natural_id, require_reason

if TYPE_CHECKING:
    from aggregates.base import DecoratedCreated, DecoratedEvent

# What an appraisal (考核) records — its opening, scores, evidence, veto, result — and its rules.


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
            raise HostTownRequired(
                f"an appraisal of a {self.kind} under scheme {self.scheme} version {self.version} names no "
                "host "
                "town: name the town it serves, which holds the veto"
            )


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
        if (
            self.source != "linkage"
            or self.cases < 0
            or not self.metrics_message_id.strip()
            or not all(isinstance(r, Decimal) and r.is_finite() and 0 <= r <= 1 for r in rates)
        ):
            raise InvalidEvidence(
                f"linkage evidence of metrics {self.metrics_message_id!r} from {self.source!r} over "
                f"{self.cases} "
                "cases: the source is 'linkage', each rate a fraction from 0 to 1, the case count 0 or more, "
                "and the metrics message named"
            )


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
            raise UnknownBonusTier(
                f"unknown bonus tier {self.bonus_tier!r}: the tier is one of {', '.join(sorted(BONUS_TIERS))}"
            )

    @property
    def rewards(self) -> bool:
        return self.bonus_tier != "none" or self.honour or self.promotion


class Appraisal(Aggregate):
    """考核 — keeps a copy of the weights and bands of the scheme version it was opened under.
    Each weighted party scores once (then corrects, with a reason); the host town may veto
    (反向否决权) once; finalising fixes the total and the grade; then only the result is applied."""

    @staticmethod
    def create_id(subject: str, period: str) -> UUID:
        return natural_id("appraisal", subject, period)

    @event("Opened")
    def __init__(self, subject: str, period: str, opening: Opening, terms: SchemeTerms, ctx: Context) -> None:
        self.subject, self.period, self.opening, self.terms = subject, period, opening, terms
        self.scores: tuple[Score, ...] = ()
        self.evidence: tuple[LinkageEvidence, ...] = ()
        self.veto: Veto | None = None
        self.total: Decimal | None = None
        self.grade: str | None = None
        self.result: Result | None = None

    @property
    def status(self) -> str:
        return "applied" if self.result else "finalised" if self.grade else "open"

    def score_of(self, party: str) -> Score | None:
        return next((s for s in self.scores if s.party == party), None)

    @property
    def missing(self) -> tuple[str, ...]:
        return tuple(p for p in self.terms.parties if self.score_of(p) is None)

    def same_opening(self, scheme: str, name: str, town: str | None, version: int | None) -> bool:
        o = self.opening
        return (o.scheme, o.name, o.town) == (scheme, name, town) and version in (None, o.version)

    @property
    def named(self) -> str:
        return f"the appraisal of {self.subject} for {self.period}"

    def _refuse_if_final(self) -> None:
        if self.grade is not None:
            raise AppraisalFinalised(
                f"{self.named} was finalised ({self.grade}, {self.total}): nothing changes it now but "
                "the application of its result (appraisal.apply_result)"
            )

    def _check_score(self, party: str, score: Decimal, evidence: str) -> Score | None:
        self._refuse_if_final()
        if party not in self.terms.parties:
            raise PartyNotWeighted(
                f"{party} scoring {self.named}: scheme {self.opening.scheme} version {self.opening.version} "
                f"weighs only {', '.join(self.terms.parties)}"
            )
        if not is_hundredths(score):
            raise ScoreOutOfRange(
                f"{party} scoring {self.named} {score}: a score runs from 0 to 100, in hundredths at most"
            )
        if not evidence.strip():
            raise EvidenceRequired(
                f"{party} scoring {self.named} states no evidence: every score and correction states its "
                "evidence"
            )
        return self.score_of(party)

    def score(self, party: str, score: Decimal, evidence: str, ctx: Context) -> None:
        current = self._check_score(party, score, evidence)
        if current is not None and (current.score, current.evidence) != (score, evidence):
            raise ScoreAlreadyGiven(
                f"{party} scoring {self.named} {score}: it scored {current.score} on {current.on}; "
                "send appraisal.correct_score, with a reason, to change it"
            )
        if current is None:
            self._scored(score=Score(party, score, evidence, ctx.effective_on), ctx=ctx)

    @event("Scored")
    def _scored(self, score: Score, ctx: Context) -> None:
        self.scores = (*self.scores, score)

    def correct(self, party: str, score: Decimal, evidence: str, ctx: Context) -> None:
        current = self._check_score(party, score, evidence)
        if current is None:
            raise NoScoreToCorrect(
                f"{party} correcting its score of {self.named}: it has not scored it; send appraisal.score "
                "first"
            )
        require_reason(ctx, "correcting a score")
        if (current.score, current.evidence) != (score, evidence):
            self._corrected(score=Score(party, score, evidence, ctx.effective_on), ctx=ctx)

    @event("ScoreCorrected")
    def _corrected(self, score: Score, ctx: Context) -> None:
        self.scores = tuple(score if s.party == score.party else s for s in self.scores)

    def attach(self, evidence: LinkageEvidence, ctx: Context) -> None:
        self._refuse_if_final()
        same = [e for e in self.evidence if e.metrics_message_id == evidence.metrics_message_id]
        if same and same[0] != evidence:
            raise InvalidEvidence(
                f"attaching metrics {evidence.metrics_message_id} to {self.named}: it was attached with "
                "other "
                "figures; one metrics message carries one set of figures"
            )
        if not same:
            self._evidence_attached(evidence=evidence, on=ctx.effective_on, ctx=ctx)

    @event("EvidenceAttached")
    def _evidence_attached(self, evidence: LinkageEvidence, on: date, ctx: Context) -> None:
        self.evidence = (*self.evidence, evidence)

    def _refuse_missing(self, act: str) -> None:
        if self.missing:
            has = "has" if len(self.missing) == 1 else "have"
            raise ScoresMissing(
                f"{act} {self.named}: {', '.join(self.missing)} {has} not scored; every weighted party "
                "scores first (appraisal.score)"
            )

    def veto_by(self, town: str, ctx: Context) -> None:
        self._refuse_if_final()
        if self.opening.kind not in VETO_KINDS:
            raise VetoNotAvailable(
                f"{town} vetoing {self.named}: {self.subject} is a {self.opening.kind}; the host town vetoes "
                "only stationed agencies and persons"
            )
        if town != self.opening.town:
            raise VetoOnlyByTheHostTown(
                f"{town} vetoing {self.named}: {self.subject} is stationed in {self.opening.town}, which "
                "alone "
                "can veto it"
            )
        if self.veto is not None:
            raise AlreadyVetoed(
                f"{town} vetoing {self.named}: {self.veto.town} vetoed it on {self.veto.on}; a veto is given "
                "once"
            )
        self._refuse_missing("vetoing")
        require_reason(ctx, "a veto (反向否决)")
        self._vetoed(veto=Veto(town, str(ctx.reason), ctx.effective_on), ctx=ctx)

    @event("Vetoed")
    def _vetoed(self, veto: Veto, ctx: Context) -> None:
        self.veto = veto

    def finalise(self, ctx: Context) -> None:
        """The weighted total, rounded half-up to hundredths, banded; a veto fails the grade."""
        if self.grade is not None:
            return
        self._refuse_missing("finalising")
        total = self.terms.total({s.party: s.score for s in self.scores})
        grade = FAILING if self.veto else self.terms.grade(total)
        self._finalised(total=total, grade=grade, on=ctx.effective_on, ctx=ctx)

    @event("Finalised")
    def _finalised(self, total: Decimal, grade: str, on: date, ctx: Context) -> None:
        self.total, self.grade = total, grade

    def apply_result(self, result: Result, ctx: Context) -> None:
        if self.grade is None:
            self._refuse_missing("applying the result of")
            raise NotFinalised(
                f"applying the result of {self.named}: it is not finalised; send appraisal.finalise first"
            )
        if self.result not in (None, result):
            held = self.result
            raise ResultAlreadyApplied(
                f"applying another result to {self.named}: its result (bonus tier {held.bonus_tier}, honour "
                f"{held.honour}, promotion {held.promotion}) was applied; a result is applied once"
            )
        if self.grade == FAILING and result.rewards:
            vetoed = f", vetoed by {self.veto.town}" if self.veto else ""
            raise FailingGradeBarsRewards(
                f"applying bonus tier {result.bonus_tier}, honour {result.honour}, promotion "
                f"{result.promotion} "
                f"to {self.named}: it was graded failing{vetoed}; a failing appraisal gets bonus tier none, "
                "no honour and no promotion"
            )
        if self.result is None:
            self._result_applied(result=result, on=ctx.effective_on, ctx=ctx)

    @event("ResultApplied")
    def _result_applied(self, result: Result, on: date, ctx: Context) -> None:
        self.result = result

    if TYPE_CHECKING:  # the event classes that the @event methods above define at class creation
        Opened = DecoratedCreated
        Scored = ScoreCorrected = EvidenceAttached = Vetoed = Finalised = ResultApplied = DecoratedEvent
