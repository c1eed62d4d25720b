"""The one vocabulary of the published contracts: what each field and each message type means.

Upstream teams learn our messages from the JSON Schema alone (`govledger contracts schema`), and
`contracts.schema` writes its descriptions from here. `FIELDS` describes each field name used in
any published message (commands, events, the linkage metrics and ticks, dead letters) once, in a
sentence true wherever the name occurs: what the value is, its unit or format, its vocabulary,
with the Chinese term where there is one; an entry keyed `Struct.field` describes the field of
that struct (by class name) where the name means something else there, and is looked up first.
`MESSAGES` describes, by type tag, each message type whose class has no docstring of its own:
what the act or event is, who sends it, when. Dates (`YYYY-MM-DD`) are calendar days in China
Standard Time; instants are RFC 3339 date-times with an offset. Nothing here is read by the
ledger's rules. Entries are sorted by field name, each field's `Struct.field` entries after it,
and by type tag.
"""

from __future__ import annotations

FIELDS: dict[str, str] = {
    "actor": (
        "Who acted: the person or service (`id`), in which role (`role`), through which upstream system "
        "(`system`). On an event, the actor of the command that caused it."
    ),
    "adjustment": (
        "The adjustment of a sunk-down person the town is consulted on (征求镇街意见): `recall` (召回: the "
        "department takes the person back), `return` (退回: the town sends the person back) or `rotate` "
        "(轮换: another person replaces them)."
    ),
    "admission": (
        "Where the duty's admission (职责准入) stood when the push-down came: `none` (never applied for), "
        "`applied`, `reviewed`, `rejected`, `admitted` (but not for this town, or not yet on that day) or "
        "`cancelled`."
    ),
    "aggregate_id": (
        "The id of the entity (aggregate) the event belongs to — a delegation, a case, a quota ledger, …: a "
        "UUID derived from the entity's natural key, the same on every event of it."
    ),
    "aggregate_version": (
        "The entity's version after this event: its events are numbered 1, 2, 3, … in order. Events the "
        "ledger keeps to itself are counted but not published, so the first published one may be 2; of two "
        "events of one entity, the higher version is the later."
    ),
    "agreed": (
        "The town's opinion: `true` agrees, `false` opposes (the envelope's `reason` is then required). A "
        "stationed (进驻) person is recalled, returned or rotated only after the town agreed to that "
        "adjustment."
    ),
    "all_towns": (
        "Whether the burden item falls on every town of its district's baseline (none was named), rather "
        "than on the towns listed."
    ),
    "approval": (
        "The approval of a reverse adjustment (逆向调整: quotas moving up to a unit of a higher level, e.g. "
        "from a town to district organs, or to the city): the approving body and its document number (文号). "
        "Required for such a transfer, omitted (null) otherwise."
    ),
    "ImposedItem.approval": (
        "The district's approval (一事一报) the imposition stands on: the approving body, its document "
        "number (文号) and the day it took effect; null for an existing item (存量, imposed before the "
        "baseline)."
    ),
    "approved": (
        "An approved number (核定数, a whole number ≥ 0). In `quota.approve` the approved number of quotas "
        "of the kind, in `quota.set_leadership_posts` the approved total of mid-level leadership posts "
        "(中层领导职数), each in force from the China-time day of `effective_at`. On an event, the unit's "
        "approved number of the kind in force after the change: the last 核定 plus the transfers effective "
        "after it."
    ),
    "approved_by": (
        "The body that approved the burden item (e.g. 区委、区政府: 由区委区政府统筹安排), free text; "
        "the approval's document number (文号) is the envelope's `document_no`."
    ),
    "as_of": (
        "The day (YYYY-MM-DD) the enforcement staff count refers to: the baseline (执法力量基数) before the "
        "reform, against which the policy monitors measure growth."
    ),
    "at": (
        "The deadline clock's current time (an RFC 3339 date-time with an offset), when the clock runs on "
        "ticks (replays, demos): a deadline due before it has passed."
    ),
    "bands": (
        "The scheme's grade bands (等次), 1 to 5, each a grade and its floor: the `failing` band starts at 0 "
        "and a better grade needs a higher floor."
    ),
    "basically_satisfied": (
        "Closings, on that day, of cases the party led, rated basically satisfied (基本满意)."
    ),
    "basis": (
        "The basis (依据) of the duty or burden item: the law, regulation, policy or document that assigns "
        "or requires it (free text)."
    ),
    "Dispatch.basis": (
        "Why the routing chose these parties: `delegated` (the town holds the case's power item that day), "
        "`department` (the item's owning department leads, the town cooperates), `scenario` (a "
        "joint-enforcement scenario's lead and cooperating departments, with the town), `town_daily` (a "
        "town's daily matter, 镇管日常), `escalated` (after an escalation), `sent_back` (after a sending "
        "back, 退单) or `unrouted` (no rule applied: the district command centre leads)."
    ),
    "Dispatched.basis": (
        "Why the routing chose these parties: `delegated` (the town holds the case's power item that day), "
        "`department` (the item's owning department leads, the town cooperates), `scenario` (a "
        "joint-enforcement scenario's lead and cooperating departments, with the town), `town_daily` (a "
        "town's daily matter, 镇管日常), `escalated` (after an escalation), `sent_back` (after a sending "
        "back, 退单) or `unrouted` (no rule applied: the district command centre leads)."
    ),
    "Selection.basis": (
        "What a cadre's selection into tier B or up to tier A rests on (择优依据): `performance` (实绩), "
        "`appraisal` (考核结果, e.g. an annual appraisal's grade) or `document` (组织文件); `grounds` says "
        "which."
    ),
    "batch": (
        "The delegation batch (赋权批次, e.g. 首批下放) the delegation belongs to: a code (letters, digits, "
        ". _ : / -), as declared by `delegation_batch.declare`; with `item` and `town` it names the "
        "delegation."
    ),
    "body": "The body that approved the reverse adjustment (e.g. 区委编委), free text.",
    "bonus_tier": (
        "The performance bonus tier (绩效奖金档次): `first`, `second`, `third` or `none`; a failing or "
        "vetoed appraisal gets `none`."
    ),
    "cadence": (
        "How often the scheme appraises (日考勤、周记录、月对账、季考评、年测评): `daily`, `weekly`, "
        "`monthly`, `quarterly` or `yearly`; an appraisal's `period` is written to match it."
    ),
    "capacity": (
        "The most institutional quotas (事业编制) the pool may hold: contributions never add up to more."
    ),
    "case": (
        "The case number (案件编号): a code (letters, digits, . _ : / -), unique per case. It is the Kafka "
        "key, so one case's messages keep their order."
    ),
    "cases": "The number of linkage cases dispatched to the subject that the figures cover (≥ 0).",
    "category": (
        "The category of matter (事项类别): a code (letters, digits, . _ : / -), one vocabulary for cases "
        "and joint-enforcement scenarios (e.g. `fumes`, `safety`): a case reported with a category is "
        "dispatched by the scenarios of that category, and some categories have deadlines of their own."
    ),
    "Adjusted.category": (
        "The duty's category: `statutory` (法律法规规章授权类), `entrusted` (承接上级政府及其部门委托类) or "
        "`public_service` (公共服务事项)."
    ),
    "Applied.category": (
        "The duty's category: `statutory` (法律法规规章授权类), `entrusted` (承接上级政府及其部门委托类) or "
        "`public_service` (公共服务事项)."
    ),
    "DutyAdjustment.category": (
        "The duty's category: `statutory` (法律法规规章授权类), `entrusted` (承接上级政府及其部门委托类) or "
        "`public_service` (公共服务事项)."
    ),
    "DutyTerms.category": (
        "The duty's category: `statutory` (法律法规规章授权类), `entrusted` (承接上级政府及其部门委托类) or "
        "`public_service` (公共服务事项)."
    ),
    "EnforcementStaff.category": (
        "For a district department only (null for a town): `comprehensive` (综合执法部门, target ≥ 80 % "
        "of its enforcement staff sunk down) or `other` (其他主管部门, target ≥ 50 %)."
    ),
    "EnforcementStaffV1.category": (
        "For a district department only (null for a town): `comprehensive` (综合执法部门, target ≥ 80 % "
        "of its enforcement staff sunk down) or `other` (其他主管部门, target ≥ 50 %)."
    ),
    "causation_id": (
        "The message id of the message this one follows from, if any (1–128 characters). On a command, set "
        "by its sender (a linkage dispatch carries the message id behind the case event it answers); on an "
        "event, copied from the command that caused it."
    ),
    "cause": (
        "The `event_id` of the case event this dispatch answers: the report, a sending back or an escalation."
    ),
    "closed": "Closings (回访), on that day, of cases the party led.",
    "cell": (
        "A grid cell (网格): a code (letters, digits, . _ : / -) as registered by `grid.register_cell`; a "
        "community's own grid (level `community`) has the community's code."
    ),
    "city": (
        "The city (市) by its code (letters, digits, . _ : / -), as registered by `jurisdiction.register` "
        "(level `city`): the key of its community workers' staffing standard (配备标准)."
    ),
    "code": (
        "The identifier of what the message registers or names: a code (letters, digits, . _ : / -), 1–64 "
        "characters, of a power item (事项编码), a delegation batch, a town or street, a territorial duty "
        "or joint scenario within its district's list, a burden item (减负事项) within its department's, or "
        "a unit of administration (行政层级: a city, district, development zone, town, street, big "
        "community, community or village)."
    ),
    "communities": (
        "The communities and villages (村、社区) the act covers, each once: codes (letters, digits, "
        ". _ : / -); one the register of jurisdictions knows must be one of the town's, one it does "
        "not know is kept as named."
    ),
    "community": (
        "A community or village (村、社区) of the town: a code (letters, digits, . _ : / -). In the "
        "community workers' messages (`community_worker.*`), one registered by `jurisdiction.register` at "
        "the community level; elsewhere, where the register knows it, one of the town's, else kept as "
        "named."
    ),
    "computed_at": "When the linkage computed this record (an RFC 3339 date-time with an offset).",
    "cooperating": (
        "The cooperating parties (配合责任, 配合单位): for a territorial duty, each party with what it "
        "answers for; for a joint scenario, the cooperating departments' codes; for a dispatch, the codes of "
        "the parties (departments, the town) that cooperate with the lead in this round."
    ),
    "correlation_id": (
        "The id grouping the messages of one piece of business (1–128 characters), e.g. one batch or one "
        "case. Optional on a command; the events carry the command's, or the command's own `message_id` when "
        "it had none."
    ),
    "count": (
        "How many quotas (编制) or posts the act moves (1–100000): quotas contributed to, drawn from or "
        "returned to the pool, occupied, vacated or transferred, or mid-level leadership posts "
        "(中层领导职数) occupied or vacated. In `pool.return_draw` it may be omitted: all the draw still "
        "holds goes back."
    ),
    "Recruitment.count": (
        "How many community workers the batch takes on (1–1000), as its document says: exactly the number "
        "of `workers` listed."
    ),
    "RecruitmentOn.count": (
        "How many community workers the batch takes on (1–1000), as its document says: exactly the number "
        "of `workers` listed."
    ),
    "EnforcementStaff.count": (
        "The number of enforcement staff (执法人员) the unit had on `as_of` (0–100000)."
    ),
    "EnforcementStaffV1.count": (
        "The number of enforcement staff (执法人员) the unit had on `as_of` (0–100000)."
    ),
    "HandledCount.count": (
        "How many cases (办理件数) the community handled under the extended item in the period: a whole "
        "number of at least zero."
    ),
    "HandledRecorded.count": (
        "How many cases (办理件数) the community handled under the extended item in the period: a whole "
        "number of at least zero."
    ),
    "counts": "The party's counters for the day, as they stand after the latest counted event.",
    "day": (
        "The calendar day (YYYY-MM-DD) the record covers: the China-time (UTC+8) day of the counted events' "
        "`effective_at`."
    ),
    "days": (
        "Whole days (1–90): asked for by `case.request_extension`; granted by `case.grant_extension`, which "
        "moves the round's resolve-by that many days (24 hours each) later."
    ),
    "deadline": "Which deadline passed unmet: `sign_for` (签收) or `resolve` (办结).",
    "decided_by": "The body that decided the admission (e.g. 区委、区政府), free text.",
    "delegation_id": (
        "The id of the delegation behind the holding: the `aggregate_id` of that delegation's events (a "
        "UUID)."
    ),
    "department": (
        "A district department (区级部门): a code (letters, digits, . _ : / -); the one that holds the duty, "
        "owns the power item, sends its staff down, or imposes the burden item on towns."
    ),
    "detail": (
        "Why the push-down or imposition was refused, in words (e.g. never applied for, the admission's "
        "status, admitted for other towns only, admitted only from a later day; not approved by the "
        "district, approved as another kind, for other towns only or only from a later day)."
    ),
    "dispatched": "Dispatches, on that day, naming the party as lead or cooperating party.",
    "dissatisfied": "Closings, on that day, of cases the party led, rated dissatisfied (不满意).",
    "district": (
        "The district (区) by its code (letters, digits, . _ : / -), e.g. `JB`: the key of the "
        "district's list of territorial duties and joint scenarios, and of its burden-reduction baseline "
        "(减负基线), under which its departments' burden items fall; on community workers' messages, a "
        "district (or development zone) registered by `jurisdiction.register`, whose scale of posts and "
        "pay grades (岗级体系) the workers of its communities are graded in."
    ),
    "AppointmentRule.district": (
        "The district (区) by its code (letters, digits, . _ : / -), e.g. `BH`: the district whose streets' "
        "cadre reserves the rule applies to."
    ),
    "ReserveOpening.district": (
        "The district (区) by its code (letters, digits, . _ : / -), e.g. `BH`: the district the street "
        "belongs to, whose appointment rule (`reserve.set_rule`) its reserve follows."
    ),
    "district_name": (
        "The district (区) the town, ledger or pool belongs to, by name, e.g. 宁波市江北区; null on a "
        "quota ledger opened by a transfer before its details arrived."
    ),
    "TownDetailsV1.district": "Version 1's field for the district by name (version 2: `district_name`).",
    "LedgerDetailsV1.district": "Version 1's field for the district by name (version 2: `district_name`).",
    "PoolDetailsV1.district": "Version 1's field for the district by name (version 2: `district_name`).",
    "document_no": (
        "The document number (文号) of the official document that decides or records the act, as printed on "
        "it (free text). Required for quota approvals (核定) and transfers, and for admitting, adjusting and "
        "cancelling an admitted duty."
    ),
    "domain": "The field of governance (领域, one of the `17 个方面`, e.g. 教育, 城市绿化), free text.",
    "draw": (
        "The draw from the pool: a code (letters, digits, . _ : / -), chosen by the requester, unique in the "
        "pool."
    ),
    "drawn_from": (
        "The group a grid member is drawn from, if any: a code (letters, digits, . _ : / -), e.g. "
        "`delivery-riders` (外卖骑手, appointed 流动网格员), kept as given; never a person's name or "
        "employer."
    ),
    "due": (
        "When the deadline in question fell due (an RFC 3339 date-time with an offset): the sign-for or "
        "resolve-by time in force for the act or the supervision."
    ),
    "duty": (
        "The duty (职责) within its department: a code (letters, digits, . _ : / -); with `department` it "
        "names the duty."
    ),
    "Party.duty": "What the party answers for under the territorial duty, in words.",
    "effective_at": (
        "When the act takes effect (an RFC 3339 date-time with an offset), which may differ from when it "
        "happened or was recorded. Optional on a command, where it defaults to `occurred_at`; an event "
        "always carries it. The act takes effect on the calendar day of this instant in China Standard Time "
        "(UTC+8): 2021-08-31T16:00:00Z is 2021-09-01."
    ),
    "effective_on": (
        "The day (YYYY-MM-DD) it takes effect: the China-time (UTC+8) calendar day of the envelope's "
        "`effective_at`."
    ),
    "ended_on": (
        "The day (YYYY-MM-DD) the delegation or admission ends, the China-time day of `effective_at`: it is "
        "in force up to the day before, not from this day on."
    ),
    "enforcement": "Whether the post is an enforcement post (执法岗位); the policy monitors count these.",
    "error": "What went wrong, in words: the broken rule's message or the decoding error.",
    "escalated": "Escalations, on that day, of cases the party led until then.",
    "evaluated_on": "The day (YYYY-MM-DD) of the evaluation: the China-time day of `effective_at`.",
    "event_id": (
        "The event's unique id, `<aggregate_id>:<aggregate_version>`: the same whenever the event is "
        "published again, so a subscriber can drop one it has already seen."
    ),
    "evidence": "What the score rests on (依事见人), in words; required.",
    "example": "The example (范例) of the territorial duty: its title or reference, free text.",
    "existing": (
        "Whether the burden item is an existing one (存量): imposed on a day before its district's baseline "
        "(减负基线), so it needed no approval; false for a new one, imposed under the district's approval."
    ),
    "facts": "The case as reported, with `reported_at`, so that the linkage can route it again.",
    "failed_at": "When the message failed (an RFC 3339 date-time with an offset).",
    "figure": "The approved number (核定) the command set, in force from `on`.",
    "findings": "What the evaluation found, in words.",
    "first_day": "The first day (YYYY-MM-DD) of the period the count covers.",
    "floor": (
        "The lowest total that earns the band's grade (inclusive), a decimal written as a JSON string from 0 "
        "to 100 in hundredths (e.g. `90`, `59.5`); the grade runs up to the next better band's floor."
    ),
    "flow": "The flow (流程) of the territorial duty: its title or reference, free text.",
    "from_pay_grade": "The worker's pay grade before the promotion.",
    "from_tier": "The tier the case was handled at before the escalation: `town` or `district`.",
    "funding_yuan": (
        "The funding (经费) that comes with it, in yuan, a decimal written as a JSON string (e.g. "
        "`50000.00`); not negative, and stated even when `0`."
    ),
    "grade": (
        "A grade (等次): `excellent` (优秀), `good` (良好), `competent` (合格), `basic` (基本合格) or "
        "`failing` (不合格). A finalised appraisal gets the best band its total reaches, and `failing` "
        "whenever vetoed."
    ),
    "grid_cell": (
        "The grid cell (网格) where the matter arose, if known: a code (letters, digits, . _ : / -) as "
        "registered by `grid.register_cell`. A new report naming one is checked against the grid: a cell "
        "unknown on the report's day (`GridCellNotRegistered`), retired by then (`GridCellRetired`) or of "
        "another town (`GridCellOfAnotherTown`) has the report dead-lettered."
    ),
    "grounds": (
        "What the selection's basis is, in words (e.g. 2021年度考核优秀, 区委组织部推荐文件); never a "
        "person's name."
    ),
    "grid_members": "The places for grid members (网格员) in the cell's team (0–50): the 2 of “1+2+N”.",
    "guidance": (
        "The guidance (指导) that comes with it, in words; stated even when there is none (e.g. `none`)."
    ),
    "guideline": "The guideline (导则) of the territorial duty: its title or reference, free text.",
    "honour": (
        "Whether the subject is put forward for honours (评优评先); never for a failing or vetoed appraisal."
    ),
    "id": (
        "The id of the person or service that acted, as its upstream system knows it (free text, e.g. an "
        "account or a service name)."
    ),
    "DeadLetter.id": "The dead letter's serial number in the ledger; later failures have higher numbers.",
    "id_number": (
        "The person's ID number (身份证号): personal data, sealed by the intake with the person's own key "
        "and never stored or published in clear."
    ),
    "into": (
        "The case the duplicate report is folded into: its number (案件编号), a code (letters, digits, . _ : "
        "/ -)."
    ),
    "item": (
        "A power item (权力事项): a code (letters, digits, . _ : / -), as catalogued by "
        "`power_item.register`. On a case report, the power item the matter concerns, if known (else give "
        "`category`)."
    ),
    "kind": (
        "The kind of quota (编制): `administrative` (行政编制), `institutional` (事业编制) or `auxiliary` "
        "(编外, 用工计划单列). A staffing plan covers the first two only; a ledger's totals also count "
        "`leadership`, the mid-level leadership posts (中层领导职数)."
    ),
    "ApprovedItem.kind": (
        "The kind of burden item (减负事项) a department imposes on towns: `indicator` (考核指标), "
        "`inspection` (督查检查), `meeting` (会议) or `form` (报表)."
    ),
    "BurdenApproval.kind": (
        "The kind of burden item (减负事项) a department imposes on towns: `indicator` (考核指标), "
        "`inspection` (督查检查), `meeting` (会议) or `form` (报表)."
    ),
    "BurdenTerms.kind": (
        "The kind of burden item (减负事项) a department imposes on towns: `indicator` (考核指标), "
        "`inspection` (督查检查), `meeting` (会议) or `form` (报表)."
    ),
    "Established.kind": (
        "The kind of unit: `office` (办/办公室), `department` (部), `centre` (中心) or `station` (站)."
    ),
    "ImposedItem.kind": (
        "The kind of burden item (减负事项) a department imposes on towns: `indicator` (考核指标), "
        "`inspection` (督查检查), `meeting` (会议) or `form` (报表)."
    ),
    "ImpositionRefusal.kind": (
        "The kind of burden item (减负事项) a department imposes on towns: `indicator` (考核指标), "
        "`inspection` (督查检查), `meeting` (会议) or `form` (报表)."
    ),
    "ItemDetails.kind": (
        "The kind of power: `licensing` (行政许可), `penalty` (行政处罚), `inspection` (行政检查), "
        "`coercion` (行政强制), `public_service` (公共服务) or `other`."
    ),
    "JurisdictionDetails.kind": (
        "The kind of unit of administration, of its level: `city` (市); `district` (区、县); "
        "`development_zone` (经济开发区, level `zone`); `town` (镇), `street` (街道) or `big_community` "
        "(街道级大社区), level `town`; `community` (社区) or `village` (村), level `community`."
    ),
    "JurisdictionOn.kind": (
        "The kind of unit of administration, of its level: `city` (市); `district` (区、县); "
        "`development_zone` (经济开发区, level `zone`); `town` (镇), `street` (街道) or `big_community` "
        "(街道级大社区), level `town`; `community` (社区) or `village` (村), level `community`."
    ),
    "Merged.kind": (
        "The kind of unit: `office` (办/办公室), `department` (部), `centre` (中心) or `station` (站)."
    ),
    "Merger.kind": (
        "The kind of unit: `office` (办/办公室), `department` (部), `centre` (中心) or `station` (站)."
    ),
    "Opened.kind": (
        "The kind of subject the appraisal's scheme appraises: `stationed-agency` (派驻机构), "
        "`stationed-person` (派驻人员), `town` or `department`."
    ),
    "TownDetails.kind": "`town` (镇) or `street` (街道).",
    "TownDetailsV1.kind": "`town` (镇) or `street` (街道).",
    "UnitDetails.kind": (
        "The kind of unit: `office` (办/办公室), `department` (部), `centre` (中心) or `station` (站)."
    ),
    "GridMembership.kind": (
        "The kind of grid member: `full_time` (专职网格员), `part_time` (兼职网格员) or `mobile` "
        "(流动网格员, e.g. a delivery rider)."
    ),
    "GridMemberJoined.kind": (
        "The kind of grid member: `full_time` (专职网格员), `part_time` (兼职网格员) or `mobile` "
        "(流动网格员, e.g. a delivery rider)."
    ),
    "last_day": (
        "The last day (YYYY-MM-DD) of the period the count covers: from that day on, the count is part of "
        "the cases handled as of a day."
    ),
    "lead": (
        "The lead party (主体责任, 牵头): for a territorial duty, the party (a department code, or `TOWN`) "
        "with what it answers for; otherwise the code of the department, town or command centre that leads "
        "(in a dispatch, in this round)."
    ),
    "leader": (
        "The town leader (班子成员) who supervises the unit (分管): a code (letters, digits, . _ : / -). A "
        "leader supervises one big unit at a time, and a unit has one supervising leader."
    ),
    "leader_name": "The supervising leader's name.",
    "legal_basis": (
        "The legal basis of the power (法律依据: the law, regulation or rule and its article), free text."
    ),
    "legality": "The legality finding of the review (合法性审查): passed or not, with a note.",
    "level": (
        "The level of the unit (行政层级): `city` (市), `district` (区、县: a district's organs and "
        "departments), `zone` (开发区, a development zone), `town` (镇街: a town, street or street-level big "
        "community) or `community` (村、社区). A quota ledger's unit is at one of the first four: a "
        "community holds no 编制."
    ),
    "EnforcementStaff.level": (
        "`district` (a district department, 区级部门, which then gives its `category`) or `town` (镇街)."
    ),
    "EnforcementStaffV1.level": (
        "Version 1's word for the level: `department` (a district department, read as `district`) or "
        "`town` (镇街)."
    ),
    "GridCellDetails.level": (
        "The cell's level: `basic` (基础网格, the default), `dedicated` (专属网格: a school, a market, a "
        "park) or `community` (社区网格: the community's own grid, whose team is the community's)."
    ),
    "GridCellOpened.level": (
        "The cell's level: `basic` (基础网格), `dedicated` (专属网格) or `community` (社区网格: the "
        "community's own grid, whose team is the community's)."
    ),
    "list": (
        "The list the item is on: `government_affairs` (政务类), `supervisory` (监管类) or `service` "
        "(政务服务)."
    ),
    "mechanisms": (
        "The cooperation mechanisms that apply, of the seven (七机制): `collaboration` (协作), "
        "`consultation` (会商), `result_notification` (处理结果通报), `early_warning` (预防预警), "
        "`work_suggestion` (工作建议), `liaison` (联络) and `dispute_negotiation` (争议协商)."
    ),
    "member": (
        "A grid member (网格员, 网格长 …): a pseudonymous id (letters, digits, . _ : / -) in the grid "
        "platform; never a name, phone or ID number."
    ),
    "message_id": (
        "The message's id (1–128 characters), chosen by the sender: the idempotency key. The intake "
        "remembers, across all command topics, the id of every command it applied, refused or "
        "dead-lettered for a broken rule, and ignores any later message with that id, whatever it holds; "
        "so a retry must reuse the id and a new act needs a new one. It remembers an id for the ledger's "
        "duplicate window, 30 days from its arrival unless the operator sets another (0: for ever): a "
        "message sent again after that is taken as new and meets the rules again, so retries and replays "
        "belong inside it. A record that could not be decoded (e.g. `MalformedMessage`, "
        "`UnsupportedVersion`) is not remembered and may be sent again, corrected, under the same id. On "
        "an event: the id of the command that caused it."
    ),
    "DeadLetter.message_id": "The failed message's `message_id`, if it could be read; else null.",
    "PartyDay.message_id": (
        "The id of this publication, unique per record: `<party>/<day>/<event id>` (the event that changed "
        "the counts), so a subscriber can drop a record it has already seen."
    ),
    "message_type": "The failed message's type tag (e.g. `quota.approve`), if it could be read; else null.",
    "metrics_message_id": (
        "The id of the linkage metrics publication the figures come from, kept for the audit trail; one id "
        "carries one set of figures."
    ),
    "method": (
        "How the batch was taken on: `public_recruitment` (公开招聘, citing its 文号 in `document_no`) or "
        "`in_post` (在岗登记: the workers already in post when the community's register is first taken in)."
    ),
    "mode": (
        "How it moves. A delegation (赋权): `grant` (赋权), `entrust` (委托) or `devolve` (下放). A "
        "sink-down (力量下沉): `full` (全面下放: the town manages daily work, appraisal and bonus), "
        "`stationed` (进驻, 区属镇用: the department owns, the town commands) or `liaison` (挂点联系)."
    ),
    "model": (
        "The town's structure model (机构设置模式), free text, e.g. `5+X`, `一办七部两中心`, `5办2中心1站`."
    ),
    "GridTeamPlaces.model": (
        "The team's model as the district names it, free text, e.g. `1+2+N3+6` (包河: 一名网格长、"
        "两名网格员和“三岗六大员”)."
    ),
    "GridTeamSet.model": (
        "The team's model as the district names it, free text, e.g. `1+2+N3+6` (包河: 一名网格长、"
        "两名网格员和“三岗六大员”)."
    ),
    "name": (
        "The name in full, as in official documents (free text): of the power item, duty, scenario, town, "
        "unit, ledger's unit, pool, appraised subject or burden item. A quota ledger opened by a transfer "
        "has none (null) until its details arrive. A person's name is personal data, sealed by the intake "
        "and never stored or published in clear."
    ),
    "GridCellDetails.name": "The cell's name as the grid platform gives it (free text), e.g. 慈城镇第1网格.",
    "GridCellOpened.name": "The cell's name as the grid platform gives it (free text), e.g. 慈城镇第1网格.",
    "PostType.name": "The post type's name (岗位名称), e.g. 社区专职工作者.",
    "note": (
        "A remark in words (may be empty): the reviewer's, on a review finding; the party's, on its act on a "
        "case."
    ),
    "occupied": "The number occupied (实有) of the kind after the change; never above the approved number.",
    "occurred_at": (
        "When the act happened, as the sender saw it (an RFC 3339 date-time with an offset, e.g. "
        "2021-07-01T09:00:00+08:00); also when it takes effect, unless `effective_at` says otherwise."
    ),
    "office": (
        "The mid-level post appointed to: `deputy` (中层副职, the post tier B is the reserve of) or "
        "`principal` (中层正职, the post tier A is the reserve of)."
    ),
    "offset": "The Kafka offset of the failed record in its partition.",
    "officers": "The places for officers (六大员, the “6” of 包河's “1+2+N3+6”) in the cell's team (0–50).",
    "on": (
        "The day (YYYY-MM-DD) the event took effect: the China-time (UTC+8) calendar day of the envelope's "
        "`effective_at`."
    ),
    "Expired.on": (
        "The day (YYYY-MM-DD) of the clock message (`pool.expire_due`) that returned the draw: its term "
        "ended on or before that day."
    ),
    "ExpiryRun.on": (
        "The clock's day (YYYY-MM-DD): every approved draw whose `until` is on or before it goes back to the "
        "pool. A scheduler sends one a day per pool, taking effect at 00:00 China time."
    ),
    "on_time": "Whether the act came by its deadline: its `effective_at` at or before `due`.",
    "on_time_resolution": (
        "The on-time resolution rate (按时办结率): resolutions by the deadline / resolutions, a decimal "
        "written as a JSON string, from 0 to 1 (e.g. `0.965`); in the metrics, absent while there is nothing "
        "to count."
    ),
    "opened_on": "The day (YYYY-MM-DD) the appraisal was opened: the China-time day of `effective_at`.",
    "original": (
        "The failed record's bytes as received, base64-encoded, but for its personal fields (those an "
        '`x-personal` keyword marks): each is sealed, replaced by `{"x-sealed": {"owner", "token"}}` '
        "(the owner is the person the object names, else `dead-letters/YYYY-MM`, the month's key; opened "
        "with the owner's key: `govledger deadletters --open ID`), or, once its owner's data was "
        'erased, by `{"x-redacted": {"sha256"}}` (the digest of the record as received; `"sm3"` under '
        "the national algorithms). A record that is not JSON and names a personal field is replaced "
        'whole by `{"x-redacted": {"sha256", "bytes"}}`. A record without personal data is kept byte '
        "for byte."
    ),
    "other_level": (
        "The level of the other unit: `city` (市级机关), `district` (区级机关、部门), `zone` (开发区) or "
        "`town` (镇街)."
    ),
    "other_unit": (
        "The other unit of the transfer: a code (letters, digits, . _ : / -); where the quotas went (out) or "
        "came from (in)."
    ),
    "outcome": (
        "How the case was resolved: `resolved` (解决) or `explained` (解释说明: it could not be solved and "
        "was explained)."
    ),
    "pay_grade": (
        "The worker's pay grade (薪级, 级) in the district's scale: 1 up to the scale's `pay_grades` (包河's "
        "四岗十八级: 1–18). On a promotion, the grade after it."
    ),
    "pay_grades": "How many pay grades (级) the district's scale has, graded 1 up to it (包河: 18).",
    "parent": (
        "The unit of administration one level up that the unit belongs to (a code): a community's town "
        "(which may be one registered only by `town.register`), a town's district or development zone, a "
        "district's city; a development zone's host, a district or the city. Null for a city."
    ),
    "parties": (
        "The scheme's weighted parties (评价主体), 1 to 4, each once with its weight; the weights sum to 100."
    ),
    "Supervised.parties": "The parties that had not met the deadline, as codes (letters, digits, . _ : / -).",
    "partition": "The Kafka partition of the failed record.",
    "party": (
        "A party to a case: a code (letters, digits, . _ : / -) of a town, a district department or a "
        "command centre; the one that acts, or whose figures the metrics record holds."
    ),
    "PartyScore.party": (
        "The appraising party (评价主体): `town` (镇评价), `street` (街道评价), `society` (社会评价) or "
        "`department` (部门评价)."
    ),
    "PartyWeight.party": (
        "The appraising party (评价主体): `town` (镇评价), `street` (街道评价), `society` (社会评价) or "
        "`department` (部门评价)."
    ),
    "Scored.party": (
        "The appraising party (评价主体): `town` (镇评价), `street` (街道评价), `society` (社会评价) or "
        "`department` (部门评价)."
    ),
    "passed": "Whether the finding passed.",
    "payload": "The body of the message: the fields of the act or event, as its type defines them.",
    "period": (
        "The period appraised, written for the scheme's cadence: `2021` (yearly), `2021-Q3` (quarterly), "
        "`2021-07` (monthly), `2021-W27` (weekly) or `2021-07-01` (daily); with `subject` it names the "
        "appraisal."
    ),
    "HandledCount.period": (
        "The period the count covers: a year `2021`, a quarter `2021-Q3`, a month `2021-07`, an ISO week "
        "`2021-W27` or a day `2021-07-01`. A community's periods under one item do not overlap; the same "
        "period again corrects its count."
    ),
    "HandledRecorded.period": (
        "The period the count covers: a year `2021`, a quarter `2021-Q3`, a month `2021-07`, an ISO week "
        "`2021-W27` or a day `2021-07-01`. A community's periods under one item do not overlap; the same "
        "period again corrects its count."
    ),
    "person": (
        "The person: a pseudonymous id in the staffing system (机构编制实名制), a code (letters, digits, . _ "
        ": / -); never a name or an ID number. A person serves in one town at a time (一人一镇)."
    ),
    "personal": (
        "The person's personal data (name, ID number, phone), optional: sealed by the intake with the "
        "person's own key before anything is stored, and never published."
    ),
    "persons": (
        "The persons who move (1–500), each with post, enforcement flag and rank; events carry them by "
        "pseudonymous id, without personal data."
    ),
    "phone": "The person's phone number: personal data, sealed by the intake like the rest.",
    "planned": (
        "How many of its vacancies of the kind the unit plans to fill in the year (用编计划, ≥ 0); not more "
        "than approved minus occupied."
    ),
    "plaque": "The plaque's name (机构牌子), as written on it; it names the plaque within the town.",
    "pool": (
        "The staffing turnover pool (编制周转池): a code (letters, digits, . _ : / -). It is the Kafka key, "
        "so a pool's messages keep their order."
    ),
    "post": "The post (岗位) the person takes, in words.",
    "post_type": (
        "A post type (岗位类别) of the district's scale of community workers: its code (letters, digits, . _ "
        ": / -), e.g. one of 包河's four (四岗). On a promotion, the post type after it (omitted: unchanged)."
    ),
    "post_types": (
        "The post types (岗) of the district's scale, each with its code and name (1–12; 包河's 四岗十八级: "
        "four)."
    ),
    "posts": "The places for posts (三岗, the “3” of 包河's “1+2+N3+6”) in the cell's team (0–50).",
    "previous_lead": (
        "The party that led the case before the escalation: a code (letters, digits, . _ : / -)."
    ),
    "principal_only_from_a": (
        "Whether the district fills its streets' principal mid-level posts (中层正职) from tier A (A库) of "
        "their cadre reserves only, from the effective day on; a district that never set it does not require "
        "it."
    ),
    "priority": "`normal` or `urgent`; an urgent case gets shorter deadlines.",
    "promotion": (
        "Whether the subject is recommended for promotion (推荐提名); never for a failing or vetoed "
        "appraisal."
    ),
    "promotion_step": (
        "The most pay grades one promotion may move a worker up (1 unless the district allows more): "
        "promotions go one grade at a time by default."
    ),
    "purpose": (
        "The purpose of the draw, one of the three allowed: `major_task` (重大阶段性任务), `structure` "
        "(改善人员结构) or `scarce_talent` (引进紧缺人才)."
    ),
    "rank": (
        "The person's cadre rank (职级), if any: `division` (处级), `deputy_division` (副处级), `section` "
        "(科级) or `deputy_section` (副科级)."
    ),
    "rates": "The party's rates for the day, made of its counters.",
    "rating": (
        "How the town exercises the power, as evaluated: `effective`, `needs_improvement` or `ineffective`."
    ),
    "reason": (
        "Why, in words (up to 4000 characters). The rules require one for many acts: rejections; recalls, "
        "returns, rotations and transfers; vetoes and opposed adjustments; corrections and revisions; "
        "adjusting and cancelling a duty admission; merging and abolishing units; releasing a supervisor; "
        "removing a plaque; renewing a draw; sending a case back, asking for more time, escalation and "
        "rework. Events carry the command's."
    ),
    "reasonableness": "The reasonableness finding of the review (合理性审查): passed or not, with a note.",
    "recalled": (
        "The towns the adjustment took the duty back from (上收), as codes: those listed before and not any "
        "more."
    ),
    "recommendation": "What the evaluation recommends: `keep`, `adjust` or `recall` (上收).",
    "recorded_at": (
        "When the ledger stored the event (an RFC 3339 date-time with an offset); it may be before or after "
        "`effective_at`."
    ),
    "recruitment": (
        "The recruitment batch (招聘批次): a code (letters, digits, . _ : / -), one per batch of a "
        "community; a city-wide recruitment keeps one code in each community it places workers in."
    ),
    "reference": (
        "What the routing relied on, in words: the delegation (the item held by the town since a day), the "
        "power item, the scenario (`district/code`), or who sent the case back or escalated it."
    ),
    "replacement": (
        "The person who rotates in (轮换), with post, enforcement flag and rank; events carry the "
        "pseudonymous id only."
    ),
    "reported_at": (
        "When the case was reported (an RFC 3339 date-time with an offset): the report's `effective_at`."
    ),
    "residents": (
        "The unit's resident population (常住人口, 0–100000000) counted on the day: in force from that day "
        "until a later count; a second count of one day corrects the first."
    ),
    "resolution": (
        "The resolution rate (解决率): resolutions that solved the matter / resolutions, a decimal written "
        "as a JSON string, from 0 to 1; in the metrics, absent while there is nothing to count."
    ),
    "resolve_by": (
        "By when the case must be resolved (办结), an RFC 3339 date-time with an offset: set by a dispatch, "
        "moved later by an extension, set anew by a rework."
    ),
    "resolved": "Resolutions (办结), on that day, by the party.",
    "resolved_on_time": "Resolutions, on that day, by the party, by their deadline.",
    "response": (
        "The response rate (响应率): sign-fors on time / sign-fors, a decimal written as a JSON string, from "
        "0 to 1 (e.g. `0.972`); absent while there is nothing to count."
    ),
    "response_on_time": (
        "The response (sign-for) timeliness rate (响应（签收）及时率): sign-fors on time / sign-fors, a "
        "decimal written as a JSON string, from 0 to 1; the metrics call it `response`."
    ),
    "review": (
        "The admission review (准入审核; for a duty, by the district joint meeting 区联席会议): the "
        "reviewing body and its legality and reasonableness findings. It passes only if both pass."
    ),
    "reviewing_body": (
        "The body that reviews the admission (e.g. the district joint meeting, 区联席会议), free text."
    ),
    "revision": (
        "How many times the duty or scenario has been registered or amended: 1 on registration, +1 for each "
        "amendment."
    ),
    "role": "The role in which the actor acted (free text, e.g. 编办, 部门, 网格员).",
    "GridAppointment.role": (
        "The role in the cell's team (“1+2+N”): `head` (网格长, one), `grid_member` (网格员), `post` "
        "(三岗) or `officer` (六大员)."
    ),
    "GridRoleTaken.role": (
        "The role taken in the cell's team: `head` (网格长), `grid_member` (网格员), `post` (三岗) or "
        "`officer` (六大员)."
    ),
    "GridRoleLeft.role": (
        "The role given up in the cell's team: `head` (网格长), `grid_member` (网格员), `post` (三岗) or "
        "`officer` (六大员)."
    ),
    "round": (
        "Which round this is, from 1: of a duty's admission (a new round after a rejection or cancellation), "
        "of a burden item's imposition (+1 each time it is imposed again after a clearance), or of a case's "
        "dispatch (+1 after each sending back or escalation)."
    ),
    "rule": (
        "The broken rule's name (e.g. `DutyNotAdmitted`, `ItemNotCatalogued`), or the failure before any "
        "rule (e.g. `MalformedMessage`, `UnsupportedVersion`, `WrongTopic`, `MessageTooLarge`, "
        "`UnexpectedError`)."
    ),
    "satisfaction": (
        "The satisfaction rate (满意率): (satisfied + basically satisfied) / closings rated, a decimal "
        "written as a JSON string, from 0 to 1; in the metrics, absent while there is nothing to count."
    ),
    "Closed.satisfaction": (
        "The citizen's verdict at the return visit (回访): `satisfied` (满意), `basically_satisfied` "
        "(基本满意) or `dissatisfied` (不满意), which may be followed by `case.rework`."
    ),
    "Closing.satisfaction": (
        "The citizen's verdict at the return visit (回访): `satisfied` (满意), `basically_satisfied` "
        "(基本满意) or `dissatisfied` (不满意), which may be followed by `case.rework`."
    ),
    "satisfied": "Closings, on that day, of cases the party led, rated satisfied (满意).",
    "scheme": "The appraisal scheme (考核方案): a code (letters, digits, . _ : / -).",
    "score": (
        "The party's score, a decimal written as a JSON string from 0 to 100 in hundredths at most (e.g. "
        "`89.95`)."
    ),
    "sign_for_by": "By when each party must sign for the case (签收), an RFC 3339 date-time with an offset.",
    "signed": "Sign-fors (签收), on that day, by the party.",
    "signed_on_time": "Sign-fors, on that day, by the party, by their deadline.",
    "solved": "Resolutions, on that day, by the party, that solved the matter (outcome `resolved`).",
    "source": (
        "Where it came from. A case: `grid` (网格), `hotline` (12345), `inspection` (巡查) or `upstream` "
        "(上级交办). Appraisal evidence: always `linkage` (区镇联动)."
    ),
    "staff": "The staff (人员) that come with it: a number of persons (≥ 0), stated even when 0.",
    "standard": (
        "The city's staffing standard (配备标准): community workers per 10,000 residents (常住人口), e.g. "
        "漯河's 18; in force from the day set until a later one."
    ),
    "status": (
        "Where the burden item stood when the refused imposition came: `none` (never approved nor imposed), "
        "`approved` (approved otherwise than imposed) or `cleared` (清理, and not approved anew)."
    ),
    "subject": (
        "Who is appraised: a code (letters, digits, . _ : / -) of a stationed agency, a stationed person, a "
        "town or a department. With `period` it names the appraisal; for linkage evidence it is the party "
        "code the metrics use."
    ),
    "subject_kind": (
        "The kind of subject the scheme appraises: `stationed-agency` (派驻机构), `stationed-person` "
        "(派驻人员), `town` or `department`. A stationed subject (区属镇用) is appraised with its host town, "
        "which may veto (反向否决)."
    ),
    "suggested": "The party the case belongs to, if the sender knows: a code (letters, digits, . _ : / -).",
    "summary": (
        "An account in words (may be empty): of the matter when reported, of what was done when resolved."
    ),
    "supervised": "Supervisions (督办), on that day, naming the party as having missed a deadline.",
    "support": (
        "The support package that comes with it (人员、经费、培训、指导): staff, funding, training sessions "
        "and guidance, each stated, zero allowed."
    ),
    "system": "The upstream system the act came through (free text, e.g. 权责清单系统, 基层治理四平台).",
    "team": "The receiving team in the town (e.g. a street's 综合行政执法队), in words.",
    "tier": (
        "The tier the case is handled at (分级): `town` (镇管日常), `district` (县管难事) or `city` "
        "(市管三跨); on a sending back, the tier of the round sent back."
    ),
    "Appointed.tier": "The tier of the cadre reserve the cadre was drawn from: `B` (B库) or `A` (A库).",
    "Removed.tier": "The tier of the cadre reserve the cadre left: `B` (B库) or `A` (A库).",
    "title": (
        "The title, in words: of a delegation batch (e.g. 首批下放 17 个方面 206 项) or of an appraisal "
        "scheme."
    ),
    "to_level": (
        "The level of the receiving unit: `city` (市级机关), `district` (区级机关、部门), `zone` (开发区) or "
        "`town` (镇街), the level of its ledger. Up to a higher level (逆向调整; town, zone, district, "
        "city from lowest) only with an `approval`."
    ),
    "to_tier": "The tier the case goes up to: `district` or `city`.",
    "to_unit": (
        "The unit it goes to: a code (letters, digits, . _ : / -); the unit that takes over a transferred "
        "power (划转), or the unit receiving the quotas."
    ),
    "topic": "The Kafka topic the failed record was read from.",
    "total": (
        "The weighted total: Σ score × weight / 100, rounded half up to hundredths, a decimal written as a "
        "JSON string."
    ),
    "town": (
        "A town or street (镇街): a code (letters, digits, . _ : / -), as registered by `town.register`. On "
        "an appraisal, the host town of a stationed subject, or the town appraising a department (反向评价); "
        "on a placement, the town the person serves in (null when released)."
    ),
    "RegisterPlace.town": (
        "The town-level unit (镇、街道、街道级大社区) the community lies in: its code, as registered by "
        "`jurisdiction.register` or by `town.register`."
    ),
    "town_part": "What the town or street does in the scenario, in words.",
    "towns": (
        "Towns, as codes (letters, digits, . _ : / -). A duty admission names each town it covers (at least "
        "one; `all towns` is expanded by the sender); a joint scenario names the towns it applies to, none "
        "meaning every town. A burden item (减负) names the towns of its district it falls on, none meaning "
        "every town of the district's baseline; its events name them all (then with `all_towns` true)."
    ),
    "training_sessions": (
        "The training (培训) that comes with it: a number of sessions (≥ 0), stated even when 0."
    ),
    "transfer": (
        "The sink-down transfer (力量下沉): a code (letters, digits, . _ : / -). It is the Kafka key, so a "
        "transfer's messages keep their order."
    ),
    "type": (
        "The message type tag (e.g. `quota.approve`, `delegation.approved`): which message this is, and so "
        "what its payload holds. Commands are imperative, events in the past tense."
    ),
    "Established.type": (
        "The type of unit: `integrated` (综合性机构, one of the core units such as the `5` of `5+X`) or "
        "`special` (特色机构, the `X`)."
    ),
    "Merged.type": (
        "The type of unit: `integrated` (综合性机构, one of the core units such as the `5` of `5+X`) or "
        "`special` (特色机构, the `X`)."
    ),
    "Merger.type": (
        "The type of unit: `integrated` (综合性机构, one of the core units such as the `5` of `5+X`) or "
        "`special` (特色机构, the `X`)."
    ),
    "UnitDetails.type": (
        "The type of unit: `integrated` (综合性机构, one of the core units such as the `5` of `5+X`) or "
        "`special` (特色机构, the `X`)."
    ),
    "unit": (
        "A unit: a code (letters, digits, . _ : / -). In a town's organisation, one of the town's units "
        "(unique in the town, never reused); a plaque without one hangs on the town itself. In staffing, the "
        "unit whose quota ledger or enforcement baseline it is (a town, or a district organ or department), "
        "or the unit giving quotas to the pool."
    ),
    "Party.unit": "The party: a department code, or `TOWN` for whichever town or street the duty arises in.",
    "units": (
        "The town's units merged (2–20), as codes (letters, digits, . _ : / -): they end, and the new unit "
        "`unit` takes their place."
    ),
    "until": (
        "The end of the draw's term (YYYY-MM-DD), after the day of the request (of a renewal: after the "
        "current `until`). The clock command for a day (`pool.expire_due`, at 00:00 China time) returns "
        "every approved draw whose `until` is on or before that day, so the quotas go back at the start of "
        "`until` unless the draw is renewed."
    ),
    "version": (
        "The version of the message's schema: 1, unless the schema lists a later version of the "
        "type (then each version is its own entry, and earlier ones are upgraded on the way in). "
        "The intake dead-letters a command of a version it does not read (`UnsupportedVersion`)."
    ),
    "Opened.version": "The scheme version the appraisal was opened under.",
    "Opening.version": (
        "The scheme version to open the appraisal under (≥ 1); omit it for the scheme's latest. Not the "
        "message's schema version."
    ),
    "Revised.version": "The scheme's new version: the definition is version 1, each revision adds one.",
    "vetoed": "Whether the host town vetoed the appraisal (反向否决); its grade is then `failing`.",
    "worker": (
        "A community worker (社区工作者): a pseudonymous id (letters, digits, . _ : / -), never a name or an "
        "ID number; one worker in post once per community."
    ),
    "workers": (
        "The community workers the batch takes on (1–1000), each by id with post type and pay grade in the "
        "district's scale, each once."
    ),
    "weight": (
        "The party's weight (权重), a decimal written as a JSON string, above 0 and up to 100 in hundredths "
        "(e.g. `40`); the scheme's weights sum to 100."
    ),
    "year": "The year the staffing plan is for.",
}

MESSAGES: dict[str, str] = {
    "appraisal.apply_result": (
        "Applies a finalised appraisal's result (考核结果运用): bonus tier, 评优评先, 推荐提名; once, and no "
        "reward for a failing grade."
    ),
    "appraisal.attach_evidence": (
        "Attaches the subject's district-town linkage figures (区镇联动: response, on-time resolution, "
        "resolution and satisfaction rates, case count) for the period as evidence; sent from the linkage "
        "metrics."
    ),
    "appraisal.correct_score": (
        "A party corrects its score (更正评分), with evidence and a reason; the earlier score stays on "
        "record."
    ),
    "appraisal.define_scheme": (
        "Defines an appraisal scheme (考核方案) as version 1: title, kind of subject, cadence, weighted "
        "parties (weights sum to 100) and grade bands. Sent by the appraisal platform (岗位对责、绩效对账)."
    ),
    "appraisal.evidence_attached": (
        "District-town linkage figures (区镇联动) were attached to an appraisal as evidence."
    ),
    "appraisal.finalise": (
        "Finalises an appraisal (考核定等) once every weighted party has scored: weighted total and grade "
        "(等次; failing if vetoed, 反向否决). Afterwards only its result can be applied."
    ),
    "appraisal.finalised": "An appraisal was finalised (考核定等): its weighted total and grade (等次).",
    "appraisal.open": (
        "Opens the appraisal (考核) of one subject for one period under a scheme, its latest version unless "
        "`version` names one; a stationed subject names its host town."
    ),
    "appraisal.opened": (
        "An appraisal (考核) was opened under a scheme version; the payload adds the kind of subject."
    ),
    "appraisal.result_applied": "A finalised appraisal's result was applied (考核结果运用).",
    "appraisal.revise_scheme": (
        "Revises an appraisal scheme (考核方案): its cadence, weights (权重) and bands (等次) as a new "
        "version; a reason is required. Appraisals already open keep their version."
    ),
    "appraisal.scheme_defined": "An appraisal scheme (考核方案) was defined, as version 1.",
    "appraisal.scheme_revised": "An appraisal scheme (考核方案) was revised; `version` is its new version.",
    "appraisal.score": (
        "A weighted party scores (评分) the appraisal (0–100) with its evidence; each party scores once."
    ),
    "appraisal.score_corrected": (
        "A party corrected its score (更正评分) on `on`; the new score counts from then."
    ),
    "appraisal.scored": "A party scored (评分) an appraisal on `on`.",
    "appraisal.veto": (
        "The host town vetoes (反向否决) the appraisal of a stationed agency or person: its grade becomes "
        "failing. A reason is required; once, after every weighted party has scored and before finalising."
    ),
    "appraisal.vetoed": "The host town vetoed an appraisal (反向否决); the reason is the envelope's.",
    "case.close": (
        "Closes a resolved case with the citizen's verdict at the return visit (回访): satisfied, basically "
        "satisfied or dissatisfied."
    ),
    "case.closed": "The case was closed with the citizen's verdict (回访), counted for the lead.",
    "case.dispatched": "A round of a case was dispatched (派单); `round` counts the rounds.",
    "case.escalated": (
        "The case went up a tier (升级); the payload carries its facts and the previous lead for routing "
        "again."
    ),
    "case.extension_granted": "More days were granted (延期): `resolve_by` is the round's new deadline.",
    "case.extension_requested": "The lead asked for more days (申请延期) to resolve the case.",
    "case.grant_extension": (
        "Grants days on the pending extension request (批准延期): the round's resolve-by moves later."
    ),
    "case.handle": "The lead, having signed for the case (签收), records its handling (处置).",
    "case.handled": "The lead recorded its handling (处置) of the case.",
    "case.merge": "Folds a duplicate report into the case `into` (并案).",
    "case.merged": "A duplicate report was folded into the case `into` (并案).",
    "case.report": (
        "Reports a case (案件) in a town about a power item or a category of matter. Sent by the grid "
        "(网格), the 12345 hotline, inspection (巡查) or upstream (上级交办) systems; the linkage then "
        "routes and dispatches it."
    ),
    "case.report_in": "A cooperating party of the round reports in (街乡吹哨、部门报到), once per round.",
    "case.reported": "A case (案件) was reported; the payload adds when (`reported_at`).",
    "case.reported_in": "A cooperating party reported in (部门报到).",
    "case.request_extension": (
        "The lead asks for more days (申请延期) to resolve the case; a reason is required, and one request "
        "may be pending at a time."
    ),
    "case.resolve": (
        "The lead, having signed for the case, resolves it (办结): resolved or explained, with a summary; on "
        "time if by the resolve-by."
    ),
    "case.resolved": "The lead resolved the case (办结); `on_time` says whether by `due`.",
    "case.rework": (
        "Sends a case closed dissatisfied back to its lead (重办) with a new resolve-by; a reason is "
        "required."
    ),
    "case.rework_ordered": "A case closed dissatisfied went back to its lead (重办) with a new resolve-by.",
    "case.send_back": (
        "The lead sends the case back (退单) as not its jurisdiction, naming whom it belongs to if known; a "
        "reason is required. The linkage routes it again."
    ),
    "case.sent_back": (
        "The lead sent the case back (退单); the payload carries the case's facts for routing again."
    ),
    "case.sign_for": "A lead or cooperating party of the round signs for the case (签收), once per round.",
    "case.signed_for": "A party signed for the case (签收); `on_time` says whether by `due`.",
    "case.supervised": "A deadline of the round passed unmet (督办); `parties` had not met it.",
    "delegation.approve": (
        "Approves a delegation after admission review (准入审核): both the legality and the reasonableness "
        "findings passed, and the support package (人员、经费、培训、指导) is declared. The town holds the "
        "power from the China-time day of `effective_at`; at most one effective holder per item and town."
    ),
    "delegation.approved": (
        "A delegation was approved after admission review (准入审核), with the findings and the support "
        "package (人员、经费、培训、指导); the town holds the power from `effective_on` (see "
        "`holding.taken`)."
    ),
    "delegation.evaluate": (
        "Records a periodic evaluation (调研评估) of how the town exercises a delegated power: rating, "
        "recommendation and findings."
    ),
    "delegation.evaluated": "A delegation was evaluated (调研评估).",
    "delegation.propose": (
        "Proposes delegating (赋权) one catalogued, active power item to one town in a batch, in a mode: "
        "grant (赋权), entrust (委托) or devolve (下放). Sent by the power-list system (权责清单系统)."
    ),
    "delegation.proposed": (
        "A delegation (赋权) of a power item to a town was proposed; the payload adds the item's owning "
        "department."
    ),
    "delegation.recall": (
        "Recalls (上收) an approved delegation: the power goes back to the department from the China-time "
        "day of `effective_at`. A reason is required."
    ),
    "delegation.recalled": (
        "A delegation was recalled (上收): the town no longer holds the power from `ended_on`."
    ),
    "delegation.reject": (
        "Rejects (驳回) a delegation at admission review (准入审核), with the review's findings and a "
        "reason. A rejection is final: file a new proposal."
    ),
    "delegation.rejected": (
        "A delegation was rejected at admission review (准入审核); the rejection is final."
    ),
    "delegation.review_started": "A proposed delegation went under admission review (准入审核).",
    "delegation.start_review": (
        "Puts a proposed delegation under admission review (准入审核) by the named reviewing body."
    ),
    "delegation.transfer": (
        "Transfers (划转) an approved delegation's power from the town to another unit (`to_unit`) from the "
        "China-time day of `effective_at`. A reason is required."
    ),
    "delegation.transferred": (
        "A delegation's power was transferred (划转) to another unit: the town no longer holds it from "
        "`ended_on`."
    ),
    "delegation_batch.declare": (
        "Declares a batch of delegations (赋权批次, e.g. 首批下放 17 个方面 206 项; 成熟一批、赋予一批) by "
        "code and title; its delegations name it. Sent by the power-list system (权责清单系统)."
    ),
    "delegation_batch.declared": "A batch of delegations (赋权批次) was declared.",
    "duty.push_down_refused": (
        "A department tried to push a duty down to a town it is not admitted for; the attempt is recorded "
        "(部门擅自将责任甩给镇街), `admission` and `detail` say why, and `message_id` is the refused "
        "command's."
    ),
    "duty.pushed_down": "A department laid an admitted duty on a town (下沉) on `on`.",
    "duty_admission.adjust": (
        "Adjusts (调整) an admitted duty: its terms, towns and support as they stand from `effective_at` on; "
        "towns left out are recalled (上收). Reason and `document_no` required."
    ),
    "duty_admission.adjusted": (
        "An admitted duty was adjusted (调整) from `effective_on`; `recalled` lists the towns it was taken "
        "back from."
    ),
    "duty_admission.admit": (
        "The district's decision (区委、区政府审定) admitting a reviewed duty (准入) for the towns applied "
        "for, with its support package; `document_no` is required."
    ),
    "duty_admission.admitted": (
        "A duty was admitted (准入) for the listed towns from `effective_on`; the department may now push it "
        "down to them."
    ),
    "duty_admission.applied": (
        "A department applied for a duty's admission (申请); `round` counts its applications."
    ),
    "duty_admission.apply": (
        "A district department applies (申请) to push one of its duties down to the towns it lists "
        "(职责准入), with the duty's name, category and basis. An application after a rejection or "
        "cancellation opens a new round."
    ),
    "duty_admission.cancel": (
        "Cancels (取消) an admitted duty, or withdraws a pending application. A reason is required, and "
        "`document_no` when the duty was admitted."
    ),
    "duty_admission.cancelled": (
        "A duty's admission (职责准入) was cancelled (取消), or its application withdrawn; not in force from "
        "`ended_on`."
    ),
    "duty_admission.rejected": (
        "The joint meeting's review (区联席会议审核) rejected (驳回) the application; the department may "
        "apply again, in a new round."
    ),
    "duty_admission.review": (
        "The district joint meeting's review (区联席会议审核) of an application: legality and reasonableness "
        "findings. Both passed: reviewed; otherwise the application is rejected and a reason is required."
    ),
    "duty_admission.reviewed": (
        "The joint meeting's review (区联席会议审核) passed both findings; the duty awaits the district's "
        "decision."
    ),
    "holding.released": (
        "A town stopped exercising a power item (事项承接 ended) from `on` (its delegation was recalled, "
        "上收, or transferred, 划转); cases about it go to the owning department again."
    ),
    "holding.taken": (
        "A town began to exercise a power item (事项承接) on `on`, under the named delegation; from that day "
        "the linkage routes cases about the item in that town to the town."
    ),
    "joint_scenario.amend": (
        "Amends (修订) a joint-enforcement scenario (`一件事`, 属地联动执法事项): its terms as they now "
        "stand, a new revision."
    ),
    "joint_scenario.amended": (
        "A joint-enforcement scenario (`一件事`) was amended (修订); the payload holds its terms as they now "
        "stand and the new revision."
    ),
    "joint_scenario.register": (
        "Registers a joint-enforcement scenario (`一件事`, 属地联动执法事项): its category of matter, lead "
        "and cooperating departments, the town's part and the towns it applies to (none: every town). The "
        "linkage dispatches cases of that category by it."
    ),
    "joint_scenario.registered": "A joint-enforcement scenario (`一件事`) was registered, as revision 1.",
    "joint_scenario.retire": (
        "Retires (废止) a joint-enforcement scenario (`一件事`, 属地联动执法事项); the linkage no longer "
        "dispatches (派单) by it."
    ),
    "joint_scenario.retired": (
        "A joint-enforcement scenario (`一件事`) was retired (废止); the payload carries its category, so "
        "that a subscriber keyed by category finds it."
    ),
    "pool.approve_draw": (
        "Approves (批准) a requested draw on the turnover pool (编制周转池); refused if the pool's available "
        "quotas (contributed − outstanding) would go below zero."
    ),
    "pool.contribute": (
        "A unit gives institutional quotas into the pool (挖潜调剂); contributions never exceed the capacity."
    ),
    "pool.contributed": "A unit gave institutional quotas into the pool (挖潜调剂).",
    "pool.draw_approved": (
        "A draw was approved (批准): its quotas are out of the pool (编制周转池) until returned."
    ),
    "pool.draw_expired": (
        "A draw's quotas came back by themselves (动态管理): its term had ended by the clock's day `on`."
    ),
    "pool.draw_rejected": "A draw on the pool (编制周转池) was rejected (驳回).",
    "pool.draw_renewed": "An approved draw's term was extended (延期, 动态管理) to `until`.",
    "pool.draw_requested": "A town asked to draw quotas from the pool (申请使用周转编制).",
    "pool.draw_returned": "Quotas of a draw came back to the pool (归还周转编制) on `on`.",
    "pool.expire_due": (
        "The pool's daily clock: approved draws whose term ended by `on` go back (动态管理). A scheduler "
        "sends one per pool per day, with a message id made from (pool, day)."
    ),
    "pool.reject_draw": (
        "Rejects (驳回) a requested draw on the turnover pool (编制周转池); a reason is required, and the "
        "decision is final."
    ),
    "pool.renew_draw": "Moves an approved draw's end of term later (动态管理). A reason is required.",
    "pool.request_draw": (
        "A town asks to draw quotas from the pool for an allowed purpose (重大阶段性任务, 改善人员结构, "
        "引进紧缺人才) until a day."
    ),
    "pool.return_draw": (
        "Gives quotas of an approved draw back to the pool (归还周转编制): `count` of them, or all still out."
    ),
    "power_item.amend": (
        "Amends a catalogued power item: its details as they now stand. Sent by the power-list system "
        "(权责清单系统) when the catalogue entry changes."
    ),
    "power_item.amended": (
        "A catalogued power item (权力事项) was amended; the payload holds its details as they now stand."
    ),
    "power_item.register": (
        "Registers a power item (权力事项) in the catalogue: code, name, kind, list, domain, legal basis and "
        "owning department. Sent by the power-list system (权责清单系统); only catalogued, active items can "
        "be delegated."
    ),
    "power_item.registered": "A power item (权力事项) was registered in the catalogue.",
    "power_item.retire": (
        "Retires a power item from the catalogue: it can no longer be proposed or approved for delegation. "
        "Sent by the power-list system (权责清单系统)."
    ),
    "power_item.retired": (
        "A power item (权力事项) was retired from the catalogue (权责清单): no delegation of it can be "
        "proposed or approved any more."
    ),
    "quota.approve": (
        "Sets the approved number (核定) of one kind of quota for a unit, in force from the China-time day "
        "of `effective_at`; `document_no` is required, and occupied may never exceed approved."
    ),
    "quota.approved": (
        "The approved number (核定) of a kind, or of leadership posts, was set from `on`; `approved` is the "
        "number in force."
    ),
    "quota.occupied": (
        "Quotas (占用编制) or leadership posts (领导职数) of a unit were taken; `occupied` is the number "
        "after."
    ),
    "quota.occupy": (
        "People take quotas (占用编制) of one kind in a unit; refused if occupied would exceed approved "
        "(核定)."
    ),
    "quota.occupy_leadership_posts": (
        "Leadership posts of a unit are taken (占用中层领导职数); refused if occupied would exceed the "
        "approved total."
    ),
    "quota.plan": (
        "Sets a unit's staffing plan (用编计划) for a year: how many of its vacancies of a kind it plans to "
        "fill; changing a plan needs a reason."
    ),
    "quota.planned": "A unit's staffing plan (用编计划) for a year was set or changed.",
    "quota.set_leadership_posts": (
        "Sets the approved total of a unit's mid-level leadership posts (中层领导职数, managed as one "
        "total); `document_no` is required."
    ),
    "quota.transfer": (
        "Moves quotas of one kind from `unit` to `to_unit` (e.g. 跨层级调整), citing `document_no`; from a "
        "town up to district organs (逆向调整) only with an `approval`. It travels on the partition of the "
        "unit it leaves."
    ),
    "quota.transferred_in": (
        "Quotas came to the unit (调入, e.g. 跨层级调整, 市级补充) from `other_unit` on `on`; `approved` is "
        "the unit's number after."
    ),
    "quota.transferred_out": (
        "Quotas left the unit (调出, e.g. 跨层级调整) for `other_unit` on `on`; `approved` is the unit's "
        "number after."
    ),
    "quota.vacate": "People leave quotas (出编, 空出编制) of one kind in a unit.",
    "quota.vacate_leadership_posts": "Leadership posts of a unit are vacated (空出中层领导职数).",
    "quota.vacated": (
        "Quotas (出编) or leadership posts (领导职数) of a unit were vacated; `occupied` is the number after."
    ),
    "sinkdown.adjustment_consulted": (
        "The town gave its opinion (征求镇街意见) on adjusting a person, on `on`."
    ),
    "sinkdown.consent": (
        "The town consents to a proposed sink-down after consultation (征求意见); only then can it take "
        "effect."
    ),
    "sinkdown.consult_adjustment": (
        "The town's opinion (征求镇街意见) on recalling, returning or rotating one sunk-down person: agreed, "
        "or opposed with a reason. A stationed (进驻) person is adjusted only after the town agreed."
    ),
    "sinkdown.make_effective": (
        "The sink-down (力量下沉) takes effect on the China-time day of `effective_at`: each person serves "
        "in the town from then (one town per person at a time, 一人一镇). The town must have consented by "
        "that day."
    ),
    "sinkdown.person_recalled": "A sunk-down person was recalled (召回) to the department on `on`.",
    "sinkdown.person_returned": "A sunk-down person was returned (退回) to the department on `on`.",
    "sinkdown.person_rotated": "A sunk-down person was rotated (轮换) out on `on`, and the replacement in.",
    "sinkdown.placement_released": (
        "A person's placement (一人一镇) was released by a transfer: from `on` the person serves in no town."
    ),
    "sinkdown.placement_taken": (
        "A person's one placement (一人一镇) was taken by a transfer: from `on` the person serves in `town`."
    ),
    "sinkdown.propose": (
        "Proposes sinking staff down (力量下沉) from a department to a town: one person or a batch, in a "
        "mode (全面下放, 进驻, 挂点联系), into a receiving team. Personal data may ride along and is sealed "
        "by the intake."
    ),
    "sinkdown.proposed": (
        "A sink-down (力量下沉) was proposed; its persons appear by pseudonymous id, post and rank."
    ),
    "sinkdown.recall": (
        "The department recalls (召回) a sunk-down person. A reason is required, and for a stationed person "
        "the town's prior agreement."
    ),
    "sinkdown.return": (
        "The town returns (退回) a sunk-down person to the department. A reason is required, and for a "
        "stationed person the town's prior agreement."
    ),
    "sinkdown.rotate": (
        "Rotates (轮换) a sunk-down person: the person leaves and the replacement comes in on the same day. "
        "A reason is required, and for a stationed person the town's prior agreement."
    ),
    "sinkdown.took_effect": "The sink-down (力量下沉) took effect on `on`: its persons serve in the town.",
    "sinkdown.town_consented": "The town consented to the sink-down (征求意见: 同意) on `on`.",
    "sinkdown.town_vetoed": "The town vetoed the sink-down (反向否决权) on `on`; the transfer is closed.",
    "territorial_duty.amend": (
        "Amends (修订) a territorial duty (属地管理事项): its terms as they now stand, a new revision."
    ),
    "territorial_duty.amended": (
        "A territorial duty (属地管理事项) was amended (修订); the payload holds its terms as they now stand "
        "and the new revision."
    ),
    "territorial_duty.register": (
        "Registers a territorial duty (属地管理事项) in its district's list: lead party (主体责任), "
        "cooperating parties (配合责任), the mechanisms that apply (七机制), its guideline, example and flow "
        "(一清单、一导则、一范例、一流程)."
    ),
    "territorial_duty.registered": "A territorial duty (属地管理事项) was registered, as revision 1.",
    "territorial_duty.retire": "Retires a territorial duty (属地管理事项) from its district's list.",
    "territorial_duty.retired": (
        "A territorial duty (属地管理事项) was retired (废止) from its district's list."
    ),
    "town.abolish_unit": "Abolishes a unit of a town (撤销). A reason is required.",
    "town.assign_supervisor": (
        "Assigns the town leader (班子成员) who supervises a unit (分管): one leader per unit, and a leader "
        "supervises one big unit at a time."
    ),
    "town.establish_unit": (
        "Establishes a unit of a town (办、部、中心、站; 大部门制), integrated or special (the `X`); a unit "
        "code is never reused in the town."
    ),
    "town.merge_units": (
        "Merges two or more of a town's units into a new unit (合并); the merged units end. A reason is "
        "required."
    ),
    "town.plaque_registered": (
        "A plaque (机构牌子) was registered on a unit of the town or on the town itself."
    ),
    "town.plaque_removed": "A plaque was removed (清理机构牌子) on `on`.",
    "town.register_plaque": (
        "Registers a plaque (机构牌子, 挂牌) hung on a unit of the town or on the town itself."
    ),
    "town.release_supervisor": (
        "Releases a unit's supervising leader (分管领导), e.g. before another is assigned. A reason is "
        "required."
    ),
    "town.remove_plaque": (
        "Removes a plaque (清理机构牌子); a removed plaque stays removed. A reason is required."
    ),
    "town.supervisor_assigned": "A town leader (班子成员) began supervising (分管) a unit on `on`.",
    "town.supervisor_released": "A town leader (班子成员) stopped supervising (分管) a unit on `on`.",
    "town.unit_abolished": "A unit of the town was abolished (撤销) on `on`.",
    "town.unit_established": "A unit of the town (办、部、中心、站) was established (设立) on `on`.",
    "town.units_merged": "Units of the town were merged (合并) into a new unit on `on`; the `units` ended.",
}
