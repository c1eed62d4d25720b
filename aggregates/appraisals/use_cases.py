"""Use cases of appraisals (SPEC §6, 考核): schemes, and appraisals opened under a version.

Scheme commands travel keyed by the scheme, appraisal commands by the subject, so they
may land on different partitions. Opening an appraisal reads its scheme and copies the
version's weights and bands into it; from then on the appraisal never reads the scheme
again, so a later revision cannot change it. An opening that arrives before its scheme
(or before the version it names) is refused and retried by the sender.
"""

from __future__ import annotations

from decimal import Decimal

from aggregates.appraisals.appraisal import (
    Appraisal,
    AppraisalAlreadyOpened,
    AppraisalNotOpened,
    LinkageEvidence,
    Opening,
    Result,
    Score,
    Veto,
)
from aggregates.appraisals.scheme import (
    AppraisalScheme,
    Band,
    SchemeAlreadyDefined,
    SchemeDetails,
    SchemeNotDefined,
    SchemeTerms,
    Weight,
)
from aggregates.base import Context
from aggregates.command_batch import UseCases, use_case

VALUE_TYPES: tuple[type, ...] = (
    SchemeDetails,
    SchemeTerms,
    Weight,
    Band,
    Opening,
    Score,
    LinkageEvidence,
    Veto,
    Result,
)


class AppraisalUseCases(UseCases):
    """考核 — appraisal schemes, and appraisals opened under a version, scored, vetoed, finalised."""

    value_types = VALUE_TYPES

    def _scheme(self, code: str) -> AppraisalScheme:
        return self._found(
            AppraisalScheme,
            AppraisalScheme.create_id(code),
            lambda: SchemeNotDefined(
                f"appraisal scheme {code} is not defined: send appraisal.define_scheme first, or retry once "
                "it arrives"
            ),
        )

    def _appraisal(self, subject: str, period: str) -> Appraisal:
        return self._found(
            Appraisal,
            Appraisal.create_id(subject, period),
            lambda: AppraisalNotOpened(
                f"no appraisal of {subject} for {period} was opened: send appraisal.open first"
            ),
        )

    def _opened(self, subject: str, period: str) -> str:
        """How the subject's appraisal for the period was opened."""
        opened = self._get(Appraisal, Appraisal.create_id(subject, period))
        if opened is None:
            return "it was opened otherwise"
        town = f" in {opened.opening.town}" if opened.opening.town else ""
        return f"it was opened under scheme {opened.opening.scheme} version {opened.opening.version}{town}"

    @use_case
    def define_appraisal_scheme(
        self, ctx: Context, code: str, details: SchemeDetails, terms: SchemeTerms
    ) -> None:
        self._create_once(
            AppraisalScheme,
            AppraisalScheme.create_id(code),
            new=lambda: AppraisalScheme(code=code, details=details, terms=terms, ctx=ctx),
            same=lambda defined: defined.same_definition(details, terms),
            conflict=lambda: SchemeAlreadyDefined(
                f"defining appraisal scheme {code}: it is defined with another title, kind or terms; send "
                "appraisal.revise_scheme for new terms, or define the new scheme under another code"
            ),
        )

    @use_case
    def revise_appraisal_scheme(self, ctx: Context, code: str, terms: SchemeTerms) -> None:
        self._scheme(code).revise(terms, ctx)

    @use_case
    def open_appraisal(
        self,
        ctx: Context,
        subject: str,
        period: str,
        scheme: str,
        name: str,
        town: str | None = None,
        version: int | None = None,
    ) -> None:
        """Open under the given scheme version (the latest when None), copying its terms."""
        defined = self._scheme(scheme)
        number, terms = defined.terms(version)

        def opened_now() -> Appraisal:
            terms.check_period(period)
            kind = defined.details.subject_kind
            opening = Opening(name=name, kind=kind, scheme=scheme, version=number, town=town)
            return Appraisal(subject=subject, period=period, opening=opening, terms=terms, ctx=ctx)

        self._create_once(
            Appraisal,
            Appraisal.create_id(subject, period),
            new=opened_now,
            same=lambda opened: opened.same_opening(scheme, name, town, version),
            conflict=lambda: AppraisalAlreadyOpened(
                f"opening the appraisal of {subject} for {period} under scheme {scheme}: "
                f"{self._opened(subject, period)}; an appraisal is opened once"
            ),
        )

    @use_case
    def score_appraisal(
        self, ctx: Context, subject: str, period: str, party: str, score: Decimal, evidence: str
    ) -> None:
        self._appraisal(subject, period).score(party, score, evidence, ctx)

    @use_case
    def correct_appraisal_score(
        self, ctx: Context, subject: str, period: str, party: str, score: Decimal, evidence: str
    ) -> None:
        self._appraisal(subject, period).correct(party, score, evidence, ctx)

    @use_case
    def attach_appraisal_evidence(
        self, ctx: Context, subject: str, period: str, evidence: LinkageEvidence
    ) -> None:
        self._appraisal(subject, period).attach(evidence, ctx)

    @use_case
    def veto_appraisal(self, ctx: Context, subject: str, period: str, town: str) -> None:
        self._appraisal(subject, period).veto_by(town, ctx)

    @use_case
    def finalise_appraisal(self, ctx: Context, subject: str, period: str) -> None:
        self._appraisal(subject, period).finalise(ctx)

    @use_case
    def apply_appraisal_result(self, ctx: Context, subject: str, period: str, result: Result) -> None:
        self._appraisal(subject, period).apply_result(result, ctx)
