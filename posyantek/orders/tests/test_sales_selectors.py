"""The sales analysis: a post's own figures, and rolled up with a per-post breakdown for whoever oversees it."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from conftest import make_user
from posyantek.orders.models import Order
from posyantek.orders.sales_selectors import (
    sales_analysis,
    sales_post,
    sales_post_choices,
    sales_region,
    sales_region_choices,
)
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


@pytest.fixture
def year_of_sales(goods, posts) -> dict[str, Any]:
    """Sales of 2025 at three posts, from buyers near and far, through several channels; one in 2024."""
    sell([(goods["dryer"], 2), (goods["canting"], 10)], OTHER_PROVINCE, dt.date(2025, 1, 15))  # 27.5 M, Makassar
    sell([(goods["canting"], 4)], IN_REGION, dt.date(2025, 1, 20), channel=Order.Channel.WALK_IN)  # 1 M
    sell([(goods["dryer"], 1)], OTHER_CITY, dt.date(2025, 6, 2), channel=Order.Channel.EXHIBITION)  # 12.5 M
    sell([(goods["grater"], 2)], JAKARTA, dt.date(2025, 6, 3), channel=Order.Channel.WHATSAPP)  # 3 M, Wartek
    sell([(goods["stove"], 5)], JAKARTA, dt.date(2025, 2, 1))  # 4.5 M, Jakarta post
    sell([(goods["dryer"], 1)], IN_REGION, dt.date(2024, 12, 31))  # another year
    return goods


def _by(lines: list[Any]) -> dict[str, tuple[int, int, int]]:
    return {line.key: (line.orders, line.quantity, line.amount) for line in lines}


def test_post_sees_its_own_sales(year_of_sales, posts) -> None:
    staff = make_user("kasir@example.id", ("post_staff", posts["wartek"]))
    data = sales_analysis(user=staff, year=2025)
    assert (data.totals.orders, data.totals.quantity, data.totals.amount) == (1, 2, 3_000_000)
    assert [line.label for line in data.by_product] == ["Alat Parut Kelapa"]
    assert not data.rolled_up


def test_post_manager_sees_its_post_and_the_wartek_it_coordinates(year_of_sales, manager, posts) -> None:
    data = sales_analysis(user=manager, year=2025)
    assert (data.totals.orders, data.totals.quantity, data.totals.amount) == (4, 19, 44_000_000)
    assert {line.post_id for line in data.by_post} == {posts["mitra"].pk, posts["wartek"].pk}
    only = sales_analysis(user=manager, year=2025, post=posts["mitra"])
    assert (only.totals.orders, only.totals.amount) == (3, 41_000_000)
    assert only.by_post == [] and not only.rolled_up


def test_breakdowns_of_a_post(year_of_sales, manager, posts) -> None:
    data = sales_analysis(user=manager, year=2025, post=posts["mitra"])
    assert _by(data.by_product) == {
        str(year_of_sales["dryer"].pk): (2, 3, 37_500_000),
        str(year_of_sales["canting"].pk): (2, 14, 3_500_000),
    }
    assert [line.label for line in data.by_product] == ["Mesin Pengering Ikan", "Canting Batik Listrik"]
    assert _by(data.by_province) == {"73": (1, 12, 27_500_000), "33": (2, 5, 13_500_000)}
    assert [line.label for line in data.by_province] == ["Sulawesi Selatan", "Jawa Tengah"]
    assert _by(data.by_reach) == {"dalam_daerah": (1, 4, 1_000_000), "luar_daerah": (1, 1, 12_500_000),
                                  "luar_provinsi": (1, 12, 27_500_000)}  # fmt: skip
    assert _by(data.by_channel) == {"pasar": (1, 12, 27_500_000), "pameran": (1, 1, 12_500_000),
                                    "langsung": (1, 4, 1_000_000)}  # fmt: skip
    assert [line.label for line in data.by_channel][:2] == ["Pasar Posyantek (daring)", "Pameran/roadshow"]
    months = {line.key: line.amount for line in data.by_month}
    assert len(months) == 12 and months["2025-01"] == 28_500_000 and months["2025-06"] == 12_500_000
    assert months["2025-02"] == 0
    assert data.by_month[0].label == "Januari 2025"
    assert data.by_province[0].share == pytest.approx(67.1) and data.by_province[0].bar == 100
    assert data.by_province[1].bar == round(100 * 13_500_000 / 27_500_000)


def test_month_range(year_of_sales, manager, posts) -> None:
    data = sales_analysis(user=manager, year=2025, month_from=2, month_to=6, post=posts["mitra"])
    assert [line.key for line in data.by_month] == ["2025-02", "2025-03", "2025-04", "2025-05", "2025-06"]
    assert (data.totals.orders, data.totals.amount) == (1, 12_500_000)
    assert sales_analysis(user=manager, year=2024).totals.amount == 12_500_000


def test_city_officer_sees_every_post_below_rolled_up_and_ranked(year_of_sales, officer, posts) -> None:
    data = sales_analysis(user=officer, year=2025)
    assert data.rolled_up
    assert [(line.label, line.amount) for line in data.by_post] == [
        ("Posyantek Mitra Pantura", 41_000_000), ("Wartek Panjang Wetan", 3_000_000)]  # fmt: skip
    mitra = data.by_post[0]
    assert mitra.out_amount == 40_000_000 and mitra.out_share == pytest.approx(97.6)
    assert {line.post_name for line in data.by_product} == {"Posyantek Mitra Pantura", "Wartek Panjang Wetan"}
    assert _by(data.by_province)["31"] == (1, 2, 3_000_000)


def test_province_and_national_roll_up(year_of_sales, admin, posts) -> None:
    province = make_user("jateng@example.id", ("province_officer", "33"))
    assert sales_analysis(user=province, year=2025).totals.amount == 44_000_000
    everything = sales_analysis(user=admin, year=2025)
    assert everything.totals.amount == 48_500_000
    assert len(everything.by_post) == 3
    region = sales_region(user=admin, code="31")
    assert sales_analysis(user=admin, year=2025, region=region).totals.amount == 4_500_000


def test_outsider_sees_nothing_of_another_province(year_of_sales, outsider, posts) -> None:
    data = sales_analysis(user=outsider, year=2025)
    assert (data.totals.amount, [line.label for line in data.by_post]) == (4_500_000, ["Posyantek Gambir"])
    assert sales_post(user=outsider, post_id=posts["mitra"].pk) is None
    assert sales_region(user=outsider, code="33") is None
    assert sales_region(user=outsider, code="31.71") is not None


def test_product_lines_stop_at_the_limit(year_of_sales, officer) -> None:
    data = sales_analysis(user=officer, year=2025, limit=2)
    assert len(data.by_product) == 2 and data.more_products
    assert [line.label for line in data.by_product][0] == "Mesin Pengering Ikan"
    assert not sales_analysis(user=officer, year=2025, limit=None).more_products


def test_filter_choices_are_scoped(year_of_sales, officer, manager, outsider, admin, posts) -> None:
    assert {p.pk for p in sales_post_choices(user=officer)[0]} == {posts["mitra"].pk, posts["wartek"].pk}
    assert [p.pk for p in sales_post_choices(user=outsider)[0]] == [posts["dki"].pk]
    assert [r.code for r in sales_region_choices(user=officer)] == ["33.75"]  # not the province above the grant
    assert sales_region_choices(user=manager) == []  # post grants only
    assert [r.code for r in sales_region_choices(user=admin)] == ["31", "31.71", "33", "33.75"]
    assert [p.pk for p in sales_post_choices(user=admin, region=sales_region(user=admin, code="31"))[0]] == [
        posts["dki"].pk]  # fmt: skip


def test_no_grant_sees_nothing(year_of_sales) -> None:
    nobody = make_user("nobody@example.id")
    data = sales_analysis(user=nobody, year=2025)
    assert data.totals.amount == 0 and data.by_post == [] and data.by_product == []
