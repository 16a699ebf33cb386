"""Orders of a post's products, their steps, payments, numbered quotes and invoices, and the monthly sales rollup.

domain.md §4.12, §5.5. Money is whole rupiah. One buyer's cart becomes one order per producing post
(same `checkout_ref`). An order is "luar daerah" when the buyer's kabupaten/kota differs from the post's,
and "luar provinsi" when the province differs.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from posyantek.core.models import RegionScopedModel
from posyantek.core.scoping import RegionScopedQuerySet


class Order(RegionScopedModel):
    """One order to one post; `region` is the post's region (scoping)."""

    class State(models.TextChoices):
        REQUESTED = "permintaan", _("Permintaan/penawaran")
        CONFIRMED = "dikonfirmasi", _("Dikonfirmasi")
        IN_PRODUCTION = "produksi", _("Dalam produksi")
        READY = "siap_kirim", _("Siap kirim")
        SHIPPED = "dikirim", _("Dikirim")
        RECEIVED = "diterima", _("Diterima")
        PAID = "lunas", _("Lunas")
        WARRANTY = "garansi", _("Garansi/servis")
        CANCELLED = "dibatalkan", _("Dibatalkan")
        RETURNED = "retur", _("Retur")

    class Channel(models.TextChoices):
        WALK_IN = "langsung", _("Datang langsung")
        WHATSAPP = "whatsapp", _("WhatsApp/telepon")
        MARKETPLACE = "pasar", _("Pasar Posyantek (daring)")
        EXHIBITION = "pameran", _("Pameran/roadshow")
        AGENT = "agen", _("Agen/jejaring")
        SOCIAL = "media_sosial", _("Media sosial")
        ONLINE_SHOP = "lokapasar", _("Lokapasar lain (Shopee, Tokopedia)")
        EKATALOG = "e_katalog", _("e-Katalog")

    class Delivery(models.TextChoices):
        SHIP = "kirim", _("Dikirim ke alamat")
        PICKUP = "ambil", _("Diambil sendiri")

    post = models.ForeignKey("posts.Post", on_delete=models.PROTECT, related_name="orders", verbose_name=_("pos"))
    code = models.CharField(_("kode pelacakan"), max_length=12, unique=True)
    checkout_ref = models.CharField(_("kode keranjang"), max_length=12, blank=True, db_index=True)
    state = models.CharField(_("tahap"), max_length=14, choices=State.choices, default=State.REQUESTED)
    channel = models.CharField(_("saluran"), max_length=14, choices=Channel.choices, default=Channel.MARKETPLACE)
    agent = models.ForeignKey("network.Agent", null=True, blank=True, on_delete=models.PROTECT,
                              related_name="orders", verbose_name=_("agen"))  # fmt: skip
    exhibition = models.ForeignKey("exhibitions.Exhibition", null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="orders", verbose_name=_("pameran"))  # fmt: skip

    buyer_name = models.CharField(_("nama pembeli"), max_length=200)
    buyer_phone = models.CharField(_("telepon/WhatsApp"), max_length=20, blank=True)
    buyer_email = models.EmailField(_("e-mail"), blank=True)
    buyer_institution = models.CharField(_("instansi/usaha"), max_length=200, blank=True)
    buyer_address = models.TextField(_("alamat kirim"), blank=True)
    buyer_region = models.ForeignKey("regions.Region", null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+", verbose_name=_("wilayah pembeli"))  # fmt: skip
    buyer_province_code = models.CharField(_("provinsi pembeli"), max_length=2, blank=True)
    out_of_region = models.BooleanField(_("luar daerah"), default=False)
    out_of_province = models.BooleanField(_("luar provinsi"), default=False)
    buyer_note = models.TextField(_("catatan pembeli"), blank=True)

    ordered_at = models.DateTimeField(_("waktu pesan"))
    confirmed_at = models.DateTimeField(_("waktu konfirmasi"), null=True, blank=True)
    #: The day the sale counts (Asia/Jakarta date of confirmation); empty until confirmed.
    sale_date = models.DateField(_("tanggal penjualan"), null=True, blank=True)
    subtotal = models.PositiveBigIntegerField(_("subtotal (Rp)"), default=0)
    shipping_cost = models.PositiveBigIntegerField(_("ongkos kirim (Rp)"), default=0)
    discount = models.PositiveBigIntegerField(_("potongan (Rp)"), default=0)
    total = models.PositiveBigIntegerField(_("total (Rp)"), default=0)
    down_payment = models.PositiveBigIntegerField(_("uang muka disepakati (Rp)"), default=0)
    paid_total = models.PositiveBigIntegerField(_("sudah dibayar (Rp)"), default=0)
    lead_time_days = models.PositiveSmallIntegerField(_("lama pengerjaan (hari)"), null=True, blank=True)
    commission = models.PositiveBigIntegerField(_("komisi agen (Rp)"), default=0)
    quote_revision = models.PositiveSmallIntegerField(_("revisi penawaran"), default=0)

    delivery = models.CharField(_("pengiriman"), max_length=6, choices=Delivery.choices, default=Delivery.SHIP)
    courier = models.CharField(_("kurir"), max_length=100, blank=True)
    tracking_number = models.CharField(_("nomor resi"), max_length=100, blank=True)
    shipped_at = models.DateTimeField(_("waktu kirim"), null=True, blank=True)
    internal_note = models.TextField(_("catatan internal"), blank=True)

    scope_post_field = "post"

    class Meta:
        verbose_name = _("pesanan")
        verbose_name_plural = _("pesanan")
        ordering = ["-ordered_at", "-pk"]
        indexes = [
            models.Index(fields=["post", "sale_date"], name="orders_post_sale"),
            models.Index(fields=["post", "state", "ordered_at"], name="orders_post_state"),
        ]
        constraints = [
            models.CheckConstraint(
                name="%(app_label)s_%(class)s_paid_le_total", condition=models.Q(paid_total__lte=models.F("total"))
            ),  # fmt: skip
        ]

    def __str__(self) -> str:
        return f"{self.code} · {self.buyer_name}"

    def get_absolute_url(self) -> str:
        return reverse("orders:order_detail", args=[self.pk])

    def get_tracking_url(self) -> str:
        return reverse("lacak:order_track", args=[self.code])

    @property
    def balance(self) -> int:
        """Return what the buyer still owes, in rupiah."""
        return self.total - self.paid_total


class OrderItem(models.Model):
    """One line of an order: a product, how many, at which agreed price (a snapshot)."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="items", verbose_name=_("pesanan"))
    product = models.ForeignKey("products.Product", null=True, blank=True, on_delete=models.PROTECT,
                                related_name="order_items", verbose_name=_("produk"))  # fmt: skip
    name = models.CharField(_("nama barang"), max_length=200)
    unit = models.CharField(_("satuan"), max_length=30, default="unit")
    quantity = models.PositiveIntegerField(_("jumlah"))
    unit_price = models.PositiveBigIntegerField(_("harga satuan (Rp)"))
    made_to_order = models.BooleanField(_("dibuat sesuai pesanan"), default=False)

    objects = RegionScopedQuerySet.as_manager()
    scope_region_field = "order__region"
    scope_post_field = "order__post"

    class Meta:
        verbose_name = _("barang pesanan")
        verbose_name_plural = _("barang pesanan")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(name="%(app_label)s_%(class)s_quantity", condition=models.Q(quantity__gte=1)),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.name}"

    @property
    def line_total(self) -> int:
        return self.quantity * self.unit_price


class OrderStep(models.Model):
    """One step of an order along its states: who moved it, when, and why."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="steps", verbose_name=_("pesanan"))
    from_state = models.CharField(_("dari tahap"), max_length=14, choices=Order.State.choices, blank=True)
    state = models.CharField(_("tahap"), max_length=14, choices=Order.State.choices)
    at = models.DateTimeField(_("waktu"))
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+", verbose_name=_("oleh"))  # fmt: skip
    note = models.CharField(_("keterangan"), max_length=300, blank=True)

    objects = RegionScopedQuerySet.as_manager()
    scope_region_field = "order__region"
    scope_post_field = "order__post"

    class Meta:
        verbose_name = _("tahap pesanan")
        verbose_name_plural = _("tahap pesanan")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.order} → {self.get_state_display()}"


class Payment(models.Model):
    """Money received for an order: down payment, instalment or settlement."""

    class Kind(models.TextChoices):
        DOWN_PAYMENT = "uang_muka", _("Uang muka")
        INSTALMENT = "cicilan", _("Cicilan")
        SETTLEMENT = "pelunasan", _("Pelunasan")

    class Method(models.TextChoices):
        CASH = "tunai", _("Tunai")
        TRANSFER = "transfer", _("Transfer bank")
        QRIS = "qris", _("QRIS")
        COD = "cod", _("Bayar di tempat (COD)")
        OTHER = "lainnya", _("Lainnya")

    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="payments", verbose_name=_("pesanan"))
    kind = models.CharField(_("jenis"), max_length=10, choices=Kind.choices)
    method = models.CharField(_("cara bayar"), max_length=10, choices=Method.choices)
    amount = models.PositiveBigIntegerField(_("jumlah (Rp)"))
    paid_on = models.DateField(_("tanggal bayar"))
    reference = models.CharField(_("nomor bukti/referensi"), max_length=100, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name=_("dicatat oleh"))  # fmt: skip
    created = models.DateTimeField(_("dicatat"), auto_now_add=True)

    objects = RegionScopedQuerySet.as_manager()
    scope_region_field = "order__region"
    scope_post_field = "order__post"

    class Meta:
        verbose_name = _("pembayaran")
        verbose_name_plural = _("pembayaran")
        ordering = ["paid_on", "pk"]
        constraints = [
            models.CheckConstraint(name="%(app_label)s_%(class)s_amount", condition=models.Q(amount__gte=1)),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount}"


class OrderDocument(models.Model):
    """A quote or invoice issued for an order, numbered per post per year without gaps."""

    class Kind(models.TextChoices):
        QUOTE = "penawaran", _("Surat penawaran")
        INVOICE = "faktur", _("Faktur/invoice")

    #: Number prefix per kind, e.g. PNW/MP-PKL/2026/0007.
    PREFIX = {"penawaran": "PNW", "faktur": "INV"}

    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="documents", verbose_name=_("pesanan"))
    post = models.ForeignKey("posts.Post", on_delete=models.PROTECT, related_name="+", verbose_name=_("pos"))
    kind = models.CharField(_("jenis"), max_length=10, choices=Kind.choices)
    year = models.PositiveSmallIntegerField(_("tahun"))
    seq = models.PositiveIntegerField(_("nomor urut"))
    number = models.CharField(_("nomor"), max_length=60)
    issued_at = models.DateTimeField(_("diterbitkan"))
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+", verbose_name=_("oleh"))  # fmt: skip
    total = models.PositiveBigIntegerField(_("total (Rp)"))
    #: What the document said when issued (items, prices, buyer), so a reprint never changes.
    content = models.JSONField(_("isi"), default=dict)

    objects = RegionScopedQuerySet.as_manager()
    scope_region_field = "order__region"
    scope_post_field = "order__post"

    class Meta:
        verbose_name = _("dokumen pesanan")
        verbose_name_plural = _("dokumen pesanan")
        ordering = ["issued_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["post", "kind", "year", "seq"], name="%(app_label)s_%(class)s_seq"),
            models.UniqueConstraint(fields=["post", "number"], name="%(app_label)s_%(class)s_number"),
        ]

    def __str__(self) -> str:
        return self.number


class DocumentCounter(models.Model):
    """The last number used per post, kind and year; locked while the next number is taken."""

    post = models.ForeignKey("posts.Post", on_delete=models.CASCADE, related_name="+", verbose_name=_("pos"))
    kind = models.CharField(_("jenis"), max_length=10, choices=OrderDocument.Kind.choices)
    year = models.PositiveSmallIntegerField(_("tahun"))
    last = models.PositiveIntegerField(_("nomor terakhir"), default=0)

    class Meta:
        verbose_name = _("penghitung nomor dokumen")
        verbose_name_plural = _("penghitung nomor dokumen")
        constraints = [
            models.UniqueConstraint(fields=["post", "kind", "year"], name="%(app_label)s_%(class)s_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.post_id} {self.kind} {self.year}: {self.last}"


class SalesMonth(models.Model):
    """Sales of one post in one month, summed by product, buyer province, channel and in/out of region.

    Rebuilt for a (post, month) whenever an order of that month changes, so the analysis reads a few
    hundred rows instead of millions of orders. Counted: orders confirmed and not cancelled or returned.
    """

    post = models.ForeignKey("posts.Post", on_delete=models.CASCADE, related_name="+", verbose_name=_("pos"))
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("wilayah pos"))  # fmt: skip
    month = models.DateField(_("bulan"))
    product = models.ForeignKey("products.Product", null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="+", verbose_name=_("produk"))  # fmt: skip
    product_name = models.CharField(_("nama produk"), max_length=200)
    buyer_province_code = models.CharField(_("provinsi pembeli"), max_length=2, blank=True)
    out_of_region = models.BooleanField(_("luar daerah"), default=False)
    out_of_province = models.BooleanField(_("luar provinsi"), default=False)
    channel = models.CharField(_("saluran"), max_length=14, choices=Order.Channel.choices)
    #: Orders holding this product in this row's group (an order of two products counts in both rows).
    orders = models.PositiveIntegerField(_("pesanan"), default=0)
    #: Each order counted once, on one row of its (post, month, province, region flags, channel) group: sums over
    #: anything but the product give the number of distinct orders.
    orders_once = models.PositiveIntegerField(_("pesanan (dihitung sekali)"), default=0)
    quantity = models.PositiveBigIntegerField(_("jumlah"), default=0)
    amount = models.PositiveBigIntegerField(_("nilai (Rp)"), default=0)

    objects = RegionScopedQuerySet.as_manager()
    scope_region_field = "region"
    scope_post_field = "post"

    class Meta:
        verbose_name = _("rekap penjualan bulanan")
        verbose_name_plural = _("rekap penjualan bulanan")
        indexes = [
            # Two covering indexes: a post's year is read from the index alone, by group and by product.
            models.Index(
                fields=[
                    *("post", "month", "buyer_province_code", "out_of_region", "out_of_province", "channel"),
                    *("orders_once", "quantity", "amount"),
                ],
                name="orders_salesmonth_groups",
            ),
            models.Index(
                fields=["post", "month", "product", "product_name", "orders", "quantity", "amount"],
                name="orders_salesmonth_products",
            ),
            models.Index(fields=["region", "month"], name="orders_salesmonth_region"),
        ]

    def __str__(self) -> str:
        return f"{self.post_id} {self.month:%Y-%m} {self.product_name}"
