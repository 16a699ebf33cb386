"""The lead form: a province → kabupaten/kota picker (htmx, with a no-JS fallback) and every error in one round."""

from __future__ import annotations

from conftest import login
from posyantek.exhibitions import services
from posyantek.regions.models import Region

HX = {"HTTP_HX_REQUEST": "true"}


def test_lead_reports_every_bad_field_in_one_round(running, manager) -> None:
    body = {"name": "", "phone": "123", "email": "bukan-email", "order_code": "TIDAKADA", "province": "",
            "regency": ""}  # fmt: skip
    r = login(manager).post(f"/pameran/{running.pk}/calon-pembeli", body)
    html = r.content.decode()
    assert r.status_code == 422
    assert "Tulis nama calon pembeli." in html
    assert "Nomor 123 bukan nomor HP Indonesia" in html
    assert "Pesanan TIDAKADA tidak ditemukan" in html
    assert "Alamat e-mail tidak valid." in html
    assert "Bidang ini tidak boleh kosong" not in html
    assert running.leads.count() == 1


def test_lead_edit_reports_every_bad_field_in_one_round(running, manager) -> None:
    lead = running.leads.get()
    r = login(manager).post(f"/pameran/{running.pk}/calon-pembeli/{lead.pk}/ubah",
                            {"name": "", "phone": "123", "order_code": "TIDAKADA"})  # fmt: skip
    html = r.content.decode()
    assert "Tulis nama calon pembeli." in html and "bukan nomor HP Indonesia" in html and "tidak ditemukan" in html
    lead.refresh_from_db()
    assert lead.name == "Sutrisno" and lead.phone == "6281211112222"


def test_lead_region_is_picked_by_province_then_kabupaten_kota(running, manager, regions) -> None:
    c = login(manager)
    html = c.get(f"/pameran/{running.pk}/").content.decode()
    assert 'id="lead-region"' in html and "Asal wilayah (kode wilayah)" not in html
    assert '<option value="33">Jawa Tengah</option>' in html and 'hx-get="/pameran/wilayah"' in html
    base = {"name": "Budi", "phone": "0813 2222 3333"}
    assert (
        c.post(f"/pameran/{running.pk}/calon-pembeli", {**base, "province": "33", "regency": "33.75"}).status_code
        == 302
    )
    assert running.leads.get(name="Budi").region_id == "33.75"
    c.post(f"/pameran/{running.pk}/calon-pembeli", {**base, "name": "Ani", "province": "31", "regency": ""})
    assert running.leads.get(name="Ani").region_id == "31"  # the province is all they said
    r = c.post(f"/pameran/{running.pk}/calon-pembeli", {**base, "name": "Eko", "province": "31", "regency": "33.75"})
    assert r.status_code == 422 and "Pilih kabupaten/kota di provinsi yang dipilih." in r.content.decode()


def test_region_options_fragment_lists_the_provinces_kabupaten_kota(manager, regions) -> None:
    Region.objects.create(code="33.74", name="Kota Semarang", level=2, kind="kota", parent_id="33")
    r = login(manager).get("/pameran/wilayah", {"province": "33"}, **HX)
    html = r.content.decode()
    assert r.status_code == 200 and "<html" not in html and html.strip().startswith('<fieldset id="lead-region">')
    assert '<option value="33.75">Kota Pekalongan</option>' in html and "Kota Semarang" in html
    assert "Jakarta Pusat" not in html and '<option value="33" selected>' in html
    assert "– pilih provinsi dulu –" in login(manager).get("/pameran/wilayah").content.decode()


def test_lead_region_without_javascript_shows_the_kabupaten_kota_and_saves_nothing(running, manager) -> None:
    r = login(manager).post(f"/pameran/{running.pk}/calon-pembeli",
                            {"name": "Budi", "province": "31", "regency": "", "action": "wilayah"})  # fmt: skip
    html = r.content.decode()
    assert r.status_code == 200 and running.leads.count() == 1
    assert "<details open><summary>Catat calon pembeli" in html
    assert '<option value="31.71">Kota Administrasi Jakarta Pusat</option>' in html and 'value="Budi"' in html


def test_lead_edit_keeps_a_finer_region_while_its_kabupaten_kota_stays(running, manager) -> None:
    lead = running.leads.get()  # recorded with kecamatan 33.75.01
    c = login(manager)
    html = c.get(f"/pameran/{running.pk}/calon-pembeli/{lead.pk}/ubah").content.decode()
    assert '<option value="33.75" selected>' in html
    body = {"name": "Sutrisno", "phone": "0812-1111-2222", "province": "33", "regency": "33.75"}
    assert c.post(f"/pameran/{running.pk}/calon-pembeli/{lead.pk}/ubah", body).status_code == 302
    lead.refresh_from_db()
    assert lead.region_id == "33.75.01"
    c.post(f"/pameran/{running.pk}/calon-pembeli/{lead.pk}/ubah", {**body, "province": "31", "regency": "31.71"})
    lead.refresh_from_db()
    assert lead.region_id == "31.71"


def test_lead_problems_writes_nothing(running, manager) -> None:
    lead = running.leads.get()
    problems = services.lead_problems(actor=manager, exhibition=running, data={"phone": "123"}, lead=lead)
    assert list(problems) == ["phone"]
    lead.refresh_from_db()
    assert lead.phone == "6281211112222"
