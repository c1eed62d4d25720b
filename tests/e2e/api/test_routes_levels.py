"""The levels and the community workers over the API: the tree, the residents and the registers
answer what the projections give on the demo; `known_at` asks for an auditor; an unknown unit
is a 404."""

from __future__ import annotations

from datetime import date

import pytest

from infra.api.answers import CommunityWorkerRow, JurisdictionRow, ResidentsRow
from infra.axes import moment
from projections.community_workers import register
from projections.jurisdictions import tree
from tests.e2e.api.reading import ALL, READERS, Api, fields, plain, projected, read, statuses

ON = date(2021, 12, 31)


@pytest.mark.parametrize(
    "path", ["/api/v1/jurisdictions?under=LH", "/api/v1/jurisdictions/residents", "/api/v1/community-workers"]
)
def test_readers_and_auditors_read_the_levels_operators_do_not(api: Api, path: str) -> None:
    assert statuses(api, path) == READERS


def test_the_tree_under_a_city_with_its_residents(api: Api) -> None:
    body = read(api, "reader", f"/api/v1/jurisdictions?under=LH&on={ON}&{ALL}")
    with projected(api) as cur:
        assert body["units"]["items"] == plain(tree.jurisdiction_tree(cur, "LH", ON))
    rows = body["units"]["items"]
    assert set(rows[0]) == fields(JurisdictionRow) and body["units"]["total"] == 1 + 3 + 17 + 110
    assert (rows[0]["code"], rows[0]["residents"], rows[0]["summed"]) == ("LH", 843_000, True)
    baohe = read(api, "reader", f"/api/v1/jurisdictions?under=BH&on={ON}&{ALL}")["units"]["items"]
    assert {r["kind"] for r in baohe} == {
        "district",
        "development_zone",
        "street",
        "town",
        "big_community",
        "community",
    }
    assert "NO-SUCH" in read(api, "reader", "/api/v1/jurisdictions?under=NO-SUCH", 404)["detail"]
    assert read(api, "reader", "/api/v1/jurisdictions?under=LH&on=2020-12-31", 404)  # registered 2021-01-04


def test_a_units_residents_on_a_day_and_as_known_then_for_an_auditor(api: Api) -> None:
    body = read(api, "reader", f"/api/v1/jurisdictions/residents?unit=BH&on={ON}")
    [row] = body["residents"]["items"]
    assert set(row) == fields(ResidentsRow)
    assert (row["residents"], row["counted_on"], row["summed"]) == (1_400_000, "2020-06-30", False)
    assert [c["residents"] for c in body["counts"]["items"]] == [1_400_000]
    path = "/api/v1/jurisdictions/residents?unit=BH&on=2020-06-29&known_at=2099-01-01"
    read(api, "reader", path, 403)
    [before] = read(api, "auditor", path)["residents"]["items"]
    assert before["residents"] is None  # counted from 2020-06-30, and nothing under it counted
    assert read(api, "reader", "/api/v1/jurisdictions/residents?unit=NO-SUCH", 404)


def test_the_register_of_a_district_on_a_day(api: Api) -> None:
    body = read(api, "reader", f"/api/v1/community-workers?district=LH-YC&on={ON}&{ALL}")
    with projected(api) as cur:
        workers = register.workers_on(cur, ON, district="LH-YC")
        assert body["workers"]["items"] == plain(workers)
        assert body["communities"]["items"] == plain(register.community_counts(workers))
    assert set(body["workers"]["items"][0]) == fields(CommunityWorkerRow)
    before = read(
        api, "auditor", "/api/v1/community-workers?district=LH-YC&on=2021-08-31&known_at=2099-01-01"
    )
    recruited = {
        b["method"]: b["count"] for b in body["recruitments"]["items"] if b["community"] == "LH-ST06-SQ01"
    }
    assert body["workers"]["total"] - before["workers"]["total"] == sum(
        b["count"] for b in body["recruitments"]["items"] if b["method"] == "public_recruitment"
    )
    assert set(recruited) == {"in_post", "public_recruitment"}
    with projected(api) as cur:
        then = register.workers_on(cur, date(2021, 8, 31), moment("2099-01-01"), district="LH-YC")
    assert before["workers"]["total"] == len(then)
    baohe = read(api, "reader", f"/api/v1/community-workers?community=BH-WNB-SQ01&on={ON}&{ALL}")
    posts = {w["worker"][-3:]: (w["post_type"], w["pay_grade"]) for w in baohe["workers"]["items"]}
    assert "W01" not in posts and posts["W03"] == ("head", 9) and posts["W08"] == ("staff", 4)  # jump refused
    assert {s["district"]: s["pay_grades"] for s in baohe["scales"]["items"]}["BH"] == 18
