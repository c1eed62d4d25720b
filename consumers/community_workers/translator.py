"""社区工作者 — community workers: commands to their use cases, and their events to the published
contracts (topic family `staffing`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from aggregates import base
from aggregates.base import DocumentNumberRequired, RuleViolation
from aggregates.community_workers import register, scale, use_cases
from aggregates.community_workers.register import Batch, WorkerPost, WorkerRegister
from aggregates.community_workers.scale import PostType, ScaleDetails, WorkerScale
from aggregates.community_workers.standard import WorkerStandard
from aggregates.jurisdictions.jurisdiction import Jurisdiction
from consumers.event_contracts import copied
from consumers.handlers import Touches, touching
from contracts.community_workers import commands as c
from contracts.community_workers import events as out


def _scale(p: c.Scale) -> ScaleDetails:
    return ScaleDetails(
        tuple(PostType(t.post_type, t.name) for t in p.post_types), p.pay_grades, p.promotion_step
    )


def _batch(p: c.Recruitment) -> Batch:
    workers = tuple(WorkerPost(w.worker, w.post_type, w.pay_grade) for w in p.workers)
    return Batch(p.recruitment, p.method, p.count, workers)


HANDLERS: dict[type, Callable[..., None]] = {
    c.DefineScale: lambda app, ctx, p: app.define_worker_scale(ctx, p.district, _scale(p)),
    c.SetStandard: lambda app, ctx, p: app.set_worker_standard(ctx, p.city, p.standard),
    c.RecruitWorkers: lambda app, ctx, p: app.recruit_workers(ctx, p.community, _batch(p)),
    c.RecordDeparture: lambda app, ctx, p: app.record_departure(ctx, p.community, p.worker),
    c.PromoteWorker: lambda app, ctx, p: app.promote_worker(
        ctx, p.community, p.worker, p.pay_grade, p.post_type
    ),
}


def _recruiting(p: c.Recruitment) -> list[Any]:
    """The register, and the community its first batch is placed by; the units above it are
    read as the walk up to its district needs them."""
    return [
        WorkerRegister.create_id(p.community),
        Jurisdiction.create_id(p.community),
    ]


TOUCHES: dict[type, Touches] = {
    c.DefineScale: lambda p: [WorkerScale.create_id(p.district), Jurisdiction.create_id(p.district)],
    c.SetStandard: lambda p: [WorkerStandard.create_id(p.city), Jurisdiction.create_id(p.city)],
    c.RecruitWorkers: _recruiting,
    c.RecordDeparture: touching(WorkerRegister.create_id, "community"),
    c.PromoteWorker: touching(WorkerRegister.create_id, "community"),
}

# The rules each command can be refused with, in the order a sender should read them: what it
# names missing, then the vocabularies and values, then the rules on the ledger's state, then
# the 文号 or reason.
RULES: dict[type, tuple[type[RuleViolation], ...]] = {
    c.DefineScale: (use_cases.UnitNotRegistered, scale.InvalidWorkerDetails, scale.ScaleAlreadyDefined),
    c.SetStandard: (use_cases.UnitNotRegistered, scale.InvalidWorkerDetails, base.ReasonRequired),
    c.RecruitWorkers: (
        use_cases.CommunityNotRegistered,
        use_cases.DistrictNotKnown,
        use_cases.ScaleNotDefined,
        scale.InvalidWorkerDetails,
        register.BatchAlreadyRecorded,
        register.WorkerAlreadyInPost,
        register.WorkerActPredatesLast,
        DocumentNumberRequired,
    ),
    c.RecordDeparture: (register.WorkerNotInPost, register.WorkerActPredatesLast, base.ReasonRequired),
    c.PromoteWorker: (
        register.WorkerNotInPost,
        use_cases.ScaleNotDefined,
        scale.InvalidWorkerDetails,
        register.PromotionOutOfStep,
        register.WorkerActPredatesLast,
    ),
}


def _scale_on(e: Any, a: Any) -> out.ScaleOn:
    d = e.details
    types = tuple(c.PostType(post_type=t.code, name=t.name) for t in d.post_types)
    return out.ScaleOn(
        district=e.district,
        post_types=types,
        pay_grades=d.pay_grades,
        promotion_step=d.promotion_step,
        on=e.on,
    )


def _recruited(e: Any, a: Any) -> out.RecruitmentOn:
    b = e.batch
    workers = tuple(copied(c.WorkerPost, w) for w in b.workers)
    return copied(out.RecruitmentOn, b, community=a.community, workers=workers, on=e.on)


PUBLISHED: dict[type, tuple[type, Any]] = {
    WorkerScale.Defined: (out.ScaleDefined, _scale_on),
    WorkerStandard.Set: (
        out.StandardSet,
        lambda e, a: out.StandardOn(city=a.city, standard=e.standard, on=e.on),
    ),
    WorkerRegister.Opened: (out.RegisterOpened, lambda e, a: copied(out.RegisterPlace, e)),
    WorkerRegister.Recruited: (out.WorkersRecruited, _recruited),
    WorkerRegister.Departed: (
        out.WorkerDeparted,
        lambda e, a: copied(out.DepartureOn, e, community=a.community),
    ),
    WorkerRegister.Promoted: (
        out.WorkerPromoted,
        lambda e, a: copied(out.PromotionOn, e, community=a.community),
    ),
}

# A city's standard is opened by its first figure: the opening itself says nothing a reader needs.
INTERNAL: set[type] = {WorkerStandard.Opened}
