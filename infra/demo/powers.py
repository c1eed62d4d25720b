"""The powers demo (权力事项, 赋权): Jiangbei's first batch (首批下放 17 个方面 206 项) as commands.

206 items are registered and delegated to Jiangbei's 8 towns and streets; about 2 % of the
pairs fail the reasonableness review, the rest take effect on 2021-07-01; a few are
evaluated in December 2021 (调研评估), two transferred, six recalled on 2022-03-01.
Five deliberately bad messages come last, each to be dead-lettered for its own reason.
Everything is deterministic: publishing the scenario twice yields the same message ids.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from contracts.envelope import Actor
from contracts.powers import commands as c
from infra.demo import catalogue as w
from infra.demo.catalogue import DEPARTMENTS, TOWNS, power_items
from infra.demo.messages import CST, Message, Sender, bianban, namespace

__all__ = ["TOWNS", "demo_commands"]

NAMESPACE = namespace("jiangbei")
FIRST, SECOND = w.BATCHES
SYNC = Actor(id="qlqd-sync", role="system", system="权责清单系统")
BIANBAN = bianban("jb")
MALFORMED = b'{"type": "delegation.propose", "message_id": '
Ref = tuple[str, str, str]  # batch, item, town


def _at(year: int, month: int, day: int, hour: int = 9) -> datetime:
    return datetime(year, month, day, hour, tzinfo=CST)


def _review(legal: bool = True, reasonable: bool = True) -> c.AdmissionReview:
    return c.AdmissionReview(
        reviewing_body=w.BODY,
        legality=c.Finding(passed=legal, note=w.LEGAL if legal else w.NOT_LEGAL),
        reasonableness=c.Finding(passed=reasonable, note=w.REASONABLE if reasonable else w.NOT_REASONABLE),
    )


class _Scenario(Sender):
    """Each delegation's commands are one chain, correlated by the delegation."""

    def __init__(self, items: list[c.ItemDetails]) -> None:
        super().__init__(NAMESPACE, actor=BIANBAN)
        self.departments = {item.code: item.department for item in items}

    def act(
        self,
        cls: type,
        payload_cls: type,
        ref: Ref,
        at: datetime,
        extra: dict[str, Any] | None = None,
        label: str = "",
        **envelope: Any,
    ) -> None:
        what = "/".join(ref)
        payload = payload_cls(batch=ref[0], item=ref[1], town=ref[2], **(extra or {}))
        self.send(
            cls,
            payload,
            what + label,
            at=at,
            key=ref[1],
            chain=what,
            correlation=("delegation", what),
            **envelope,
        )

    def file(self, ref: Ref, mode: str, at: datetime) -> None:
        """Propose, then put under admission review ten days later."""
        self.act(c.ProposeDelegation, c.Proposal, ref, at, {"mode": mode})
        self.act(
            c.StartAdmissionReview, c.ReviewStart, ref, at + timedelta(days=10), {"reviewing_body": w.BODY}
        )

    def approve(
        self, ref: Ref, n: int, at: datetime, effective: datetime, review: c.AdmissionReview, document_no: str
    ) -> None:
        """Approve with the support package (人员、经费、培训、指导), explicit, zero included."""
        guidance = w.GUIDANCE.format(DEPARTMENTS[self.departments[ref[1]]])
        support = c.SupportPackage(
            staff=n % 3,
            funding_yuan=Decimal(n * 7 % 5 * 10000),
            training_sessions=1 + n % 2,
            guidance=guidance,
        )
        self.act(
            c.ApproveDelegation,
            c.Approval,
            ref,
            at,
            {"review": review, "support": support},
            effective_at=effective,
            document_no=document_no,
        )

    def recall(self, ref: Ref, reason: str | None, label: str = "") -> None:
        """上收 on 2022-02-18, in effect from 2022-03-01."""
        self.act(
            c.RecallDelegation,
            c.DelegationRef,
            ref,
            _at(2022, 2, 18),
            label=label,
            effective_at=_at(2022, 3, 1, 0),
            reason=reason,
            document_no=w.DOCS["recall"],
        )


def demo_commands() -> list[Message]:
    """(key, value) pairs in publishing order. Key: the power item code (utf-8) so all
    commands about one item share a partition and keep their order; for messages without
    an item (batch declarations) use the batch code; for the malformed one any key."""
    items = power_items()
    s = _Scenario(items)
    for (code, (title, doc)), at in zip(w.BATCHES.items(), (_at(2021, 5, 6), _at(2022, 1, 6))):
        s.send(
            c.DeclareDelegationBatch,
            c.BatchDetails(code=code, title=title),
            code,
            at=at,
            key=code,
            document_no=doc,
        )
    for item in items:
        s.send(c.RegisterPowerItem, item, item.code, at=_at(2021, 4, 15), key=item.code, actor=SYNC)

    approved, rejected = [], []
    for i, item in enumerate(items):
        mode = "entrust" if i % 10 == 3 else "devolve" if i % 10 == 7 else "grant"
        for t, town in enumerate(TOWNS):
            ref, n = (FIRST, item.code, town), i * len(TOWNS) + t
            s.file(ref, mode, _at(2021, 5, 10))
            if n % 47 == 5:  # about 2 %: refused at admission review
                rejected.append(ref)
                s.act(
                    c.RejectDelegation,
                    c.Rejection,
                    ref,
                    _at(2021, 6, 25),
                    {"review": _review(reasonable=False)},
                    reason=w.REASON_REJECT,
                    document_no=w.DOCS["reject"],
                )
            else:
                approved.append(ref)
                s.approve(ref, n, _at(2021, 6, 25), _at(2021, 7, 1, 0), _review(), w.DOCS["approve"])

    recalled = approved[97::270]
    transferred = [approved[450], approved[1250]]  # 住建 and 市场监管 items, to the 执法局
    evaluated = {
        "effective": approved[31::400],
        "needs_improvement": approved[231::400],
        "ineffective": recalled,
    }
    for rating, refs in evaluated.items():
        advice, findings = w.EVALUATIONS[rating]
        for ref in refs:
            s.act(
                c.EvaluateDelegation,
                c.EvaluationReport,
                ref,
                _at(2021, 12, 15),
                {"rating": rating, "recommendation": advice, "findings": findings},
            )
    for ref in transferred:
        s.act(
            c.TransferDelegation,
            c.Handover,
            ref,
            _at(2021, 12, 28),
            {"to_unit": "JB-ZHZF"},
            effective_at=_at(2022, 1, 1, 0),
            reason=w.REASON_TRANSFER,
            document_no=w.DOCS["transfer"],
        )
    for ref in recalled:
        s.recall(ref, w.REASON_RECALL)

    # The deliberately bad messages, each dead-lettered for its own reason.
    uncatalogued = (FIRST, "JB-EDU-CF099", "JB-CICHENG")
    s.act(c.ProposeDelegation, c.Proposal, uncatalogued, _at(2021, 5, 10), {"mode": "grant"})
    # ^ ItemNotCatalogued
    s.recall(approved[700], None, label="#no-reason")  # ReasonRequired
    refiled = (SECOND, *rejected[0][1:])  # filed anew after its rejection; legality now fails
    twice = (SECOND, *approved[1000][1:])  # the town has held this item since 2021-07-01
    for n, (ref, review) in enumerate(((refiled, _review(legal=False)), (twice, _review()))):
        s.file(ref, "grant", _at(2022, 1, 10))
        s.approve(ref, n, _at(2022, 1, 25), _at(2022, 2, 1, 0), review, w.DOCS["approve-2"])
    # ^ ReviewNotPassed, then HolderAlreadyEffective
    s.out.append((b"malformed", MALFORMED))
    return s.out
