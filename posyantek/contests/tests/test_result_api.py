"""Results API: the ranking (organiser before publication, anyone after), compute, plenary, publish, forward,
the breakdown and the leaderboard."""

from __future__ import annotations

from typing import Any

from django.test import Client

from conftest import login
from posyantek.contests import chain
from posyantek.contests.models import Edition, Entry, Result, ScoreSheet, Stage
from posyantek.contests.tests.test_result_helpers import scored_fixture, sheet_with  # noqa: F401 - fixture

API = "/api/v1/lomba"


def _url(scored: dict[str, Any], tail: str) -> str:
    return f"{API}/lomba-edisi/{scored['edition'].pk}/{tail}"


def test_api_writes_refuse_outsiders_and_low_roles(scored: dict[str, Any], officer: Any, gambir_manager: Any) -> None:
    for tail, body in (("hitung", {}), ("umumkan", {}), ("teruskan", {"pending": True}),
                       ("pleno", {"order": [1, 2], "note": "x"})):  # fmt: skip
        url = _url(scored, tail)
        assert login(officer).post(url, body, content_type="application/json").status_code == 404, tail
        assert login(gambir_manager).post(url, body, content_type="application/json").status_code == 403, tail
    assert Client().post(_url(scored, "hitung")).status_code == 401


def test_api_ranking_before_and_after_publication(scored: dict[str, Any], organiser: Any, gambir_manager: Any,
                                                  national: Edition, admin: Any) -> None:  # fmt: skip
    c = login(organiser)
    r = c.post(_url(scored, "hitung"))
    assert r.status_code == 200 and r.json()["results"] == 2
    # before publication: the organiser sees it, nobody else
    assert Client().get(_url(scored, "hasil")).status_code == 404
    assert login(gambir_manager).get(_url(scored, "hasil")).status_code == 404
    rows = c.get(_url(scored, "hasil")).json()["items"]
    assert [(r["rank"], r["entry_title"], r["final_score"]) for r in rows] == [
        (1, "Posyantek Cempaka Putih", 66.667), (2, "Posyantek Gambir", 53.333)]  # fmt: skip
    gambir = scored["entry"].pk
    b = c.get(_url(scored, f"hasil/{gambir}/rincian")).json()
    assert b["final_score"] == 53.333 and b["stages"][0]["sheets"][0]["criteria"][0]["indicators"][0]["note"]
    assert Client().get(_url(scored, f"hasil/{gambir}/rincian")).status_code == 404
    r = c.post(_url(scored, "umumkan"), {"decree_number": "3/2026"}, content_type="application/json")
    assert r.status_code == 200, r.content
    out = r.json()
    assert out["awards"] == 2 and len(out["forwarded_entry_ids"]) == 1 and out["waiting_entry_ids"] == []
    assert Entry.objects.get(pk=out["forwarded_entry_ids"][0]).edition_id == national.pk
    # after: public, ranking and breakdown
    assert Client().get(_url(scored, "hasil")).json()["count"] == 2
    b = Client().get(_url(scored, f"hasil/{gambir}/rincian")).json()
    assert b["rank"] == 2 and b["stages"][0]["weight"] == 100.0
    r = c.post(_url(scored, "teruskan"), {"entry_ids": [gambir]}, content_type="application/json")
    assert r.status_code == 422 and "melebihi ketentuan lomba (1)" in str(r.json()["detail"])
    assert c.post(_url(scored, "umumkan"), {}, content_type="application/json").status_code == 422
    assert chain.verify().ok


def test_api_plenary_resolves_a_tie(scored: dict[str, Any], organiser: Any) -> None:
    edition = scored["edition"]
    ScoreSheet.objects.filter(entry=scored["entry"]).delete()
    sheet_with(edition, Stage.FIELD, scored["entry"], scored["j1"], {"A1": 4, "A2": 4, "B1": 4})
    sheet_with(edition, Stage.FIELD, scored["entry"], scored["j2"], {"A1": 2, "A2": 2, "B1": 2})
    c = login(organiser)
    assert c.post(_url(scored, "hitung")).json()["ties"] == 1
    r = c.post(_url(scored, "umumkan"), {}, content_type="application/json")
    assert r.status_code == 422 and "rapat pleno" in str(r.json()["detail"])
    order = [scored["entry"].pk, scored["entry2"].pk]
    r = c.post(_url(scored, "pleno"), {"order": order, "note": "Dampak ekonomi lebih besar"},
               content_type="application/json")  # fmt: skip
    assert r.status_code == 200
    assert Result.objects.get(entry=scored["entry"]).rank == 1
    r = c.post(_url(scored, "pleno"), {"order": order, "note": "lagi"}, content_type="application/json")
    assert r.status_code == 422


def test_api_leaderboard(scored: dict[str, Any], organiser: Any) -> None:
    c = login(organiser)
    c.post(_url(scored, "hitung"))
    assert Client().get(f"{API}/peringkat").json()["items"] == []
    c.post(_url(scored, "umumkan"), {}, content_type="application/json")
    rows = Client().get(f"{API}/peringkat?provinsi=31").json()["items"]
    assert [(r["name"], r["points"]) for r in rows] == [("Posyantek Cempaka Putih", 15), ("Posyantek Gambir", 12)]
    assert Client().get(f"{API}/peringkat?provinsi=x").status_code == 422


def test_api_paths_are_in_the_schema(db: Any) -> None:
    paths = Client().get("/api/v1/openapi.json").json()["paths"]
    for p in ("/api/v1/lomba/lomba-edisi/{edition_id}/hasil", "/api/v1/lomba/lomba-edisi/{edition_id}/hitung",
              "/api/v1/lomba/lomba-edisi/{edition_id}/umumkan", "/api/v1/lomba/lomba-edisi/{edition_id}/teruskan",
              "/api/v1/lomba/lomba-edisi/{edition_id}/pleno", "/api/v1/lomba/peringkat",
              "/api/v1/lomba/lomba-edisi/{edition_id}/hasil/{entry_id}/rincian"):  # fmt: skip
        assert p in paths, p
