"""The demo orders load through the services: every state, payments, numbered documents, sales rollup."""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from posyantek.orders.demo import BUYERS, PARCEL_CAP, _shipping, load_orders
from posyantek.orders.models import Order, OrderDocument, OrderStep, Payment, SalesMonth
from posyantek.regions.models import Region

#: The buyers' regions and their parents (the demo checks them against the full Kemendagri tree).
PLACES = {
    "12": "Sumatera Utara", "12.71": "Kota Medan", "32": "Jawa Barat", "32.73": "Kota Bandung",
    "33.26": "Kabupaten Pekalongan", "33.74": "Kota Semarang", "35": "Jawa Timur", "35.78": "Kota Surabaya",
    "73": "Sulawesi Selatan", "73.71": "Kota Makassar", "31.74": "Kota Administrasi Jakarta Selatan",
}  # fmt: skip


def buyer_regions() -> None:
    for code, name in PLACES.items():
        Region.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "level": code.count(".") + 1,
                "kind": "kota" if "." in code else "provinsi",
                "parent_id": code[:2] if "." in code else None,
            },
        )
    for b in BUYERS:
        code = b[4]
        Region.objects.get_or_create(code=code, defaults={"name": f"Kecamatan {code}", "level": 3,
                                                          "kind": "kecamatan", "parent_id": code[:5]})  # fmt: skip


def test_demo_orders_cover_every_state_with_real_steps(manager, shop, agent, fair, admin) -> None:
    buyer_regions()
    today = timezone.localdate()
    fair.starts_on, fair.ends_on = today - dt.timedelta(days=60), today - dt.timedelta(days=56)
    fair.save()
    load_orders(admin, random.Random(2014), today)
    mitra = shop["dryer"].post
    states = set(Order.objects.filter(post=mitra).values_list("state", flat=True))
    assert states == set(Order.State.values)
    assert Order.objects.filter(post=mitra, channel="agen", agent=agent).exists()
    assert Order.objects.filter(post=mitra, channel="pameran", exhibition=fair).exists()
    assert Order.objects.filter(post__slug="wartek-panjang-wetan").exists()
    assert Order.objects.filter(channel="pasar").values("checkout_ref").distinct().count() == 1
    oldest = Order.objects.order_by("ordered_at").first().ordered_at
    assert timezone.now() - oldest > dt.timedelta(days=380)
    assert Payment.objects.filter(kind="pelunasan").exists() and Payment.objects.filter(kind="uang_muka").exists()
    numbers = list(OrderDocument.objects.filter(post=mitra, kind="faktur", year=today.year).order_by("seq")
                   .values_list("seq", flat=True))  # fmt: skip
    assert numbers == list(range(1, len(numbers) + 1)) and numbers
    assert SalesMonth.objects.filter(post=mitra, out_of_province=True).exists()
    assert OrderStep.objects.filter(order__post=mitra, state="lunas").exists()
    for order in Order.objects.filter(state="lunas"):
        assert order.balance == 0
    for order in Order.objects.filter(shipping_cost__gt=0).prefetch_related("items"):
        if not any(i.made_to_order for i in order.items.all()):  # a parcel: a courier's fee, not a truck's
            assert order.shipping_cost <= order.subtotal * PARCEL_CAP, (order.subtotal, order.shipping_cost)
    count = Order.objects.count()
    load_orders(admin, random.Random(1), today)  # loaded once
    assert Order.objects.count() == count


def test_demo_shipping_is_in_proportion_to_the_goods(shop) -> None:
    mitra = shop["dryer"].post
    rng = random.Random(5)
    fish = [{"product": shop["canting"], "quantity": 2}]
    for code in ("33.75.01", "33.74.10", "31.74.07", "73.71.14"):
        assert _shipping(mitra, code, 90_000, fish, rng) <= 22_500, code
    machine = [{"product": shop["thresher"], "quantity": 1, "custom": True}]
    assert _shipping(mitra, "73.71.14", 8_750_000, machine, rng) >= 1_200_000  # a truck to Makassar
    assert _shipping(mitra, "33.74.10", 8_750_000, machine, rng) < 1_000_000  # within the province
    assert _shipping(mitra, "73.71.14", 50_000_000, machine, rng) >= 3_600_000  # a share of a large order
