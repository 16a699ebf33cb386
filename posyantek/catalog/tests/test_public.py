"""The public TTG catalogue: browse, search, filters, a record's page, QR, PDF sheet, photos, "Cari solusi"."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from html import unescape

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from posyantek.catalog import public_views
from posyantek.catalog import services as innovator_services
from posyantek.catalog import ttg_services as services
from posyantek.catalog.models import Innovator, Ttg
from posyantek.people.models import Person

HX = {"HTTP_HX_REQUEST": "true"}


def jpeg(name: str = "foto.jpg") -> SimpleUploadedFile:
    buf = io.BytesIO()
    Image.new("RGB", (160, 120), (200, 120, 40)).save(buf, "JPEG")
    return SimpleUploadedFile(name, buf.getvalue(), content_type="image/jpeg")


def make_ttg(manager, posts, *, publish: bool = True, **data) -> Ttg:
    base = {"post": posts["mitra"], "sector": "pertanian", "aspect": "pangan", "problem": "Masalah petani desa",
            "function": "Membantu pekerjaan petani", "how_it_works": "Digerakkan motor listrik"}  # fmt: skip
    ttg = services.ttg_create(actor=manager, data={**base, **data})
    services.ttg_photo_add(actor=manager, ttg=ttg, upload=jpeg(), caption="Tampak depan")
    if publish:
        ttg = services.ttg_publish(actor=manager, ttg=ttg)
    return ttg


@pytest.fixture
def slamet(manager, posts) -> Innovator:
    person = Person.objects.create(name="Slamet Riyadi", nik="3375030101800001", region_id="33.75.03.1004",
                                   post=posts["mitra"])  # fmt: skip
    return innovator_services.innovator_create(actor=manager, data={
        "kind": "perorangan", "person": person, "post": posts["mitra"], "sector": "perikanan",
        "skills": "las, pengering ikan", "works": "Oven ikan asap"})  # fmt: skip


@pytest.fixture
def dryer(manager, posts, slamet) -> Ttg:
    ttg = make_ttg(
        manager, posts, name="Alat pengering ikan tenaga surya", sector="perikanan", aspect="energi",
        problem="Ikan hasil tangkapan cepat busuk saat musim hujan karena susah dijemur di pantai",
        function="Mengeringkan ikan asin dengan panas matahari yang terkumpul di kolektor",
        how_it_works="Udara panas dari kolektor surya mengalir di atas rak ikan", readiness="diproduksi",
        price=3_500_000, production_cost=2_750_000, capacity=Decimal("25.00"), capacity_unit="kg/hari", power_watt=60,
        food_grade=True, ip_status="merek_terdaftar", ip_number="IDM000123456", payback_months=8,
        video_url="https://video.example.id/pengering", innovators=[slamet],
    )  # fmt: skip
    services.adoption_add(actor=manager, ttg=ttg, data={
        "region": "33.75.03.1004", "units": 3, "applied_on": dt.date(2024, 3, 1), "users": "KUB Mina Pantura",
        "result": "Ikan kering 2 hari"})  # fmt: skip
    services.adoption_add(actor=manager, ttg=ttg, data={"region": "31.71.01.1001", "applied_on": dt.date(2025, 1, 10)})
    return ttg


@pytest.fixture
def chopper(manager, posts) -> Ttg:
    return make_ttg(manager, posts, name="Pencacah sampah organik", sector="lingkungan", aspect="lingkungan",
                    region="33.75.03.1002", price=12_000_000, readiness="prototipe",
                    problem="Sampah dapur menumpuk di kelurahan")  # fmt: skip


@pytest.fixture
def draft(manager, posts) -> Ttg:
    return make_ttg(manager, posts, publish=False, name="Mesin perajang singkong rahasia", price=1_000_000)


@pytest.fixture
def catalog(dryer, chopper, draft) -> dict[str, Ttg]:
    return {"dryer": dryer, "chopper": chopper, "draft": draft}


def names(response) -> list[str]:
    return [t.name for t in response.context["page_obj"]]


def test_catalog_shows_published_records_to_anyone_not_drafts(catalog) -> None:
    r = Client().get("/katalog/")
    assert r.status_code == 200
    assert set(names(r)) == {"Alat pengering ikan tenaga surya", "Pencacah sampah organik"}
    body = r.content.decode()
    assert "perajang singkong" not in body
    assert "Rp 3.500.000" in body
    assert "dipakai di 2 desa/kelurahan" in body
    photo = catalog["dryer"].photos.get()
    assert f"/katalog/foto/{photo.pk}/kecil" in body
    assert 'href="/katalog/cari-solusi"' in body


def test_catalog_search_finds_by_stem_and_highlights(catalog) -> None:
    r = Client().get("/katalog/", {"q": "pengeringan ikan"})
    assert names(r) == ["Alat pengering ikan tenaga surya"]
    body = r.content.decode()
    assert "<mark>pengering</mark> <mark>ikan</mark>" in body  # the name
    assert "<mark>Ikan</mark> hasil tangkapan" in body  # the summary
    assert 'value="pengeringan ikan"' in body


def test_catalog_search_escapes_the_query_and_says_when_nothing_matches(catalog) -> None:
    r = Client().get("/katalog/", {"q": "<script>alert(1)</script>"})
    body = r.content.decode()
    assert "<script>alert" not in body
    assert "Belum ada TTG yang cocok dengan pencarian ini." in body
    assert "/katalog/cari-solusi?q=" in body


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"sector": "lingkungan"}, ["Pencacah sampah organik"]),
        ({"aspect": "energi"}, ["Alat pengering ikan tenaga surya"]),
        ({"region": "33.75.03.1002"}, ["Pencacah sampah organik"]),
        ({"region": "33"}, ["Pencacah sampah organik", "Alat pengering ikan tenaga surya"]),
        ({"region": "31"}, []),
        ({"readiness": "diproduksi"}, ["Alat pengering ikan tenaga surya"]),
        ({"ip": "merek_terdaftar"}, ["Alat pengering ikan tenaga surya"]),
        ({"price_max": "5.000.000"}, ["Alat pengering ikan tenaga surya"]),
        ({"price_min": "Rp 5.000.000"}, ["Pencacah sampah organik"]),
        ({"sort": "harga"}, ["Alat pengering ikan tenaga surya", "Pencacah sampah organik"]),
        ({"sort": "penerapan"}, ["Alat pengering ikan tenaga surya", "Pencacah sampah organik"]),
        ({"q": "sampah", "sector": "perikanan"}, []),
    ],
)  # fmt: skip
def test_catalog_filters_and_sorts(catalog, params, expected) -> None:
    assert names(Client().get("/katalog/", params)) == expected


def test_catalog_newest_first_by_default(catalog) -> None:
    assert names(Client().get("/katalog/"))[0] == "Pencacah sampah organik"


def test_catalog_region_filter_offers_places_with_records(catalog) -> None:
    body = Client().get("/katalog/").content.decode()
    assert '<option value="33">Jawa Tengah (2)</option>' in body
    assert 'value="33.75"' not in body  # a province is chosen first, then its regencies are offered
    assert 'value="31"' not in body  # no published record in DKI Jakarta
    body = Client().get("/katalog/", {"region": "33"}).content.decode()
    assert '<option value="33.75">— Kota Pekalongan (2)</option>' in body


@pytest.mark.parametrize("params", [{"price_min": "murah"}, {"price_max": "1,5 juta"}, {"sector": "sihir"},
                                    {"region": "99.99"}, {"page": "x"}, {"sort": "acak"},
                                    {"price_max": "9" * 30}])  # fmt: skip
def test_catalog_unreadable_input_is_skipped_with_a_note_not_a_500(catalog, params) -> None:
    r = Client().get("/katalog/", params)
    assert r.status_code == 200
    assert len(names(r)) == 2
    if "page" not in params:
        assert "tidak dipakai" in unescape(r.content.decode())


def test_catalog_price_note_is_in_indonesian(catalog) -> None:
    body = unescape(Client().get("/katalog/", {"price_min": "murah"}).content.decode())
    assert "Harga dari (Rp) tidak dipakai: Tulis angka rupiah tanpa koma" in body


def test_catalog_swaps_a_reversed_price_range(catalog) -> None:
    r = Client().get("/katalog/", {"price_min": "5000000", "price_max": "1000000"})
    assert names(r) == ["Alat pengering ikan tenaga surya"]
    assert "keduanya ditukar" in r.content.decode()


def test_catalog_htmx_answers_the_results_fragment(catalog) -> None:
    r = Client().get("/katalog/", {"q": "pencacah"}, **HX)
    body = r.content.decode()
    assert r.status_code == 200
    assert "<html" not in body and "<form" not in body
    assert "<mark>Pencacah</mark>" in body
    assert "HX-Request" in r["Vary"]


def test_catalog_query_budget(catalog, manager, posts, django_assert_max_num_queries) -> None:
    for i in range(5):
        make_ttg(manager, posts, name=f"Alat tanam jagung {i}")
    client = Client()
    with django_assert_max_num_queries(6):  # regions ×2, count, page, photos (+ data version)
        r = client.get("/katalog/")
    assert len(names(r)) == 7
    # + the words being typed, the term counts, the rows read, the rows checked, the re-sorted ids (never per record)
    with django_assert_max_num_queries(9):
        r = client.get("/katalog/", {"q": "alat", "sort": "harga"})
    assert len(names(r)) == 6


def test_catalog_pages_search_results(catalog, manager, posts, monkeypatch) -> None:
    monkeypatch.setattr(public_views, "PAGE_SIZE", 2)
    for i in range(3):
        make_ttg(manager, posts, name=f"Alat tanam jagung {i}")
    r1 = Client().get("/katalog/", {"q": "jagung"})
    r2 = Client().get("/katalog/", {"q": "jagung", "page": "2"})
    assert len(names(r1)) == 2 and len(names(r2)) == 1
    assert set(names(r1)).isdisjoint(names(r2))
    assert "?q=jagung&amp;page=2" in r1.content.decode()


def test_detail_shows_specs_adoption_makers_and_sharing(dryer, slamet) -> None:
    r = Client().get(dryer.get_public_url())
    assert r.status_code == 200
    body = unescape(r.content.decode())
    specs = dict(r.context["specs"])
    assert specs["Kapasitas"] == "25 kg/hari"
    assert specs["Daya listrik"] == "60 watt"
    assert specs["Harga"] == "Rp 3.500.000"
    assert specs["Biaya pembuatan"] == "Rp 2.750.000"
    assert specs["Food grade"] == "ya"
    assert specs["Status HKI"] == "Merek terdaftar (IDM000123456)"
    assert specs["Balik modal"] == "8 bulan"
    assert "Nomor HKI" not in specs and "Produsen" not in specs  # only filled fields
    assert "Dipakai di 2 desa/kelurahan di 2 provinsi" in body
    assert "Kelurahan Panjang Wetan, Kecamatan Pekalongan Utara, Kota Pekalongan, Jawa Tengah" in body
    assert "1 Maret 2024" in body and "KUB Mina Pantura" in body
    assert "Slamet Riyadi" in body and "3375030101800001" not in body
    assert 'href="/pos/profil/mitra-pantura/"' in body
    assert "https://wa.me/?text=Alat%20pengering%20ikan%20tenaga%20surya%20http%3A%2F%2Ftestserver%2Fkatalog%2F" in body
    assert f'src="/katalog/{dryer.slug}/qr.svg"' in body
    assert f'href="/katalog/{dryer.slug}/lembar.pdf"' in body
    assert "https://video.example.id/pengering" in body
    assert 'alt="Tampak depan"' in body


@pytest.mark.parametrize("suffix", ["", "qr.svg", "lembar.pdf"])
def test_detail_qr_and_sheet_are_404_for_drafts_and_unknown_slugs(draft, suffix) -> None:
    assert Client().get(f"/katalog/{draft.slug}/{suffix}").status_code == 404
    assert Client().get(f"/katalog/tidak-ada/{suffix}").status_code == 404


def test_withdrawn_record_disappears_even_from_the_page_cache(
    dryer, manager, settings, django_capture_on_commit_callbacks
) -> None:
    cache.clear()
    settings.PAGE_CACHE_ENABLED = True
    client = Client()
    assert dryer.get_public_url() in client.get("/katalog/").content.decode()
    assert client.get(dryer.get_public_url()).status_code == 200
    assert client.get(dryer.get_public_url())["X-Page-Cache"] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        services.ttg_publish(actor=manager, ttg=dryer, publish=False)
    assert client.get(dryer.get_public_url()).status_code == 404
    assert dryer.get_public_url() not in client.get("/katalog/").content.decode()
    cache.clear()


def test_qr_is_a_plain_svg_of_the_page_url(dryer) -> None:
    r = Client().get(f"/katalog/{dryer.slug}/qr.svg")
    assert r.status_code == 200
    assert r["Content-Type"] == "image/svg+xml"
    svg = r.content.decode()
    assert svg.startswith("<svg") and "<path" in svg
    assert "<style" not in svg and "<script" not in svg and "class=" not in svg


def test_sheet_is_a_pdf(dryer) -> None:
    r = Client().get(f"/katalog/{dryer.slug}/lembar.pdf")
    assert r.status_code == 200
    assert r["Content-Type"] == "application/pdf"
    assert r.content.startswith(b"%PDF")
    assert f'filename="{dryer.slug}.pdf"' in r["Content-Disposition"]


def test_sheet_is_kept_with_its_file_name_and_makers_are_rate_limited(dryer, monkeypatch, settings) -> None:
    from posyantek.core.models import RateBucket

    cache.clear()
    settings.PAGE_CACHE_ENABLED = True
    monkeypatch.setattr(public_views, "SHEETS_PER_MINUTE", 1)
    url = f"/katalog/{dryer.slug}/lembar.pdf"
    first, again = Client().get(url), Client().get(url)
    assert again["X-Page-Cache"] == "hit" and again.content == first.content
    assert f'filename="{dryer.slug}.pdf"' in again["Content-Disposition"]
    settings.PAGE_CACHE_ENABLED = False  # every request makes a sheet: the second from one address is refused
    assert Client().get(url).status_code == 429
    r = Client(REMOTE_ADDR="10.0.0.9").get(url)
    assert r.status_code == 200
    assert Client().get(url)["Retry-After"] == "60"
    assert RateBucket.objects.count() == 2
    cache.clear()


def test_sheet_fits_one_page_even_when_every_field_is_long(dryer, manager, monkeypatch) -> None:
    from weasyprint import HTML

    fields = ("name", "other_names", "commodities", "materials", "power_source", "producer", "producer_contact")
    long = {f: ("Kata panjang " * 30)[: Ttg._meta.get_field(f).max_length].strip() for f in fields}
    services.ttg_update(actor=manager, ttg=dryer, data={**long, "lead_time_days": 30, "dimensions": "x" * 120,
                                                        "function": "Fungsi yang panjang sekali " * 80})  # fmt: skip
    seen: list[str] = []
    real = public_views._pdf
    monkeypatch.setattr(public_views, "_pdf", lambda html: seen.append(html) or real(html))
    assert Client().get(f"/katalog/{dryer.slug}/lembar.pdf").status_code == 200
    html = seen[0]
    assert "file://" in html and "data:image/svg+xml;base64," in html  # the photo and the QR code
    assert "Posyantek Mitra Pantura" in html and "0285-421234" in html
    assert len(HTML(string=html).render().pages) == 1


def test_sheet_without_pango_is_a_clear_503(dryer, monkeypatch) -> None:
    def broken(html: str) -> bytes:
        raise OSError("cannot load library 'libpango-1.0-0'")

    monkeypatch.setattr(public_views, "_pdf", broken)
    r = Client().get(f"/katalog/{dryer.slug}/lembar.pdf")
    assert r.status_code == 503
    assert "Lembar spesifikasi PDF belum dapat dibuat" in r.content.decode()


@pytest.mark.parametrize("size", ["besar", "kecil"])
def test_photo_of_a_published_record_is_served(dryer, size) -> None:
    photo = dryer.photos.get()
    r = Client().get(f"/katalog/foto/{photo.pk}/{size}")
    assert r.status_code == 200
    data = b"".join(r.streaming_content)
    assert Image.open(io.BytesIO(data)).size[0] > 0
    assert r["Content-Type"].startswith("image/")


def test_photo_of_a_draft_or_a_bad_size_is_404(dryer, draft) -> None:
    assert Client().get(f"/katalog/foto/{draft.photos.get().pk}/besar").status_code == 404
    assert Client().get(f"/katalog/foto/{dryer.photos.get().pk}/sedang").status_code == 404
    assert Client().get("/katalog/foto/999999/kecil").status_code == 404


def test_solve_finds_technologies_and_credited_innovators(catalog, slamet, manager, posts) -> None:
    other = Person.objects.create(name="Budi Santoso", region_id="33.75.03.1002", post=posts["mitra"])
    innovator_services.innovator_create(actor=manager, data={
        "kind": "perorangan", "person": other, "post": posts["mitra"], "sector": "perikanan",
        "skills": "pengering ikan"})  # fmt: skip
    r = Client().get("/katalog/cari-solusi", {"q": "Ikan kami cepat busuk, butuh alat pengeringan yang murah"})
    assert r.status_code == 200
    assert [t.name for t in r.context["ttgs"]][0] == "Alat pengering ikan tenaga surya"
    assert "perajang singkong" not in r.content.decode()
    assert [str(i) for i in r.context["innovators"]] == ["Slamet Riyadi"]  # Budi is on no published record
    body = r.content.decode()
    assert "/pos/" in body and "3375030101800001" not in body and "Oven" not in body


def test_solve_empty_input_is_a_field_error(catalog) -> None:
    r = Client().get("/katalog/cari-solusi", {"q": "  "})
    assert r.status_code == 200
    assert "Tuliskan dulu masalahnya" in r.content.decode()
    assert "yang di dan" not in r.content.decode()
    r = Client().get("/katalog/cari-solusi", {"q": "yang di dan"})
    assert "beberapa kata yang jelas" in r.content.decode()
    first = Client().get("/katalog/cari-solusi")
    assert first.status_code == 200 and "field-error" not in first.content.decode()
