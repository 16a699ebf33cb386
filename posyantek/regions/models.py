"""The Kemendagri region tree: provinsi → kabupaten/kota → kecamatan → desa/kelurahan."""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class Region(models.Model):
    """A region, keyed by its dotted Kemendagri code, which is also its path in the tree."""

    class Level(models.IntegerChoices):
        PROVINCE = 1, _("Provinsi")
        REGENCY = 2, _("Kabupaten/Kota")
        DISTRICT = 3, _("Kecamatan")
        VILLAGE = 4, _("Desa/Kelurahan")

    class Kind(models.TextChoices):
        PROVINSI = "provinsi", _("Provinsi")
        KABUPATEN = "kabupaten", _("Kabupaten")
        KOTA = "kota", _("Kota")
        KECAMATAN = "kecamatan", _("Kecamatan")
        DISTRIK = "distrik", _("Distrik")
        KELURAHAN = "kelurahan", _("Kelurahan")
        DESA = "desa", _("Desa")
        DESA_ADAT = "desa_adat", _("Desa adat")

    code = models.CharField(_("kode"), max_length=13, primary_key=True)
    name = models.CharField(_("nama"), max_length=120, db_index=True)
    level = models.PositiveSmallIntegerField(_("tingkat"), choices=Level.choices, db_index=True)
    kind = models.CharField(_("jenis"), max_length=12, choices=Kind.choices)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children", verbose_name=_("induk")
    )
    postal_code = models.CharField(_("kode pos"), max_length=5, blank=True)

    class Meta:
        verbose_name = _("wilayah")
        verbose_name_plural = _("wilayah")
        ordering = ["code"]

    def __str__(self) -> str:
        # Province and regency names already say what they are ("Kota Pekalongan", "Kabupaten Batang").
        return self.name if self.level <= 2 else f"{self.get_kind_display()} {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("regions:region_detail", args=[self.code])

    @property
    def ancestor_codes(self) -> list[str]:
        """Return the codes of the region's ancestors, from the province down."""
        parts = self.code.split(".")
        return [".".join(parts[:i]) for i in range(1, len(parts))]

    def path_text(self) -> str:
        """Return the region with the regions above it, nearest first: "Kecamatan Mariso, Kota Makassar, …"."""
        codes = self.ancestor_codes
        names = {r.code: str(r) for r in Region.objects.filter(code__in=codes)} if codes else {}
        return ", ".join([str(self), *(names[c] for c in reversed(codes) if c in names)])

    @property
    def level_slug(self) -> str:
        return {1: "provinsi", 2: "kabupaten_kota", 3: "kecamatan", 4: "desa_kelurahan"}[self.level]
