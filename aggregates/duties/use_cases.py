"""Use cases of duty admission (SPEC §2, 职责准入): apply, review, admit, adjust, cancel, push down.

A push-down of a duty not admitted for the town does not raise: it records
`PushDownRefused` on the duty's file and returns the `DutyNotAdmitted` it would have
raised, so the refused attempt is saved with the batch (a raised rule would roll the
command back, and the attempt with it). Callers that must tell the sender look at the
returned value.
"""

from __future__ import annotations

from aggregates.base import Context, RuleViolation
from aggregates.command_batch import UseCases, use_case
from aggregates.duties.admission import DutyAdmission, DutyAdmissionTerms, DutyNotAdmitted
from aggregates.powers.delegation import AdmissionReview, SupportPackage

VALUE_TYPES: tuple[type, ...] = (DutyAdmissionTerms,)  # AdmissionReview etc. come with §1


class DutyNotApplied(RuleViolation):
    """No admission of that duty was ever applied for by that department."""


class DutyUseCases(UseCases):
    """职责准入 — apply, review, admit, adjust, cancel a duty; push it down, or record the refusal."""

    value_types = VALUE_TYPES

    def _duty_file(self, department: str, duty: str, ctx: Context | None = None) -> DutyAdmission:
        """The duty's file; opened when `ctx` is given, else it must have been applied for."""
        found = self._get(DutyAdmission, DutyAdmission.create_id(department, duty))
        if found is None and ctx is not None:
            found = self._staged.add(DutyAdmission(department=department, duty=duty, ctx=ctx))
        if found is None or (ctx is None and found.round == 0):
            raise DutyNotApplied(
                f"{department} never applied for the admission of {duty}: send duty_admission.apply first"
            )
        return found

    @use_case
    def apply_duty_admission(
        self, ctx: Context, department: str, duty: str, terms: DutyAdmissionTerms
    ) -> None:
        """申请 — a department asks the joint meeting to admit a duty for the named towns."""
        self._duty_file(department, duty, ctx).apply_for(terms, ctx)

    @use_case
    def review_duty_admission(
        self, ctx: Context, department: str, duty: str, review: AdmissionReview
    ) -> None:
        """审核 — legality and reasonableness; a failed finding rejects (with a reason)."""
        self._duty_file(department, duty).pass_review(review, ctx)

    @use_case
    def admit_duty(
        self, ctx: Context, department: str, duty: str, decided_by: str, support: SupportPackage
    ) -> None:
        """准入 — the district decides (文号), with the staff, funding, training and guidance."""
        self._duty_file(department, duty).admit(decided_by, support, ctx)

    @use_case
    def adjust_duty_admission(
        self,
        ctx: Context,
        department: str,
        duty: str,
        terms: DutyAdmissionTerms,
        support: SupportPackage,
    ) -> None:
        """调整 — new terms, towns or support; towns left out are recalled (上收)."""
        self._duty_file(department, duty).adjust(terms, support, ctx)

    @use_case
    def cancel_duty_admission(self, ctx: Context, department: str, duty: str) -> None:
        """取消 — the duty goes back to the department; a pending application is withdrawn."""
        self._duty_file(department, duty).cancel(ctx)

    @use_case
    def push_down_duty(self, ctx: Context, department: str, duty: str, town: str) -> DutyNotAdmitted | None:
        """下沉 — None when the duty now lies with the town; else the refusal, recorded."""
        return self._duty_file(department, duty, ctx).push_down(town, ctx)
