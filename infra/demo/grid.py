"""The grid demo (网格): seeds 003 and 004, and the cells the linkage demo's cases name.

- 漯河 (seed 003): "聘请223名外卖小哥担任街道流动网格员" — 223 delivery riders appointed as
  mobile grid members (流动网格员, drawn from `delivery-riders`). The seed names neither the
  streets nor the cells: the three streets (马路街、顺河街 of 源汇区, 沙北 of 郾城区), their
  communities, their twelve cells and how the riders are spread over them are illustrative,
  and so is the streets' organisation model, which the seed does not state (`未载明`); they
  are registered here (`town.register`) because a cell's town must be. "推进'多格合一'": two
  old cells of 马路街 are retired into one (illustrative), and one rider leaves.
- 包河 (seed 004): "将街道划分为若干个基础网格 … 每个网格都实行'1+2+N3+6'模式运行，即一名网格
  长、两名网格员和'三岗六大员'": six basic cells of 万年埠街道 in two communities, each with its
  team of 1 head, 2 grid members, 3 posts and 6 officers (12 members: heads and grid members
  full-time, the rest part-time); each community's own grid (社区网格) has a "1+2" team. The
  communities, cells, member ids and kinds are illustrative. One deliberately bad command
  appoints a third grid member to a "1+2" team and must be refused with TeamRoleFull; one
  officer is relieved and another member appointed in their place.
- 江北 慈城镇: the twelve cells CC-01 … CC-12 the linkage demo's cases are reported in
  (`infra/demo/linkage.py`), in three illustrative communities, each with a full-time and a
  part-time member and a "1+2" team headed by the full-time one.

The towns of 江北 and 包河 are those of the organisation demo. Towns are sent with the first
phase (`town_commands`); the cells, members and teams in a later one (`demo_commands`), since a
cell's registration reads its town on another partition.
"""

from __future__ import annotations

from datetime import date, timedelta

from contracts.envelope import Actor
from contracts.grid import commands as g
from contracts.organisation import commands as o
from infra.demo.messages import Message, Sender
from infra.kafka import clients as kafka

__all__ = ["BAD_RULES", "CICHENG_CELLS", "RIDERS", "demo_commands", "town_commands"]

SCOPE = "grid"
BAD_RULES = ["TeamRoleFull"]
RIDERS = 223  # 漯河: 聘请223名外卖小哥担任街道流动网格员
BAOHE_MODEL = "1+2+N3+6"  # 一名网格长、两名网格员和"三岗六大员"
LUOHE_STREETS = {  # illustrative: the seed names none
    "LH-YH-MALUJIE": ("马路街街道", "漯河市源汇区"),
    "LH-YH-SHUNHEJIE": ("顺河街街道", "漯河市源汇区"),
    "LH-YC-SHABEI": ("沙北街道", "漯河市郾城区"),
}
CICHENG, BAOHE = "JB-CICHENG", "BH-WANNIANBU"
CICHENG_CELLS = [f"CC-{n:02d}" for n in range(1, 13)]  # as infra/demo/linkage.py names them
CICHENG_COMMUNITIES = ["JB-CC-CIHU", "JB-CC-GUCHENG", "JB-CC-BAOGUO"]  # illustrative
BAOHE_COMMUNITIES = ["BH-WNB-C1", "BH-WNB-C2"]  # illustrative
REGISTERED = "2021-01-04"  # the grid as the demo's year starts
DAY_ONE = date(2021, 3, 1)  # 漯河's riders appointed (illustrative)


def _actor(town: str) -> Actor:
    return Actor(id=f"{town}-grid-centre", role="网格化服务中心", system="网格化管理平台")


def town_commands() -> list[Message]:
    """漯河's three streets (illustrative), registered as towns so that cells can lie in them."""
    s = Sender(
        SCOPE, actor=Actor(id="LH-bianban", role="编办", system="机构编制管理系统"), key=kafka.command_key
    )
    for code, (name, district) in LUOHE_STREETS.items():
        details = o.TownDetails(code=code, name=name, district_name=district, kind="street", model="未载明")
        s.send(o.RegisterTown, details, code, at="2021-01-04", version=2)
    return s.out


class _Grid(Sender):
    """One town's grid commands, each named by its cell and what it does."""

    def __init__(self, out: list[Message], town: str) -> None:
        super().__init__(SCOPE, out, actor=_actor(town), key=kafka.command_key, correlation=town)
        self.town = town

    def cell(
        self, cell: str, community: str, name: str, level: g.CellLevel = "basic", on: str = REGISTERED
    ) -> None:
        details = g.GridCellDetails(cell=cell, town=self.town, community=community, name=name, level=level)
        self.send(g.RegisterGridCell, details, cell, at=on)

    def member(
        self, cell: str, member: str, kind: g.MemberKind, on: str | date, drawn_from: str | None = None
    ) -> None:
        payload = g.GridMembership(cell=cell, member=member, kind=kind, drawn_from=drawn_from)
        self.send(g.AddGridMember, payload, cell, member, at=on)

    def team(self, cell: str, model: str, grid_members: int, posts: int = 0, officers: int = 0) -> None:
        places = g.GridTeamPlaces(
            cell=cell, model=model, grid_members=grid_members, posts=posts, officers=officers
        )
        self.send(g.FormGridTeam, places, cell, at=REGISTERED)

    def appoint(self, cell: str, member: str, role: g.TeamRole, on: str = REGISTERED) -> None:
        self.send(
            g.AppointGridRole,
            g.GridAppointment(cell=cell, member=member, role=role),
            cell,
            member,
            role,
            at=on,
        )


def _cicheng(out: list[Message]) -> None:
    s = _Grid(out, CICHENG)
    for n, cell in enumerate(CICHENG_CELLS):
        s.cell(cell, CICHENG_COMMUNITIES[n // 4], f"慈城镇第{n + 1}网格")
        head, member = f"{cell}-M01", f"{cell}-M02"
        s.member(cell, head, "full_time", REGISTERED)
        s.member(cell, member, "part_time", REGISTERED)
        s.team(cell, "1+2", 2)
        s.appoint(cell, head, "head")
        s.appoint(cell, member, "grid_member")


def _baohe(out: list[Message]) -> None:
    s = _Grid(out, BAOHE)
    # 1 + 2 + N3+6: the head and grid members full-time, posts and officers part-time
    places: list[tuple[g.TeamRole, g.MemberKind, int]] = [
        ("head", "full_time", 1),
        ("grid_member", "full_time", 2),
        ("post", "part_time", 3),
        ("officer", "part_time", 6),
    ]
    roles = [(role, kind) for role, kind, n in places for _ in range(n)]
    for c, community in enumerate(BAOHE_COMMUNITIES):
        s.cell(community, community, f"万年埠街道第{c + 1}社区网格", "community")
        s.team(community, "1+2", 2)
        for m, (role, kind) in enumerate(roles[:3]):  # "1+2": a head and two grid members
            member = f"{community}-M{m + 1:02d}"
            s.member(community, member, kind, REGISTERED)
            s.appoint(community, member, role)
        for n in range(3):
            cell = f"{community}-G{n + 1}"
            s.cell(cell, community, f"万年埠街道第{c + 1}社区第{n + 1}网格")
            s.team(cell, BAOHE_MODEL, 2, 3, 6)
            for m, (role, kind) in enumerate(roles):
                member = f"{cell}-M{m + 1:02d}"
                s.member(cell, member, kind, REGISTERED)
                s.appoint(cell, member, role)
    # 一名网格长、两名网格员: a third grid member in a community's "1+2" team is refused
    first = BAOHE_COMMUNITIES[0]
    s.member(first, f"{first}-M04", "part_time", "2021-06-01")
    s.appoint(first, f"{first}-M04", "grid_member", "2021-06-01")  # TeamRoleFull
    # an officer (六大员) of the first cell steps down and a new member takes the place
    cell = f"{first}-G1"
    s.send(g.RelieveGridRole, g.GridMemberRef(cell=cell, member=f"{cell}-M12"), cell, "M12", at="2021-09-01")
    s.member(cell, f"{cell}-M13", "part_time", "2021-09-01")
    s.appoint(cell, f"{cell}-M13", "officer", "2021-09-01")


def _luohe(out: list[Message]) -> None:
    cells = [
        (town, f"{town}-C{c}", f"{town}-C{c}-G{n}") for town in LUOHE_STREETS for c in (1, 2) for n in (1, 2)
    ]  # 3 streets × 2 communities × 2 cells
    senders = {town: _Grid(out, town) for town in LUOHE_STREETS}
    for town, community, cell in cells:
        senders[town].cell(cell, community, f"{LUOHE_STREETS[town][0]}{cell[-4:]}网格")
    for r in range(RIDERS):
        town, _community, cell = cells[r % len(cells)]
        day = DAY_ONE + timedelta(days=r // 40)
        senders[town].member(cell, f"LH-RIDER-{r + 1:03d}", "mobile", day, "delivery-riders")
    # 推进"多格合一": two cells of 马路街 retired into one; their riders follow into it
    malu = senders["LH-YH-MALUJIE"]
    merged = "LH-YH-MALUJIE-C1-G12"
    malu.cell(merged, "LH-YH-MALUJIE-C1", "马路街街道C1合并网格", on="2021-10-08")
    for old in ("LH-YH-MALUJIE-C1-G1", "LH-YH-MALUJIE-C1-G2"):
        riders = [f"LH-RIDER-{r + 1:03d}" for r in range(RIDERS) if cells[r % len(cells)][2] == old]
        malu.send(g.RetireGridCell, g.GridCellRef(cell=old), old, at="2021-10-08", reason="多格合一")
        for rider in riders:
            malu.member(merged, rider, "mobile", "2021-10-08", "delivery-riders")
    # one rider (of 顺河街) leaves the grid (illustrative)
    town, _community, cell = cells[5]
    leaving = g.GridMemberRef(cell=cell, member="LH-RIDER-006")
    senders[town].send(g.RemoveGridMember, leaving, cell, leaving.member, at="2021-11-15")


def demo_commands() -> list[Message]:
    """The cells, members and teams of the three grids (after `town_commands` and the
    organisation demo's towns were taken in)."""
    out: list[Message] = []
    _cicheng(out)
    _baohe(out)
    _luohe(out)
    return out
