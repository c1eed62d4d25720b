"""Use cases of the community workers (社区工作者): a district's scale, a city's standard, and each
community's register."""

from __future__ import annotations

from aggregates.base import Context, RuleViolation
from aggregates.command_batch import UseCases, use_case
from aggregates.community_workers.register import Batch, WorkerNotInPost, WorkerPost, WorkerRegister
from aggregates.community_workers.scale import (
    PostType,
    ScaleAlreadyDefined,
    ScaleDetails,
    WorkerScale,
)
from aggregates.community_workers.standard import WorkerStandard
from aggregates.jurisdictions.jurisdiction import Jurisdiction, district_of

VALUE_TYPES: tuple[type, ...] = (PostType, ScaleDetails, WorkerPost, Batch)


class CommunityNotRegistered(RuleViolation):
    """No community (社区) or village (村) of that code is registered as a unit of administration."""


class DistrictNotKnown(RuleViolation):
    """The community's district is not known: no district (or development zone) is registered
    above its town, nor does a town known only by `town.register` name one registered."""


class ScaleNotDefined(RuleViolation):
    """The community's district has no scale of post types and pay grades (岗级体系) defined."""


class UnitNotRegistered(RuleViolation):
    """A scale is a registered district's (or development zone's), a standard a registered city's."""


class CommunityWorkerUseCases(UseCases):
    """社区工作者 — each community's register, the districts' scales, the cities' standards."""

    value_types = VALUE_TYPES

    def _registered(self, code: str, levels: tuple[str, ...]) -> None:
        unit = self._read(Jurisdiction, Jurisdiction.create_id(code))
        UnitNotRegistered.check(
            unit is not None and unit.level in levels,
            f"no {' or '.join(levels)} {code} is registered as a unit of administration",
        )

    def _scale(self, district: str) -> WorkerScale:
        return self._found(
            WorkerScale,
            WorkerScale.create_id(district),
            lambda: ScaleNotDefined(f"{district} has no scale of community workers' posts and grades"),
        )

    def _register(self, community: str) -> WorkerRegister:
        return self._found(
            WorkerRegister,
            WorkerRegister.create_id(community),
            lambda: WorkerNotInPost(f"{community} has no community workers registered"),
        )

    @use_case
    def define_worker_scale(self, ctx: Context, district: str, details: ScaleDetails) -> None:
        """岗级体系 — the district's scale, defined once."""
        self._registered(district, ("district", "zone"))
        self._create_once(
            WorkerScale,
            WorkerScale.create_id(district),
            new=lambda: WorkerScale(district=district, details=details, on=ctx.effective_on, ctx=ctx),
            same=lambda scale: scale.details == details,
            conflict=lambda: ScaleAlreadyDefined(f"{district}'s scale is defined with other posts or grades"),
        )

    @use_case
    def set_worker_standard(self, ctx: Context, city: str, standard: int) -> None:
        """配备标准 — the city's workers per 10,000 residents from the effective day."""
        self._registered(city, ("city",))
        found = self._get_or_add(
            WorkerStandard, WorkerStandard.create_id(city), lambda: WorkerStandard(city=city, ctx=ctx)
        )
        found.set(standard, ctx)

    @use_case
    def recruit_workers(self, ctx: Context, community: str, batch: Batch) -> None:
        """招聘 — a batch taken on; the community's first opens its register where the units of
        administration place it."""
        register = self._get(WorkerRegister, WorkerRegister.create_id(community))
        if register is None:
            place = district_of(self._read, community)
            if place is None:
                raise CommunityNotRegistered(f"no community or village {community} is registered")
            town, district = place
            if district is None:
                raise DistrictNotKnown(
                    f"{community}'s town {town} stands under no registered district: register the "
                    "town (or the units above it) as units of administration"
                )
            scale = self._scale(district)
            register = self._staged.add(
                WorkerRegister(
                    community=community, town=town, district=district, on=ctx.effective_on, ctx=ctx
                )
            )
        else:
            scale = self._scale(register.district)
        register.recruit(batch, scale, ctx)

    @use_case
    def record_departure(self, ctx: Context, community: str, worker: str) -> None:
        """离岗 — the worker leaves the community's register."""
        self._register(community).depart(worker, ctx)

    @use_case
    def promote_worker(
        self, ctx: Context, community: str, worker: str, pay_grade: int, post_type: str | None = None
    ) -> None:
        """晋级 — the worker up the district's pay grades, within its step."""
        register = self._register(community)
        register.promote(worker, pay_grade, post_type, self._scale(register.district), ctx)
