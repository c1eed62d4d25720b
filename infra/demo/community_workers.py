"""The community-worker demo (社区工作者): 漯河's recruitment to the standard (seed 003) and 包河's
四岗十八级 (seed 004).

漯河: "公开招聘社区工作者378人，将社区工作者队伍扩充至1692人，达到每万名常住人口配备18名社区工作者
的标准". The city's standard is 18 per 10,000 residents from 2021-01-04; each of the 110 communities
(`infra.demo.jurisdictions`) takes its workers already in post into its register that day (1,314
in all), and a public recruitment (公开招聘) of 378 on 2021-09-01 brings them to 1,692, one batch
code across the communities it places workers in. With the communities' 843,000 residents
(illustrative: the seed's people on the platform) the city stands at 15.6 per 10,000 before
the recruitment and 20.1 after, every street over 18. The seed gives no scale for 漯河: its three
districts are given an illustrative one (three post types, eighteen grades); the split of
workers over communities, posts and grades, the dates and 文号 are illustrative.

包河: "包河区'四岗十八级'制度" — the district's scale of four post types and eighteen pay grades,
promotions one grade at a time; the post types' names, the registers of four communities
(three of 万年埠街道, one of the big community 滨湖世纪社区), their public recruitment, promotions
and a departure are illustrative. One deliberately bad promotion jumps two grades and must be
refused with PromotionOutOfStep. 合肥's own standard is not in the seed: none is set, so 包河's
ratio is shown without a target.
"""

from __future__ import annotations

from contracts.community_workers import commands as w
from contracts.envelope import Actor
from infra.demo.jurisdictions import BAOHE_COMMUNITIES, LUOHE_COMMUNITIES, LUOHE_STREETS, LUOHE_WORKERS
from infra.demo.messages import Message, Sender

__all__ = ["BAD_RULES", "LUOHE_RECRUITED", "register_commands", "setup_commands"]

SCOPE = "community_workers"
SYSTEM = "社区工作者管理系统"
BAD_RULES = ["PromotionOutOfStep"]
LUOHE_RECRUITED = 378  # 公开招聘社区工作者378人
LUOHE_STANDARD = 18  # 每万名常住人口配备18名
# recruited per community: 3 each, 4 in the first 48 (illustrative split of the 378)
RECRUITED = {code: 4 if n < 48 else 3 for n, code in enumerate(LUOHE_COMMUNITIES)}
THREE_POSTS = (("head", "社区正职（书记、主任）"), ("deputy", "社区副职"), ("staff", "社区专职工作者"))
FOUR_POSTS = (
    ("head", "社区正职（书记、主任）"),
    ("deputy", "社区副职"),
    ("member", "社区两委委员"),
    ("staff", "社区专职工作者"),
)
BAOHE_IN_POST = 10  # illustrative, per community
BAOHE_RECRUITED = 2


def _actor(city: str) -> Actor:
    return Actor(id=f"{city}-minzheng", role="民政局", system=SYSTEM)


def _scale(district: str, posts: tuple[tuple[str, str], ...]) -> w.Scale:
    types = tuple(w.PostType(post_type=code, name=name) for code, name in posts)
    return w.Scale(district=district, post_types=types, pay_grades=18)


def setup_commands() -> list[Message]:
    """The districts' scales (keyed by district) and 漯河's standard (keyed by the city)."""
    out: list[Message] = []
    luohe = Sender(SCOPE, out, actor=_actor("LH"), correlation=("community-workers", "LH"))
    for district in sorted({d for _, d in LUOHE_STREETS.values()}):
        luohe.send(w.DefineScale, _scale(district, THREE_POSTS), district, at="2021-01-04", key=district)
    standard = w.Standard(city="LH", standard=LUOHE_STANDARD)
    luohe.send(w.SetStandard, standard, "LH", at="2021-01-04", key="LH", document_no="漯组〔2021〕3号")
    baohe = Sender(SCOPE, out, actor=_actor("BH"), correlation=("community-workers", "BH"))
    four = _scale("BH", FOUR_POSTS)
    baohe.send(w.DefineScale, four, "BH", at="2019-12-02", key="BH", document_no="包民〔2019〕41号")
    return out


def _post(n: int, posts: int) -> tuple[str, int]:
    """The nth worker's post type and pay grade in a community of `posts` post types: the first
    heads it, the next two are deputies (and, with four, the next two members), the rest staff
    spread over the lower grades (illustrative)."""
    if n == 1:
        return "head", 12
    if n <= 3:
        return "deputy", 8
    if posts == 4 and n <= 5:
        return "member", 6
    return "staff", 1 + n % 5


def _batch(community: str, code: str, method: w.RecruitmentMethod, ids: range, posts: int) -> w.Recruitment:
    workers = tuple(
        w.WorkerPost(worker=f"{community}-W{n:02d}", post_type=post, pay_grade=grade)
        for n in ids
        for post, grade in [_post(n, posts) if method == "in_post" else ("staff", 1)]
    )
    return w.Recruitment(
        community=community, recruitment=code, method=method, count=len(workers), workers=workers
    )


def _register(out: list[Message], community: str, city: str) -> Sender:
    """The sender of one community's register: keyed by it, each command caused by the one before."""
    return Sender(
        SCOPE, out, actor=_actor(city), key=community, chain=community, correlation=("register", community)
    )


def register_commands() -> list[Message]:
    """Each community's register: the workers in post, then the public recruitment; 包河's
    promotions, a departure and one refused promotion. Keyed by the community."""
    out: list[Message] = []
    for community in LUOHE_COMMUNITIES:
        s = _register(out, community, "LH")
        existing = LUOHE_WORKERS[community] - RECRUITED[community]
        in_post = _batch(community, "LH-2021-ZAIGANG", "in_post", range(1, existing + 1), 3)
        s.send(w.RecruitWorkers, in_post, community, "in_post", at="2021-01-04")
        hired = _batch(
            community,
            "LH-2021-GZ",
            "public_recruitment",
            range(existing + 1, LUOHE_WORKERS[community] + 1),
            3,
        )
        s.send(
            w.RecruitWorkers, hired, community, "public", at="2021-09-01", document_no="漯社工招〔2021〕1号"
        )
    for n, community in enumerate(BAOHE_COMMUNITIES):
        s = _register(out, community, "BH")
        in_post = _batch(community, "BH-2020-ZAIGANG", "in_post", range(1, BAOHE_IN_POST + 1), 4)
        s.send(w.RecruitWorkers, in_post, community, "in_post", at="2020-01-06")
        for worker in (6, 7):  # staff one grade up each (晋级)
            up = w.Promotion(
                community=community, worker=f"{community}-W{worker:02d}", pay_grade=2 + worker % 5
            )
            s.send(w.PromoteWorker, up, community, f"W{worker:02d}", at="2021-01-04")
        ids = range(BAOHE_IN_POST + 1, BAOHE_IN_POST + BAOHE_RECRUITED + 1)
        recruited = _batch(community, "BH-2021-GZ", "public_recruitment", ids, 4)
        s.send(
            w.RecruitWorkers, recruited, community, "public", at="2021-03-01", document_no="包民〔2021〕12号"
        )
        if n == 0:
            gone = w.WorkerRef(community=community, worker=f"{community}-W01")
            s.send(w.RecordDeparture, gone, community, "W01", at="2021-05-31", reason="辞职（届满离任）")
            moved = w.Promotion(community=community, worker=f"{community}-W03", pay_grade=9, post_type="head")
            s.send(w.PromoteWorker, moved, community, "W03", at="2021-06-01")  # a deputy takes the head post
            jump = w.Promotion(community=community, worker=f"{community}-W08", pay_grade=1 + 8 % 5 + 2)
            s.send(w.PromoteWorker, jump, community, "W08", at="2021-06-01")  # refused: two grades at once
    return out
