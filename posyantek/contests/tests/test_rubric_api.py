"""The rubric and chain API: scope (404 outside, 403 for a too-low role), 422 in Indonesian, 409 for a stale version."""

from __future__ import annotations

from typing import Any

from conftest import login
from posyantek.contests.models import Edition, Rubric
from posyantek.contests.tests.conftest import make_edition

API = "/api/v1/lomba"


def _json(client: Any, method: str, url: str, data: Any = None) -> Any:
    return getattr(client, method)(url, data=data, content_type="application/json")


def test_list_and_tree_are_scoped(rubric: Rubric, template: Rubric, organiser: Any, officer: Any,
                                  django_assert_max_num_queries: Any) -> None:  # fmt: skip
    c = login(officer)
    data = c.get(f"{API}/rubrik").json()
    assert [r["family"] for r in data["items"]] == ["posyantek-berprestasi"] and data["count"] == 1
    assert c.get(f"{API}/rubrik/{rubric.pk}").status_code == 404
    assert c.get(f"{API}/rubrik/{template.pk}").json()["is_template"] is True
    c = login(organiser)
    with django_assert_max_num_queries(8):
        data = c.get(f"{API}/rubrik", {"category": "posyantek_berprestasi", "q": "dki"}).json()
    assert [r["id"] for r in data["items"]] == [rubric.pk]
    tree = c.get(f"{API}/rubrik/{rubric.pk}").json()
    assert tree["region_code"] == "31" and tree["problems"] == [] and tree["in_use"] is False
    a1 = tree["criteria"][0]["indicators"][0]
    assert (a1["code"], a1["prefill_key"], a1["prefill_label"]) == ("A1", "legal_sk", "SK pembentukan pos")
    assert a1["anchors"]["1"] == "Tidak ada SK" and a1["evidence_mandatory"] is True
    assert sum(cr["weight"] for cr in tree["criteria"]) == 100
    assert login(organiser).get(f"{API}/rubrik", {"category": "lomba_cepat"}).status_code == 422


def test_create_and_new_version(template: Rubric, rubric: Rubric, organiser: Any, viewer: Any, officer: Any,
                                gambir_manager: Any) -> None:  # fmt: skip
    body = {"category": "inovasi_ttg", "region_code": "31", "year": 2027, "family": "dki-inovasi-2027"}
    assert _json(login(viewer), "post", f"{API}/rubrik", body).status_code == 403
    assert _json(login(gambir_manager), "post", f"{API}/rubrik", body).status_code == 403
    r = _json(login(officer), "post", f"{API}/rubrik", body)  # oversees Kota Pekalongan, not DKI
    assert r.status_code == 422 and "di luar wewenang" in r.json()["detail"]["region"][0]
    r = _json(login(officer), "post", f"{API}/rubrik", body | {"region_code": None})
    assert r.status_code == 422 and r.json()["detail"]["region"] == ["Pilih wilayah pemilik rubrik."]
    c = login(organiser)
    r = _json(c, "post", f"{API}/rubrik", body | {"family": "dki-posyantek-2026"})
    assert r.status_code == 422 and "sudah dipakai" in r.json()["detail"]["family"][0]
    r = _json(c, "post", f"{API}/rubrik", body)
    assert r.status_code == 201, r.content
    new = r.json()
    assert (new["category"], new["region_code"], new["version_no"], new["problems"]) == ("inovasi_ttg", "31", 1, [])
    assert [cr["code"] for cr in new["criteria"]] == list("ABCDE")
    assert _json(login(gambir_manager), "post", f"{API}/rubrik/{rubric.pk}/versi-baru", {}).status_code == 404
    assert _json(login(officer), "post", f"{API}/rubrik/{rubric.pk}/versi-baru", {}).status_code == 404
    r = _json(c, "post", f"{API}/rubrik/{rubric.pk}/versi-baru", {"year": 2027})
    assert r.status_code == 201 and r.json()["version_no"] == 2 and r.json()["previous_id"] == rubric.pk


def test_patch_weights_and_refusals(rubric: Rubric, template: Rubric, organiser: Any, viewer: Any,
                                    officer: Any) -> None:  # fmt: skip
    assert _json(login(officer), "patch", f"{API}/rubrik/{rubric.pk}", {"name": "x"}).status_code == 404
    assert _json(login(viewer), "patch", f"{API}/rubrik/{template.pk}", {"name": "x"}).status_code == 403
    assert _json(login(viewer), "put", f"{API}/rubrik/{template.pk}/bobot", {"weights": {}}).status_code == 403
    c = login(organiser)
    v = rubric.version
    r = _json(c, "patch", f"{API}/rubrik/{rubric.pk}", {"version": v, "weight_admin": 50})
    assert r.status_code == 422
    assert r.json()["detail"]["weight_presentation"] == ["Bobot tahap harus berjumlah 100 (sekarang 120)."]
    r = _json(c, "patch", f"{API}/rubrik/{rubric.pk}", {"version": v, "scale_min": 4, "scale_max": 2})
    assert r.status_code == 422 and "Skala tidak sah" in r.json()["detail"]["scale_max"][0]
    r = _json(c, "patch", f"{API}/rubrik/{rubric.pk}", {"version": v, "weight_admin": 20, "weight_field": 50})
    assert r.status_code == 200 and r.json()["version"] == v + 1 and r.json()["weight_field"] == 50
    r = _json(c, "patch", f"{API}/rubrik/{rubric.pk}", {"version": v, "name": "Lama"})
    assert r.status_code == 409 and "sudah diubah orang lain" in r.json()["detail"]
    weights = {"A": 20, "B": 15, "C": 20, "D": 20, "E": 15, "F": 20}
    r = _json(c, "put", f"{API}/rubrik/{rubric.pk}/bobot", {"weights": weights})
    assert r.status_code == 422 and r.json()["detail"]["__all__"] == [
        "Bobot kriteria harus berjumlah 100 (sekarang 110)."]  # fmt: skip
    r = _json(c, "put", f"{API}/rubrik/{rubric.pk}/bobot", {"weights": weights | {"Z": 0}})
    assert r.status_code == 422 and "Z" in r.json()["detail"]["weights"][0]
    r = _json(c, "put", f"{API}/rubrik/{rubric.pk}/bobot", {"weights": weights | {"F": 10}})
    assert r.status_code == 200 and [cr["weight"] for cr in r.json()["criteria"]] == [20, 15, 20, 20, 15, 10]
    make_edition(rubric, state=Edition.State.ADMIN)
    r = _json(c, "patch", f"{API}/rubrik/{rubric.pk}", {"name": "x"})
    assert r.status_code == 422
    assert r.json()["detail"] == {"__all__": ["Rubrik sudah dipakai lomba yang berjalan; buat versi baru."]}
    assert c.get(f"{API}/rubrik/{rubric.pk}").json()["in_use"] is True


def test_criteria_and_indicators(rubric: Rubric, template: Rubric, organiser: Any, gambir_manager: Any,
                                 edition: Any, officer: Any) -> None:  # fmt: skip
    Edition.objects.filter(pk=edition.pk).update(state=Edition.State.DRAFT)  # the rubric is not in use yet
    base = f"{API}/rubrik/{rubric.pk}"
    crit = {"code": "G", "title": "Digitalisasi", "weight": 0}
    assert _json(login(gambir_manager), "post", f"{base}/kriteria", crit).status_code == 404  # a draft's rubric
    assert _json(login(gambir_manager), "post", f"{API}/rubrik/{template.pk}/kriteria", crit).status_code == 403
    assert _json(login(officer), "post", f"{base}/kriteria", crit).status_code == 404
    c = login(organiser)
    r = _json(c, "post", f"{base}/kriteria", crit)
    assert r.status_code == 201 and r.json()["indicators"] == []
    g = r.json()["id"]
    assert "Kriteria G. Digitalisasi belum punya indikator." in c.get(base).json()["problems"]
    r = _json(c, "post", f"{base}/kriteria", crit)
    assert r.status_code == 422 and "sudah dipakai" in r.json()["detail"]["code"][0]
    r = _json(c, "patch", f"{base}/kriteria/{g}", {"title": "Digitalisasi pos"})
    assert r.status_code == 200 and r.json()["title"] == "Digitalisasi pos"
    ind = {
        "code": "G1",
        "title": "Data di aplikasi",
        "weight": 100,
        "prefill_key": "orders_count",
        "anchors": {"1": "Tidak ada", "2": "Sebagian", "3": "Lengkap", "4": "Lengkap dan terbaru"},
    }
    assert _json(c, "post", f"{base}/kriteria/{g}/indikator", ind | {"anchors": {"7": "x"}}).status_code == 422
    assert _json(c, "post", f"{base}/kriteria/{g}/indikator", ind | {"prefill_key": "x"}).status_code == 422
    r = _json(c, "post", f"{base}/kriteria/{g}/indikator", ind)
    assert r.status_code == 201 and r.json()["prefill_label"] == "Jumlah pesanan"
    i = r.json()["id"]
    r = _json(c, "patch", f"{base}/indikator/{i}", {"weight": 90, "evidence": "Tangkapan layar",
                                                    "evidence_mandatory": True})  # fmt: skip
    assert r.status_code == 200 and r.json()["evidence_mandatory"] is True
    r = _json(c, "put", f"{base}/kriteria/{g}/bobot", {"weights": {"G1": 90}})
    assert r.status_code == 422 and "kriteria G harus berjumlah 100 (sekarang 90)" in r.json()["detail"]["__all__"][0]
    r = _json(c, "put", f"{base}/kriteria/{g}/bobot", {"weights": {"G1": 100}})
    assert r.status_code == 200 and r.json()["indicators"][0]["weight"] == 100
    other = Rubric.objects.get(family="posyantek-berprestasi").criteria.first()
    assert c.delete(f"{base}/kriteria/{other.pk}").status_code == 404  # a criterion of another rubric
    version = c.get(base).json()["version"]
    assert c.delete(f"{base}/indikator/{i}?version={version - 1}").status_code == 409
    assert c.delete(f"{base}/indikator/{i}?version={version}").status_code == 204
    assert c.delete(f"{base}/kriteria/{g}").status_code == 204
    assert c.get(base).json()["problems"] == []


def test_chain_endpoint(rubric: Rubric, edition: Any, organiser: Any, officer: Any) -> None:
    c = login(organiser)
    data = c.get(f"{API}/rantai").json()
    assert data["ok"] is True and data["links"] >= 2 and data["problems"] == [] and data["first_broken"] is None
    assert c.get(f"{API}/rantai", {"lomba": edition.pk}).json()["edition_id"] == edition.pk
    assert login(officer).get(f"{API}/rantai", {"lomba": edition.pk}).status_code == 404
    assert login(officer).get(f"{API}/rantai").json()["ok"] is True


def test_schema_lists_the_rubric_paths(client: Any) -> None:
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for p in [
        "/api/v1/lomba/rubrik",
        "/api/v1/lomba/rubrik/{rubric_id}",
        "/api/v1/lomba/rubrik/{rubric_id}/bobot",
        "/api/v1/lomba/rubrik/{rubric_id}/versi-baru",
        "/api/v1/lomba/rubrik/{rubric_id}/kriteria",
        "/api/v1/lomba/rubrik/{rubric_id}/indikator/{indicator_id}",
        "/api/v1/lomba/rantai",
    ]:
        assert p in paths, p
    assert "422" in paths["/api/v1/lomba/rubrik/{rubric_id}"]["patch"]["responses"]
    assert "409" in paths["/api/v1/lomba/rubrik/{rubric_id}"]["patch"]["responses"]
