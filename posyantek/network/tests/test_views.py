"""Network pages: access (outsider 404, too-low role 403), forms, the list with its budget, exports, detail."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from conftest import login
from posyantek.network.models import Agent
from posyantek.network.tests.conftest import add_agent, make_order


def _pages(a: Agent) -> list[str]:
    return [f"/jejaring/{a.pk}/"]


def _edit_pages(a: Agent) -> list[str]:
    return [f"/jejaring/{a.pk}/ubah"]


def _posts(a: Agent) -> list[str]:
    return [f"/jejaring/{a.pk}/aktif", f"/jejaring/{a.pk}/ubah"]


def test_outsider_gets_404(agent, outsider) -> None:
    c = login(outsider)
    for url in _pages(agent) + _edit_pages(agent):
        assert c.get(url).status_code == 404, url
    for url in _posts(agent):
        assert c.post(url).status_code == 404, url
    assert agent.name not in c.get("/jejaring/").content.decode()
    r = c.get("/jejaring/?format=csv")
    assert r.status_code == 200 and agent.name not in r.content.decode("utf-8-sig")


def test_viewer_sees_but_gets_403_on_changes(agent, viewer) -> None:
    c = login(viewer)
    for url in _pages(agent):
        assert c.get(url).status_code == 200, url
    for url in _edit_pages(agent) + ["/jejaring/baru", "/jejaring/impor"]:
        assert c.get(url).status_code == 403, url
    for url in _posts(agent):
        assert c.post(url).status_code == 403, url
    assert agent.name in c.get("/jejaring/").content.decode()


def test_staff_works_on_its_own_post_only(wartek_agent, agent, staff) -> None:
    c = login(staff)
    assert c.get(f"/jejaring/{wartek_agent.pk}/ubah").status_code == 200
    assert c.get(f"/jejaring/{agent.pk}/").status_code == 404  # the parent post's agents are not the Wartek's
    page = c.get("/jejaring/baru").content.decode()
    assert "Wartek Panjang Wetan" in page and "Posyantek Mitra Pantura</option>" not in page
    r = c.post(f"/jejaring/{wartek_agent.pk}/aktif", {"version": wartek_agent.version})
    assert r.status_code == 302


def test_active_switch_rejects_get(agent, manager) -> None:
    assert login(manager).get(f"/jejaring/{agent.pk}/aktif").status_code == 405


def test_anonymous_is_sent_to_login(agent, client) -> None:
    r = client.get(f"/jejaring/{agent.pk}/")
    assert r.status_code == 302 and "/akun/masuk" in r["Location"]


def test_create_form_saves_and_shows_errors(manager, posts, regions) -> None:
    c = login(manager)
    body = {"post": posts["mitra"].pk, "kind": "reseller", "name": "Dewi Lestari", "phone": "0813 1111 2222",
            "area": "31.71", "commission_rule": "per_unit", "commission_amount": "Rp 50.000",
            "commission_percent": ""}  # fmt: skip
    r = c.post("/jejaring/baru", {**body, "commission_amount": ""})
    page = r.content.decode()
    assert r.status_code == 200 and "perlu jumlah komisinya" in page and not Agent.objects.exists()
    r = c.post("/jejaring/baru", {**body, "commission_rule": "persen", "commission_percent": "2,555"})
    assert "dua angka di belakang koma" in r.content.decode()
    r = c.post("/jejaring/baru", body)
    a = Agent.objects.get()
    assert r.status_code == 302 and r["Location"] == a.get_absolute_url()
    assert a.commission_amount == 50_000 and a.phone == "6281311112222" and a.area_id == "31.71"
    page = c.get(a.get_absolute_url()).content.decode()
    assert "Rp 50.000 untuk setiap unit" in page and "0813-1111-2222" in page and "Riwayat" in page


def test_edit_form_keeps_values_and_refuses_a_stale_version(agent, manager, officer) -> None:
    c = login(manager)
    page = c.get(f"/jejaring/{agent.pk}/ubah").content.decode()
    assert 'value="5"' in page and 'value="CV Sinar Tani Semarang"' in page
    body = {"post": agent.post_id, "kind": "agen", "name": "CV Sinar Tani", "commission_rule": "persen",
            "commission_percent": "7,5", "version": 1}  # fmt: skip
    assert c.post(f"/jejaring/{agent.pk}/ubah", body).status_code == 302
    r = login(officer).post(f"/jejaring/{agent.pk}/ubah", {**body, "name": "Nama lama"})
    assert r.status_code == 200 and "sudah diubah orang lain" in r.content.decode()
    agent.refresh_from_db()
    assert agent.name == "CV Sinar Tani" and str(agent.commission_percent) == "7.50"


def test_active_switch(agent, manager) -> None:
    c = login(manager)
    r = c.post(f"/jejaring/{agent.pk}/aktif", {"version": 1})
    agent.refresh_from_db()
    assert r.status_code == 302 and not agent.active
    assert "dinonaktifkan" in c.get(agent.get_absolute_url()).content.decode()
    c.post(f"/jejaring/{agent.pk}/aktif", {"version": 2, "active": "on"})
    agent.refresh_from_db()
    assert agent.active


def test_detail_shows_orders_and_totals(agent, manager, posts, django_assert_max_num_queries) -> None:
    make_order(posts["mitra"], total=2_000_000, agent=agent, commission=100_000, buyer_name="Koperasi Tani")
    make_order(posts["mitra"], total=1_000_000, agent=agent, commission=50_000, state="lunas")
    make_order(posts["mitra"], total=9_000_000, agent=agent, commission=450_000, state="dibatalkan")
    make_order(posts["mitra"], total=500_000, agent=agent, state="permintaan")
    make_order(posts["mitra"], total=7_000_000)  # without an agent
    c = login(manager)
    with django_assert_max_num_queries(12):
        page = c.get(agent.get_absolute_url()).content.decode()
    assert "Koperasi Tani" in page
    assert '<tr id="agent-orders"><th scope="row">Pesanan dibawa</th><td>4 ' in page
    assert "Rp 3.000.000" in page and "Rp 150.000" in page and "Rp 450.000" in page  # cancelled still listed


def test_detail_orders_fragment_for_htmx(agent, manager, posts) -> None:
    for _i in range(30):
        make_order(posts["mitra"], total=100_000, agent=agent)
    r = login(manager).get(f"{agent.get_absolute_url()}?page=2", headers={"HX-Request": "true"})
    html = r.content.decode()
    assert r.status_code == 200 and "<html" not in html and "Halaman 2 dari 2" in html


def test_list_query_budget_filters_fragment_and_exports(manager, officer, posts, regions,
                                                        django_assert_max_num_queries) -> None:  # fmt: skip
    for i in range(14):
        add_agent(manager, posts["mitra"], name=f"Agen {i:02d}", area="31.71" if i % 2 else "33.75",
                  kind="reseller" if i < 4 else "agen", phone=f"0812-0000-{i:04d}")  # fmt: skip
    c = login(officer)
    with django_assert_max_num_queries(12):
        r = c.get("/jejaring/?q=Agen")
    assert r.status_code == 200 and "14 jejaring" in r.content.decode()
    assert "7 jejaring" in c.get("/jejaring/?province=31").content.decode()
    assert "4 jejaring" in c.get("/jejaring/?kind=reseller").content.decode()
    assert "1 jejaring" in c.get("/jejaring/?q=0812-0000-0003").content.decode()
    r = c.get("/jejaring/?q=Agen", headers={"HX-Request": "true"})
    assert "<html" not in r.content.decode() and "14 jejaring" in r.content.decode()
    with django_assert_max_num_queries(12):
        r = c.get("/jejaring/?format=xlsx&active=true")
    ws = load_workbook(io.BytesIO(r.content)).active
    assert ws.max_row == 15 and ws["A1"].value == "Nama" and ws["F2"].value == "0812-0000-0000"
    assert ws["I2"].value == "33.75" and ws["L2"].value == 5 and ws["O2"].value == "ya"
    assert c.get("/jejaring/?q=%00a&province=%0031").status_code == 200
    r = c.get("/jejaring/?format=csv&active=false")
    assert r.content.decode("utf-8-sig").count("\n") == 1
