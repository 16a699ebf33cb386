"""The visits API: scope (404 outside, 403 for a too-low role), bad input, states, agenda, guest book, follow-ups."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from conftest import login
from posyantek.partnerships.models import Agreement
from posyantek.visits.models import GuestEntry, Visit
from posyantek.visits.tests.conftest import png_data_url

API = "/api/v1/kunjungan"


def _json(client: Any, method: str, url: str, data: Any = None) -> Any:
    return getattr(client, method)(url, data=data, content_type="application/json")


def test_list_and_detail_are_scoped(held, outsider, viewer, django_assert_max_num_queries) -> None:
    o = login(outsider)
    assert o.get(API).json()["count"] == 0
    for part in ("", "/agenda", "/guests", "/follow-ups"):
        assert o.get(f"{API}/{held.pk}{part}").status_code == 404, part
    c = login(viewer)
    with django_assert_max_num_queries(8):
        data = c.get(API).json()
    assert data["count"] == 1 and data["items"][0]["state"] == "dilaksanakan"
    assert data["items"][0]["purposes"] == ["pendanaan", "kelembagaan"]
    assert c.get(API, {"purpose": "pemasaran"}).json()["count"] == 0
    assert c.get(API, {"direction": "masuk", "year": held.starts_on.year, "q": "DKI"}).json()["count"] == 1
    assert c.get(API, {"purpose": "menari"}).status_code == 422
    item = c.get(f"{API}/{held.pk}").json()
    assert item["institution_region_code"] == "31" and item["visitors"] == 20
    agenda = c.get(f"{API}/{held.pk}/agenda").json()
    assert agenda[0]["site_region_code"] == "33.75.03.1004" and agenda[0]["starts_at"] == "13:00:00"


def test_create_update_and_advance(manager, viewer, outsider, posts) -> None:
    c = login(manager)
    body = {
        "post_id": posts["mitra"].pk,
        "title": "Kunjungan DKI",
        "institution": "BPMPKB DKI",
        "visitors": 0,
        "starts_on": "2014-09-10",
        "ends_on": "2014-09-01",
        "institution_region_code": "31",
    }
    r = _json(c, "post", API, body)
    assert r.status_code == 422 and "paling sedikit 1" in r.json()["detail"]["visitors"][0]
    assert "sebelum tanggal mulai" in r.json()["detail"]["ends_on"][0]
    body.update(visitors=20, ends_on=None, purposes=["pendanaan", "kelembagaan"])
    assert _json(c, "post", API, {**body, "purposes": ["menari"]}).status_code == 422
    assert _json(login(viewer), "post", API, body).status_code == 403
    r = _json(login(outsider), "post", API, body)
    assert r.status_code == 422 and "post" in r.json()["detail"]
    r = _json(c, "post", API, body)
    assert r.status_code == 201, r.content
    vid = r.json()["id"]
    assert r.json()["ends_on"] == "2014-09-10" and r.json()["state"] == "diminta"
    assert _json(login(viewer), "patch", f"{API}/{vid}", {"visitors": 3}).status_code == 403
    assert _json(login(outsider), "patch", f"{API}/{vid}", {"visitors": 3}).status_code == 404
    r = _json(c, "patch", f"{API}/{vid}", {"leader": "Kabid TTG", "version": 1, "other_post_id": posts["wartek"].pk})
    assert r.json()["version"] == 2 and r.json()["other_post_id"] == posts["wartek"].pk
    r = _json(c, "patch", f"{API}/{vid}", {"leader": "Lama", "version": 1})
    assert r.status_code == 422 and "sudah diubah" in str(r.json()["detail"])
    r = _json(c, "patch", f"{API}/{vid}", {"other_post_id": posts["dki"].pk})
    assert r.status_code == 422 and "other_post" in r.json()["detail"]
    r = _json(c, "post", f"{API}/{vid}/state", {"state": "dilaksanakan"})
    assert r.status_code == 422 and "Dijadwalkan atau Dibatalkan" in str(r.json()["detail"])
    day = {"kind": "audiensi", "title": "Audiensi dengan Asisten Wali Kota", "starts_at": "09:00", "ends_at": "10:00"}
    r = _json(c, "post", f"{API}/{vid}/agenda", {**day, "day": "2014-09-11"})
    assert r.status_code == 422 and "hari kunjungan" in r.json()["detail"]["day"][0]
    r = _json(c, "post", f"{API}/{vid}/agenda", {**day, "day": "2014-09-10", "ends_at": "08:00"})
    assert r.status_code == 422 and "ends_at" in r.json()["detail"]
    r = _json(c, "post", f"{API}/{vid}/agenda", {**day, "day": "2014-09-10"})
    assert r.status_code == 201
    aid = r.json()["id"]
    r = _json(c, "patch", f"{API}/{vid}/agenda/{aid}", {"site_region_code": "33.75.03.1004", "place": "Setda"})
    assert r.json()["site_region_code"] == "33.75.03.1004"
    assert _json(login(viewer), "delete", f"{API}/{vid}/agenda/{aid}").status_code == 403
    r = _json(c, "post", f"{API}/{vid}/state", {"state": "dijadwalkan", "version": 2})
    assert r.status_code == 200 and r.json()["state"] == "dijadwalkan"
    assert _json(c, "delete", f"{API}/{vid}/agenda/{aid}").status_code == 422  # the last item of a scheduled visit


def test_guest_book_api_and_a_closed_book_is_400(held, manager, viewer) -> None:
    c = login(manager)
    url = f"{API}/{held.pk}/guests"
    r = _json(
        c,
        "post",
        url,
        {"name": "Sri Rahayu", "institution": "BPMPKB", "signature": png_data_url(), "signed_at": str(held.starts_on)},
    )
    assert r.status_code == 201 and r.json()["has_signature"] and r.json()["recorded_by_id"] == manager.pk
    twice = _json(c, "post", url, {"name": "Budi", "signed_at": str(held.starts_on)}).json()["id"]
    assert _json(c, "delete", f"{url}/{twice}").status_code == 204  # written by mistake, while the book is open
    r = _json(c, "post", url, {"name": "Ani", "signature": "data:image/png;base64,AAAA"})
    assert r.status_code == 422 and "signature" in r.json()["detail"]
    assert _json(login(viewer), "post", url, {"name": "X"}).status_code == 403
    assert login(viewer).get(url).json()["items"][0]["name"] == "Sri Rahayu"
    r = _json(c, "post", f"{API}/{held.pk}/follow-ups", {"kind": "lainnya", "description": "Kirim bahan"})
    assert r.status_code == 201
    _json(c, "post", f"{API}/{held.pk}/state", {"state": "ditindaklanjuti"})
    r = _json(c, "post", url, {"name": "Telat"})
    assert r.status_code == 400 and r.json()["detail"].startswith("Buku tamu sudah ditutup")
    assert not GuestEntry.objects.filter(name="Telat").exists()
    gid = GuestEntry.objects.get().pk
    r = _json(c, "delete", f"{url}/{gid}")  # a closed book keeps who came
    assert r.status_code == 400 and r.json()["detail"].startswith("Buku tamu sudah ditutup")
    assert GuestEntry.objects.filter(pk=gid).exists()


def test_follow_ups_api_links_within_scope(held, manager, posts) -> None:
    c = login(manager)
    url = f"{API}/{held.pk}/follow-ups"
    theirs = Agreement.objects.create(post=posts["dki"], region=posts["dki"].region, title="MoU Gambir")
    ours = Agreement.objects.create(post=posts["mitra"], region=posts["mitra"].region, title="MoU UNIKAL")
    r = _json(c, "post", url, {"kind": "kerja_sama", "description": "MoU", "agreement_id": theirs.pk})
    assert r.status_code == 422 and "agreement" in r.json()["detail"]
    r = _json(
        c,
        "post",
        url,
        {
            "kind": "kerja_sama",
            "description": "MoU",
            "agreement_id": ours.pk,
            "due_on": str(timezone.localdate() + dt.timedelta(days=30)),
        },
    )
    assert r.status_code == 201 and r.json()["agreement_id"] == ours.pk
    fid = r.json()["id"]
    r = _json(c, "patch", f"{url}/{fid}", {"done_on": str(timezone.localdate())})
    assert r.status_code == 200 and r.json()["done_on"] == str(timezone.localdate())
    other = Visit.objects.create(
        post=posts["mitra"],
        region=posts["mitra"].region,
        title="Balasan",
        institution="DKI",
        visitors=4,
        starts_on=held.starts_on,
        ends_on=held.ends_on,
        guestbook_token="x1",
    )
    r = _json(c, "post", url, {"kind": "kunjungan_balasan", "description": "Balasan", "return_visit_id": other.pk})
    assert r.status_code == 201 and r.json()["return_visit_id"] == other.pk
    assert c.get(url).json()[0]["kind"] == "kerja_sama"
    assert _json(c, "delete", f"{url}/{fid}").status_code == 204


def test_return_visit_in_one_call(held, manager, viewer) -> None:
    later = str(timezone.localdate() + dt.timedelta(days=30))
    url = f"{API}/{held.pk}/return-visit"
    assert _json(login(viewer), "post", url, {"starts_on": later, "visitors": 4}).status_code == 403
    r = _json(login(manager), "post", url, {"starts_on": later, "visitors": 0})
    assert r.status_code == 422 and "visitors" in r.json()["detail"]
    r = _json(login(manager), "post", url, {"starts_on": later, "visitors": 4})
    assert r.status_code == 201 and r.json()["direction"] == "keluar" and r.json()["institution_region_code"] == "31"
    assert held.follow_ups.get().return_visit_id == r.json()["id"]
