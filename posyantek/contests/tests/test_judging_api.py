"""The judging API: a judge only ever sees their own sheets until publication; organisers see states, not scores;
scoring, locking and declaring conflicts through the same services; panels, judges and assignment (organisers only:
an outsider gets 404, a post manager 403)."""

from __future__ import annotations

from typing import Any

from django.test import Client
from django.utils import timezone

from conftest import login
from posyantek.contests import chain
from posyantek.contests import judging_services as services
from posyantek.contests.judging_selectors import rubric_indicators
from posyantek.contests.models import Conflict, Edition, PanelJudge, ScoreSheet

API = "/api/v1/lomba"


def _json(client: Any, method: str, url: str, data: Any = None) -> Any:
    return getattr(client, method)(url, data=data, content_type="application/json")


def _score_all(user: Any, sheet: ScoreSheet, value: int = 3) -> None:
    for ind in rubric_indicators(sheet.edition.rubric_id):
        services.save_score(actor=user, sheet=sheet, indicator=ind, value=value)


def test_sheet_list_shows_own_sheets_only(sheets: Any, judge1: Any, judge2: Any, organiser: Any, officer: Any,
                                          gambir_manager: Any) -> None:  # fmt: skip
    edition = sheets[0].edition
    _score_all(judge1, sheets[0])
    assert Client().get(f"{API}/lembar-nilai").status_code == 401
    data = login(judge1).get(f"{API}/lembar-nilai").json()
    assert data["count"] == 2 and {s["id"] for s in data["items"]} == {sheets[0].pk, sheets[2].pk}
    own = next(s for s in data["items"] if s["id"] == sheets[0].pk)
    assert own["scored"] == len(own["scores"]) == len(rubric_indicators(edition.rubric_id))
    assert login(judge2).get(f"{API}/lembar-nilai?lomba={edition.pk}").json()["count"] == 2
    # The organiser sees every sheet's state, never the scores.
    data = login(organiser).get(f"{API}/lembar-nilai?lomba={edition.pk}").json()
    assert data["count"] == 4 and all(s["scores"] is None for s in data["items"])
    assert {s["scored"] for s in data["items"]} == {0, len(rubric_indicators(edition.rubric_id))}
    assert login(officer).get(f"{API}/lembar-nilai?lomba={edition.pk}").status_code == 404
    assert login(gambir_manager).get(f"{API}/lembar-nilai?lomba={edition.pk}").json()["count"] == 0
    # After publication anyone who may see the edition sees every sheet with its scores.
    Edition.objects.filter(pk=edition.pk).update(published_at=timezone.now())
    data = login(gambir_manager).get(f"{API}/lembar-nilai?lomba={edition.pk}").json()
    assert data["count"] == 4 and all(s["scores"] is not None for s in data["items"])


def test_sheet_detail_is_own_until_publication(sheets: Any, judge1: Any, judge2: Any, organiser: Any,
                                               gambir_manager: Any, officer: Any) -> None:  # fmt: skip
    url = f"{API}/lembar-nilai/{sheets[0].pk}"
    _score_all(judge1, sheets[0], value=2)
    r = login(judge1).get(url)
    assert r.status_code == 200 and r.json()["scores"][0]["value"] == 2 and r.json()["judge_email"] == judge1.email
    for user in (judge2, organiser, gambir_manager, officer):
        assert login(user).get(url).status_code == 404
    Edition.objects.filter(pk=sheets[0].edition_id).update(published_at=timezone.now())
    assert login(judge2).get(url).status_code == 200
    assert login(gambir_manager).get(url).status_code == 200
    assert login(officer).get(url).status_code == 404


def test_score_lock_and_refusals(sheets: Any, judge1: Any, judge2: Any) -> None:
    sheet = sheets[0]
    inds = rubric_indicators(sheet.edition.rubric_id)
    c = login(judge1)
    url = f"{API}/lembar-nilai/{sheet.pk}/skor/{inds[0].pk}"
    r = _json(c, "put", url, {"value": 4, "note": "Lengkap", "evidence_seen": True})
    assert r.status_code == 200 and r.json() | {"updated": None} == {
        "indicator_id": inds[0].pk, "indicator_code": inds[0].code, "value": 4, "note": "Lengkap",
        "evidence_seen": True, "updated": None}  # fmt: skip
    r = _json(c, "put", url, {"value": 5})
    assert r.status_code == 422 and r.json()["detail"]["value"] == ["Skor harus antara 1 dan 4."]
    assert _json(c, "put", url, {"value": "empat"}).status_code == 422
    assert _json(login(judge2), "put", url, {"value": 3}).status_code == 404
    r = c.post(f"{API}/lembar-nilai/{sheet.pk}/kunci")
    assert r.status_code == 422 and "Belum semua indikator dinilai" in r.json()["detail"]["__all__"][0]
    _score_all(judge1, sheet)
    assert login(judge2).post(f"{API}/lembar-nilai/{sheet.pk}/kunci").status_code == 404
    r = c.post(f"{API}/lembar-nilai/{sheet.pk}/kunci")
    assert r.status_code == 200 and r.json()["state"] == "terkunci" and r.json()["locked_at"]
    r = _json(c, "put", url, {"value": 1})
    assert r.status_code == 422 and "terkunci" in r.json()["detail"]["__all__"][0]
    assert chain.verify().ok


def test_score_in_the_wrong_stage(sheets: Any, judge1: Any) -> None:
    Edition.objects.filter(pk=sheets[0].edition_id).update(state=Edition.State.PLENARY)
    ind = rubric_indicators(sheets[0].edition.rubric_id)[0]
    r = _json(login(judge1), "put", f"{API}/lembar-nilai/{sheets[0].pk}/skor/{ind.pk}", {"value": 3})
    assert r.status_code == 422 and "belum/tidak lagi dibuka" in r.json()["detail"]["__all__"][0]


def test_declare_conflict(sheets: Any, judge1: Any, judge2: Any) -> None:
    sheet = sheets[1]
    assert _json(login(judge1), "post", f"{API}/lembar-nilai/{sheet.pk}/konflik", {"reason": "x"}).status_code == 404
    assert _json(login(judge2), "post", f"{API}/lembar-nilai/{sheet.pk}/konflik", {"reason": ""}).status_code == 422
    r = _json(login(judge2), "post", f"{API}/lembar-nilai/{sheet.pk}/konflik", {"reason": "Saudara ketua pos"})
    assert r.status_code == 201 and r.json()["automatic"] is False
    assert not ScoreSheet.objects.filter(pk=sheet.pk).exists()
    ind = rubric_indicators(sheet.edition.rubric_id)[0]
    assert _json(login(judge2), "put", f"{API}/lembar-nilai/{sheet.pk}/skor/{ind.pk}", {"value": 3}).status_code == 404


def test_panels_judges_and_assignment(panel: Any, entry: Any, entry2: Any, organiser: Any, officer: Any,
                                      gambir_manager: Any, judge_pusat: Any) -> None:  # fmt: skip
    edition = panel.edition
    url = f"{API}/lomba-edisi/{edition.pk}/juri"
    assert login(officer).get(url).status_code == 404
    assert login(gambir_manager).get(url).status_code == 403
    c = login(organiser)
    data = c.get(url).json()
    assert [p["stage"] for p in data] == ["lapangan"] and len(data[0]["judges"]) == 2
    assert data[0]["judges"][0]["home_region_code"] == "31.75" and data[0]["judges"][0]["is_chair"]
    body = {"stage": "lapangan", "email": judge_pusat.email, "home_region_code": "31.71", "institution": "Kec."}
    assert _json(login(gambir_manager), "post", url, body).status_code == 403
    assert _json(c, "post", url, body | {"home_region_code": "99"}).status_code == 422
    r = _json(c, "post", url, body)
    assert r.status_code == 201 and r.json()["home_region_code"] == "31.71" and r.json()["panel_id"] == panel.pk
    r = _json(c, "post", url, {"stage": "presentasi", "email": "bukan-email", "full_name": "X"})
    assert r.status_code == 422 and "email" in r.json()["detail"]
    r = _json(c, "post", url, {"stage": "presentasi", "email": "baru@example.id"})
    assert r.status_code == 422 and "full_name" in r.json()["detail"]
    r = _json(c, "post", url, {"stage": "presentasi", "email": "baru@example.id", "full_name": "Ir. Baru"})
    assert r.status_code == 201 and r.json()["stage"] == "presentasi"
    # Assignment: judge_pusat is from Jakarta Pusat, like both entries.
    assign = f"{API}/lomba-edisi/{edition.pk}/penugasan"
    assert _json(login(gambir_manager), "post", assign, {"stage": "lapangan"}).status_code == 403
    assert _json(login(officer), "post", assign, {"stage": "lapangan"}).status_code == 404
    assert _json(c, "post", assign, {"stage": "entah"}).status_code == 422
    r = _json(c, "post", assign, {"stage": "lapangan"})
    assert r.status_code == 200 and r.json() == {"created": 4, "conflicts": 2}
    assert Conflict.objects.filter(judge__user=judge_pusat, automatic=True).count() == 2
    # Removing judges.
    seat = PanelJudge.objects.get(user=judge_pusat)
    assert login(officer).delete(f"{API}/juri/{seat.pk}").status_code == 404
    assert login(gambir_manager).delete(f"{API}/juri/{seat.pk}").status_code == 403
    assert c.delete(f"{API}/juri/{seat.pk}").status_code == 204
    assert not PanelJudge.objects.filter(pk=seat.pk).exists()
    assert c.delete(f"{API}/juri/{seat.pk}").status_code == 404


def test_openapi_lists_the_judging_paths(organiser: Any) -> None:
    paths = login(organiser).get("/api/v1/openapi.json").json()["paths"]
    base = "/api/v1/lomba"
    for p in ("/lembar-nilai", "/lembar-nilai/{sheet_id}", "/lembar-nilai/{sheet_id}/skor/{indicator_id}",
              "/lembar-nilai/{sheet_id}/kunci", "/lembar-nilai/{sheet_id}/konflik", "/lomba-edisi/{edition_id}/juri",
              "/juri/{judge_id}", "/lomba-edisi/{edition_id}/penugasan"):  # fmt: skip
        assert base + p in paths, p
