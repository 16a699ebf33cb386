"""The /penjualan/ page, its exports and the /api/v1/penjualan API: access, figures, query budget."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

import pytest
from openpyxl import load_workbook

from conftest import login, make_user
from posyantek.accounts import services as account_services
from posyantek.orders.models import Order
from posyantek.orders.tests.test_sales_support import (
    IN_REGION,
    JAKARTA,
    OTHER_CITY,
    OTHER_PROVINCE,
    make_goods,
    sell,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def goods(posts: dict[str, Any], regions: Any) -> dict[str, Any]:
    return make_goods(posts)


URL, API = "/penjualan/", "/api/v1/penjualan"


@pytest.fixture
def sold(goods, posts) -> dict[str, Any]:
    sell([(goods["dryer"], 2), (goods["canting"], 10)], OTHER_PROVINCE, dt.date(2025, 1, 15))
    sell([(goods["canting"], 4)], IN_REGION, dt.date(2025, 1, 20), channel=Order.Channel.WALK_IN)
    sell([(goods["dryer"], 1)], OTHER_CITY, dt.date(2025, 6, 2), channel=Order.Channel.EXHIBITION)
    sell([(goods["grater"], 2)], JAKARTA, dt.date(2025, 6, 3), channel=Order.Channel.WHATSAPP)
    sell([(goods["stove"], 5)], JAKARTA, dt.date(2025, 2, 1))
    return goods


def test_page_shows_a_posts_figures(sold, manager, posts) -> None:
    r = login(manager).get(URL, {"tahun": 2025, "pos": posts["mitra"].pk})
    assert r.status_code == 200
    html = r.content.decode()
    assert "Rp 41.000.000" in html and "Sulawesi Selatan" in html and "Pameran/roadshow" in html
    assert "harga satuan yang disepakati" in html  # says what the value is
    assert "<svg" in html and "style=" not in html.split("<main", 1)[1]  # CSP: no inline style
    assert "Kompor Biomassa" not in html


def test_page_rolls_up_for_the_city_officer(sold, officer, posts) -> None:
    html = login(officer).get(URL, {"tahun": 2025}).content.decode()
    assert 'id="post-ranking"' in html
    assert html.index("Posyantek Mitra Pantura</a>") < html.index("Wartek Panjang Wetan</a>")
    assert "Rp 44.000.000" in html


def test_viewer_may_see(sold, viewer, posts) -> None:
    r = login(viewer).get(URL, {"tahun": 2025, "pos": posts["wartek"].pk})
    assert r.status_code == 200 and "Rp 3.000.000" in r.content.decode()


def test_outsider_gets_404_for_a_post_or_region_outside_scope(sold, outsider, posts) -> None:
    c = login(outsider)
    assert c.get(URL, {"pos": posts["mitra"].pk}).status_code == 404
    assert c.get(URL, {"pos": posts["mitra"].pk, "format": "xlsx"}).status_code == 404
    assert c.get(URL, {"wilayah": "33"}).status_code == 404
    assert c.get(URL, {"pos": "abc"}).status_code == 404
    assert c.get(URL, {"pos": "99999999"}).status_code == 404
    html = c.get(URL, {"tahun": 2025}).content.decode()
    assert "Mitra Pantura" not in html and "Rp 4.500.000" in html
    assert c.get(API, {"post_id": posts["mitra"].pk}).status_code == 404
    assert c.get(API, {"region": "33.75"}).status_code == 404


def test_bad_filters_say_so(sold, manager) -> None:
    r = login(manager).get(URL, {"tahun": "1800", "dari": "7", "sampai": "3"})
    assert r.status_code == 200
    html = r.content.decode()
    assert "Pilih tahun" in html and "Bulan akhir tidak boleh sebelum bulan awal." in html


def test_anonymous_is_sent_to_login(sold, client) -> None:
    r = client.get(URL)
    assert r.status_code == 302 and "/akun/masuk" in r["Location"]
    assert client.get(API).status_code == 401


def test_page_query_budget(sold, officer, manager, posts, django_assert_max_num_queries) -> None:
    for user, params in ((officer, {"tahun": 2025}), (manager, {"tahun": 2025, "pos": posts["mitra"].pk})):
        c = login(user)
        with django_assert_max_num_queries(14):
            assert c.get(URL, params).status_code == 200
        with django_assert_max_num_queries(12):
            assert c.get(URL, {**params, "format": "xlsx"}).status_code == 200


def test_xlsx_export_has_a_sheet_per_breakdown(sold, officer, posts) -> None:
    r = login(officer).get(URL, {"tahun": 2025, "format": "xlsx"})
    assert r.status_code == 200 and "penjualan-2025" in r["Content-Disposition"]
    book = load_workbook(io.BytesIO(r.content))
    assert book.sheetnames == ["Ringkasan", "Per bulan", "Per produk", "Per provinsi pembeli", "Dalam-luar daerah",
                               "Per saluran", "Per pos"]  # fmt: skip
    summary = {row[0]: row[1] for row in book["Ringkasan"].iter_rows(min_row=2, values_only=True)}
    assert summary["Nilai barang (Rp)"] == 44_000_000 and summary["Pesanan"] == 4
    months = list(book["Per bulan"].iter_rows(min_row=2, values_only=True))
    assert len(months) == 12 and months[0][0] == "Januari 2025" and months[0][3] == 28_500_000
    provinces = {row[1]: row[4] for row in book["Per provinsi pembeli"].iter_rows(min_row=2, values_only=True)}
    assert provinces == {"Sulawesi Selatan": 27_500_000, "Jawa Tengah": 13_500_000, "DKI Jakarta": 3_000_000}
    ranked = [row[0] for row in book["Per pos"].iter_rows(min_row=2, values_only=True)]
    assert ranked == ["Posyantek Mitra Pantura", "Wartek Panjang Wetan"]


def test_csv_export_is_one_long_table(sold, manager, posts) -> None:
    r = login(manager).get(URL, {"tahun": 2025, "pos": posts["mitra"].pk, "format": "csv"})
    assert r.status_code == 200 and r["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Rincian", "Kode", "Nama"]
    parts = {row[0] for row in rows[1:]}
    assert parts == {"Jumlah", "Per bulan", "Per produk", "Per provinsi pembeli", "Dalam-luar daerah", "Per saluran"}
    total = next(row for row in rows if row[0] == "Jumlah")
    assert total[4:7] == ["3", "17", "41000000"]


def test_api_gives_the_same_figures(sold, manager, posts) -> None:
    r = login(manager).get(API, {"year": 2025, "post_id": posts["mitra"].pk})
    assert r.status_code == 200
    data = r.json()
    assert data["totals"] == {"orders": 3, "quantity": 17, "amount": 41_000_000}
    assert [p["label"] for p in data["by_province"]] == ["Sulawesi Selatan", "Jawa Tengah"]
    assert {x["key"]: x["amount"] for x in data["by_reach"]} == {"dalam_daerah": 1_000_000,
                                                                  "luar_daerah": 12_500_000,
                                                                  "luar_provinsi": 27_500_000}  # fmt: skip
    assert data["by_product"][0]["product_id"] == sold["dryer"].pk and data["by_post"] == []
    assert len(data["by_month"]) == 12 and "harga satuan" in data["value_basis"]


def test_api_rolls_up_with_a_bearer_token(sold, officer) -> None:
    _row, raw = account_services.token_create(actor=officer, name="skrip")
    from django.test import Client

    r = Client().get(API, {"year": 2025, "limit": 1}, HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert r.status_code == 200
    data = r.json()
    assert data["totals"]["amount"] == 44_000_000
    assert [p["label"] for p in data["by_post"]] == ["Posyantek Mitra Pantura"] and data["more_posts"]
    assert data["by_post"][0]["out_of_region_amount"] == 40_000_000


def test_api_refuses_bad_input_with_422(sold, manager) -> None:
    c = login(manager)
    assert c.get(API, {"month_from": 7, "month_to": 3}).status_code == 422
    assert c.get(API, {"year": 1999}).status_code == 422
    assert c.get(API, {"year": 2099}).status_code == 422
    assert c.get(API, {"limit": 0}).status_code == 422


def test_no_grant_gets_an_empty_page(sold) -> None:
    r = login(make_user("nobody@example.id")).get(URL)
    assert r.status_code == 200 and "Belum ada penjualan tercatat" in r.content.decode()
