"""The demo events load through the services, with or without the products demo before them."""

from __future__ import annotations

import random

from django.utils import timezone

from posyantek.exhibitions.demo import NATIONAL, PRPP, ROADSHOW, load_exhibitions
from posyantek.exhibitions.models import Exhibition
from posyantek.exhibitions.selectors import exhibition_report
from posyantek.exhibitions.tests.conftest import product
from posyantek.regions.models import Region


def _regions() -> None:
    Region.objects.create(code="33.74", name="Kota Semarang", level=2, kind="kota", parent_id="33")
    Region.objects.create(code="31.75", name="Kota Administrasi Jakarta Timur", level=2, kind="kota", parent_id="31")


def test_load_exhibitions(admin, posts, regions) -> None:
    _regions()
    for name in ("Mesin Pengering Ikan Tenaga Surya", "Mesin Perontok Padi (Thresher)", "Kompor Batik Listrik",
                 "Kerupuk Ikan Panjang Wetan"):  # fmt: skip
        product(posts["mitra"], name)
    load_exhibitions(admin, random.Random(1), timezone.localdate())
    prpp = Exhibition.objects.get(name=PRPP)
    assert prpp.state == "selesai" and prpp.level == "provinsi" and prpp.venue_region_id == "33.74"
    r = exhibition_report(user=admin, exhibition=prpp)
    assert r.visitors == 850 and r.leads == 8 and r.offers == 2 and r.offers_agreed == 1
    assert ("APBD kabupaten/kota", 3_500_000) in r.costs_by_source and len(r.products) == 3
    assert len(r.leads_by_province) >= 2
    interest = {lead.name: (lead.interest, lead.product.name if lead.product else None) for lead in prpp.leads.all()}
    assert interest["Sutrisno"] == ("Perontok padi untuk 3 kelompok tani; minta penawaran",
                                    "Mesin Perontok Padi (Thresher)")  # fmt: skip
    assert interest["Rina Wulandari"][1] == "Mesin Pengering Ikan Tenaga Surya"
    assert interest["Hj. Nur Khasanah"][1] == "Kompor Batik Listrik"
    assert interest["Agus Priyanto"][1] is None  # no coconut grater in this catalogue: no product, not a wrong one
    assert interest["Yusuf Maulana"][1] is None
    for text, name in interest.values():  # the product asked about is named in the interest
        assert name is None or name.split()[1].lower() in text.lower(), (text, name)
    assert Exhibition.objects.get(name=NATIONAL).state == "direncanakan"
    roadshow = Exhibition.objects.get(name=ROADSHOW)
    assert roadshow.state == "selesai" and roadshow.starts_on.year == timezone.localdate().year - 1
    assert list(prpp.steps.order_by("at").values_list("state", flat=True)) == [
        "direncanakan", "produk_dipilih", "berlangsung", "selesai"]  # fmt: skip
    load_exhibitions(admin, random.Random(1), timezone.localdate())
    assert Exhibition.objects.count() == 3


def test_load_exhibitions_without_products(admin, posts, regions) -> None:
    load_exhibitions(admin, random.Random(1), timezone.localdate())
    prpp = Exhibition.objects.get(name=PRPP)
    assert prpp.state == "selesai" and not prpp.products.exists() and prpp.leads.count() == 8
