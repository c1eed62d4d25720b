"""The terms of a duty admission: its categories, terms and rule errors."""

from __future__ import annotations

from dataclasses import dataclass


from aggregates.base import Context, RuleViolation


# 法律法规规章授权类 / 承接上级政府及其部门委托类 / 公共服务事项 (the street report's 34 + 7 + 32)
CATEGORIES = frozenset({"statutory", "entrusted", "public_service"})


class InvalidAdmissionTerms(RuleViolation):
    """A category outside the vocabulary, a required field left empty, or no town named."""


class DutyStepOutOfOrder(RuleViolation):
    """申请 → 审核 → 准入 → 调整/取消, one round at a time; a rejected round stays closed."""


class DecisionDocumentRequired(RuleViolation):
    """准入, 调整 and the 取消 of an admitted duty are district decisions with a 文号."""


class DutyNotAdmitted(RuleViolation):
    """部门擅自将责任甩给镇街: a push-down of a duty not admitted for that town on that day."""


@dataclass(frozen=True)
class DutyAdmissionTerms:
    name: str
    category: str
    basis: str  # the law, or the upper-level act that entrusts the duty
    towns: tuple[str, ...]  # named one by one: "all towns" is expanded by the sender

    def __post_init__(self) -> None:
        object.__setattr__(self, "towns", tuple(sorted(set(self.towns))))  # stored as a list
        if self.category not in CATEGORIES or not (
            self.name.strip() and self.basis.strip() and self.towns and all(map(str.strip, self.towns))
        ):
            raise InvalidAdmissionTerms(f"{self.category!r}: a known category, a name, a basis "
                                        "and at least one town code are required")


def _require_document(ctx: Context, act: str) -> None:
    if not (ctx.document_no and ctx.document_no.strip()):
        raise DecisionDocumentRequired(f"{act} needs the decision's document number")
