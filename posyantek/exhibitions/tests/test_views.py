"""Exhibition pages: access (outsider 404, too-low role 403), forms, states, parts, lists, exports, the report."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from conftest import login
from posyantek.exhibitions import services
from posyantek.exhibitions.models import Exhibition
from posyantek.exhibitions.tests.conftest import make_order, plan


def _pages(ex: Exhibition) -> list[str]:
    return [f"/pameran/{ex.pk}/", f"/pameran/{ex.pk}/laporan", f"/pameran/{ex.pk}/laporan.xlsx"]


def _edit_pages(ex: Exhibition) -> list[str]:
    return [
        f"/pameran/{ex.pk}/ubah",
        f"/pameran/{ex.pk}/produk/{ex.products.first().pk}/ubah",
        f"/pameran/{ex.pk}/calon-pembeli/{ex.leads.get().pk}/ubah",
        f"/pameran/{ex.pk}/kerja-sama/{ex.offers.get().pk}/ubah",
    ]


def _posts(ex: Exhibition) -> list[str]:
    return [
        f"/pameran/{ex.pk}/tahap",
        f"/pameran/{ex.pk}/pengunjung",
        f"/pameran/{ex.pk}/produk",
        f"/pameran/{ex.pk}/biaya",
        f"/pameran/{ex.pk}/calon-pembeli",
        f"/pameran/{ex.pk}/kerja-sama",
        f"/pameran/{ex.pk}/calon-pembeli/{ex.leads.get().pk}/tindak-lanjut",
        f"/pameran/{ex.pk}/produk/{ex.products.first().pk}/hapus",
        f"/pameran/{ex.pk}/biaya/{ex.costs.get().pk}/hapus",
        f"/pameran/{ex.pk}/calon-pembeli/{ex.leads.get().pk}/hapus",
        f"/pameran/{ex.pk}/kerja-sama/{ex.offers.get().pk}/hapus",
    ]


def test_outsider_gets_404_everywhere(running, outsider) -> None:
    c = login(outsider)
    for url in _pages(running) + _edit_pages(running) + [f"/pameran/{running.pk}/laporan.pdf"]:
        assert c.get(url).status_code == 404, url
    for url in _posts(running):
        assert c.post(url).status_code == 404, url
    assert running.name not in c.get("/pameran/").content.decode()
    assert running.name not in c.get("/pameran/?format=csv").content.decode("utf-8-sig")


def test_viewer_sees_but_gets_403_on_changes(running, viewer) -> None:
    c = login(viewer)
    for url in _pages(running):
        assert c.get(url).status_code == 200, url
    for url in [*_edit_pages(running), "/pameran/baru"]:
        assert c.get(url).status_code == 403, url
    for url in _posts(running):
        assert c.post(url).status_code == 403, url
    page = c.get(running.get_absolute_url()).content.decode()
    assert "Lanjut ke" not in page and "Catat biaya" not in page


def test_staff_sees_only_its_post_and_works_there(running, staff, posts) -> None:
    c = login(staff)
    assert c.get(running.get_absolute_url()).status_code == 404
    mine = plan(staff, posts["wartek"], name="Bazar UMKM Kelurahan")
    assert c.get(f"/pameran/{mine.pk}/ubah").status_code == 200
    r = c.post(f"/pameran/{mine.pk}/biaya", {"item": "Tenda", "amount": "Rp 750.000", "funding_source": "swadaya"})
    assert r.status_code == 302 and mine.costs.get().amount == 750_000


def test_post_only_views_reject_get(running, manager) -> None:
    c = login(manager)
    for url in _posts(running):
        assert c.get(url).status_code == 405, url


def test_create_form_limits_choices_saves_and_shows_errors(manager, posts) -> None:
    c = login(manager)
    page = c.get("/pameran/baru").content.decode()
    assert "Posyantek Mitra Pantura" in page and "Posyantek Gambir" not in page
    body = {"post": posts["mitra"].pk, "name": "Gelar TTG Nasional", "kind": "pameran", "level": "nasional",
            "starts_on": "2027-03-01", "ends_on": "2027-02-01", "venue_region": "31.71"}  # fmt: skip
    r = c.post("/pameran/baru", body)
    assert r.status_code == 200 and "sebelum tanggal mulai" in r.content.decode() and not Exhibition.objects.exists()
    r = c.post("/pameran/baru", {**body, "ends_on": ""})
    ex = Exhibition.objects.get()
    assert r.status_code == 302 and r["Location"] == ex.get_absolute_url()
    assert str(ex.ends_on) == "2027-03-01" and ex.venue_region_id == "31.71"


def test_stale_edit_is_refused(event, manager, officer) -> None:
    body = {"post": event.post_id, "name": "PRPP", "kind": "pameran", "level": "provinsi",
            "starts_on": str(event.starts_on), "ends_on": str(event.ends_on), "version": 1}  # fmt: skip
    assert login(manager).post(f"/pameran/{event.pk}/ubah", body).status_code == 302
    r = login(officer).post(f"/pameran/{event.pk}/ubah", {**body, "name": "Nama lama"})
    assert r.status_code == 200 and "sudah diubah orang lain" in r.content.decode()


def test_states_through_the_page(event, manager, goods) -> None:
    c = login(manager)
    r = c.post(f"/pameran/{event.pk}/tahap", {"state": "berlangsung", "version": 1}, follow=True)
    assert "tidak boleh dilompati" in r.content.decode()
    r = c.post(f"/pameran/{event.pk}/tahap", {"state": "produk_dipilih", "version": 1}, follow=True)
    assert "produk yang dibawa" in r.content.decode()
    r = c.post(f"/pameran/{event.pk}/produk", {"product": goods["wartek"].pk, "quantity": 1})
    assert r.status_code == 422 and not event.products.exists()  # another post's product is not a choice
    r = c.post(f"/pameran/{event.pk}/produk", {"product": goods["thresher"].pk, "quantity": 0})
    assert r.status_code == 422
    assert c.post(f"/pameran/{event.pk}/produk", {"product": goods["thresher"].pk, "quantity": 2}).status_code == 302
    c.post(f"/pameran/{event.pk}/tahap", {"state": "produk_dipilih", "version": 1})
    event.refresh_from_db()
    assert event.state == "produk_dipilih"
    r = c.post(f"/pameran/{event.pk}/tahap", {"state": "dibatalkan", "version": event.version})
    event.refresh_from_db()
    assert event.state == "dibatalkan"
    assert "Batalkan acara" not in c.get(event.get_absolute_url()).content.decode()


def test_detail_shows_parts_orders_and_totals(running, manager, posts, django_assert_max_num_queries) -> None:
    make_order(posts["mitra"], total=9_000_000, exhibition=running, buyer_name="Koperasi Tani Kendal")
    make_order(posts["mitra"], total=2_000_000, exhibition=running, state="dibatalkan")
    c = login(manager)
    with django_assert_max_num_queries(25):
        page = c.get(running.get_absolute_url()).content.decode()
    assert "Koperasi Tani Kendal" in page and "Rp 9.000.000" in page and "Sutrisno" in page and "0812-1111-2222" in page
    assert "2 pesanan; 1 terhitung sebagai penjualan senilai Rp 9.000.000" in page
    assert "Perontok Padi Pedal" in page and "CV Agro" in page and "Rp 3.500.000" in page and "Riwayat" in page
    assert "Rp 5.500.000" in page  # net: 9.000.000 − 3.500.000


def test_leads_visitors_and_offers_through_the_page(running, manager, goods) -> None:
    c = login(manager)
    r = c.post(f"/pameran/{running.pk}/calon-pembeli", {"name": "Budi", "phone": "021 555"})
    assert r.status_code == 422 and "bukan nomor HP Indonesia" in r.content.decode()
    body = {"name": "Budi", "phone": "0813 2222 3333", "province": "31", "regency": "31.71",
            "product": goods["dryer"].pk, "interest": "2 unit"}  # fmt: skip
    r = c.post(f"/pameran/{running.pk}/calon-pembeli", body)
    assert r.status_code == 302 and running.leads.count() == 2
    lead = running.leads.get(name="Budi")
    assert lead.region_id == "31.71"
    r = c.post(f"/pameran/{running.pk}/calon-pembeli/{lead.pk}/tindak-lanjut", {"done": "1"},
               headers={"HX-Request": "true"})  # fmt: skip
    html = r.content.decode()
    assert r.status_code == 200 and "<html" not in html and 'id="leads-table"' in html and "Tandai belum" in html
    lead.refresh_from_db()
    assert lead.followed_up
    r = c.post(f"/pameran/{running.pk}/calon-pembeli/{lead.pk}/ubah",
               {"name": "Budi Santoso", "email": "budi@example.id", "order_code": "TIDAKADA"})  # fmt: skip
    assert r.status_code == 200 and "tidak ditemukan" in r.content.decode()
    r = c.post(f"/pameran/{running.pk}/pengunjung", {"visitors": "-3", "version": running.version})
    assert r.status_code == 422
    assert (
        c.post(f"/pameran/{running.pk}/pengunjung", {"visitors": "850", "version": running.version}).status_code == 302
    )
    offer = running.offers.get()
    r = c.post(f"/pameran/{running.pk}/kerja-sama/{offer.pk}/ubah", {"partner": "CV Agro", "value": "185.000.000",
                                                                    "status": "disepakati"})  # fmt: skip
    assert r.status_code == 302
    running.refresh_from_db()
    assert running.visitors == 850 and running.offers.get().status == "disepakati"


def test_list_query_budget_filters_fragment_and_exports(manager, officer, posts, django_assert_max_num_queries) -> None:
    for i in range(13):
        ex = plan(manager, posts["mitra"], name=f"Pameran {i:02d}", level="nasional" if i < 3 else "provinsi")
        services.cost_add(actor=manager, exhibition=ex, item="Sewa", amount=1_000_000, funding_source="apbn")
    c = login(officer)
    with django_assert_max_num_queries(12):
        r = c.get("/pameran/?q=Pameran")
    assert r.status_code == 200 and "13 acara" in r.content.decode()
    assert "3 acara" in c.get("/pameran/?level=nasional").content.decode()
    assert "0 acara" in c.get("/pameran/?year=99999").content.decode()
    assert "13 acara" in c.get(f"/pameran/?post={posts['mitra'].pk}").content.decode()
    r = c.get("/pameran/?q=Pameran", headers={"HX-Request": "true"})
    assert "<html" not in r.content.decode()
    with django_assert_max_num_queries(12):
        r = c.get("/pameran/?format=xlsx")
    ws = load_workbook(io.BytesIO(r.content)).active
    assert ws.max_row == 14 and ws["A1"].value == "Nama acara" and ws["N2"].value == 1_000_000
    assert c.get("/pameran/?q=%00a&post=%00").status_code == 200
    r = c.get("/pameran/?format=csv&state=selesai")
    assert r.content.decode("utf-8-sig").count("\n") == 1


def test_report_page_and_workbook(running, manager, posts, django_assert_max_num_queries) -> None:
    for _i in range(5):
        make_order(posts["mitra"], total=0, exhibition=running, state="dibatalkan")
    make_order(posts["mitra"], total=9_000_000, exhibition=running, state="lunas")
    c = login(manager)
    with django_assert_max_num_queries(16):
        page = c.get(f"/pameran/{running.pk}/laporan").content.decode()
    assert "Rp 9.000.000" in page and "Jawa Tengah: 1" in page and "Rp 5.500.000" in page
    r = c.get(f"/pameran/{running.pk}/laporan.xlsx")
    assert r["Content-Type"].startswith("application/vnd.openxmlformats")
    wb = load_workbook(io.BytesIO(r.content))
    assert wb.sheetnames == ["Ringkasan", "Produk dibawa", "Biaya", "Calon pembeli", "Kerja sama", "Pesanan"]
    summary = {row[0]: row[1] for row in wb["Ringkasan"].iter_rows(min_row=2, values_only=True)}
    assert summary["Nilai transaksi (Rp)"] == 9_000_000 and summary["Biaya (Rp)"] == 3_500_000
    assert summary["Bersih: transaksi − biaya (Rp)"] == 5_500_000
    assert wb["Calon pembeli"]["C2"].value == "0812-1111-2222"
    assert wb["Pesanan"].max_row == 7


def _pango() -> bool:
    try:
        import weasyprint  # noqa: F401
    except OSError:
        return False
    return True


def test_report_pdf(running, manager) -> None:
    if not _pango():
        pytest.skip("WeasyPrint's system libraries (pango) are not installed")
    r = login(manager).get(f"/pameran/{running.pk}/laporan.pdf")
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    assert r.content.startswith(b"%PDF")


def test_report_pdf_without_pango_is_503(running, manager, monkeypatch) -> None:
    from posyantek.exhibitions import report

    def broken(html: str) -> bytes:
        raise OSError("cannot load library 'libgobject-2.0-0'")

    monkeypatch.setattr(report, "_pdf", broken)
    r = login(manager).get(f"/pameran/{running.pk}/laporan.pdf")
    assert r.status_code == 503 and "Excel" in r.content.decode()
