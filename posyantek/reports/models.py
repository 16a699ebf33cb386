"""Periodic reports a post sends up the network (domain.md §4.17, §5.9, §9).

Two kinds: the management report (laporan pengelolaan) for a quarter or a year, and the yearly work plan (rencana
kerja). A report is generated from the post's own data (its figures, frozen when the chair verifies it), carries
editable narrative sections, and moves draf → diverifikasi (by the chair) → dikirim (to the office above) →
diterima | dikembalikan (returned for revision: editable again, resubmitted after a new verification).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from posyantek.core.models import RegionScopedModel
from posyantek.core.scoping import RegionScopedQuerySet


class Report(RegionScopedModel):
    """One report of a post for one kind, year and period; `region` is the post's region (scoping)."""

    class Kind(models.TextChoices):
        MANAGEMENT = "pengelolaan", _("Laporan pengelolaan")
        WORK_PLAN = "rencana_kerja", _("Program dan rencana kerja")

    class Period(models.TextChoices):
        Q1 = "tw1", _("Triwulan I")
        Q2 = "tw2", _("Triwulan II")
        Q3 = "tw3", _("Triwulan III")
        Q4 = "tw4", _("Triwulan IV")
        YEAR = "tahunan", _("Tahunan")

    class State(models.TextChoices):
        # A context on each label: "Dikirim" alone is "Shipped" in the orders app, "Diterima" "Accepted" elsewhere.
        DRAFT = "draf", pgettext_lazy("report state", "Draf")
        VERIFIED = "diverifikasi", pgettext_lazy("report state", "Diverifikasi ketua")
        SUBMITTED = "dikirim", pgettext_lazy("report state", "Dikirim")
        RECEIVED = "diterima", pgettext_lazy("report state", "Diterima")
        RETURNED = "dikembalikan", pgettext_lazy("report state", "Dikembalikan untuk perbaikan")

    #: The narrative sections of each kind: (key, label, help text).
    SECTIONS: dict[str, list[tuple[str, str, str]]] = {
        "pengelolaan": [
            ("ringkasan", _("Ringkasan"), _("Gambaran umum pengelolaan pos pada periode ini.")),
            (
                "kegiatan_menonjol",
                _("Kegiatan menonjol"),
                _("Layanan, Bintek, pemasaran atau kerja sama yang patut dicatat."),
            ),  # fmt: skip
            ("kendala", _("Kendala"), _("Hambatan yang dihadapi dan penyebabnya.")),
            (
                "rencana_tindak_lanjut",
                _("Rencana tindak lanjut"),
                _("Apa yang akan dilakukan pada periode berikutnya."),
            ),  # fmt: skip
        ],
        "rencana_kerja": [
            ("program", _("Program"), _("Program pokok pos untuk tahun ini.")),
            (
                "sasaran",
                _("Sasaran dan target"),
                _("Sasaran yang terukur, misalnya jumlah layanan, Bintek, penjualan."),
            ),  # fmt: skip
            ("rencana_kegiatan", _("Rencana kegiatan"), _("Kegiatan per program beserta waktunya.")),
            ("rencana_anggaran", _("Rencana anggaran"), _("Perkiraan biaya dan sumber dananya.")),
            ("jadwal", _("Jadwal pelaksanaan"), _("Jadwal per triwulan atau per bulan.")),
        ],
    }
    #: States in which the narrative may change.
    EDITABLE = ("draf", "dikembalikan")
    #: States that count as "reported" for the office above.
    REPORTED = ("dikirim", "diterima")

    post = models.ForeignKey("posts.Post", on_delete=models.PROTECT, related_name="reports", verbose_name=_("pos"))
    kind = models.CharField(_("jenis laporan"), max_length=16, choices=Kind.choices)
    year = models.PositiveSmallIntegerField(_("tahun"))
    period = models.CharField(_("periode"), max_length=8, choices=Period.choices)
    state = models.CharField(_("status"), max_length=14, choices=State.choices, default=State.DRAFT)
    recipient = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("dikirim ke"))  # fmt: skip
    starts_on = models.DateField(_("data dari"))
    ends_on = models.DateField(_("data sampai"))
    figures = models.JSONField(_("angka"), default=dict, blank=True)
    figures_at = models.DateTimeField(_("angka dihitung pada"), null=True, blank=True)
    narrative = models.JSONField(_("uraian"), default=dict, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("disusun oleh"))  # fmt: skip
    verified_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name=_("diverifikasi oleh"))  # fmt: skip
    verified_at = models.DateTimeField(_("diverifikasi pada"), null=True, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+", verbose_name=_("dikirim oleh"))  # fmt: skip
    submitted_at = models.DateTimeField(_("dikirim pada"), null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("diputuskan oleh"))  # fmt: skip
    decided_at = models.DateTimeField(_("diputuskan pada"), null=True, blank=True)
    decision_note = models.TextField(_("catatan keputusan"), blank=True)

    scope_post_field = "post"

    class Meta:
        verbose_name = _("laporan")
        verbose_name_plural = _("laporan")
        ordering = ["-year", "-period", "post__name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["post", "kind", "year", "period"], name="%(app_label)s_%(class)s_once"),
            models.CheckConstraint(
                name="%(app_label)s_%(class)s_plan_yearly",
                condition=~models.Q(kind="rencana_kerja") | models.Q(period="tahunan"),
            ),
        ]
        indexes = [models.Index(fields=["kind", "year", "period", "state"], name="reports_report_period")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.period_label} · {self.post.name}"

    def get_absolute_url(self) -> str:
        return reverse("reports:report_detail", args=[self.pk])

    @property
    def period_label(self) -> str:
        """Return e.g. "Triwulan III 2026" or "2027"."""
        if self.period == self.Period.YEAR:
            return str(self.year)
        return f"{self.get_period_display()} {self.year}"

    @property
    def sections(self) -> list[tuple[str, str, str]]:
        return self.SECTIONS.get(self.kind, [])

    @property
    def section_texts(self) -> list[tuple[str, str, str]]:
        """Return (key, label, text) of each narrative section, in order."""
        texts = self.narrative or {}
        return [(key, str(label), texts.get(key, "")) for key, label, _help in self.sections]

    @property
    def is_editable(self) -> bool:
        return self.state in self.EDITABLE


def period_dates(kind: str, year: int, period: str) -> tuple[dt.date, dt.date]:
    """Return the dates a report's figures cover: the quarter or year; a work plan looks at the year before."""
    if kind == Report.Kind.WORK_PLAN:
        return dt.date(year - 1, 1, 1), dt.date(year - 1, 12, 31)
    if period == Report.Period.YEAR:
        return dt.date(year, 1, 1), dt.date(year, 12, 31)
    q = int(period[-1])
    start = dt.date(year, 3 * q - 2, 1)
    end = dt.date(year + 1, 1, 1) if q == 4 else dt.date(year, 3 * q + 1, 1)
    return start, end - dt.timedelta(days=1)


class ReportStep(models.Model):
    """One move of a report along its states."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="steps", verbose_name=_("laporan"))
    from_state = models.CharField(_("dari"), max_length=14, choices=Report.State.choices, blank=True)
    to_state = models.CharField(_("ke"), max_length=14, choices=Report.State.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+", verbose_name=_("oleh"))  # fmt: skip
    at = models.DateTimeField(_("waktu"))
    note = models.TextField(_("catatan"), blank=True)

    objects = RegionScopedQuerySet.as_manager()
    scope_region_field = "report__region"
    scope_post_field = "report__post"

    class Meta:
        verbose_name = _("langkah laporan")
        verbose_name_plural = _("langkah laporan")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.report_id}: {self.from_state or '–'} → {self.to_state}"
