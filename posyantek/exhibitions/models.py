"""Exhibitions and roadshows a post takes part in: products taken, costs, visitors, leads, orders and offers.

domain.md §4.12, §5.5: direncanakan → produk_dipilih → berlangsung (leads, orders, transactions logged) → selesai
(report: visitors, transactions, cooperation offers). Money is whole rupiah.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from posyantek.core.lib.phone import display_phone
from posyantek.core.models import RegionScopedModel
from posyantek.core.scoping import RegionScopedQuerySet
from posyantek.trainings.models import Bintek

#: Funding sources, the same list as Bintek's until the finance app owns it.
Funding = Bintek.Funding


class Exhibition(RegionScopedModel):
    """An exhibition, fair or roadshow one post takes part in; `region` is the post's region (scoping)."""

    class Level(models.TextChoices):
        KECAMATAN = "kecamatan", _("Kecamatan")
        KABKOTA = "kabkota", _("Kabupaten/kota")
        PROVINCE = "provinsi", _("Provinsi")
        NATIONAL = "nasional", _("Nasional")
        INTERNATIONAL = "internasional", _("Internasional")

    class Kind(models.TextChoices):
        EXHIBITION = "pameran", _("Pameran/expo")
        ROADSHOW = "roadshow", _("Roadshow ke kota lain")
        BUSINESS_MEETING = "temu_bisnis", _("Temu bisnis")

    class State(models.TextChoices):
        PLANNED = "direncanakan", _("Direncanakan")
        PRODUCTS_CHOSEN = "produk_dipilih", _("Produk dipilih")
        RUNNING = "berlangsung", _("Berlangsung")
        DONE = "selesai", _("Selesai")
        CANCELLED = "dibatalkan", _("Dibatalkan")

    post = models.ForeignKey("posts.Post", on_delete=models.PROTECT, related_name="exhibitions",
                             verbose_name=_("pos"))  # fmt: skip
    name = models.CharField(_("nama acara"), max_length=200)
    kind = models.CharField(_("jenis"), max_length=12, choices=Kind.choices, default=Kind.EXHIBITION)
    level = models.CharField(_("tingkat"), max_length=14, choices=Level.choices)
    starts_on = models.DateField(_("tanggal mulai"))
    ends_on = models.DateField(_("tanggal selesai"))
    venue = models.CharField(_("tempat"), max_length=300, blank=True)
    venue_region = models.ForeignKey("regions.Region", null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+", verbose_name=_("wilayah tempat"))  # fmt: skip
    organiser = models.CharField(_("penyelenggara"), max_length=200, blank=True)
    state = models.CharField(_("tahap"), max_length=16, choices=State.choices, default=State.PLANNED)
    visitors = models.PositiveIntegerField(_("pengunjung stan"), default=0)
    report_text = models.TextField(_("laporan"), blank=True)

    scope_post_field = "post"

    class Meta:
        verbose_name = _("pameran/roadshow")
        verbose_name_plural = _("pameran dan roadshow")
        ordering = ["-starts_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                name="%(app_label)s_%(class)s_dates", condition=models.Q(ends_on__gte=models.F("starts_on"))
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("exhibitions:exhibition_detail", args=[self.pk])


class _ExhibitionChild(models.Model):
    objects = RegionScopedQuerySet.as_manager()
    scope_region_field = "exhibition__region"
    scope_post_field = "exhibition__post"

    class Meta:
        abstract = True


class ExhibitionStep(_ExhibitionChild):
    """One step of an exhibition along its states."""

    exhibition = models.ForeignKey(Exhibition, on_delete=models.CASCADE, related_name="steps",
                                   verbose_name=_("pameran"))  # fmt: skip
    state = models.CharField(_("tahap"), max_length=16, choices=Exhibition.State.choices)
    at = models.DateTimeField(_("waktu"))
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+", verbose_name=_("oleh"))  # fmt: skip
    note = models.CharField(_("keterangan"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("tahap pameran")
        verbose_name_plural = _("tahap pameran")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.exhibition} → {self.get_state_display()}"


class ExhibitionProduct(_ExhibitionChild):
    """A product taken to an exhibition, and how many."""

    exhibition = models.ForeignKey(Exhibition, on_delete=models.CASCADE, related_name="products",
                                   verbose_name=_("pameran"))  # fmt: skip
    product = models.ForeignKey("products.Product", on_delete=models.PROTECT, related_name="+",
                                verbose_name=_("produk"))  # fmt: skip
    quantity = models.PositiveIntegerField(_("jumlah dibawa"), default=1)
    note = models.CharField(_("keterangan"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("produk dibawa")
        verbose_name_plural = _("produk dibawa")
        constraints = [
            models.UniqueConstraint(fields=["exhibition", "product"], name="%(app_label)s_%(class)s_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.product}"


class ExhibitionCost(_ExhibitionChild):
    """A cost of taking part (stand rent, transport, lodging) and who paid it."""

    exhibition = models.ForeignKey(Exhibition, on_delete=models.CASCADE, related_name="costs",
                                   verbose_name=_("pameran"))  # fmt: skip
    item = models.CharField(_("uraian"), max_length=200)
    amount = models.PositiveBigIntegerField(_("jumlah (Rp)"))
    funding_source = models.CharField(_("sumber dana"), max_length=20, choices=Funding.choices)

    class Meta:
        verbose_name = _("biaya pameran")
        verbose_name_plural = _("biaya pameran")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.item


class Lead(_ExhibitionChild):
    """A visitor who showed interest: contact, what they want, whether it was followed up."""

    exhibition = models.ForeignKey(Exhibition, on_delete=models.CASCADE, related_name="leads",
                                   verbose_name=_("pameran"))  # fmt: skip
    name = models.CharField(_("nama"), max_length=200)
    phone = models.CharField(_("telepon/WhatsApp"), max_length=20, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    institution = models.CharField(_("instansi/usaha"), max_length=200, blank=True)
    region = models.ForeignKey("regions.Region", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="+", verbose_name=_("asal wilayah"))  # fmt: skip
    product = models.ForeignKey("products.Product", null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="+", verbose_name=_("produk diminati"))  # fmt: skip
    interest = models.CharField(_("minat"), max_length=300, blank=True)
    followed_up = models.BooleanField(_("sudah ditindaklanjuti"), default=False)
    order = models.ForeignKey("orders.Order", null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+", verbose_name=_("menjadi pesanan"))  # fmt: skip
    created = models.DateTimeField(_("dicatat"), auto_now_add=True)

    class Meta:
        verbose_name = _("calon pembeli")
        verbose_name_plural = _("calon pembeli")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name

    @property
    def phone_display(self) -> str:
        """Return the phone the way people read it, 0812-3456-7890."""
        return display_phone(self.phone) if self.phone else ""


class CooperationOffer(_ExhibitionChild):
    """A cooperation offer received at an exhibition (supply, distribution, joint production)."""

    class Status(models.TextChoices):
        OFFERED = "ditawarkan", _("Ditawarkan")
        DISCUSSED = "dibahas", _("Dibahas")
        AGREED = "disepakati", _("Disepakati")
        DECLINED = "ditolak", _("Ditolak")

    exhibition = models.ForeignKey(Exhibition, on_delete=models.CASCADE, related_name="offers",
                                   verbose_name=_("pameran"))  # fmt: skip
    partner = models.CharField(_("calon mitra"), max_length=200)
    description = models.TextField(_("isi tawaran"), blank=True)
    value = models.PositiveBigIntegerField(_("nilai (Rp)"), default=0)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.OFFERED)

    class Meta:
        verbose_name = _("tawaran kerja sama")
        verbose_name_plural = _("tawaran kerja sama")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.partner
