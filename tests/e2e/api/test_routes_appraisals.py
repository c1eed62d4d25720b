"""Appraisals over the API: league tables, histories, missing scores and schemes answer what
the projections give on the demo."""

from __future__ import annotations

import pytest

from infra.api.answers import LeagueRow
from projections.appraisals import league as appraisal_league
from projections.appraisals import schemes as appraisal_schemes
from tests.e2e.api.reading import ALL, READERS, Api, fields, plain, projected, read, statuses

SUBJECT = "JB-CICHENG-PCS"  # 慈城派出所, a stationed agency appraised by its town


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/appraisals/league?period=2021",
        f"/api/v1/appraisals/subjects/{SUBJECT}",
        "/api/v1/appraisals/missing",
        "/api/v1/appraisals/schemes",
    ],
)
def test_readers_and_auditors_read_the_appraisals_operators_do_not(api: Api, path: str) -> None:
    assert statuses(api, path) == READERS


def test_the_league_table_of_a_period_and_kind(api: Api) -> None:
    body = read(api, "reader", f"/api/v1/appraisals/league?period=2021&{ALL}")
    town = read(
        api, "reader", f"/api/v1/appraisals/league?period=2021&kind=stationed-agency&town=JB-CICHENG&{ALL}"
    )
    with projected(api) as cur:
        assert body["items"] == plain(appraisal_league.league_table(cur, "2021", "stationed-agency"))
        assert town["items"] == plain(
            appraisal_league.league_table(cur, "2021", "stationed-agency", "JB-CICHENG")
        )
    assert body["total"] > 1 and [r["rank"] for r in body["items"]][0] == 1
    assert set(body["items"][0]) == fields(LeagueRow)


def test_the_league_table_needs_a_period_and_a_known_kind(api: Api) -> None:
    assert "period" in read(api, "reader", "/api/v1/appraisals/league", 400)["detail"]
    bad = read(api, "reader", "/api/v1/appraisals/league?period=2021&kind=village", 400)
    assert bad["invalid_params"][0]["key"] == "kind"


def test_a_subjects_history_and_an_unknown_subject(api: Api) -> None:
    body = read(api, "reader", f"/api/v1/appraisals/subjects/{SUBJECT}?{ALL}")
    with projected(api) as cur:
        assert body["items"] == plain(appraisal_league.subject_history(cur, SUBJECT))
    assert body["total"] > 0
    assert read(api, "reader", "/api/v1/appraisals/subjects/NO-SUCH-SUBJECT", 404)["status"] == 404


def test_missing_scores_and_scheme_versions(api: Api) -> None:
    missing = read(api, "reader", f"/api/v1/appraisals/missing?{ALL}")
    person = read(api, "reader", f"/api/v1/appraisals/missing?period=2021&kind=stationed-person&{ALL}")
    schemes = read(api, "reader", f"/api/v1/appraisals/schemes?{ALL}")
    one = read(api, "reader", f"/api/v1/appraisals/schemes?code=JB-PAIZHU&{ALL}")
    with projected(api) as cur:
        assert missing["items"] == plain(appraisal_league.missing_scores(cur))
        assert person["items"] == plain(appraisal_league.missing_scores(cur, "2021", "stationed-person"))
        assert schemes["items"] == plain(appraisal_schemes.scheme_versions(cur))
        assert one["items"] == plain(appraisal_schemes.scheme_versions(cur, "JB-PAIZHU"))
    assert missing["total"] > 0 and schemes["total"] > one["total"] > 0
