"""API of editions and entries: same rules as the pages (404 outside, 403 too low, 422 bad input, 409 stale)."""

from __future__ import annotations

import json
from typing import Any

from conftest import login, make_user
from posyantek.contests.models import Edition, Entry, Indicator, Rubric

BASE = "/api/v1/lomba"


def post(client: Any, url: str, data: dict[str, Any], method: str = "post") -> Any:
    return getattr(client, method)(url, json.dumps(data), content_type="application/json")


def test_edition_list_and_detail(edition: Edition, national: Edition, organiser: Any, officer: Any,
                                 gambir_manager: Any) -> None:  # fmt: skip
    r = login(organiser).get(f"{BASE}/lomba-edisi", {"level": "provinsi"})
    assert r.status_code == 200 and [e["id"] for e in r.json()["items"]] == [edition.pk]
    assert login(officer).get(f"{BASE}/lomba-edisi").json()["items"] == []
    assert login(officer).get(f"{BASE}/lomba-edisi/{edition.pk}").status_code == 404
    r = login(gambir_manager).get(f"{BASE}/lomba-edisi/{edition.pk}")
    assert r.status_code == 200 and r.json()["stages"] == [] and r.json()["region_id"] == "31"


def test_edition_create_patch_and_move(organiser: Any, rubric: Rubric, gambir_manager: Any) -> None:
    client = login(organiser)
    data = {"name": "Lomba Jakpus 2026", "category": "posyantek_berprestasi", "year": 2026, "level": "kabkota",
            "region_id": "31.71", "organiser": "Sudin", "rubric_id": rubric.pk, "period_start": "2025-01-01",
            "period_end": "2025-12-31"}  # fmt: skip
    assert post(login(gambir_manager), f"{BASE}/lomba-edisi", data).status_code == 403
    r = post(client, f"{BASE}/lomba-edisi", {**data, "region_id": "31"})
    assert r.status_code == 422 and "region" in r.json()["detail"]
    r = post(client, f"{BASE}/lomba-edisi", data)
    assert r.status_code == 201 and r.json()["tie_rule"] == "E,D" and r.json()["state"] == "persiapan"
    pk = r.json()["id"]
    r = post(client, f"{BASE}/lomba-edisi/{pk}", {"forward_count": 2, "version": 1}, "patch")
    assert r.status_code == 200 and r.json()["version"] == 2
    r = post(client, f"{BASE}/lomba-edisi/{pk}", {"forward_count": 3, "version": 1}, "patch")
    assert r.status_code == 409
    assert post(login(gambir_manager), f"{BASE}/lomba-edisi/{pk}/tahap", {"state": "pengumuman"}).status_code == 404
    r = post(client, f"{BASE}/lomba-edisi/{pk}/tahap", {"state": "pendaftaran"})
    assert r.status_code == 200 and r.json()["state"] == "pendaftaran"
    r = post(client, f"{BASE}/lomba-edisi/{pk}/tahap", {"state": "pengumuman"})
    assert r.status_code == 422
    r = post(client, f"{BASE}/lomba-edisi/{pk}/tahap", {"state": "penetapan"})
    assert r.status_code == 422


def test_stages_and_prizes(edition: Edition, organiser: Any, gambir_manager: Any) -> None:
    client = login(organiser)
    url = f"{BASE}/lomba-edisi/{edition.pk}"
    stage = {"kind": "lapangan", "starts": "2026-06-01", "deadline": "2026-05-01"}
    assert post(client, f"{url}/jadwal", stage).status_code == 422
    r = post(client, f"{url}/jadwal", {**stage, "deadline": "2026-06-30"})
    assert r.status_code == 201
    sid = r.json()["id"]
    assert post(client, f"{url}/jadwal/{sid}", {"note": "Jakarta Pusat dulu"}, "patch").json()["note"]
    assert post(login(gambir_manager), f"{url}/jadwal", stage).status_code == 403
    r = post(client, f"{url}/hadiah", {"rank": 1, "title": "Juara I", "amount": 15_000_000})
    assert r.status_code == 201
    assert post(client, f"{url}/hadiah", {"rank": 1, "title": "Juara I", "amount": 1}).status_code == 422
    assert login(gambir_manager).get(f"{url}/hadiah").json()[0]["amount"] == 15_000_000
    assert client.delete(f"{url}/hadiah/{r.json()['id']}").status_code == 204
    assert client.delete(f"{url}/jadwal/{sid}").status_code == 204
    assert client.delete(f"{url}/jadwal/{sid}").status_code == 404


def test_entry_register_dossier_submit(edition: Edition, dki: dict[str, Any], gambir_manager: Any, officer: Any,
                                       organiser: Any) -> None:  # fmt: skip
    client = login(gambir_manager)
    r = post(client, f"{BASE}/peserta", {"edition_id": edition.pk, "post_id": dki["gambir"].pk})
    assert r.status_code == 201
    body = r.json()
    eid = body["id"]
    assert body["state"] == "terdaftar"
    assert len(body["dossier"]) == Indicator.objects.filter(criterion__rubric=edition.rubric).count()
    assert post(client, f"{BASE}/peserta", {"edition_id": edition.pk, "post_id": dki["gambir"].pk}).status_code == 422
    r = post(client, f"{BASE}/peserta", {"edition_id": edition.pk, "post_id": dki["cempaka"].pk})
    assert r.status_code == 422  # not the manager's post, so not even in scope
    assert login(officer).get(f"{BASE}/peserta/{eid}").status_code == 404
    ind = Indicator.objects.filter(criterion__rubric=edition.rubric, prefill_key="legal_sk").get()
    r = post(client, f"{BASE}/peserta/{eid}/dossier/{ind.pk}", {"narrative": "SK 2019", "self_score": 7}, "put")
    assert r.status_code == 422
    r = post(client, f"{BASE}/peserta/{eid}/dossier/{ind.pk}", {"narrative": "SK 2019", "self_score": 3}, "put")
    row = next(x for x in r.json()["dossier"] if x["indicator_id"] == ind.pk)
    assert r.status_code == 200 and row["narrative"] == "SK 2019" and row["version"] == 1
    r = post(client, f"{BASE}/peserta/{eid}/prefill", {})
    row = next(x for x in r.json()["dossier"] if x["indicator_id"] == ind.pk)
    assert r.status_code == 200 and row["figure"]["key"] == "legal_sk"
    assert {f["key"] for f in r.json()["self_assessment"]} >= {"sales_total", "board_valid"}
    r = post(client, f"{BASE}/peserta/{eid}/ajukan", {})
    assert r.status_code == 422 and ind.code in json.dumps(r.json())
    assert login(organiser).get(f"{BASE}/peserta", {"edition": edition.pk}).json()["count"] == 1
    assert login(officer).get(f"{BASE}/peserta", {"edition": edition.pk}).status_code == 404


def test_entry_organiser_endpoints(edition: Edition, entry: Entry, organiser: Any, gambir_manager: Any,
                                   judge1: Any, sheets: Any) -> None:  # fmt: skip
    Entry.objects.filter(pk=entry.pk).update(state=Entry.State.SUBMITTED)
    url = f"{BASE}/peserta/{entry.pk}"
    assert post(login(gambir_manager), f"{url}/kembalikan", {"note": "x"}).status_code == 403
    assert login(judge1).get(url).status_code == 200
    assert post(login(judge1), f"{url}/administrasi", {"passed": True, "reasons": "x"}).status_code == 403
    client = login(organiser)
    r = post(client, f"{url}/administrasi", {"passed": True, "reasons": "Lengkap"})
    assert r.status_code == 200 and r.json()["state"] == "lolos_administrasi"
    r = post(client, f"{url}/status", {"state": "finalis"})
    assert r.status_code == 200 and r.json()["state"] == "finalis"
    r = post(client, f"{url}/status", {"state": "nominasi", "version": 1})
    assert r.status_code == 409
    viewer = make_user("pemantau@dki.example.id", ("viewer", "31"))
    assert post(login(viewer), f"{url}/mundur", {}).status_code == 403
    r = post(login(gambir_manager), f"{url}/mundur", {"note": "Mundur"})
    assert r.status_code == 200 and r.json()["state"] == "mundur"


def test_openapi_lists_contest_paths(organiser: Any) -> None:
    schema = login(organiser).get("/api/v1/openapi.json").json()
    assert "/api/v1/lomba/peserta/{entry_id}/dossier/{indicator_id}" in schema["paths"]
    assert "/api/v1/lomba/lomba-edisi/{edition_id}/tahap" in schema["paths"]
