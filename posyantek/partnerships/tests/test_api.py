"""The partnerships API: scope (404 outside, 403 for a too-low role), 422 for bad input, 409 for a stale version."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from conftest import login
from posyantek.partnerships.models import Agreement, Partner
from posyantek.partnerships.tests.conftest import explore, make_bintek, make_grant, make_order, sign

API = "/api/v1/kemitraan"


def _json(client: Any, method: str, url: str, data: Any = None) -> Any:
    return getattr(client, method)(url, data=data, content_type="application/json")


def test_partners_are_scoped_and_written_through_the_services(manager, viewer, outsider, posts, unikal,
                                                              django_assert_max_num_queries) -> None:  # fmt: skip
    assert login(outsider).get(f"{API}/partners").json()["count"] == 0
    assert login(outsider).get(f"{API}/partners/{unikal.pk}").status_code == 404
    assert login(outsider).get(f"{API}/partners/{unikal.pk}/contacts").status_code == 404
    c = login(viewer)
    assert c.get(f"{API}/partners").json()["count"] == 1
    with django_assert_max_num_queries(6):
        data = c.get(f"{API}/partners", {"kind": "perguruan_tinggi", "q": "UNIKAL"}).json()
    assert data["count"] == 1 and data["items"][0]["home_region_code"] == "33.75"
    body = {"post_id": posts["mitra"].pk, "name": "BUMDes Karya Mandiri", "kind": "bumdes",
            "home_region_code": "33.26", "phone": "0812 2900 1122"}  # fmt: skip
    assert _json(login(viewer), "post", f"{API}/partners", body).status_code == 403
    r = _json(login(outsider), "post", f"{API}/partners", body)
    assert r.status_code == 422 and "post" in r.json()["detail"]
    c = login(manager)
    r = _json(c, "post", f"{API}/partners", body)
    assert r.status_code == 422 and "Kode wilayah 33.26 tidak ada" in r.json()["detail"]["home_region"][0]
    r = _json(c, "post", f"{API}/partners", {**body, "home_region_code": "33.75", "kind": "bank"})
    assert r.status_code == 422
    r = _json(c, "post", f"{API}/partners", {**body, "home_region_code": "33.75"})
    assert r.status_code == 201 and r.json()["phone"] == "6281229001122"
    pid = r.json()["id"]
    assert _json(c, "patch", f"{API}/partners/{pid}", {"notes": "Unit usaha pengolahan ikan", "version": 1}).json()[
        "version"] == 2  # fmt: skip
    r = _json(c, "patch", f"{API}/partners/{pid}", {"notes": "lama", "version": 1})
    assert r.status_code == 409 and "sudah diubah" in r.json()["detail"]
    assert _json(login(viewer), "patch", f"{API}/partners/{pid}", {"notes": "x"}).status_code == 403
    r = _json(c, "post", f"{API}/partners/{pid}/contacts", {"name": "Pak Darsono", "position": "Direktur BUMDes"})
    assert r.status_code == 201
    cid = r.json()["id"]
    assert _json(c, "patch", f"{API}/partners/{pid}/contacts/{cid}", {"phone": "x"}).status_code == 422
    assert _json(login(viewer), "delete", f"{API}/partners/{pid}/contacts/{cid}").status_code == 403
    assert _json(c, "delete", f"{API}/partners/{pid}/contacts/{cid}").status_code == 204
    assert not Partner.objects.get(pk=pid).contacts.exists()


def test_agreement_life_through_the_api(manager, viewer, outsider, posts, unikal) -> None:
    c = login(manager)
    body = {"post_id": posts["mitra"].pk, "title": "MoU Pendampingan TTG", "starts_on": "2026-01-01",
            "ends_on": "2025-12-31"}  # fmt: skip
    r = _json(c, "post", f"{API}/agreements", body)
    assert r.status_code == 422 and r.json()["detail"]["ends_on"] == [
        "Tanggal berakhir tidak boleh sebelum tanggal mulai berlaku."]  # fmt: skip
    assert _json(login(viewer), "post", f"{API}/agreements", {**body, "ends_on": "2027-12-31"}).status_code == 403
    r = _json(c, "post", f"{API}/agreements", {**body, "ends_on": "2027-12-31", "manager_id": viewer.pk})
    assert r.status_code == 422 and "manager" in r.json()["detail"]
    r = _json(c, "post", f"{API}/agreements", {**body, "ends_on": "2027-12-31", "value": 150_000_000})
    assert r.status_code == 201
    ag = r.json()
    aid = ag["id"]
    assert ag["state"] == "penjajakan" and ag["manager_id"] == manager.pk and ag["parties"][0]["is_post"]
    assert login(outsider).get(f"{API}/agreements/{aid}").status_code == 404
    assert _json(login(outsider), "post", f"{API}/agreements/{aid}/state", {"state": "draf"}).status_code == 404
    assert _json(login(viewer), "post", f"{API}/agreements/{aid}/state", {"state": "draf"}).status_code == 403
    r = _json(c, "post", f"{API}/agreements/{aid}/state", {"state": "berjalan"})
    assert r.status_code == 422 and "hanya boleh ke: Draf, Berakhir" in str(r.json()["detail"])
    r = _json(c, "post", f"{API}/agreements/{aid}/state", {"state": "draf", "version": 99})
    assert r.status_code == 409
    assert _json(c, "post", f"{API}/agreements/{aid}/state", {"state": "draf"}).json()["state"] == "draf"
    r = _json(c, "post", f"{API}/agreements/{aid}/parties", {"partner_id": unikal.pk, "signatory": "Rektor"})
    assert r.status_code == 201 and r.json()["name"] == "Universitas Pekalongan (UNIKAL)"
    r = _json(c, "post", f"{API}/agreements/{aid}/parties", {"partner_id": unikal.pk})
    assert r.status_code == 422 and "sudah tercatat sebagai pihak" in r.json()["detail"]["partner"][0]
    r = _json(c, "post", f"{API}/agreements/{aid}/results", {"kind": "lainnya", "description": "x"})
    assert r.status_code == 422 and "setelah kerja sama ditandatangani" in r.json()["detail"]["kind"][0]
    r = _json(c, "post", f"{API}/agreements/{aid}/state", {"state": "ditandatangani", "signed_on": "2026-01-05"})
    assert r.status_code == 200 and r.json()["signed_on"] == "2026-01-05" and len(r.json()["parties"]) == 2
    party = r.json()["parties"][1]["id"]
    assert _json(c, "delete", f"{API}/agreements/{aid}/parties/{party}").status_code == 422
    r = _json(c, "patch", f"{API}/agreements/{aid}/parties/{party}", {"obligations": "Narasumber Bintek"})
    assert r.status_code == 200 and r.json()["obligations"] == "Narasumber Bintek"
    assert c.get(f"{API}/agreements", {"state": "ditandatangani", "partner": unikal.pk}).json()["count"] == 1
    assert c.get(f"{API}/agreements", {"expiring": True}).json()["count"] == 0
    r = _json(c, "patch", f"{API}/agreements/{aid}", {"ends_on": "2020-01-01"})
    assert r.status_code == 422


def test_results_through_the_api(manager, viewer, outsider, posts, signed) -> None:
    c = login(manager)
    url = f"{API}/agreements/{signed.pk}/results"
    b = make_bintek(posts["wartek"], participants=27)
    order = make_order(posts["mitra"], total=13_500_000)
    theirs = make_order(posts["dki"], total=1)
    grant = make_grant(posts["mitra"])
    assert _json(c, "post", url, {"kind": "bintek", "bintek_id": b.pk}).status_code == 201
    r = _json(c, "post", url, {"kind": "bintek", "bintek_id": b.pk})
    assert r.status_code == 422 and "sudah tercatat" in r.json()["detail"]["bintek"][0]
    assert _json(c, "post", url, {"kind": "pesanan", "order_id": theirs.pk}).status_code == 422
    assert _json(c, "post", url, {"kind": "pesanan", "order_id": order.pk}).status_code == 201
    r = _json(c, "post", url, {"kind": "dana", "amount": 30_000_000, "grant_id": grant.pk, "occurred_on": "2026-02-01"})
    assert r.status_code == 201 and r.json()["label"].startswith("Dana diterima: PT Pantura Sejahtera")
    assert _json(login(viewer), "post", url, {"kind": "lainnya", "description": "x"}).status_code == 403
    assert login(outsider).get(url).status_code == 404
    assert [x["kind"] for x in login(viewer).get(url).json()] == ["dana", "bintek", "pesanan"]
    s = c.get(f"{API}/agreements/{signed.pk}/summary").json()
    assert s["participants"] == 27 and s["orders_total"] == 13_500_000 and s["total"] == 43_500_000
    assert {x["kind"]: x["count"] for x in s["counts"]} == {"bintek": 1, "pesanan": 1, "dana": 1}
    rid = signed.results.get(kind="bintek").pk
    assert _json(login(viewer), "delete", f"{url}/{rid}").status_code == 403
    assert _json(c, "delete", f"{url}/{rid}").status_code == 204


def test_extension_through_the_api(manager, signed) -> None:
    c = login(manager)
    url = f"{API}/agreements/{signed.pk}/state"
    _json(c, "post", url, {"state": "berjalan"})
    _json(c, "post", url, {"state": "dievaluasi", "evaluation": "Tercapai"})
    r = _json(c, "post", url, {"state": "diperpanjang", "extension_id": 999_999})
    assert r.status_code == 422 and "extension" in r.json()["detail"]
    end = signed.ends_on + dt.timedelta(days=365)
    r = _json(c, "post", url, {"state": "diperpanjang", "ends_on": end.isoformat()})
    assert r.status_code == 200 and r.json()["state"] == "diperpanjang"
    new = Agreement.objects.get(extends=signed)
    assert c.get(f"{API}/agreements/{new.pk}").json()["extends_id"] == signed.pk


def test_schema_lists_the_paths_with_literal_enums(client) -> None:
    data = client.get("/api/v1/openapi.json").json()
    for path in ("/api/v1/kemitraan/partners", "/api/v1/kemitraan/agreements/{agreement_id}/state",
                 "/api/v1/kemitraan/agreements/{agreement_id}/results"):  # fmt: skip
        assert path in data["paths"], path
    assert "409" in data["paths"]["/api/v1/kemitraan/agreements/{agreement_id}"]["patch"]["responses"]
    schemas = data["components"]["schemas"]
    assert "Kind" not in schemas and "State" not in schemas


def test_funds_without_an_amount_and_agreements_past_their_end(manager, viewer, outsider, posts, unikal) -> None:
    today = timezone.localdate()
    past = sign(manager, explore(manager, posts["mitra"], title="Sudah lewat", starts_on=today - dt.timedelta(400),
                                 ends_on=today - dt.timedelta(days=2)), unikal)  # fmt: skip
    c = login(manager)
    r = _json(c, "post", f"{API}/agreements/{past.pk}/results", {"kind": "dana"})
    assert r.status_code == 422 and r.json()["detail"]["amount"] == ["Isi jumlah dana yang diterima, mis. 2.500.000."]
    r = _json(c, "post", f"{API}/agreements/{past.pk}/results", {"kind": "dana", "amount": 2_500_000})
    assert r.status_code == 201 and r.json()["label"] == "Dana diterima: Rp 2.500.000"
    explore(manager, posts["mitra"], title="Belum ditandatangani", ends_on=today - dt.timedelta(days=2))
    listed = login(viewer).get(f"{API}/agreements", {"past_end": True}).json()
    assert [a["title"] for a in listed["items"]] == ["Sudah lewat"]  # only those still in force on paper
    assert login(outsider).get(f"{API}/agreements", {"past_end": True}).json()["count"] == 0
