"""Use cases of territorial duties and joint-enforcement scenarios (SPEC §2, 属地管理)."""

from __future__ import annotations

from aggregates.base import Context
from aggregates.command_batch import UseCases, use_case
from aggregates.territorial.duty import (
    ResponsibleParty,
    TerritorialDuty,
    TerritorialDutyAlreadyRegistered,
    TerritorialDutyNotListed,
    TerritorialDutyTerms,
    TerritorialGuidance,
)
from aggregates.territorial.scenario import (
    JointEnforcementScenario,
    JointScenarioTerms,
    ScenarioAlreadyRegistered,
    ScenarioNotListed,
)

VALUE_TYPES: tuple[type, ...] = (
    ResponsibleParty,
    TerritorialGuidance,
    TerritorialDutyTerms,
    JointScenarioTerms,
)


class TerritorialUseCases(UseCases):
    """属地管理 — territorial duties and joint-enforcement scenarios of a district."""

    value_types = VALUE_TYPES

    def _duty(self, district: str, code: str) -> TerritorialDuty:
        return self._found(
            TerritorialDuty,
            TerritorialDuty.create_id(district, code),
            lambda: TerritorialDutyNotListed(
                f"no territorial duty {code} in {district}'s list: send territorial_duty.register first"
            ),
        )

    def _scenario(self, district: str, code: str) -> JointEnforcementScenario:
        return self._found(
            JointEnforcementScenario,
            JointEnforcementScenario.create_id(district, code),
            lambda: ScenarioNotListed(
                f"no joint-enforcement scenario {code} in {district}'s list: send joint_scenario.register "
                "first"
            ),
        )

    @use_case
    def register_territorial_duty(
        self, ctx: Context, district: str, code: str, terms: TerritorialDutyTerms
    ) -> None:
        self._create_once(
            TerritorialDuty,
            TerritorialDuty.create_id(district, code),
            new=lambda: TerritorialDuty(district=district, code=code, terms=terms, ctx=ctx),
            same=lambda duty: duty.terms == terms,
            conflict=lambda: TerritorialDutyAlreadyRegistered(
                f"registering territorial duty {code} in {district}'s list: it is listed with other terms; "
                "send territorial_duty.amend to change them"
            ),
        )

    @use_case
    def amend_territorial_duty(
        self, ctx: Context, district: str, code: str, terms: TerritorialDutyTerms
    ) -> None:
        self._duty(district, code).amend(terms, ctx)

    @use_case
    def retire_territorial_duty(self, ctx: Context, district: str, code: str) -> None:
        self._duty(district, code).retire(ctx)

    @use_case
    def register_joint_scenario(
        self, ctx: Context, district: str, code: str, terms: JointScenarioTerms
    ) -> None:
        self._create_once(
            JointEnforcementScenario,
            JointEnforcementScenario.create_id(district, code),
            new=lambda: JointEnforcementScenario(district=district, code=code, terms=terms, ctx=ctx),
            same=lambda scenario: scenario.terms == terms,
            conflict=lambda: ScenarioAlreadyRegistered(
                f"registering joint-enforcement scenario {code} in {district}'s list: it is listed with "
                "other terms; send joint_scenario.amend to change them"
            ),
        )

    @use_case
    def amend_joint_scenario(self, ctx: Context, district: str, code: str, terms: JointScenarioTerms) -> None:
        self._scenario(district, code).amend(terms, ctx)

    @use_case
    def retire_joint_scenario(self, ctx: Context, district: str, code: str) -> None:
        self._scenario(district, code).retire(ctx)
