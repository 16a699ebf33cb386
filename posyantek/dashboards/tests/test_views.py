"""Dashboard pages: who sees which, the year selector, sorting, exports, the page cache and the query budget."""

from __future__ import annotations

import csv
import io
import re

import pytest
from django.core.cache import cache
from django.test import override_settings
from openpyxl import load_workbook

from conftest import login, make_user
from posyantek.dashboards.models import DirtyPost, PostFigures
from posyantek.dashboards.refresh import refresh_posts
from posyantek.dashboards.selectors import current_year
from posyantek.posts.models import Post

from .fixtures import REQUESTS, add_requests
from .pagedata import page_cells

PEKALONGAN = ["/dasbor/wilayah/33/", "/dasbor/wilayah/33.75/", "/dasbor/wilayah/33.75.03/",
              "/dasbor/pos/mitra-pantura/"]  # fmt: skip


def cells_of(html: str, of: str = "self") -> dict[str, str]:
    return {c.key: c.raw for c in page_cells(html)[0] if c.of == of}


# --- where /dasbor/ leads ------------------------------------------------------------------------------------------


def test_dashboard_home_leads_to_the_top_of_the_users_grants(dash, admin, officer, manager, viewer, outsider) -> None:
    assert login(admin).get("/dasbor/")["Location"] == "/dasbor/nasional/"
    assert login(officer).get("/dasbor/")["Location"] == "/dasbor/wilayah/33.75/"
    assert login(viewer).get("/dasbor/")["Location"] == "/dasbor/wilayah/33.75/"
    assert login(outsider).get("/dasbor/")["Location"] == "/dasbor/wilayah/31/"
    # The manager of Mitra Pantura also views its Wartek (a kecamatan post's village post): still one dashboard.
    assert login(manager).get("/dasbor/")["Location"] == "/dasbor/pos/mitra-pantura/"


def test_dashboard_home_lists_several_grants(dash) -> None:
    user = make_user("dua@example.id", ("city_officer", "33.75"), ("viewer", "32"), ("post_staff", dash["gambir"]))
    html = login(user).get("/dasbor/").content.decode()
    assert 'href="/dasbor/wilayah/32/"' in html and 'href="/dasbor/wilayah/33.75/"' in html
    assert 'href="/dasbor/pos/gambir/"' in html


def test_a_user_without_grants_gets_403_and_no_menu_link(dash, judge, client) -> None:
    c = login(judge)
    for url in ["/dasbor/", "/dasbor/nasional/", *PEKALONGAN]:
        assert c.get(url).status_code == 403, url
    assert 'href="/dasbor/"' not in c.get("/").content.decode()
    assert client.get("/dasbor/nasional/").status_code == 302  # anonymous: to the login page


# --- scope ---------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["admin", "officer", "viewer"])
def test_region_pages_open_for_grants_covering_them(dash, persona, request) -> None:
    c = login(request.getfixturevalue(persona))
    urls = PEKALONGAN[1:] if persona != "admin" else ["/dasbor/nasional/", *PEKALONGAN]
    for url in urls:
        response = c.get(url)
        assert response.status_code == 200, url
        assert 'class="chart"' in response.content.decode()
    assert 'href="/dasbor/"' in c.get("/").content.decode()


def test_officer_and_viewer_do_not_see_the_province_or_the_nation(dash, officer, viewer) -> None:
    for user in (officer, viewer):
        c = login(user)
        assert c.get("/dasbor/nasional/").status_code == 404
        assert c.get("/dasbor/wilayah/33/").status_code == 404
        assert c.get("/dasbor/wilayah/31/").status_code == 404
        assert c.get("/dasbor/pos/gambir/").status_code == 404
        html = c.get("/dasbor/wilayah/33.75/").content.decode()
        # The breadcrumb names the province and the nation, but does not link what the user may not open.
        assert "Jawa Tengah" in html and 'href="/dasbor/wilayah/33/"' not in html
        assert 'href="/dasbor/nasional/"' not in html


def test_manager_sees_only_the_post(dash, manager) -> None:
    c = login(manager)
    assert c.get("/dasbor/pos/mitra-pantura/").status_code == 200
    assert c.get("/dasbor/pos/wartek-panjang-wetan/").status_code == 200  # its village post, read only
    for url in ["/dasbor/nasional/", "/dasbor/wilayah/33.75/", "/dasbor/wilayah/33.75.03/", "/dasbor/pos/gambir/",
                "/dasbor/pos/pekalongan-barat/"]:  # fmt: skip
        assert c.get(url).status_code == 404, url


def test_outsider_gets_404_on_pekalongan_and_the_nation(dash, outsider) -> None:
    c = login(outsider)
    for url in ["/dasbor/nasional/", *PEKALONGAN, "/dasbor/nasional/?format=csv", "/dasbor/wilayah/33.75/?format=xlsx"]:
        assert c.get(url).status_code == 404, url
    assert c.get("/dasbor/wilayah/31/").status_code == 200
    assert c.get("/dasbor/pos/gambir/").status_code == 200


def test_unknown_or_village_codes_are_404(dash, admin) -> None:
    c = login(admin)
    for url in ["/dasbor/wilayah/99/", "/dasbor/wilayah/33.75.03.1004/", "/dasbor/wilayah/x/", "/dasbor/pos/nope/"]:
        assert c.get(url).status_code == 404, url


# --- what a page shows ---------------------------------------------------------------------------------------------


def test_region_page_shows_figures_children_posts_and_freshness(dash, officer) -> None:
    html = login(officer).get("/dasbor/wilayah/33.75/").content.decode()
    own = cells_of(html)
    pekalongan = [s for s in REQUESTS if s not in ("gambir", "sukasari")]
    assert own["requests_received"] == str(sum(REQUESTS[s] for s in pekalongan))
    assert own["posts_total"] == "5"
    # Children: the two kecamatan with posts, each linked; the post at the kota itself is listed apart.
    assert 'href="/dasbor/wilayah/33.75.01/"' in html and 'href="/dasbor/wilayah/33.75.03/"' in html
    assert cells_of(html, "r:33.75.03")["requests_received"] == "7"
    assert "Posyantek Kota Pekalongan" in html.split('id="pos-di-sini"')[1].split("</section>")[0]
    assert re.search(r"Angka per \d+ \w+ \d{4} \d\d\.\d\d WIB", html)
    assert "menunggu pembaruan" not in html
    # Every indicator group has its card.
    for group in ["Pos", "Layanan", "Bintek", "TTG", "Inovator", "Pemasaran", "Keuangan", "Kemitraan", "Kunjungan",
                  "Lomba"]:  # fmt: skip
        assert f'<section class="card dash-card" aria-label="{group}">' in html
    assert "Penyerapan anggaran" in html and "Pemasukan per sumber dana" in html


def test_dirty_posts_are_counted_on_the_freshness_line(dash, officer) -> None:
    from django.utils import timezone

    DirtyPost.objects.create(post=dash["mitra-pantura"], since=timezone.now())
    DirtyPost.objects.create(post=dash["gambir"], since=timezone.now())
    html = login(officer).get("/dasbor/wilayah/33.75/").content.decode()
    assert "1 pos menunggu pembaruan" in html


def test_chart_is_csp_clean_with_a_table_beside(dash, officer) -> None:
    html = login(officer).get("/dasbor/wilayah/33.75/?angka=requests_received").content.decode()
    svg = html.split('<svg class="chart"')[1].split("</svg>")[0]
    assert 'role="img"' in svg and "aria-label=" in svg
    assert "style" not in svg and "<script" not in svg
    assert svg.count("<title>") == 1 + 2  # the chart's and one per kecamatan
    assert "Kecamatan Pekalongan Utara: 7" in svg
    assert 'style="' not in html
    table = html.split('id="tabel-grafik"')[1].split("</table>")[0]
    assert 'data-of="r:33.75.03" data-key="requests_received" data-value="7"' in table


def test_post_page_shows_standing_and_years(dash, manager) -> None:
    mitra = dash["mitra-pantura"]
    last = current_year() - 1
    from django.utils import timezone

    add_requests(mitra, 3, when=timezone.now().replace(year=last, month=6, day=1))
    refresh_posts([mitra.pk])
    c = login(manager)
    html = c.get("/dasbor/pos/mitra-pantura/?angka=requests_received").content.decode()
    assert cells_of(html)["requests_received"] == "5"
    assert cells_of(html)["posts_active"] in ("0", "1")  # shown as Ya/Tidak
    assert cells_of(html, f"y:{last}")["requests_received"] == "3"
    assert f'<option value="{last}">{last}</option>' in html
    html = c.get(f"/dasbor/pos/mitra-pantura/?tahun={last}").content.decode()
    assert cells_of(html)["requests_received"] == "3"
    html = c.get("/dasbor/pos/mitra-pantura/?tahun=0").content.decode()
    assert cells_of(html)["requests_received"] == "8"
    assert "Semua tahun" in html


def test_year_selector_defaults_to_this_year_and_keeps_the_choice(dash, officer) -> None:
    c = login(officer)
    html = c.get("/dasbor/wilayah/33.75/").content.decode()
    year = current_year()
    assert f'<option value="{year}" selected>' in html
    html = c.get(f"/dasbor/wilayah/33.75/?tahun={year - 1}").content.decode()
    assert cells_of(html)["requests_received"] == "0"
    # Nothing happened that year, so the summary tables hold no row of it: the posts and their standing still show.
    assert cells_of(html)["posts_total"] == "5"
    assert len(compare_order(html)) == 5
    assert cells_of(html, "r:33.75.03")["posts_total"] == "2"
    html = c.get("/dasbor/wilayah/33.75/?tahun=0").content.decode()
    assert '<option value="0" selected>' in html
    assert cells_of(html)["requests_received"] == "18"
    assert c.get("/dasbor/wilayah/33.75/?tahun=abc").status_code == 200  # unreadable: this year


# --- the comparison table ------------------------------------------------------------------------------------------


def compare_order(html: str) -> list[str]:
    table = html.split('id="tabel-banding"')[1].split("</table>")[0]
    return re.findall(r'<th scope="row"><a href="/dasbor/pos/([\w-]+)/', table)


def test_comparison_table_sorts_by_any_indicator(dash, admin) -> None:
    c = login(admin)
    html = c.get("/dasbor/nasional/").content.decode()
    assert compare_order(html) == sorted(compare_order(html), key=lambda s: dash[s].name)
    html = c.get("/dasbor/nasional/?urut=requests_received&arah=turun").content.decode()
    assert compare_order(html) == sorted(REQUESTS, key=lambda s: -REQUESTS[s])
    assert 'aria-sort="descending"' in html
    assert 'href="?urut=requests_received&amp;arah=naik#banding"' in html
    html = c.get("/dasbor/nasional/?urut=requests_received&arah=naik").content.decode()
    assert compare_order(html) == sorted(REQUESTS, key=lambda s: REQUESTS[s])
    assert 'aria-sort="ascending"' in html
    for key in ["absorption", "median_days", "posts_active", "sales_in_region", "bogus"]:
        assert c.get(f"/dasbor/nasional/?urut={key}&arah=naik").status_code == 200


def test_comparison_table_is_paginated(dash, officer, monkeypatch) -> None:
    monkeypatch.setattr("posyantek.dashboards.views.PAGE_SIZE", 2)
    c = login(officer)
    html = c.get("/dasbor/wilayah/33.75/?urut=requests_received&arah=turun").content.decode()
    assert compare_order(html) == ["kota-pekalongan", "mitra-pantura"]
    assert "Halaman 1 dari 3" in html and "urut=requests_received&amp;arah=turun&amp;page=2" in html
    html = c.get("/dasbor/wilayah/33.75/?urut=requests_received&arah=turun&page=3").content.decode()
    assert compare_order(html) == ["wartek-pasirsari"]


# --- exports -------------------------------------------------------------------------------------------------------


def test_csv_export_has_every_post_below_and_every_indicator(dash, officer, monkeypatch) -> None:
    monkeypatch.setattr("posyantek.dashboards.views.PAGE_SIZE", 2)
    response = login(officer).get("/dasbor/wilayah/33.75/?format=csv&urut=requests_received&arah=turun")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert 'filename="dasbor-33.75-' in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    header, body = rows[0], rows[1:]
    assert header[:3] == ["Pos", "Kode wilayah", "Tahun"]
    assert "Permohonan diterima" in header and "Penyerapan anggaran" in header and "Pos aktif" in header
    names = ["Posyantek Kota Pekalongan", "Posyantek Mitra Pantura", "Posyantek Pekalongan Barat",
             "Wartek Panjang Wetan", "Wartek Pasirsari"]  # fmt: skip
    assert [r[0] for r in body] == names
    assert body[0][header.index("Permohonan diterima")] == "7"
    assert "Posyantek Gambir" not in response.content.decode("utf-8-sig")


def test_xlsx_export_reopens_with_the_scope_of_the_page(dash, admin, outsider) -> None:
    response = login(admin).get("/dasbor/wilayah/33/?format=xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Pos" and len(rows) == 1 + 5
    names = {r[0] for r in rows[1:]}
    assert "Posyantek Sukasari" not in names and "Posyantek Mitra Pantura" in names
    col = rows[0].index("Permohonan diterima")
    assert {r[0]: r[col] for r in rows[1:]}["Posyantek Mitra Pantura"] == 5
    national = load_workbook(io.BytesIO(login(admin).get("/dasbor/nasional/?format=xlsx").content)).active
    assert national.max_row == 1 + len(REQUESTS)
    assert login(outsider).get("/dasbor/wilayah/31/?format=csv").content.decode("utf-8-sig").count("\n") == 2


# --- speed: the page cache and the query budget -------------------------------------------------------------------


def test_pages_are_cached_until_the_figures_are_refreshed(dash, officer, django_capture_on_commit_callbacks) -> None:
    cache.clear()
    with override_settings(PAGE_CACHE_ENABLED=True):
        c = login(officer)
        c.get("/dasbor/wilayah/33.75/")  # sets the CSRF cookie
        c.get("/dasbor/wilayah/33.75/")
        assert c.get("/dasbor/wilayah/33.75/")["X-Page-Cache"] == "hit"
        add_requests(dash["mitra-pantura"], 2)
        with django_capture_on_commit_callbacks(execute=True):
            refresh_posts([dash["mitra-pantura"].pk])
        fresh = c.get("/dasbor/wilayah/33.75/")
        assert "X-Page-Cache" not in fresh
        assert cells_of(fresh.content.decode())["requests_received"] == "20"
    cache.clear()


def _more_posts(n: int) -> None:
    """Add n posts in new kecamatan of Kota Pekalongan and Jawa Barat, with requests, and refresh."""
    from posyantek.regions.models import Region

    for i in range(n):
        code = f"33.75.{10 + i:02d}"
        Region.objects.create(code=code, name=f"Kecamatan Uji {i}", level=3, kind="kecamatan", parent_id="33.75")
        post = Post.objects.create(name=f"Pos Uji {i}", slug=f"pos-uji-{i}", kind="antar_desa", region_id=code)
        add_requests(post, i + 1)
    for i in range(n):
        code = f"{34 + i}"
        Region.objects.create(code=code, name=f"Provinsi {code}", level=1, kind="provinsi")
        Post.objects.create(name=f"Pos Provinsi {i}", slug=f"pos-prov-{i}", kind="antar_desa", region_id=code)
    refresh_posts()


BUDGET = 12  # measured: 7 (post) to 10 (kab/kota) with the session, user and grants


@pytest.mark.parametrize("url", ["/dasbor/nasional/", "/dasbor/wilayah/33/", "/dasbor/wilayah/33.75/",
                                 "/dasbor/wilayah/33.75.03/", "/dasbor/pos/mitra-pantura/"])  # fmt: skip
def test_query_budget_does_not_grow_with_posts_and_regions(dash, admin, url, django_assert_max_num_queries) -> None:
    c = login(admin)
    c.get(url)
    with django_assert_max_num_queries(BUDGET):
        assert c.get(url).status_code == 200
    _more_posts(6)
    assert PostFigures.objects.filter(year=0).count() == len(REQUESTS) + 12
    with django_assert_max_num_queries(BUDGET):
        assert c.get(url).status_code == 200
