"""The Bintek API: scope (404 outside, 403 for a too-low role), CRUD, state rules, attendance, certificates."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from conftest import login
from posyantek.core.models import AuditEvent
from posyantek.trainings import services
from posyantek.trainings.models import Bintek, Participant

API = "/api/v1/bintek"


def _json(client: Any, method: str, url: str, data: Any = None) -> Any:
    return getattr(client, method)(url, data=data, content_type="application/json")


def test_list_and_detail_are_scoped(bintek, outsider, viewer, django_assert_max_num_queries) -> None:
    assert login(outsider).get(API).json()["count"] == 0
    assert login(outsider).get(f"{API}/{bintek.pk}").status_code == 404
    c = login(viewer)
    with django_assert_max_num_queries(8):
        data = c.get(API).json()
    assert data["count"] == 1 and data["items"][0]["budget"] == 12_500_000
    assert c.get(f"{API}/{bintek.pk}").json()["state"] == "direncanakan"


def test_create_update_and_state(staff, viewer, outsider, posts) -> None:
    c = login(staff)
    body = {
        "title": "Bintek Abon",
        "post_id": posts["wartek"].pk,
        "starts_on": "2026-06-01",
        "ends_on": "2026-06-02",
        "budget": 1000000,
        "trainer_partners": ["Universitas Pekalongan"],
    }
    r = _json(c, "post", API, body)
    assert r.status_code == 201, r.content
    bid = r.json()["id"]
    assert r.json()["trainer_partners"] == ["Universitas Pekalongan"]
    assert _json(c, "post", API, {**body, "budget": -1}).status_code == 422
    assert _json(login(viewer), "post", API, body).status_code == 403  # sees the post, may not plan for it
    r = _json(login(outsider), "post", API, body)
    assert r.status_code == 422 and "post" in r.json()["detail"]
    assert Bintek.objects.count() == 1
    assert _json(login(viewer), "patch", f"{API}/{bid}", {"title": "x y"}).status_code == 403
    assert _json(login(outsider), "patch", f"{API}/{bid}", {"title": "x y"}).status_code == 404
    assert _json(c, "patch", f"{API}/{bid}", {"title": "Bintek Abon Ikan", "version": 1}).status_code == 200
    r = _json(c, "patch", f"{API}/{bid}", {"title": "Lama", "version": 1})
    assert r.status_code == 422 and "sudah diubah" in str(r.json()["detail"])
    r = _json(c, "post", f"{API}/{bid}/state", {"state": "laporan"})
    assert r.status_code == 422 and "dilompati" in str(r.json()["detail"])
    assert _json(login(viewer), "post", f"{API}/{bid}/state", {"state": "undangan"}).status_code == 403


def test_participants_attendance_and_certificate(bintek, staff, viewer, outsider) -> None:
    c = login(staff)
    url = f"{API}/{bintek.pk}/participants"
    r = _json(c, "post", url, {"name": "Warsini", "sex": "P", "group": "perempuan", "phone": "0813 1234 5678"})
    assert r.status_code == 201 and r.json()["number"] == 3 and r.json()["phone"] == "081312345678"
    pid = r.json()["id"]
    assert _json(c, "post", url, {"name": "X", "sex": "L", "pre_score": 101}).status_code == 422
    assert _json(login(viewer), "post", url, {"name": "X", "sex": "L"}).status_code == 403
    assert _json(login(outsider), "post", url, {"name": "X", "sex": "L"}).status_code == 404
    assert _json(c, "patch", f"{url}/{pid}", {"pre_score": 40, "post_score": 80}).json()["post_score"] == 80
    assert c.get(url, {"q": "Warsini"}).json()["count"] == 1
    services.bintek_advance(actor=staff, bintek=bintek, state="undangan")
    s = _json(c, "post", f"{API}/{bintek.pk}/sessions", {"hours": 2}).json()
    r = _json(c, "post", f"{API}/check-in", {"code": "SALAH9", "who": "3"})
    assert r.status_code == 422 and "Kode presensi salah" in str(r.json()["detail"])
    r = _json(login(outsider), "post", f"{API}/check-in", {"code": s["code"], "who": "3"})
    assert r.status_code == 201
    assert _json(c, "post", f"{url}/{pid}/attendance", {"session_id": s["id"]}).status_code == 201
    assert c.get(f"{API}/{bintek.pk}/attendance").json()["count"] == 1
    assert login(outsider).get(f"{API}/{bintek.pk}/attendance").status_code == 404
    bintek.refresh_from_db()
    services.bintek_advance(actor=staff, bintek=bintek, state="dilaksanakan")
    absent = bintek.participants.get(number=1)
    r = _json(c, "post", f"{url}/{absent.pk}/certificate")
    assert r.status_code == 422 and "tidak tercatat hadir" in str(r.json()["detail"])
    r = _json(c, "post", f"{url}/{pid}/certificate")
    code = r.json()["certificate_code"]
    public = _json(login(outsider), "get", f"{API}/sertifikat/{code}").json()
    assert public["name"] == "Warsini" and public["post_name"] == "Wartek Panjang Wetan"
    assert "phone" not in public
    from django.test import Client

    assert Client().get(f"{API}/sertifikat/{code}").status_code == 200
    assert Client().get(f"{API}/sertifikat/NOPE").status_code == 404


def test_followups_and_outcomes(held, staff, viewer, outsider) -> None:
    c = login(staff)
    url = f"{API}/{held.pk}/followups"
    body = {"kind": "kelompok", "description": "Bentuk KUB", "owner": "RW 05", "target_date": "2026-05-01"}
    r = _json(c, "post", url, body)
    assert r.status_code == 201
    fid = r.json()["id"]
    r = _json(c, "patch", f"{url}/{fid}", {"status": "selesai"})
    assert r.status_code == 422 and "bukti" in str(r.json()["detail"])
    assert _json(c, "patch", f"{url}/{fid}", {"status": "selesai", "evidence_note": "SK"}).json()["status"] == "selesai"
    assert _json(login(viewer), "patch", f"{url}/{fid}", {"owner": "x"}).status_code == 403
    assert login(outsider).get(url).status_code == 404
    out = f"{API}/{held.pk}/outcomes"
    today = timezone.localdate().isoformat()
    r = _json(
        c,
        "post",
        out,
        {"month": 3, "measured_on": today, "applying": 1, "new_products": 0, "income_per_month": 1500000, "jobs": 1},
    )
    assert r.status_code == 201
    assert (
        _json(
            c, "post", out, {"month": 4, "applying": 1, "new_products": 0, "income_per_month": 1, "jobs": 0}
        ).status_code
        == 422
    )
    assert login(viewer).get(out).json()[0]["income_per_month"] == 1_500_000
    assert (
        _json(
            login(viewer), "post", out, {"month": 6, "applying": 1, "new_products": 0, "income_per_month": 1, "jobs": 0}
        ).status_code
        == 403
    )
    assert AuditEvent.objects.for_object(Bintek.objects.get(pk=held.pk)).filter(actor=staff).count() >= 4
    assert Participant.objects.filter(bintek=held).count() == 2


def test_api_is_in_the_schema(client) -> None:
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for p in (
        API,
        f"{API}/{{bintek_id}}",
        f"{API}/{{bintek_id}}/participants",
        f"{API}/{{bintek_id}}/followups",
        f"{API}/{{bintek_id}}/outcomes",
        f"{API}/sertifikat/{{code}}",
        f"{API}/check-in",
    ):
        assert p in paths, p
    assert "422" in paths[API]["post"]["responses"]


def _endpoints(b: Bintek) -> list[tuple[str, str, dict | None, bool]]:
    """(method, url, body, is_write) of every scoped operation, on a held Bintek with one of each thing."""
    p = b.participants.get(number=1)
    f = b.followups.get()
    s = b.sessions.get()
    u = f"{API}/{b.pk}"
    return [
        ("get", u, None, False),
        ("patch", u, {"title": "Judul"}, True),
        ("post", f"{u}/state", {"state": "laporan"}, True),
        ("get", f"{u}/participants", None, False),
        ("post", f"{u}/participants", {"name": "A", "sex": "L"}, True),
        ("patch", f"{u}/participants/{p.pk}", {"name": "A"}, True),
        ("post", f"{u}/participants/{p.pk}/certificate", None, True),
        ("get", f"{u}/sessions", None, False),
        ("post", f"{u}/sessions", {"hours": 1}, True),
        ("get", f"{u}/attendance", None, False),
        ("post", f"{u}/participants/{p.pk}/attendance", {"session_id": s.pk}, True),
        ("get", f"{u}/followups", None, False),
        (
            "post",
            f"{u}/followups",
            {"kind": "alat", "description": "x", "owner": "y", "target_date": "2026-05-01"},
            True,
        ),
        ("patch", f"{u}/followups/{f.pk}", {"owner": "z"}, True),
        ("get", f"{u}/outcomes", None, False),
        (
            "post",
            f"{u}/outcomes",
            {"month": 3, "applying": 0, "new_products": 0, "income_per_month": 0, "jobs": 0},
            True,
        ),
        ("delete", f"{u}/followups/{f.pk}", None, True),
        ("delete", f"{u}/participants/{p.pk}", None, True),
        ("delete", u, None, True),
    ]


def test_every_endpoint_refuses_outsider_and_too_low_role(held, staff, viewer, outsider) -> None:
    services.followup_create(
        actor=staff,
        bintek=held,
        data={"kind": "kelompok", "description": "KUB", "owner": "RW", "target_date": held.ends_on},
    )
    endpoints = _endpoints(held)
    assert len(endpoints) == 19
    for method, url, body, write in endpoints:
        assert _json(login(outsider), method, url, body).status_code == 404, (method, url)
        expected = 403 if write else 200
        assert _json(login(viewer), method, url, body).status_code == expected, (method, url)
    from django.test import Client

    assert Client().get(API).status_code == 401


def test_deletes(held, staff) -> None:
    c = login(staff)
    kasnadi = held.participants.get(number=2)
    assert _json(c, "delete", f"{API}/{held.pk}").status_code == 422
    assert _json(c, "delete", f"{API}/{held.pk}/participants/{kasnadi.pk}").status_code == 204
    siti = held.participants.get(number=1)
    services.certificate_issue(actor=staff, participant=siti)
    r = _json(c, "delete", f"{API}/{held.pk}/participants/{siti.pk}")
    assert r.status_code == 422 and "bersertifikat" in str(r.json()["detail"])
    item = services.followup_create(
        actor=staff, bintek=held, data={"kind": "alat", "description": "x", "owner": "y", "target_date": held.ends_on}
    )
    assert _json(c, "delete", f"{API}/{held.pk}/followups/{item.pk}").status_code == 204
    assert not held.followups.exists()
