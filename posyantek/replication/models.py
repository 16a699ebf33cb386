"""The replication kit: what a post shows regions that want to copy it, and their progress toward it.

A post's kit (`Kit`) is its public page (legal basis, funding, board, services, Bintek, products, partners, awards)
plus a checklist (`KitItem`). A region adopts a kit (`KitAdoption`) for some of its posts (`AdoptionPost`), and each
post ticks the items it has reached (`ChecklistTick`), with evidence where the item asks for it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from posyantek.core.models import RegionScopedModel
from posyantek.core.scoping import RegionScopedQuerySet


def replication_file_path(instance: models.Model, filename: str) -> str:
    return f"replikasi/{type(instance).__name__.lower()}/{filename}"


class Award(RegionScopedModel):
    """An award a post received (e.g. best Posyantek nationally, 2013)."""

    class Level(models.TextChoices):
        KABKOTA = "kabkota", _("Kabupaten/kota")
        PROVINCE = "provinsi", _("Provinsi")
        NATIONAL = "nasional", _("Nasional")
        OTHER = "lainnya", _("Lainnya")

    post = models.ForeignKey("posts.Post", on_delete=models.PROTECT, related_name="awards",
                             verbose_name=_("pos"))  # fmt: skip
    year = models.PositiveSmallIntegerField(_("tahun"))
    title = models.CharField(_("penghargaan"), max_length=300)
    level = models.CharField(_("tingkat"), max_length=10, choices=Level.choices)
    issuer = models.CharField(_("pemberi"), max_length=200, blank=True)

    scope_post_field = "post"

    class Meta:
        verbose_name = _("penghargaan")
        verbose_name_plural = _("penghargaan")
        ordering = ["-year", "pk"]

    def __str__(self) -> str:
        return f"{self.title} ({self.year})"


class Kit(RegionScopedModel):
    """A post's replication kit: its public summary and the checklist others follow."""

    post = models.OneToOneField("posts.Post", on_delete=models.PROTECT, related_name="kit", verbose_name=_("pos"))
    title = models.CharField(_("judul"), max_length=200)
    summary = models.TextField(_("ringkasan (apa yang bisa ditiru)"), blank=True)
    lessons = models.TextField(_("kunci keberhasilan"), blank=True)
    published = models.BooleanField(_("diterbitkan untuk umum"), default=False)

    scope_post_field = "post"

    class Meta:
        verbose_name = _("kit replikasi")
        verbose_name_plural = _("kit replikasi")
        ordering = ["title", "pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("replication:kit_public", args=[self.post.slug])


class KitItem(models.Model):
    """One step of a kit's checklist (regulation in place, SK and SKT, board, office, first Bintek…)."""

    class Source(models.TextChoices):
        """Where the system can see an item reached by itself; `manual` items are ticked by people only."""

        MANUAL = "manual", _("Dicentang manual")
        REGULATION = "regulasi", _("Ada regulasi pendanaan")
        SK = "sk", _("Ada SK pembentukan")
        SKT = "skt", _("Ada SKT berlaku")
        BOARD = "pengurus", _("Ada kepengurusan berjalan")
        OFFICE = "kantor", _("Ada sekretariat")
        BINTEK = "bintek", _("Bintek pertama")
        PRODUCT = "produk", _("Produk pertama")
        PARTNER = "mitra", _("Mitra pertama")
        REQUEST = "layanan", _("Permohonan layanan pertama")
        ORDER = "pesanan", _("Pesanan pertama")

    kit = models.ForeignKey(Kit, on_delete=models.CASCADE, related_name="items", verbose_name=_("kit"))
    order = models.PositiveSmallIntegerField(_("urutan"), default=0)
    title = models.CharField(_("langkah"), max_length=200)
    description = models.TextField(_("penjelasan"), blank=True)
    evidence_required = models.BooleanField(_("wajib bukti"), default=False)
    evidence_hint = models.CharField(_("bukti yang diminta"), max_length=200, blank=True)
    source = models.CharField(_("terdeteksi dari data"), max_length=10, choices=Source.choices,
                              default=Source.MANUAL)  # fmt: skip
    version = models.PositiveIntegerField(_("versi"), default=1, editable=False)

    objects = RegionScopedQuerySet.as_manager()
    scope_region_field = "kit__region"
    scope_post_field = "kit__post"

    class Meta:
        verbose_name = _("langkah kit")
        verbose_name_plural = _("langkah kit")
        ordering = ["kit", "order", "pk"]

    def __str__(self) -> str:
        return self.title


class KitAdoption(RegionScopedModel):
    """A region adopting a kit for its posts; `region` is the adopting region (e.g. DKI Jakarta, 31)."""

    kit = models.ForeignKey(Kit, on_delete=models.PROTECT, related_name="adoptions", verbose_name=_("kit"))
    name = models.CharField(_("nama program"), max_length=200)
    started_on = models.DateField(_("mulai"))
    target_on = models.DateField(_("target selesai"), null=True, blank=True)
    note = models.TextField(_("catatan"), blank=True)
    adopted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("diadopsi oleh"))  # fmt: skip

    class Meta:
        verbose_name = _("adopsi kit")
        verbose_name_plural = _("adopsi kit")
        ordering = ["-started_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                name="%(app_label)s_%(class)s_dates",
                condition=models.Q(target_on__isnull=True) | models.Q(target_on__gte=models.F("started_on")),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("replication:adoption_detail", args=[self.pk])


class AdoptionPost(models.Model):
    """A post taking part in an adoption, with its progress kept in step with its ticks."""

    adoption = models.ForeignKey(KitAdoption, on_delete=models.CASCADE, related_name="posts",
                                 verbose_name=_("adopsi"))  # fmt: skip
    post = models.ForeignKey("posts.Post", on_delete=models.PROTECT, related_name="adoptions",
                             verbose_name=_("pos"))  # fmt: skip
    done_count = models.PositiveSmallIntegerField(_("langkah tercapai"), default=0)
    #: The latest date a step was reached (the ticks' `done_on`): shows which posts have stalled.
    last_done_on = models.DateField(_("langkah terakhir tercapai"), null=True, blank=True)
    last_ticked_at = models.DateTimeField(_("terakhir diperbarui"), null=True, blank=True)
    version = models.PositiveIntegerField(_("versi"), default=1, editable=False)

    objects = RegionScopedQuerySet.as_manager()
    scope_region_field = "post__region"
    scope_post_field = "post"

    class Meta:
        verbose_name = _("pos peserta adopsi")
        verbose_name_plural = _("pos peserta adopsi")
        ordering = ["adoption", "post__name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["adoption", "post"], name="%(app_label)s_%(class)s_unique"),
        ]
        # The progress page counts and filters an adoption's posts by how far they have come.
        indexes = [models.Index(fields=["adoption", "done_count"], name="replication_adoptionpost_done")]

    def __str__(self) -> str:
        return f"{self.post} — {self.adoption}"


class ChecklistTick(models.Model):
    """A checklist item a post has reached, with its evidence."""

    adoption_post = models.ForeignKey(AdoptionPost, on_delete=models.CASCADE, related_name="ticks",
                                      verbose_name=_("pos peserta"))  # fmt: skip
    item = models.ForeignKey(KitItem, on_delete=models.CASCADE, related_name="ticks", verbose_name=_("langkah"))
    done_on = models.DateField(_("tercapai pada"))
    evidence_file = models.FileField(_("berkas bukti"), upload_to=replication_file_path, blank=True)
    evidence_note = models.CharField(_("keterangan bukti (nomor dokumen, tautan)"), max_length=300, blank=True)
    ticked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+", verbose_name=_("dicentang oleh"))  # fmt: skip
    ticked_at = models.DateTimeField(_("waktu dicentang"))
    from_data = models.BooleanField(_("dicentang dari data"), default=False)

    objects = RegionScopedQuerySet.as_manager()
    scope_region_field = "adoption_post__post__region"
    scope_post_field = "adoption_post__post"

    class Meta:
        verbose_name = _("langkah tercapai")
        verbose_name_plural = _("langkah tercapai")
        ordering = ["item__order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["adoption_post", "item"], name="%(app_label)s_%(class)s_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.adoption_post.post}: {self.item}"
