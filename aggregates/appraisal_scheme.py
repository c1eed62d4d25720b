"""考核方案 — an appraisal scheme: whom it appraises, by which weighted parties, in which bands."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from aggregates.appraisal_terms import SUBJECT_KINDS, InvalidScheme, SchemeTerms
from aggregates.base import Context, RuleViolation, natural_id, require_reason


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
            raise InvalidScheme(f"subject kind {self.subject_kind!r}, title {self.title!r}")


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
            raise SchemeNotDefined(f"scheme {self.code} has no version {version} yet")
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
