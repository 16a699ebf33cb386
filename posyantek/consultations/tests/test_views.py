"""Pages: the public form, tracking and rating; the staff list, intake, request page and steps; access rules."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from conftest import login
from posyantek.consultations import services
from posyantek.consultations.models import ServiceRequest

from .conftest import PUBLIC, jpeg


def form_data(**extra) -> dict:
    data = {k: v for k, v in PUBLIC.items() if k != "region"}
    return {**data, "region_q": "Panjang Wetan", "website": "", **extra}


@pytest.fixture
def req(posts) -> ServiceRequest:
    return services.request_submit(data=dict(PUBLIC), ip="10.0.0.1")


def triaged(req: ServiceRequest, actor) -> ServiceRequest:
    return services.request_transition(actor=actor, request=req, to_state="ditelaah", service_type="teknis",
                                       section="seksi_pelayanan", handler=actor)  # fmt: skip


# --- public ----------------------------------------------------------------------------------------------------


def test_public_form_opens_without_login_on_a_phone(regions) -> None:
    html = Client().get("/permohonan/").content.decode()
    assert 'name="requester_name"' in html and 'inputmode="tel"' in html and 'enctype="multipart/form-data"' in html
    assert 'name="website"' in html and "sr-only" in html  # the honeypot, hidden from people
    assert '<label for="id_phone">' in html


def test_public_submit_finds_the_village_by_name_and_shows_the_code(regions, posts) -> None:
    r = Client().post("/permohonan/", form_data(photos=[jpeg()]))
    req = ServiceRequest.objects.get()
    assert r.status_code == 302 and r["Location"] == f"/permohonan/lacak/{req.code}/?baru=1"
    assert (req.region_id, req.post, req.photos.count()) == ("33.75.03.1004", posts["wartek"], 1)
    html = Client().get(r["Location"]).content.decode()
    assert req.display_code in html and "Diterima" in html and f"/permohonan/lacak/{req.code}/" in html


def test_public_region_by_name_ambiguous_or_unknown(regions) -> None:
    html = Client().post("/permohonan/", form_data(region_q="Pekalongan")).content.decode()
    assert "pilih salah satu" in html and 'value="33.75.03"' in html and 'value="33.75.01"' in html
    html = Client().post("/permohonan/", form_data(region_q="Atlantis")).content.decode()
    assert "Wilayah tidak ditemukan" in html
    r = Client().post("/permohonan/", form_data(region_q="Pekalongan", region="33.75.01.1001"))
    assert r.status_code == 302
    assert ServiceRequest.objects.get().region_id == "33.75.01.1001"


def test_region_suggestions_fragment(regions) -> None:
    html = Client().get("/permohonan/wilayah?region_q=panjang", HTTP_HX_REQUEST="true").content.decode()
    assert 'type="radio" name="region" value="33.75.03.1004"' in html and "Pekalongan Utara" in html
    assert "<html" not in html


@pytest.mark.parametrize(("extra", "message"), [
    ({"phone": "", "email": ""}, "agar kami dapat menghubungi Anda"),
    ({"phone": "+1 202 555 0100"}, "bukan nomor HP Indonesia"),
    ({"description": ""}, "Bidang ini tidak boleh kosong"),
])  # fmt: skip
def test_public_submit_bad_input_is_refused_with_a_message(regions, extra, message) -> None:
    r = Client().post("/permohonan/", form_data(**extra))
    assert r.status_code == 200 and message in r.content.decode()
    assert not ServiceRequest.objects.exists()


def test_public_submit_refuses_non_images_and_svg(regions) -> None:
    svg = SimpleUploadedFile("x.svg", b'<svg xmlns="http://www.w3.org/2000/svg"/>', content_type="image/svg+xml")
    r = Client().post("/permohonan/", form_data(photos=[svg]))
    assert r.status_code == 200 and "x.svg" in r.content.decode()
    assert not ServiceRequest.objects.exists()


def test_honeypot_and_flood_are_refused(regions, settings) -> None:
    r = Client().post("/permohonan/", form_data(website="http://spam.example"))
    assert r.status_code == 400 and "Jangan diisi" in r.content.decode()
    assert not ServiceRequest.objects.exists()
    settings.CONSULTATION_RATE_LIMITS = {"ip": (2, 3600)}
    c = Client(REMOTE_ADDR="10.7.7.7")
    for n in range(2):
        assert c.post("/permohonan/", form_data(phone=f"0812-0000-000{n}")).status_code == 302
    r = c.post("/permohonan/", form_data(phone="0812-0000-0009"))
    assert r.status_code == 429 and "Terlalu banyak permohonan dari alamat Anda" in r.content.decode()
    assert ServiceRequest.objects.count() == 2


def test_tracking_shows_only_public_notes_and_a_wrong_code_is_404(req, staff) -> None:
    services.request_transition(actor=staff, request=req, to_state="ditelaah", service_type="teknis",
                                section="seksi_pelayanan", handler=staff, note="CATATAN INTERNAL")  # fmt: skip
    req.refresh_from_db()
    services.request_transition(actor=staff, request=req, to_state="dibatalkan", note="Pemohon membatalkan",
                                is_public=True)  # fmt: skip
    html = Client().get(f"/permohonan/lacak/{req.code}/").content.decode()
    assert "Dibatalkan" in html and "Pemohon membatalkan" in html
    assert "CATATAN INTERNAL" not in html and "Staff" not in html and req.phone not in html
    assert Client().get("/permohonan/lacak/ABCDEFGHJK/").status_code == 404
    assert Client().get(f"/permohonan/lacak/{req.code.lower()}/").status_code == 200  # typed in lower case
    r = Client().get("/permohonan/lacak", {"code": req.display_code})
    assert r.status_code == 302 and r["Location"] == req.get_tracking_url()
    r = Client().get("/permohonan/lacak", {"code": "ZZZZZ-ZZZZZ"})
    assert r.status_code == 404 and "Kode lacak tidak ditemukan" in r.content.decode()


def test_rating_through_the_tracking_link_once(req, staff) -> None:
    url = f"/permohonan/lacak/{req.code}/nilai"
    assert Client().post(url, {"rating": 5}).status_code == 400  # not finished yet
    req = triaged(req, staff)
    services.request_transition(actor=staff, request=req, to_state="ditutup_tanpa_solusi", result="Belum ada TTG")
    assert 'name="rating"' in Client().get(req.get_tracking_url()).content.decode()
    assert Client().get(url).status_code == 405
    assert Client().post(url, {"rating": 9}).status_code == 400
    r = Client().post(url, {"rating": 4, "comment": "Ramah"})
    assert r.status_code == 302
    r = Client().post(url, {"rating": 1})
    assert r.status_code == 400 and "sudah dinilai" in r.content.decode()
    req.refresh_from_db()
    assert (req.rating, req.rating_comment) == (4, "Ramah")
    assert Client().post("/permohonan/lacak/ABCDEFGHJK/nilai", {"rating": 5}).status_code == 404


# --- staff -----------------------------------------------------------------------------------------------------


def test_staff_pages_need_login(req) -> None:
    for url in ("/layanan/", f"/layanan/{req.pk}/", "/layanan/peta", "/layanan/kinerja", "/layanan/baru"):
        r = Client().get(url)
        assert r.status_code == 302 and "/akun/masuk" in r["Location"]


def test_request_page_access(req, staff, manager, viewer, outsider, officer) -> None:
    url = f"/layanan/{req.pk}/"
    html = login(staff).get(url).content.decode()
    assert req.display_code in html and "Langkah berikutnya" in html and "https://wa.me/6281234567890" in html
    assert "Riwayat" in html
    html = login(viewer).get(url).content.decode()
    assert req.display_code in html and "Langkah berikutnya" not in html and "wa.me" not in html
    assert login(manager).get(url).status_code == 200  # Mitra looks at its Wartek's requests
    assert login(outsider).get(url).status_code == 404
    assert login(outsider).get(f"/layanan/{req.pk}/ubah").status_code == 404
    assert login(viewer).get(f"/layanan/{req.pk}/ubah").status_code == 403
    assert login(manager).get(f"/layanan/{req.pk}/ubah").status_code == 403
    assert login(viewer).get("/layanan/baru").status_code == 403


def test_transition_page_flow_and_refusals(req, staff, viewer, outsider) -> None:
    url = f"/layanan/{req.pk}/status"
    c = login(staff)
    assert c.get(url).status_code == 405
    data = {"state": "ditelaah", "ditelaah-to_state": "ditelaah", "ditelaah-version": 1,
            "ditelaah-service_type": "teknis", "ditelaah-section": "seksi_pelayanan", "ditelaah-handler": staff.pk,
            "ditelaah-note": "Ditelaah"}  # fmt: skip
    assert login(viewer).post(url, data).status_code == 403
    assert login(outsider).post(url, data).status_code == 404
    r = c.post(url, data, follow=True)
    assert "Status diubah ke Ditelaah" in r.content.decode()
    r = c.post(url, data, follow=True)  # the same form again: an old version
    assert "sudah diubah orang lain" in r.content.decode()
    skip = {"state": "selesai", "selesai-to_state": "selesai", "selesai-version": 2, "selesai-result": "x"}
    r = c.post(url, skip, follow=True)
    assert "ada langkah yang terlewati" in r.content.decode()
    req.refresh_from_db()
    assert (req.state, req.version) == ("ditelaah", 2)
    html = c.get(f"/layanan/{req.pk}/").content.decode()
    assert "Diterima → Ditelaah" in html and "status diubah" in html  # the step and the audit history


def test_recommendation_through_the_page_uses_catalogue_suggestions(req, staff, fish_dryer) -> None:
    req = triaged(req, staff)
    c = login(staff)
    html = c.get(f"/layanan/{req.pk}/").content.decode()
    assert "Saran dari katalog TTG" in html and "Alat Pengering Ikan Tenaga Surya" in html
    data = {
        "state": "rekomendasi",
        "rekomendasi-to_state": "rekomendasi",
        "rekomendasi-version": req.version,
        "rekomendasi-ttgs": [fish_dryer.pk],
        "rekomendasi-note": "Coba alat ini",
        "rekomendasi-is_public": "on",
    }
    c.post(f"/layanan/{req.pk}/status", data)
    req.refresh_from_db()
    assert req.state == "rekomendasi" and list(req.recommended.all()) == [fish_dryer]
    html = Client().get(req.get_tracking_url()).content.decode()
    assert fish_dryer.get_public_url() in html and "Coba alat ini" in html
    # The Wartek's staff cannot open Mitra Pantura's staff record of the TTG: the page links the catalogue page.
    assert c.get(fish_dryer.get_absolute_url()).status_code == 404
    html = c.get(f"/layanan/{req.pk}/").content.decode()
    assert f'href="{fish_dryer.get_public_url()}">Alat Pengering' in html
    assert f'href="{fish_dryer.get_absolute_url()}"' not in html


def test_staff_intake_form(regions, manager, posts) -> None:
    c = login(manager)
    html = c.get("/layanan/baru").content.decode()
    assert "Posyantek Gambir" not in html and "Posyantek Mitra Pantura" in html  # only posts they work for
    data = {"post": posts["mitra"].pk, "channel": "whatsapp", "requester_name": "Pak Darsono", "requester_kind":
            "perorangan", "phone": "0857 1234 5678", "region_q": "Krapyak", "description": "Butuh mesin pengasapan",
            "sector": "perikanan", "commodity": "ikan asap"}  # fmt: skip
    r = c.post("/layanan/baru", data)
    req = ServiceRequest.objects.get()
    assert r.status_code == 302 and (req.channel, req.post, req.phone) == ("whatsapp", posts["mitra"], "6285712345678")
    r = c.post("/layanan/baru", {**data, "post": posts["dki"].pk})
    assert r.status_code == 200 and ServiceRequest.objects.count() == 1


def test_edit_refuses_stale_version(req, staff) -> None:
    c = login(staff)
    data = {**{k: PUBLIC[k] for k in ("requester_name", "phone", "description", "sector", "commodity")},
            "requester_kind": "perorangan", "version": 1}  # fmt: skip
    assert c.post(f"/layanan/{req.pk}/ubah", {**data, "commodity": "teri"}).status_code == 302
    r = c.post(f"/layanan/{req.pk}/ubah", {**data, "commodity": "tongkol"})
    assert r.status_code == 200 and "sudah diubah orang lain" in r.content.decode()
    req.refresh_from_db()
    assert req.commodity == "teri"


def test_assign_an_unrouted_request(regions, posts, officer, manager, viewer) -> None:
    req = services.request_submit(data={**PUBLIC, "region": "33.75.01.1001"}, ip="10.0.0.5")
    url = f"/layanan/{req.pk}/pos"
    assert login(manager).post(url, {"post": posts["mitra"].pk, "version": 1}).status_code == 404
    assert login(viewer).post(url, {"post": posts["mitra"].pk, "version": 1}).status_code == 403
    assert login(officer).post(url, {"post": posts["dki"].pk, "version": 1}, follow=True).status_code == 200
    req.refresh_from_db()
    assert req.post is None  # the DKI post is not one the officer may choose
    login(officer).post(url, {"post": posts["mitra"].pk, "version": 1})
    req.refresh_from_db()
    assert req.post == posts["mitra"]


def test_monitoring_checkin_page(req, staff, viewer, outsider) -> None:
    req = triaged(req, staff)
    for state, extra in (("dirujuk", {"referral_kind": "bumdes", "referral_to": "BUMDes"}), ("penerapan", {}),
                         ("pemantauan", {})):  # fmt: skip
        req = services.request_transition(actor=staff, request=req, to_state=state, **extra)
    check = req.checks.order_by("months").first()
    url = f"/layanan/{req.pk}/pemantauan/{check.pk}"
    assert login(viewer).post(url, {"note": "ok"}).status_code == 403
    assert login(outsider).post(url, {"note": "ok"}).status_code == 404
    login(staff).post(url, {"note": "Alat dipakai"})
    check.refresh_from_db()
    assert check.done_on is not None and check.note == "Alat dipakai"


def test_list_filters_export_and_query_budget(req, staff, officer, outsider, django_assert_max_num_queries) -> None:
    for n in range(5):
        services.request_submit(data={**PUBLIC, "phone": f"0812-0000-000{n}", "region": "33.75.03.1002",
                                      "sector": "pangan"}, ip=f"10.0.1.{n}")  # fmt: skip
    triaged(req, staff)
    c = login(officer)
    with django_assert_max_num_queries(7):
        html = c.get("/layanan/").content.decode()
    assert "6 permohonan" in html
    with django_assert_max_num_queries(7):
        c.get("/layanan/?state=ditelaah&sector=perikanan&channel=online&overdue=false&q=ikan")
    html = c.get("/layanan/?state=ditelaah").content.decode()
    assert "1 permohonan" in html and req.display_code in html
    assert "1 permohonan" in c.get(f"/layanan/?handler={staff.pk}").content.decode()
    assert "1 permohonan" in c.get(f"/layanan/?q={req.code}").content.decode()
    assert "0 permohonan" in c.get("/layanan/?overdue=true").content.decode()
    assert "<html" not in c.get("/layanan/?state=ditelaah", HTTP_HX_REQUEST="true").content.decode()
    text = c.get("/layanan/?format=csv&sector=perikanan").content.decode("utf-8-sig")
    assert req.display_code in text and text.count("\n") == 2
    book = openpyxl.load_workbook(io.BytesIO(c.get("/layanan/?format=xlsx").content))
    assert book.active.max_row == 7 and book.active["A1"].value == "Kode"
    assert "0 permohonan" in login(outsider).get("/layanan/").content.decode()
    assert login(outsider).get("/layanan/?format=csv").content.decode("utf-8-sig").count("\n") == 1


def test_needs_map_and_service_stats_pages(req, officer, outsider, viewer) -> None:
    html = login(officer).get("/layanan/peta?wilayah=33.75.03").content.decode()
    assert "Panjang Wetan" in html and "ikan asin" in html
    assert "Panjang Wetan" not in login(outsider).get("/layanan/peta?wilayah=33.75.03").content.decode()
    html = login(viewer).get("/layanan/kinerja").content.decode()
    assert "Waktu layanan" in html and 'id="overdue-count">0<' in html
    assert 'id="overdue-count">0<' in login(outsider).get("/layanan/kinerja").content.decode()
    assert login(viewer).get(f"/layanan/kinerja?pos={req.post_id}").status_code == 200
    for url in (f"/layanan/kinerja?pos={req.post_id}", f"/layanan/peta?pos={req.post_id}", "/layanan/peta?pos=x"):
        assert login(outsider).get(url).status_code == 404  # a Pekalongan post is out of a DKI officer's scope
    assert login(officer).get("/layanan/peta?wilayah=99").status_code == 404
    html = login(officer).get("/layanan/?state=tidak_ada").content.decode()
    assert 'class="field-error"' in html  # an unknown filter value is said, not silently dropped


def test_photo_files_are_scoped(regions, staff, outsider) -> None:
    req = services.request_submit(data=dict(PUBLIC), ip="10.0.0.1", photos=[jpeg()])
    photo = req.photos.get()
    url = f"/layanan/{req.pk}/foto/{photo.pk}/kecil"
    assert login(staff).get(url).status_code == 200
    assert login(outsider).get(url).status_code == 404
    assert Client().get(url).status_code == 302


def test_staff_form_says_when_the_village_is_outside_the_post(posts, manager) -> None:
    data = {"post": posts["mitra"].pk, "channel": "telepon", "requester_name": "Pak Darsono",
            "requester_kind": "perorangan", "phone": "0812-3456-7890", "region": "31.71.01.1001",
            "description": "Butuh alat pengasapan ikan yang hemat"}  # fmt: skip
    r = login(manager).post("/layanan/baru", data)
    html = r.content.decode()
    assert r.status_code == 200 and "di luar wilayah layanan Posyantek Mitra Pantura" in html
    assert 'id="id_region_q_error"' in html and not ServiceRequest.objects.exists()


def test_the_chosen_village_stays_chosen_when_the_form_comes_back(posts) -> None:
    r = Client(REMOTE_ADDR="10.8.8.8").post(
        "/permohonan/", form_data(phone="+1 415 555 1234", region_q="Pan", region="33.75.03.1004")
    )
    html = r.content.decode()
    assert r.status_code == 200 and "bukan nomor HP Indonesia" in html
    assert 'name="region" value="33.75.03.1004" checked' in html and not ServiceRequest.objects.exists()


@pytest.mark.django_db
def test_word_search_has_trigram_indexes_on_postgresql() -> None:
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("SQLite has no trigram index (and needs none)")
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE indexname LIKE 'consult_req_trgm_%%'")
        names = {row[0] for row in cursor.fetchall()}
    assert names == {f"consult_req_trgm_{c}" for c in ("requester_name", "description", "commodity")}
