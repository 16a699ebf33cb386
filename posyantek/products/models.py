"""What a post sells: products built on catalogue TTG records or on their own (UMKM products of members).

domain.md §4.6, §4.12. Prices are whole rupiah. A stocked product has a stock that never goes below zero;
a made-to-order product has no stock limit but a capacity per month and a lead time.
"""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from posyantek.catalog.models import Sector
from posyantek.core.models import RegionScopedModel
from posyantek.core.scoping import RegionScopedQuerySet


class Product(RegionScopedModel):
    """A product a post sells; `region` is the post's region (for scoping)."""

    class Kind(models.TextChoices):
        TTG = "ttg", _("Alat/mesin TTG")
        UMKM = "umkm", _("Produk UMKM anggota")
        OTHER = "lainnya", _("Lainnya")

    post = models.ForeignKey("posts.Post", on_delete=models.PROTECT, related_name="products",
                             verbose_name=_("pos"))  # fmt: skip
    kind = models.CharField(_("jenis"), max_length=10, choices=Kind.choices, default=Kind.TTG)
    ttg = models.ForeignKey("catalog.Ttg", null=True, blank=True, on_delete=models.SET_NULL, related_name="products",
                            verbose_name=_("TTG di katalog"))  # fmt: skip
    maker = models.ForeignKey("people.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                              verbose_name=_("pembuat (anggota)"))  # fmt: skip
    maker_name = models.CharField(_("nama pembuat/UMKM"), max_length=200, blank=True)
    name = models.CharField(_("nama produk"), max_length=200)
    description = models.TextField(_("deskripsi"), blank=True)
    sector = models.CharField(_("bidang"), max_length=20, choices=Sector.choices, blank=True)
    price = models.PositiveBigIntegerField(_("harga (Rp)"))
    unit = models.CharField(_("satuan"), max_length=30, default="unit")
    made_to_order = models.BooleanField(_("dibuat sesuai pesanan"), default=False)
    stock = models.PositiveIntegerField(_("stok"), default=0)
    lead_time_days = models.PositiveSmallIntegerField(_("lama pembuatan (hari)"), null=True, blank=True)
    capacity_per_month = models.PositiveIntegerField(_("kapasitas per bulan"), null=True, blank=True)
    min_order = models.PositiveIntegerField(_("pemesanan minimum"), default=1)
    weight_grams = models.PositiveIntegerField(_("berat kirim (gram)"), null=True, blank=True)
    active = models.BooleanField(_("aktif dijual"), default=True)

    scope_post_field = "post"

    class Meta:
        verbose_name = _("produk")
        verbose_name_plural = _("produk")
        ordering = ["name", "pk"]
        indexes = [models.Index(fields=["active", "name"], name="products_active_name")]
        constraints = [
            models.CheckConstraint(name="%(app_label)s_%(class)s_min_order", condition=models.Q(min_order__gte=1)),
            models.CheckConstraint(name="%(app_label)s_%(class)s_price_min", condition=models.Q(price__gte=1)),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("products:product_detail", args=[self.pk])

    def get_public_url(self) -> str:
        return reverse("pasar:product_detail", args=[self.pk])

    @property
    def available(self) -> bool:
        """Return whether a buyer can order it now (made to order, or in stock)."""
        return self.active and (self.made_to_order or self.stock >= self.min_order)


def product_photo_path(instance: models.Model, filename: str) -> str:
    return f"produk/{instance.product_id}/{filename}"


class ProductPhoto(models.Model):
    """A cleaned photo of a product (metadata stripped) with its thumbnail."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="photos", verbose_name=_("produk"))
    image = models.ImageField(_("foto"), upload_to=product_photo_path)
    thumbnail = models.ImageField(_("gambar kecil"), upload_to=product_photo_path)
    caption = models.CharField(_("keterangan"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(_("urutan"), default=0)
    created = models.DateTimeField(_("dibuat"), auto_now_add=True)

    objects = RegionScopedQuerySet.as_manager()
    scope_region_field = "product__region"
    scope_post_field = "product__post"

    class Meta:
        verbose_name = _("foto produk")
        verbose_name_plural = _("foto produk")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.caption or f"{self.product} #{self.pk}"
