"""社区工作者名册 — a community's register of community workers: the batches taken on, departures,
and each worker's post type and pay grade in the district's scale (workers by id only)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import TYPE_CHECKING
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from aggregates.base import (
    Context,
    DocumentNumberRequired,
    RuleViolation,
    natural_id,
    require_document,
    require_reason,
)
from aggregates.community_workers.scale import WorkerScale, check

if TYPE_CHECKING:
    from aggregates.base import DecoratedCreated, DecoratedEvent

METHODS = frozenset({"public_recruitment", "in_post"})  # 公开招聘 / 在岗登记


class BatchAlreadyRecorded(RuleViolation):
    """A recruitment batch is recorded once in a community: sent again with other workers, method
    or count, it is refused."""


class WorkerAlreadyInPost(RuleViolation):
    """A worker in post in the community is not taken on again (one who left may be)."""


class WorkerNotInPost(RuleViolation):
    """Only a worker in post in the community's register leaves it or is promoted."""


class PromotionOutOfStep(RuleViolation):
    """A promotion (晋级) moves a worker up at least one pay grade and at most the district's
    step: one grade at a time unless the district's scale allows more."""


class WorkerActPredatesLast(RuleViolation):
    """An act on a worker takes effect no earlier than the act before it on that worker (taken on,
    promoted, left): the register's history is not rewritten."""


@dataclass(frozen=True)
class WorkerPost:
    worker: str
    post_type: str
    pay_grade: int


@dataclass(frozen=True)
class Batch:
    """招聘批次: how (`method`), how many (`count`, as the document says) and who, each worker once."""

    recruitment: str
    method: str
    count: int
    workers: tuple[WorkerPost, ...]

    def __post_init__(self) -> None:
        object.__setattr__(self, "workers", tuple(self.workers))  # replay hands back lists
        ids = [w.worker for w in self.workers]
        check(self.method in METHODS, f"method {self.method!r}: one of {sorted(METHODS)}")
        check(
            self.count == len(ids) == len(set(ids)),
            f"a batch of {self.count} listing {len(ids)} workers ({len(set(ids))} distinct): "
            "the count is the number listed, each once",
        )


@dataclass(frozen=True)
class Worker:
    """A worker in post: the post type and pay grade, the batch that took them on, and the day
    of the last act on them."""

    worker: str
    post_type: str
    pay_grade: int
    recruitment: str
    since: date


class WorkerRegister(Aggregate):
    """社区工作者名册 — one community's community workers: in post (`in_post`), left (`left`: (worker,
    day)), and the batches recorded. Opened by its first batch, where the units of administration
    place the community (its town, its district: whose scale its posts and grades are of)."""

    batches: tuple[Batch, ...]  # the batches recorded, in order

    @staticmethod
    def create_id(community: str) -> UUID:
        return natural_id("worker_register", community)

    @event("Opened")
    def __init__(self, community: str, town: str, district: str, on: date, ctx: Context) -> None:
        self.community, self.town, self.district = community, town, district
        self.in_post: tuple[Worker, ...] = ()
        self.left: tuple[tuple[str, date], ...] = ()
        self.batches = ()

    def _worker(self, worker: str) -> Worker:
        found = next((w for w in self.in_post if w.worker == worker), None)
        if found is None:
            raise WorkerNotInPost(f"{worker} is not in post in {self.community}")
        return found

    def _not_before(self, worker: str, last: date, on: date) -> None:
        if on < last:
            raise WorkerActPredatesLast(
                f"an act on {worker} effective {on}: the last one took effect on {last}"
            )

    def recruit(self, batch: Batch, scale: WorkerScale, ctx: Context) -> None:
        recorded = next((b for b in self.batches if b.recruitment == batch.recruitment), None)
        if recorded is not None:
            BatchAlreadyRecorded.check(
                recorded == batch, f"batch {batch.recruitment} is recorded in {self.community} otherwise"
            )
            return
        for w in batch.workers:
            scale.ensure_post(w.post_type, w.pay_grade)
        on, left = ctx.effective_on, dict(self.left)
        for w in batch.workers:
            WorkerAlreadyInPost.check(
                all(p.worker != w.worker for p in self.in_post), f"{w.worker} is in post in {self.community}"
            )
            if w.worker in left:
                self._not_before(w.worker, left[w.worker], on)
        if batch.method == "public_recruitment":
            require_document(
                ctx,
                DocumentNumberRequired,
                f"a public recruitment (公开招聘) of {batch.count} in {self.community} cites its 文号: "
                "set the envelope's document_no",
            )
        self._recruited(batch=batch, on=on, ctx=ctx)

    @event("Recruited")
    def _recruited(self, batch: Batch, on: date, ctx: Context) -> None:
        taken = {w.worker for w in batch.workers}
        joined = tuple(
            Worker(w.worker, w.post_type, w.pay_grade, batch.recruitment, on) for w in batch.workers
        )
        self.in_post = (*self.in_post, *joined)
        self.left = tuple(pair for pair in self.left if pair[0] not in taken)
        self.batches = (*self.batches, batch)

    def depart(self, worker: str, ctx: Context) -> None:
        found = self._worker(worker)
        self._not_before(worker, found.since, ctx.effective_on)
        require_reason(ctx, f"{worker} leaving {self.community}")
        self._departed(worker=worker, on=ctx.effective_on, ctx=ctx)

    @event("Departed")
    def _departed(self, worker: str, on: date, ctx: Context) -> None:
        self.in_post = tuple(w for w in self.in_post if w.worker != worker)
        self.left = (*self.left, (worker, on))

    def promote(
        self, worker: str, pay_grade: int, post_type: str | None, scale: WorkerScale, ctx: Context
    ) -> None:
        found = self._worker(worker)
        post = post_type or found.post_type
        scale.ensure_post(post, pay_grade)
        step = scale.details.promotion_step
        PromotionOutOfStep.check(
            1 <= pay_grade - found.pay_grade <= step,
            f"{worker} from grade {found.pay_grade} to {pay_grade}: {self.district}'s scale moves a "
            f"promotion up 1 to {step} grade(s), to {found.pay_grade + 1}"
            + (f"–{min(found.pay_grade + step, scale.details.pay_grades)}" if step > 1 else ""),
        )
        self._not_before(worker, found.since, ctx.effective_on)
        self._promoted(
            worker=worker,
            post_type=post,
            pay_grade=pay_grade,
            from_pay_grade=found.pay_grade,
            on=ctx.effective_on,
            ctx=ctx,
        )

    @event("Promoted")
    def _promoted(
        self, worker: str, post_type: str, pay_grade: int, from_pay_grade: int, on: date, ctx: Context
    ) -> None:
        self.in_post = tuple(
            replace(w, post_type=post_type, pay_grade=pay_grade, since=on) if w.worker == worker else w
            for w in self.in_post
        )

    if TYPE_CHECKING:  # the event classes that the @event methods above define at class creation
        Opened = DecoratedCreated
        Recruited = Departed = Promoted = DecoratedEvent
