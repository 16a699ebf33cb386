"""Writes on products: create, edit, photos, stock, on/off sale. Scoped, atomic and audited.

Stock moves only here (restock, stock-taking correction) and in orders/stock.py (sales); it never goes below zero.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import models, transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from posyantek.catalog.models import Sector, Ttg
from posyantek.core import audit
from posyantek.core.concurrency import lock_current
from posyantek.core.lib import images
from posyantek.core.scoping import Action, rank_on_post, require
from posyantek.people.models import Person
from posyantek.products.models import Product, ProductPhoto

#: What a create may set; an edit sets the same but the stock (that moves through `product_stock_adjust`).
PRODUCT_FIELDS = [
    "post", "kind", "ttg", "maker", "maker_name", "name", "description", "sector", "price", "unit", "made_to_order",
    "stock", "lead_time_days", "capacity_per_month", "min_order", "weight_grams", "active",
]  # fmt: skip
EDIT_FIELDS = [f for f in PRODUCT_FIELDS if f != "stock"]
#: Fields shown in the audit log of a new product.
AUDIT_FIELDS = ["name", "post", "kind", "price", "unit", "made_to_order", "stock", "lead_time_days", "min_order",
                "active"]  # fmt: skip
MAX_PRICE = 10**12
MAX_STOCK = 1_000_000
MAX_LEAD_DAYS = 730
MAX_CAPACITY = 1_000_000
MAX_MIN_ORDER = 10_000
MAX_WEIGHT_GRAMS = 100_000_000
MAX_PHOTOS = 12


class StockKind(models.TextChoices):
    """How a stock adjustment reads its number: units added, or the counted stock."""

    RESTOCK = "tambah", gettext_lazy("Tambah stok (barang masuk)")
    CORRECT = "koreksi", gettext_lazy("Koreksi hasil hitung (stok opname)")


def _whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _check_numbers(p: Product, errors: dict[str, list[str]]) -> None:
    if p.price is None:
        errors["price"] = [_("Harga wajib diisi, dalam rupiah tanpa sen.")]
    elif not _whole(p.price):
        errors["price"] = [_("Harga harus bilangan bulat rupiah, mis. 1250000 (tanpa sen).")]
    elif p.price < 1:
        errors["price"] = [_("Harga paling sedikit Rp 1.")]
    elif p.price > MAX_PRICE:
        errors["price"] = [_("Harga terlalu besar; periksa angkanya.")]
    if not _whole(p.min_order) or p.min_order < 1:
        errors["min_order"] = [_("Pemesanan minimum paling sedikit 1.")]
    elif p.min_order > MAX_MIN_ORDER:
        errors["min_order"] = [_("Pemesanan minimum paling banyak %(n)s.") % {"n": MAX_MIN_ORDER}]
    if p.weight_grams is not None and (not _whole(p.weight_grams) or p.weight_grams < 1):
        errors["weight_grams"] = [_("Berat kirim paling sedikit 1 gram, atau kosongkan.")]
    elif p.weight_grams is not None and p.weight_grams > MAX_WEIGHT_GRAMS:
        errors["weight_grams"] = [_("Berat kirim terlalu besar; tulis dalam gram.")]
    if p.lead_time_days is not None and (not _whole(p.lead_time_days) or p.lead_time_days < 1):
        errors["lead_time_days"] = [_("Lama pembuatan paling sedikit 1 hari, atau kosongkan.")]
    elif p.lead_time_days is not None and p.lead_time_days > MAX_LEAD_DAYS:
        errors["lead_time_days"] = [_("Lama pembuatan paling lama %(n)s hari.") % {"n": MAX_LEAD_DAYS}]
    if p.capacity_per_month is not None and (not _whole(p.capacity_per_month) or p.capacity_per_month < 1):
        errors["capacity_per_month"] = [_("Kapasitas per bulan paling sedikit 1, atau kosongkan.")]
    elif p.capacity_per_month is not None and p.capacity_per_month > MAX_CAPACITY:
        errors["capacity_per_month"] = [_("Kapasitas per bulan terlalu besar; periksa angkanya.")]
    if p.made_to_order:
        if p.lead_time_days is None and "lead_time_days" not in errors:
            errors["lead_time_days"] = [_("Produk yang dibuat sesuai pesanan perlu lama pembuatan (hari).")]
    elif not _whole(p.stock) or p.stock < 0:
        errors["stock"] = [_("Stok tidak boleh negatif.")]
    elif p.stock > MAX_STOCK:
        errors["stock"] = [_("Stok terlalu besar; periksa angkanya.")]


def _prepare(actor: Any, p: Product, *, kept_ttg: int | None = None, kept_maker: int | None = None) -> None:
    """Check a product's values and scope; it takes its post's region.

    A TTG or maker the product already had stays allowed (`kept_*`) even when the editor cannot see it.
    """
    errors: dict[str, list[str]] = {}
    p.name = (p.name or "").strip()
    p.unit = (p.unit or "").strip()
    p.maker_name = (p.maker_name or "").strip()
    if not p.name:
        errors["name"] = [_("Nama produk wajib diisi.")]
    if not p.unit:
        errors["unit"] = [_("Satuan wajib diisi, mis. unit, buah, kg, bungkus.")]
    if p.kind not in Product.Kind.values:
        errors["kind"] = [_("Jenis produk tidak dikenal.")]
    if p.sector and p.sector not in Sector.values:
        errors["sector"] = [_("Bidang tidak dikenal.")]
    _check_numbers(p, errors)
    if p.post_id is None:
        errors["post"] = [_("Pilih pos yang menjual produk ini.")]
    elif rank_on_post(actor, p.post) < Action.EDIT:
        errors["post"] = [_("Anda tidak dapat mencatat produk untuk pos ini.")]
    else:
        p.region_id = p.post.region_id
    if p.ttg_id and p.ttg_id != kept_ttg and p.post_id:
        own = Ttg.objects.for_user(actor, "view").filter(pk=p.ttg_id, post_id=p.post_id)
        if not (own.exists() or Ttg.objects.filter(pk=p.ttg_id, publication=Ttg.Publication.PUBLISHED).exists()):
            errors["ttg"] = [_("Pilih TTG dari katalog pos ini, atau TTG yang sudah terbit di katalog publik.")]
    if (p.maker_id and p.maker_id != kept_maker
            and not Person.objects.for_user(actor, "view").filter(pk=p.maker_id).exists()):  # fmt: skip
        errors["maker"] = [_("Pembuat ini di luar cakupan Anda.")]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def product_create(*, actor: Any, data: dict[str, Any]) -> Product:
    """Record a product a post sells; it is on sale (active) unless said otherwise."""
    product = Product(**{k: v for k, v in data.items() if k in PRODUCT_FIELDS and v is not None})
    if product.made_to_order:
        product.stock = 0  # made to order: no stock, a capacity per month instead
    _prepare(actor, product)
    product.save()
    audit.record(actor, "create", product, audit.snapshot(product, AUDIT_FIELDS))
    return product


@transaction.atomic
def product_update(*, actor: Any, product: Product, data: dict[str, Any], version: int | None = None) -> Product:
    """Change a product; an edit based on an old version is refused. The stock is not changed here."""
    require(actor, product, "edit")
    product = lock_current(product, version)
    fields = [f for f in EDIT_FIELDS if f in data]
    before = audit.snapshot(product, fields)
    kept_ttg, kept_maker = product.ttg_id, product.maker_id
    for f in fields:
        setattr(product, f, data[f])
    _prepare(actor, product, kept_ttg=kept_ttg, kept_maker=kept_maker)
    product.version += 1
    # Never the stock: it moves only by sales and stock adjustments, even if this row's copy were old.
    product.save(update_fields=[*fields, "region", "version", "updated"])
    require(actor, product, "edit")
    changes = audit.diff(before, audit.snapshot(product, fields))
    if changes:
        audit.record(actor, "update", product, changes)
    return product


@transaction.atomic
def product_set_active(*, actor: Any, product: Product, active: bool) -> Product:
    """Put a product on sale in the marketplace, or take it off."""
    require(actor, product, "edit")
    product = lock_current(product, None)
    if product.active != active:
        product.active = active
        product.version += 1
        product.save(update_fields=["active", "version", "updated"])
        audit.record(actor, "status", product, {"active": [not active, active]})
    return product


@transaction.atomic
def product_stock_adjust(*, actor: Any, product: Product, kind: str, quantity: Any, reason: str) -> Product:
    """Add units that came in (`tambah`), or set the stock to what was counted (`koreksi`); never below zero.

    The row is locked, so a sale running at the same moment is counted before or after, never lost.
    """
    require(actor, product, "edit")
    reason = (reason or "").strip()
    errors: dict[str, list[str]] = {}
    if product.made_to_order:
        raise ValidationError(_("Produk ini dibuat sesuai pesanan: tidak punya stok, hanya kapasitas per bulan."))
    if kind not in (StockKind.RESTOCK, StockKind.CORRECT):
        errors["kind"] = [_("Pilih tambah stok atau koreksi hasil hitung.")]
    elif not _whole(quantity):
        errors["quantity"] = [_("Jumlah harus bilangan bulat.")]
    elif kind == StockKind.RESTOCK and quantity < 1:
        errors["quantity"] = [_("Jumlah barang masuk paling sedikit 1.")]
    elif kind == StockKind.CORRECT and quantity < 0:
        errors["quantity"] = [_("Stok tidak boleh negatif; tulis jumlah barang yang benar-benar ada (0 bila habis).")]
    if len(reason) < 3:
        errors["reason"] = [_("Tuliskan alasannya, mis. produksi batch Maret, barang rusak, hasil stok opname.")]
    if errors:
        raise ValidationError(errors)
    locked = lock_current(product, None)
    old = locked.stock
    new = old + quantity if kind == StockKind.RESTOCK else quantity
    if new > MAX_STOCK:
        raise ValidationError({"quantity": [_("Stok terlalu besar; periksa angkanya.")]})
    # The row is locked (PostgreSQL) or the database is (SQLite): no sale changes the stock between read and write.
    Product.objects.filter(pk=locked.pk).update(stock=new)
    locked.stock = new
    label = _("Tambah stok") if kind == StockKind.RESTOCK else _("Koreksi stok")
    audit.record(actor, "update", locked, {"stock": [old, new], "note": f"{label}: {reason}"})
    return locked


@transaction.atomic
def product_photo_add(*, actor: Any, product: Product, upload: Any, caption: str = "") -> ProductPhoto:
    """Add a photo: checked (JPG/PNG/WEBP, ≤ 10 MB, no SVG), cleaned of metadata and GPS, with a thumbnail."""
    require(actor, product, "edit")
    if product.photos.count() >= MAX_PHOTOS:
        raise ValidationError({"image": [_("Paling banyak %(n)s foto per produk.") % {"n": MAX_PHOTOS}]})
    try:
        images.check_image(upload)
        clean = images.clean_image(upload)
        thumb = images.thumbnail(clean.data)
    except ValidationError as exc:
        raise ValidationError({"image": exc.messages}) from exc
    photo = ProductPhoto(product=product, caption=(caption or "")[:200], order=product.photos.count())
    stem = slugify(product.name)[:40] or "foto"
    photo.image.save(f"{stem}{clean.extension}", ContentFile(clean.data), save=False)
    photo.thumbnail.save(f"{stem}-kecil{thumb.extension}", ContentFile(thumb.data), save=False)
    photo.save()
    audit.record(actor, "update", product, {"foto": [None, photo.image.name.rsplit("/", 1)[-1]]})
    return photo


@transaction.atomic
def product_photo_remove(*, actor: Any, photo: ProductPhoto) -> None:
    """Take a photo off a product."""
    require(actor, photo.product, "edit")
    audit.record(actor, "update", photo.product, {"foto": [photo.image.name.rsplit("/", 1)[-1], None]})
    photo.image.delete(save=False)
    photo.thumbnail.delete(save=False)
    photo.delete()
