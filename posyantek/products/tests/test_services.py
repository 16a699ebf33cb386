"""Product services: rules in Indonesian, scope, optimistic locking, stock that never goes below zero, audit."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from posyantek.catalog import ttg_services
from posyantek.core.models import AuditEvent
from posyantek.orders.services import order_checkout
from posyantek.people.models import Person
from posyantek.products import services
from posyantek.products.models import Product
from posyantek.products.tests.conftest import make, png

pytestmark = pytest.mark.django_db


def _errors(exc: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return exc.value.message_dict


def test_product_create_by_post_staff_takes_the_post_region_and_is_audited(staff: Any, posts: Any) -> None:
    p = make(staff, posts["wartek"], name="  Kerupuk Ikan  ", kind="umkm", price=25_000, stock=10)
    assert p.region_id == "33.75.03.1004" and p.name == "Kerupuk Ikan" and p.active
    event = AuditEvent.objects.get(object_id=str(p.pk), action="create")
    assert event.actor == staff and event.changes["price"] == 25_000 and event.post_id == posts["wartek"].pk


@pytest.mark.parametrize(
    ("extra", "field", "message"),
    [
        ({"price": 0}, "price", "Harga paling sedikit Rp 1."),
        ({"price": -5}, "price", "Harga paling sedikit Rp 1."),
        ({"price": 1.5}, "price", "bilangan bulat rupiah"),
        ({"price": "1.5"}, "price", "bilangan bulat rupiah"),
        ({"price": None}, "price", "Harga wajib diisi"),
        ({"min_order": 0}, "min_order", "Pemesanan minimum paling sedikit 1."),
        ({"made_to_order": True, "lead_time_days": None}, "lead_time_days", "perlu lama pembuatan"),
        ({"made_to_order": True, "lead_time_days": 10, "capacity_per_month": 0}, "capacity_per_month",
         "Kapasitas per bulan paling sedikit 1"),
        ({"stock": -1}, "stock", "Stok tidak boleh negatif."),
        ({"weight_grams": 0}, "weight_grams", "Berat kirim paling sedikit 1 gram"),
        ({"name": "  "}, "name", "Nama produk wajib diisi."),
        ({"unit": ""}, "unit", "Satuan wajib diisi"),
        ({"kind": "senjata"}, "kind", "Jenis produk tidak dikenal."),
    ],
)  # fmt: skip
def test_product_create_refuses_bad_values_in_indonesian(
    staff: Any, posts: Any, extra: dict[str, Any], field: str, message: str
) -> None:
    with pytest.raises(ValidationError) as exc:
        make(staff, posts["wartek"], **extra)
    assert message in " ".join(_errors(exc)[field])
    assert not Product.objects.exists()


def test_product_create_refuses_a_post_outside_the_actor_scope(staff: Any, viewer: Any, posts: Any) -> None:
    with pytest.raises(ValidationError) as exc:
        make(staff, posts["mitra"])
    assert "tidak dapat mencatat produk untuk pos ini" in _errors(exc)["post"][0]
    with pytest.raises(ValidationError):
        make(viewer, posts["wartek"])  # a viewer reads only
    assert not Product.objects.exists()


def test_product_made_to_order_has_no_stock(manager: Any, posts: Any) -> None:
    p = make(manager, posts["mitra"], made_to_order=True, lead_time_days=14, stock=7)
    assert p.stock == 0 and p.available


def test_product_ttg_must_be_of_the_post_or_published(manager: Any, staff: Any, posts: Any) -> None:
    ttg = ttg_services.ttg_create(actor=manager, data={"name": "Alat Pengering Ikan", "post": posts["mitra"],
                                                       "sector": "perikanan", "aspect": "pangan"})  # fmt: skip
    assert make(manager, posts["mitra"], ttg=ttg).ttg == ttg  # the post's own draft
    with pytest.raises(ValidationError) as exc:
        make(staff, posts["wartek"], ttg=ttg)  # another post's draft
    assert "TTG" in _errors(exc)["ttg"][0]
    ttg.publication = "terbit"
    ttg.save(update_fields=["publication"])
    assert make(staff, posts["wartek"], ttg=ttg).ttg == ttg  # published: anyone's product may be built on it


def test_product_maker_must_be_within_scope(staff: Any, posts: Any, regions: Any) -> None:
    stranger = Person.objects.create(name="Budi", region=regions["31.71.01"], post=posts["dki"])
    member = Person.objects.create(name="Siti", region=regions["33.75.03.1004"], post=posts["wartek"])
    with pytest.raises(ValidationError) as exc:
        make(staff, posts["wartek"], maker=stranger)
    assert "di luar cakupan" in _errors(exc)["maker"][0]
    assert make(staff, posts["wartek"], maker=member).maker == member


def test_product_update_checks_version_role_and_keeps_stock(staff: Any, viewer: Any, posts: Any) -> None:
    p = make(staff, posts["wartek"], stock=10)
    p = services.product_update(actor=staff, product=p, data={"price": 30_000, "stock": 999}, version=p.version)
    assert p.price == 30_000 and p.stock == 10 and p.version == 2
    with pytest.raises(ValidationError) as exc:
        services.product_update(actor=staff, product=p, data={"price": 31_000}, version=1)
    assert exc.value.code == "stale"
    with pytest.raises(PermissionDenied):
        services.product_update(actor=viewer, product=p, data={"price": 1})
    assert Product.objects.get(pk=p.pk).price == 30_000
    event = AuditEvent.objects.filter(object_id=str(p.pk), action="update").get()
    assert event.changes == {"price": [275_000, 30_000]}


def test_product_update_cannot_move_to_a_post_out_of_scope(staff: Any, posts: Any) -> None:
    p = make(staff, posts["wartek"])
    with pytest.raises(ValidationError):
        services.product_update(actor=staff, product=p, data={"post": posts["mitra"]})
    assert Product.objects.get(pk=p.pk).post == posts["wartek"]


def test_product_stock_adjust_restock_and_correct_never_below_zero(staff: Any, posts: Any) -> None:
    p = make(staff, posts["wartek"], stock=5)
    p = services.product_stock_adjust(actor=staff, product=p, kind="tambah", quantity=10, reason="produksi Maret")
    assert p.stock == 15
    p = services.product_stock_adjust(actor=staff, product=p, kind="koreksi", quantity=3, reason="stok opname")
    assert Product.objects.get(pk=p.pk).stock == 3
    for kind, qty, field in (("koreksi", -1, "quantity"), ("tambah", 0, "quantity"), ("tambah", 2, "reason"),
                             ("hilang", 1, "kind")):  # fmt: skip
        with pytest.raises(ValidationError) as exc:
            services.product_stock_adjust(actor=staff, product=p, kind=kind, quantity=qty,
                                          reason="x" if field == "reason" else "alasan")  # fmt: skip
        assert field in _errors(exc)
    assert Product.objects.get(pk=p.pk).stock == 3
    notes = [e.changes for e in AuditEvent.objects.filter(object_id=str(p.pk), action="update").order_by("pk")]
    assert notes == [{"stock": [5, 15], "note": "Tambah stok: produksi Maret"},
                     {"stock": [15, 3], "note": "Koreksi stok: stok opname"}]  # fmt: skip


def test_product_stock_adjust_refuses_made_to_order_and_viewers(staff: Any, viewer: Any, posts: Any) -> None:
    mto = make(staff, posts["wartek"], made_to_order=True, lead_time_days=7)
    with pytest.raises(ValidationError, match="dibuat sesuai pesanan"):
        services.product_stock_adjust(actor=staff, product=mto, kind="tambah", quantity=1, reason="masuk")
    p = make(staff, posts["wartek"])
    with pytest.raises(PermissionDenied):
        services.product_stock_adjust(actor=viewer, product=p, kind="tambah", quantity=1, reason="masuk")


def test_checkout_never_takes_stock_below_zero(shop: dict[str, Product], makassar: Any) -> None:
    buyer = {"name": "Andi", "phone": "081234567890", "address": "Jl. Penghibur No. 12 Makassar",
             "region_code": "73.71"}  # fmt: skip
    order_checkout(lines=[(shop["canting"].pk, 4)], buyer=buyer)
    with pytest.raises(ValidationError) as exc:
        order_checkout(lines=[(shop["canting"].pk, 2), (shop["kerupuk"].pk, 5)], buyer=buyer)
    assert exc.value.code == "out_of_stock"
    assert Product.objects.get(pk=shop["canting"].pk).stock == 1
    assert Product.objects.get(pk=shop["kerupuk"].pk).stock == 120  # all or nothing


def test_product_set_active_is_audited(staff: Any, viewer: Any, posts: Any) -> None:
    p = make(staff, posts["wartek"])
    p = services.product_set_active(actor=staff, product=p, active=False)
    assert not Product.objects.get(pk=p.pk).active
    assert AuditEvent.objects.filter(object_id=str(p.pk), action="status").get().changes == {"active": [True, False]}
    with pytest.raises(PermissionDenied):
        services.product_set_active(actor=viewer, product=p, active=True)


def test_product_photo_add_and_remove(staff: Any, posts: Any) -> None:
    p = make(staff, posts["wartek"])
    photo = services.product_photo_add(actor=staff, product=p, upload=png(), caption="Tampak depan")
    assert photo.image.name.endswith(".png") and photo.thumbnail.name
    with pytest.raises(ValidationError) as exc:
        services.product_photo_add(actor=staff, product=p, upload=SimpleUploadedFile("x.svg", b"<svg></svg>"))
    assert "image" in _errors(exc)
    services.product_photo_remove(actor=staff, photo=photo)
    assert not p.photos.exists()
