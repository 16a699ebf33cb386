"""The replication API: public kits, kits and steps, adoptions and progress, checklists and ticks; scope (404
outside, 403 for a too-low role), 422 for bad input, 409 for a stale version."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.test import Client
from django.utils import timezone

from conftest import login
from posyantek.replication.models import AdoptionPost, KitAdoption
from posyantek.replication.tests.conftest import item, make_kit, manual_item

API = "/api/v1/replikasi"
TODAY = timezone.localdate().isoformat()


def _json(client: Any, method: str, url: str, data: Any = None) -> Any:
    return getattr(client, method)(url, data=data, content_type="application/json")


def test_public_kits(kit, manager, posts) -> None:
    c = Client()
    data = c.get(f"{API}/public/kits").json()
    assert data["count"] == 1 and data["items"][0]["post_slug"] == "mitra-pantura" and data["items"][0]["items"] == 12
    one = c.get(f"{API}/public/kits/mitra-pantura").json()
    assert one["title"] == "Kit Replikasi Posyantek Mitra Pantura" and len(one["items"]) == 12
    assert one["items"][0]["source"] == "regulasi"
    assert c.get(f"{API}/public/kits/wartek-panjang-wetan").status_code == 404
    _json(login(manager), "patch", f"{API}/kits/{kit.pk}", {"published": False})
    assert c.get(f"{API}/public/kits/mitra-pantura").status_code == 404
    assert c.get(f"{API}/kits").status_code == 401


def test_kits_and_steps(kit, manager, viewer, outsider) -> None:
    assert login(outsider).get(f"{API}/kits/{kit.pk}").status_code == 404
    assert login(outsider).get(f"{API}/kits").json()["count"] == 0
    assert login(viewer).get(f"{API}/kits/{kit.pk}").json()["post_slug"] == "mitra-pantura"
    assert _json(login(viewer), "patch", f"{API}/kits/{kit.pk}", {"title": "X"}).status_code == 403
    c = login(manager)
    r = _json(c, "patch", f"{API}/kits/{kit.pk}", {"title": "Kit Mitra Pantura", "version": kit.version})
    assert r.status_code == 200 and r.json()["title"] == "Kit Mitra Pantura"
    r = _json(c, "patch", f"{API}/kits/{kit.pk}", {"title": "Tabrakan", "version": kit.version})
    assert r.status_code == 409 and "sudah diubah orang lain" in r.json()["detail"]
    r = _json(c, "post", f"{API}/kits/{kit.pk}/items", {"title": "Pameran pertama", "source": "entah"})
    assert r.status_code == 422
    r = _json(c, "post", f"{API}/kits/{kit.pk}/items", {"title": "Pameran pertama", "evidence_required": True})
    assert r.status_code == 201 and r.json()["order"] == 13
    step = r.json()
    r = _json(c, "patch", f"{API}/kits/{kit.pk}/items/{step['id']}", {"title": "Pameran", "version": step["version"]})
    assert r.status_code == 200 and r.json()["title"] == "Pameran"
    r = _json(c, "patch", f"{API}/kits/{kit.pk}/items/{step['id']}", {"title": "X", "version": step["version"]})
    assert r.status_code == 409
    assert len(c.get(f"{API}/kits/{kit.pk}/items").json()) == 13
    assert login(viewer).delete(f"{API}/kits/{kit.pk}/items/{step['id']}").status_code == 403
    assert c.delete(f"{API}/kits/{kit.pk}/items/{step['id']}").status_code == 204


def test_adoptions_and_progress(kit, outsider, officer, regions, posts, sawah_besar) -> None:
    c = login(outsider)
    body = {"kit_id": kit.pk, "region_code": "33", "started_on": "2014-10-01"}
    assert _json(c, "post", f"{API}/adoptions", body).status_code == 403  # the DKI officer, for Jawa Tengah
    assert _json(c, "post", f"{API}/adoptions", {**body, "region_code": "99"}).status_code == 422
    assert _json(c, "post", f"{API}/adoptions", {**body, "region_code": "31", "post_kind": "kota"}).status_code == 422
    r = _json(c, "post", f"{API}/adoptions", {**body, "region_code": "31", "target_on": "2016-12-31"})
    assert r.status_code == 201, r.content
    data = r.json()
    assert data["posts"] == 2 and data["items"] == 12 and data["summary"]["zero"] == 2 and data["region_code"] == "31"
    aid = data["id"]
    ap = AdoptionPost.objects.get(adoption_id=aid, post=posts["dki"])
    AdoptionPost.objects.filter(pk=ap.pk).update(done_count=6, last_done_on=dt.date(2016, 4, 5))
    assert login(officer).get(f"{API}/adoptions/{aid}").status_code == 404
    assert login(officer).get(f"{API}/adoptions").json()["count"] == 0
    assert c.get(f"{API}/adoptions").json()["items"][0]["average_percent"] == 25
    rows = c.get(f"{API}/adoptions/{aid}/posts", {"sort": "progres_tinggi", "limit": 1}).json()
    assert rows["count"] == 2 and rows["items"][0]["post_name"] == "Posyantek Gambir"
    assert rows["items"][0]["percent"] == 50 and rows["items"][0]["open"] == 6
    assert c.get(f"{API}/adoptions/{aid}/posts", {"band": "nol"}).json()["items"][0]["post_id"] == sawah_besar.pk
    assert c.get(f"{API}/adoptions/{aid}/posts", {"band": "semua"}).status_code == 422
    assert c.get(f"{API}/adoptions/{aid}").json()["summary"]["half_or_more"] == 1
    assert rows["items"][0]["last_done_on"] == "2016-04-05"
    stalled = c.get(f"{API}/adoptions/{aid}/posts", {"sort": "macet"}).json()["items"]
    assert [r["post_id"] for r in stalled] == [sawah_besar.pk, posts["dki"].pk] and stalled[0]["last_done_on"] is None
    r = _json(c, "post", f"{API}/adoptions", {**body, "region_code": "31", "post_ids": [posts["mitra"].pk]})
    assert r.status_code == 422 and KitAdoption.objects.count() == 1
    r = _json(c, "post", f"{API}/adoptions", {**body, "region_code": "31", "post_ids": [posts["dki"].pk]})
    assert r.status_code == 422 and "Sudah mengikuti kit ini" in r.json()["detail"]["posts"][0]
    assert KitAdoption.objects.count() == 1


def test_checklist_tick_and_untick(adoption, gambir, gambir_staff, dki_viewer, sawah_besar, kit, posts) -> None:
    url = f"{API}/adoptions/{adoption.pk}/posts/{posts['dki'].pk}"
    assert login(gambir_staff).get(f"{API}/adoptions/{adoption.pk}/posts/{sawah_besar.pk}").status_code == 404
    c = login(gambir_staff)
    data = c.get(url).json()
    assert data["total"] == 12 and data["done"] == 0 and data["items"][0]["detected"] is False
    assert next(i for i in data["items"] if i["source"] == "manual")["detected"] is None
    step = manual_item(kit, evidence=True)
    r = _json(c, "post", f"{url}/ticks", {"item_id": step.pk, "done_on": TODAY})
    assert r.status_code == 422 and "wajib disertai bukti" in r.json()["detail"]["evidence_note"][0]
    assert _json(login(dki_viewer), "post", f"{url}/ticks", {"item_id": step.pk, "done_on": TODAY}).status_code == 403
    r = _json(c, "post", f"{url}/ticks", {"item_id": step.pk, "done_on": TODAY, "evidence_note": "AD/ART 2015",
                                          "version": data["version"]})  # fmt: skip
    assert r.status_code == 201 and r.json()["done"] == 1
    r = _json(c, "post", f"{url}/ticks", {"item_id": item(kit, "produk").pk, "done_on": TODAY,
                                          "version": data["version"]})  # fmt: skip
    assert r.status_code == 409
    r = _json(c, "post", f"{url}/ticks", {"item_id": item(kit, "sk").pk, "from_data": True})
    assert r.status_code == 422 and "Belum terdeteksi" in r.json()["detail"]["item"][0]
    r = c.delete(f"{url}/ticks/{step.pk}?reason=Keliru")
    assert r.status_code == 200 and r.json()["done"] == 0
    assert c.delete(f"{url}/ticks/{step.pk}").status_code == 422
    assert login(dki_viewer).delete(f"{url}/ticks/{step.pk}").status_code == 403


def test_an_unpublished_kit_cannot_be_adopted(manager, outsider, posts) -> None:
    draft = make_kit(manager, posts["mitra"], published=False)
    r = _json(login(outsider), "post", f"{API}/adoptions", {"kit_id": draft.pk, "region_code": "31",
                                                             "started_on": TODAY})  # fmt: skip
    assert r.status_code == 422 and "kit" in r.json()["detail"]
