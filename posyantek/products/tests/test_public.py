"""The public marketplace: browse without login, a cart across posts, checkout into one order per post."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from posyantek.orders.models import Order
from posyantek.products import market
from posyantek.products.models import Product
from posyantek.products.tests.conftest import BUYER

pytestmark = pytest.mark.django_db


def _add(c: Client, product: Product, qty: int, *, htmx: bool = False) -> Any:
    headers = {"HX-Request": "true"} if htmx else {}
    return c.post(reverse("pasar:cart_add"), {"product": product.pk, "quantity": qty}, headers=headers)


def test_market_lists_products_on_sale_of_every_post(shop: dict[str, Product]) -> None:
    body = Client().get(reverse("pasar:market")).content.decode()
    for name in ("Canting Batik Elektrik", "Kerupuk Ikan Panjang Wetan", "Komposter Takakura"):
        assert name in body
    assert "Dingklik" not in body and "Rp 275.000" in body
    assert "dibuat sesuai pesanan, ±21 hari" in body and "Kota Pekalongan, Jawa Tengah" in body


def test_market_filters_search_and_sort(shop: dict[str, Product]) -> None:
    c = Client()
    body = c.get(reverse("pasar:market"), {"province": "31"}).content.decode()
    assert "Komposter" in body and "Canting" not in body
    body = c.get(reverse("pasar:market"), {"sector": "perikanan"}).content.decode()
    assert "Pengering" in body and "Kerupuk" not in body
    body = c.get(reverse("pasar:market"), {"post": "wartek-panjang-wetan"}).content.decode()
    assert "Kerupuk" in body and "Canting" not in body
    body = c.get(reverse("pasar:market"), {"q": "mina sejahtera"}).content.decode()  # the maker's name
    assert "Kerupuk" in body and "Canting" not in body
    body = c.get(reverse("pasar:market"), {"sort": "-harga"}, headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in body and body.index("Pengering") < body.index("Komposter") < body.index("Kerupuk")


def test_market_page_query_budget(shop: dict[str, Product], admin: Any, posts: Any, django_assert_max_num_queries: Any
                                  ) -> None:  # fmt: skip
    from posyantek.products.tests.conftest import make

    for i in range(30):
        make(admin, posts["wartek"] if i % 2 else posts["dki"], name=f"Produk {i}", price=1000 + i)
    c = Client()
    _add(c, shop["canting"], 1)
    with django_assert_max_num_queries(9):
        r = c.get(reverse("pasar:market"), {"sort": "harga"})
    assert r.status_code == 200


def test_product_page_shows_price_stock_post_and_catalogue(shop: dict[str, Product]) -> None:
    body = Client().get(shop["canting"].get_public_url()).content.decode()
    assert "Rp 275.000" in body and "stok 5 buah" in body and "Posyantek Mitra Pantura" in body
    assert "Kota Pekalongan, Jawa Tengah" in body and "500 gram" in body and 'name="quantity"' in body
    body = Client().get(shop["dryer"].get_public_url()).content.decode()
    assert "dibuat sesuai pesanan, ±21 hari" in body and "Rp 12.500.000" in body
    assert Client().get(shop["old"].get_public_url()).status_code == 404


def test_cart_holds_products_of_two_posts_grouped_with_subtotals(shop: dict[str, Product]) -> None:
    c = Client()
    assert _add(c, shop["canting"], 2)["Location"] == reverse("pasar:cart")
    _add(c, shop["kerupuk"], 10)
    _add(c, shop["canting"], 1)  # adds to what is there
    body = c.get(reverse("pasar:cart")).content.decode()
    assert "Posyantek Mitra Pantura" in body and "Wartek Panjang Wetan" in body
    assert "Rp 825.000" in body and "Rp 250.000" in body and "Rp 1.075.000" in body  # subtotals, total
    assert market.cart_read(c.session) == {shop["canting"].pk: 3, shop["kerupuk"].pk: 10}


def test_cart_refuses_below_minimum_or_above_stock(shop: dict[str, Product]) -> None:
    c = Client()
    r = _add(c, shop["kerupuk"], 2, htmx=True)
    assert "pemesanan minimum 5 bungkus" in r.content.decode()
    r = _add(c, shop["canting"], 6, htmx=True)
    assert "tersisa 5 buah" in r.content.decode()
    r = _add(c, shop["canting"], 2, htmx=True)
    body = r.content.decode()
    assert r.status_code == 200 and "<html" not in body and "masuk keranjang" in body and 'id="cart-count"' in body
    assert market.cart_read(c.session) == {shop["canting"].pk: 2}
    assert _add(c, shop["old"], 1).status_code == 404


def test_cart_update_and_remove_with_and_without_htmx(shop: dict[str, Product]) -> None:
    c = Client()
    _add(c, shop["canting"], 1)
    _add(c, shop["dryer"], 1)
    url = reverse("pasar:cart_update")
    r = c.post(url, {"product": shop["canting"].pk, "quantity": 3}, headers={"HX-Request": "true"})
    assert r.status_code == 200 and "<html" not in r.content.decode() and "Rp 825.000" in r.content.decode()
    assert c.post(url, {"product": shop["dryer"].pk, "quantity": 1, "remove": "1"}).status_code == 302
    r = c.post(url, {"product": shop["canting"].pk, "quantity": "dua"}, headers={"HX-Request": "true"})
    assert "bilangan bulat" in r.content.decode()
    assert market.cart_read(c.session) == {shop["canting"].pk: 3}
    c.post(url, {"product": shop["canting"].pk, "quantity": 0})
    assert market.cart_read(c.session) == {}


def _buy(c: Client, **changes: Any) -> Any:
    return c.post(reverse("pasar:checkout"), {**BUYER, **changes})


def test_checkout_makes_one_order_per_post_with_tracking_links(shop: dict[str, Product]) -> None:
    c = Client()
    _add(c, shop["canting"], 2)
    _add(c, shop["kerupuk"], 10)
    assert c.get(reverse("pasar:checkout")).status_code == 200
    r = _buy(c)
    assert r.status_code == 302 and r["Location"] == reverse("pasar:checkout_done")
    orders = list(Order.objects.order_by("post__name"))
    assert [o.post.slug for o in orders] == ["mitra-pantura", "wartek-panjang-wetan"]
    assert [o.total for o in orders] == [550_000, 250_000]
    assert all(o.out_of_region and o.out_of_province and o.buyer_region_id == "73.71" for o in orders)
    assert len({o.checkout_ref for o in orders}) == 1
    assert Product.objects.get(pk=shop["canting"].pk).stock == 3
    body = c.get(r["Location"]).content.decode()
    for o in orders:
        assert f"http://testserver{reverse('lacak:order_track', args=[o.code])}" in body
    assert "luar provinsi" in body and "luar daerah" in body and "https://wa.me/6281229001122?text=" in body
    assert body.count("wa.me") == 1  # the Wartek has no mobile number
    assert market.cart_read(c.session) == {}


def test_checkout_with_kecamatan_is_in_region_for_a_post_of_that_city(shop: dict[str, Product], regions: Any) -> None:
    c = Client()
    _add(c, shop["canting"], 1)
    assert _buy(c, province="33", regency="33.75", district="33.75.01").status_code == 302
    o = Order.objects.get()
    assert o.buyer_region_id == "33.75.01" and not o.out_of_region and not o.out_of_province


def test_checkout_wrong_input_keeps_what_was_typed_and_the_cart(shop: dict[str, Product]) -> None:
    c = Client()
    _add(c, shop["canting"], 2)
    r = _buy(c, phone="12345", email="bukan-email", address="", regency="")
    body = r.content.decode()
    assert r.status_code == 422
    assert 'id="id_phone_error"' in body and "bukan nomor HP Indonesia" in body
    assert 'id="id_email_error"' in body and 'id="id_address_error"' in body
    assert "Pilih kabupaten/kota tujuan kirim." in body
    assert 'value="Andi Makkasau"' in body and "Mohon dikemas kayu." in body
    assert '<option value="73.71">Kota Makassar</option>' in body  # the province's regencies are offered
    assert not Order.objects.exists() and market.cart_read(c.session) == {shop["canting"].pk: 2}


def test_checkout_out_of_stock_says_so_and_keeps_the_cart(shop: dict[str, Product]) -> None:
    c = Client()
    _add(c, shop["canting"], 5)
    _add(c, shop["kerupuk"], 5)
    Product.objects.filter(pk=shop["canting"].pk).update(stock=3)  # someone else bought two meanwhile
    r = _buy(c)
    body = r.content.decode()
    assert r.status_code == 409 and "Stok Canting Batik Elektrik habis: tersisa 3 buah, Anda memesan 5." in body
    assert not Order.objects.exists() and Product.objects.get(pk=shop["kerupuk"].pk).stock == 120
    assert market.cart_read(c.session) == {shop["canting"].pk: 5, shop["kerupuk"].pk: 5}


def test_checkout_is_rate_limited_per_address(shop: dict[str, Product], settings: Any) -> None:
    settings.MARKET_CHECKOUTS_PER_HOUR = 1
    c = Client()
    _add(c, shop["canting"], 1)
    assert _buy(c).status_code == 302
    _add(c, shop["canting"], 1)
    r = _buy(c)
    assert r.status_code == 429 and "Terlalu banyak pemesanan" in r.content.decode()
    assert Order.objects.count() == 1 and market.cart_read(c.session) == {shop["canting"].pk: 1}


def test_checkout_empty_cart_and_honeypot(shop: dict[str, Product]) -> None:
    c = Client()
    assert c.get(reverse("pasar:checkout"))["Location"] == reverse("pasar:cart")
    _add(c, shop["canting"], 1)
    assert _buy(c, website="http://spam").status_code == 400
    assert not Order.objects.exists()
    assert Client().get(reverse("pasar:checkout_done"))["Location"] == reverse("pasar:market")


def test_region_picker_offers_the_next_level(shop: dict[str, Product]) -> None:
    r = Client().get(reverse("pasar:regions"), {"province": "33", "regency": "31.71"}, headers={"HX-Request": "1"})
    body = r.content.decode()
    assert "<html" not in body and "Kota Pekalongan" in body and 'id="region-pick"' in body
    assert "Gambir" not in body  # a regency of another province is dropped
    body = Client().get(reverse("pasar:regions"), {"province": "33", "regency": "33.75"}).content.decode()
    assert "Pekalongan Utara" in body
    c = Client()  # without JavaScript the buyer asks for the next level with a button
    _add(c, shop["canting"], 1)
    r = c.post(reverse("pasar:checkout"), {**BUYER, "province": "33", "regency": "", "action": "wilayah"})
    assert r.status_code == 200 and "Kota Pekalongan" in r.content.decode() and "field-error" not in r.content.decode()


def test_market_hides_and_refuses_products_of_a_post_that_is_not_active(client: Any, shop: dict[str, Any]) -> None:
    from posyantek.orders.services import order_checkout

    post = shop["kerupuk"].post
    post.status = "dibekukan"
    post.save(update_fields=["status"])
    assert "Kerupuk Ikan Panjang Wetan" not in client.get("/pasar/").content.decode()
    assert client.get(f"/pasar/{shop['kerupuk'].pk}/").status_code == 404
    buyer = {"name": "Andi", "phone": "0812-3456-7890", "address": "Jl. Penghibur No. 12, Makassar",
             "region_code": "73.71"}  # fmt: skip
    with pytest.raises(ValidationError) as exc:
        order_checkout(lines=[(shop["kerupuk"].pk, 10)], buyer=buyer)
    assert "items" in exc.value.message_dict


def test_cart_add_refuses_zero_or_less(client: Client, shop: dict[str, Any]) -> None:
    for qty in ("0", "-1"):
        r = client.post(reverse("pasar:cart_add"), {"product": shop["canting"].pk, "quantity": qty})
        assert market.cart_read(client.session) == {}, qty
        assert r.status_code in (200, 302, 422)
