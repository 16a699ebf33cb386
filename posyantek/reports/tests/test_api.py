"""The reports API: scope (404 outside, 403 for a too-low role), create, the narrative with 409 on a stale version,
the steps up the chain, and the posts that have not reported."""

from __future__ import annotations

from typing import Any

import pytest

from conftest import login
from posyantek.reports.models import Report

pytestmark = pytest.mark.django_db
API = "/api/v1/laporan"


def _json(client: Any, method: str, url: str, data: Any = None) -> Any:
    return getattr(client, method)(url, data=data or {}, content_type="application/json")


def test_list_and_detail_are_scoped(draft: Report, outsider: Any, viewer: Any,
                                    django_assert_max_num_queries: Any) -> None:  # fmt: skip
    o = login(outsider)
    assert o.get(API).json()["count"] == 0
    assert o.get(f"{API}/{draft.pk}").status_code == 404
    c = login(viewer)
    with django_assert_max_num_queries(6):
        data = c.get(API, {"kind": "pengelolaan", "year": 2026, "period": "tw3"}).json()
    assert data["count"] == 1 and data["items"][0]["state"] == "draf"
    assert data["items"][0]["recipient_code"] == "33.75" and data["items"][0]["post_name"] == "Posyantek Mitra Pantura"
    assert c.get(API, {"state": "dikirim"}).json()["count"] == 0
    assert c.get(API, {"period": "tw9"}).status_code == 422
    item = c.get(f"{API}/{draft.pk}").json()
    assert item["narrative"] == {"ringkasan": "Triwulan yang sibuk."} and item["actions"] == []
    sales = next(f for f in item["figures"] if f["key"] == "sales_in_region")
    assert sales["value"] == 1_250_000 and sales["text"] == "Rp 1.250.000"


def test_create(manager: Any, viewer: Any, outsider: Any, officer: Any, admin: Any, posts: dict[str, Any]) -> None:
    body = {"post_id": posts["mitra"].pk, "kind": "pengelolaan", "year": 2026, "period": "tw2",
            "narrative": {"ringkasan": "Awal."}}  # fmt: skip
    assert _json(login(outsider), "post", API, body).status_code == 404
    assert _json(login(viewer), "post", API, body).status_code == 403
    assert _json(login(officer), "post", API, body).status_code == 403  # sees the post, never writes its report
    assert _json(login(admin), "post", API, body).status_code == 403
    r = _json(login(manager), "post", API, body)
    assert r.status_code == 201 and r.json()["state"] == "draf" and r.json()["actions"] == ["refresh", "verify"]
    r = _json(login(manager), "post", API, body)
    assert r.status_code == 422 and "period" in r.json()["detail"]
    plan = {**body, "kind": "rencana_kerja", "year": 2027, "period": "tw1", "narrative": {}}
    r = _json(login(manager), "post", API, plan)
    assert r.status_code == 201 and r.json()["period"] == "tahunan"


def test_narrative_patch_with_version(draft: Report, manager: Any, viewer: Any) -> None:
    url = f"{API}/{draft.pk}"
    assert _json(login(viewer), "patch", url, {"narrative": {"kendala": "x"}}).status_code == 403
    c = login(manager)
    r = _json(c, "patch", url, {"version": 1, "narrative": {"kendala": "Hujan."}})
    assert r.status_code == 200 and r.json()["version"] == 2 and r.json()["narrative"]["kendala"] == "Hujan."
    r = _json(c, "patch", url, {"version": 1, "narrative": {"kendala": "Lama."}})
    assert r.status_code == 409 and "sudah diubah" in r.json()["detail"]
    r = _json(c, "patch", url, {"version": 2, "narrative": {"judul": "?"}})
    assert r.status_code == 422


def test_steps_up_the_chain(draft: Report, manager: Any, officer: Any, viewer: Any, outsider: Any,
                            admin: Any) -> None:  # fmt: skip
    url = f"{API}/{draft.pk}"
    m, o = login(manager), login(officer)
    assert _json(login(outsider), "post", f"{url}/verify").status_code == 404
    assert _json(login(viewer), "post", f"{url}/verify").status_code == 403
    assert o.get(url).json()["actions"] == []  # the office sees the draft but takes none of the post's steps
    for client in (o, login(admin)):
        for step in ("verify", "refresh", "reopen"):
            assert _json(client, "post", f"{url}/{step}", {"version": 1}).status_code == 403
        assert _json(client, "patch", url, {"version": 1, "narrative": {"kendala": "x"}}).status_code == 403
    assert _json(m, "post", f"{url}/submit").status_code == 422  # not verified yet
    assert _json(m, "post", f"{url}/verify", {"version": 1}).json()["state"] == "diverifikasi"
    assert _json(m, "post", f"{url}/submit", {"version": 1}).status_code == 409
    assert _json(o, "post", f"{url}/submit", {"version": 2}).status_code == 403
    assert _json(m, "post", f"{url}/submit", {"version": 2}).json()["state"] == "dikirim"
    assert o.get(url).json()["actions"] == ["receive", "return"]
    assert _json(m, "post", f"{url}/receive").status_code == 403
    assert _json(o, "post", f"{url}/return", {"note": ""}).status_code == 422
    r = _json(o, "post", f"{url}/return", {"note": "Lengkapi kendala."})
    assert r.json()["state"] == "dikembalikan" and r.json()["decision_note"] == "Lengkapi kendala."
    assert [s["to_state"] for s in r.json()["steps"]] == ["draf", "diverifikasi", "dikirim", "dikembalikan"]
    assert _json(m, "post", f"{url}/reopen").json()["state"] == "draf"
    assert _json(m, "post", f"{url}/refresh").json()["state"] == "draf"
    _json(m, "post", f"{url}/verify")
    _json(m, "post", f"{url}/submit")
    assert _json(o, "post", f"{url}/receive", {"note": "OK"}).json()["state"] == "diterima"


def test_not_reported(submitted: Report, officer: Any, manager: Any, viewer: Any) -> None:
    url = f"{API}/belum-melapor"
    assert login(manager).get(url, {"year": 2026, "period": "tw3"}).status_code == 403
    assert login(viewer).get(url, {"year": 2026, "period": "tw3"}).status_code == 403
    data = login(officer).get(url, {"kind": "pengelolaan", "year": 2026, "period": "tw3"}).json()
    assert [p["name"] for p in data["items"]] == ["Wartek Panjang Wetan"]
    assert data["items"][0]["region_code"] == "33.75.03.1004" and data["items"][0]["has_draft"] is False
    assert data["items"][0]["returned_at"] is None
    data = login(officer).get(url, {"kind": "rencana_kerja", "year": 2027, "period": "tw1"}).json()
    assert data["count"] == 2


def test_schema_lists_the_report_paths(client: Any) -> None:
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert "/api/v1/laporan/{report_id}/return" in paths and "409" in paths["/api/v1/laporan/{report_id}"]["patch"][
        "responses"]  # fmt: skip
