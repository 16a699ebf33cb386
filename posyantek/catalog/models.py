"""Innovators ("people who are clever but lack the means") and what they need."""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from posyantek.core.models import RegionScopedModel
from posyantek.core.scoping import RegionScopedQuerySet


class Sector(models.TextChoices):
    """Where a technology is used (domain.md §7.1, proposed two-axis taxonomy)."""

    PERTANIAN = "pertanian", _("Pertanian")
    PETERNAKAN = "peternakan", _("Peternakan")
    PERIKANAN = "perikanan", _("Perikanan dan kelautan")
    KEHUTANAN = "kehutanan", _("Kehutanan")
    PANGAN = "pangan", _("Pengolahan pangan dan pascapanen")
    KERAJINAN = "kerajinan", _("Industri rumah tangga dan kerajinan")
    ENERGI = "energi", _("Energi")
    AIR = "air", _("Air bersih dan sanitasi")
    LINGKUNGAN = "lingkungan", _("Sampah dan lingkungan")
    KESEHATAN = "kesehatan", _("Kesehatan")
    INFRASTRUKTUR = "infrastruktur", _("Infrastruktur desa")
    TRANSPORTASI = "transportasi", _("Transportasi")
    DIGITAL = "digital", _("Informatika dan digital")
    KEBENCANAAN = "kebencanaan", _("Kebencanaan")
    LAINNYA = "lainnya", _("Lainnya")


class Innovator(RegionScopedModel):
    """A person or a group (kelompok) who makes technology, mentored by a post."""

    class Kind(models.TextChoices):
        PERSON = "perorangan", _("Perorangan")
        GROUP = "kelompok", _("Kelompok")

    kind = models.CharField(_("jenis"), max_length=12, choices=Kind.choices, default=Kind.PERSON)
    person = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="innovator_roles",
        verbose_name=_("orang"),
    )  # fmt: skip
    group_name = models.CharField(_("nama kelompok"), max_length=150, blank=True)
    members = models.ManyToManyField("people.Person", blank=True, related_name="innovator_groups",
                                     verbose_name=_("anggota kelompok"))  # fmt: skip
    post = models.ForeignKey("posts.Post", on_delete=models.PROTECT, related_name="innovators",
                             verbose_name=_("pos pembina"))  # fmt: skip
    sector = models.CharField(_("bidang utama"), max_length=20, choices=Sector.choices)
    skills = models.CharField(_("keahlian"), max_length=300, blank=True)
    works = models.TextField(_("karya yang sudah dibuat"), blank=True)
    note = models.TextField(_("catatan"), blank=True)

    scope_post_field = "post"

    class Meta:
        verbose_name = _("inovator")
        verbose_name_plural = _("inovator")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                name="%(app_label)s_%(class)s_person_or_group",
                condition=(models.Q(kind="perorangan", person__isnull=False))
                | (models.Q(kind="kelompok") & ~models.Q(group_name="")),
            )
        ]

    def __str__(self) -> str:
        if self.kind == self.Kind.GROUP:
            return self.group_name
        return str(self.person) if self.person_id else "–"

    def get_absolute_url(self) -> str:
        return reverse("catalog:innovator_detail", args=[self.pk])


class Need(models.Model):
    """Something an innovator lacks (sarana), and how far it has been met."""

    class Kind(models.TextChoices):
        TOOLS = "alat", _("Alat dan mesin")
        WORKSHOP = "tempat", _("Tempat kerja/bengkel")
        MATERIALS = "bahan", _("Bahan")
        CAPITAL = "modal", _("Modal")
        MENTORING = "pendampingan", _("Pendampingan")
        CERTIFICATION = "sertifikasi", _("Sertifikasi dan HKI")
        MARKET = "pasar", _("Akses pasar")

    class Status(models.TextChoices):
        IDENTIFIED = "teridentifikasi", _("Teridentifikasi")
        HELPED = "dibantu", _("Sedang dibantu")
        MET = "terpenuhi", _("Terpenuhi")

    innovator = models.ForeignKey(Innovator, on_delete=models.CASCADE, related_name="needs",
                                  verbose_name=_("inovator"))  # fmt: skip
    kind = models.CharField(_("jenis kebutuhan"), max_length=15, choices=Kind.choices)
    description = models.CharField(_("uraian"), max_length=300)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.IDENTIFIED)
    helper = models.CharField(_("dibantu oleh"), max_length=200, blank=True)
    created = models.DateTimeField(_("dibuat"), auto_now_add=True)
    updated = models.DateTimeField(_("diperbarui"), auto_now=True)
    version = models.PositiveIntegerField(_("versi"), default=1, editable=False)

    objects = RegionScopedQuerySet.as_manager()
    scope_region_field = "innovator__region"
    scope_post_field = "innovator__post"

    class Meta:
        verbose_name = _("kebutuhan sarana")
        verbose_name_plural = _("kebutuhan sarana")
        ordering = ["status", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.description}"

    @property
    def region_id(self) -> str:
        return self.innovator.region_id

    @property
    def post_id(self) -> int:
        return self.innovator.post_id
