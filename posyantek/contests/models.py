"""Contests (lomba): rubrics, editions, entries with their dossier, judging, results, and the hash-chained log.

domain.md §4.16, §5.8, §6. A `Rubric` (criteria → indicators → a scale with anchors, weights, stage weights) is
versioned; an `Edition` (category, year, level, region) uses one. A post (or a TTG with its innovators) enters
(`Entry`), builds its dossier (`DossierItem` per indicator with `DossierFile`s, and a self-assessment pre-filled
from the system's own data), and is judged per stage by a `Panel` of `PanelJudge`s on `ScoreSheet`s of `Score`s.
`Result` holds the computed, published ranking. Every score, lock, rubric change and publication is appended to
`ContestLog`, where each row carries the hash of the one before (chain.py).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from posyantek.core.scoping import RegionScopedQuerySet


def contest_file_path(instance: models.Model, filename: str) -> str:
    return f"lomba/{type(instance).__name__.lower()}/{filename}"


class Category(models.TextChoices):
    POSYANTEK = "posyantek_berprestasi", _("Posyantek Berprestasi")
    INOVASI = "inovasi_ttg", _("Inovasi TTG")
    UNGGULAN = "ttg_unggulan", _("TTG Unggulan")


class Level(models.TextChoices):
    KABKOTA = "kabkota", _("Kabupaten/kota")
    PROVINCE = "provinsi", _("Provinsi")
    NATIONAL = "nasional", _("Nasional")


#: The level an edition's winners are forwarded to.
NEXT_LEVEL = {Level.KABKOTA: Level.PROVINCE, Level.PROVINCE: Level.NATIONAL, Level.NATIONAL: None}
#: The region level (regions.Region.level) an edition of each contest level covers; national covers no region.
REGION_LEVEL = {Level.KABKOTA: 2, Level.PROVINCE: 1, Level.NATIONAL: None}


class Stage(models.TextChoices):
    """The judged stages; each has a weight in the rubric."""

    ADMIN = "administrasi", _("Seleksi administrasi")
    FIELD = "lapangan", _("Verifikasi lapangan")
    PRESENTATION = "presentasi", _("Presentasi")


# ---------------------------------------------------------------- rubrics


class Rubric(models.Model):
    """A versioned scoring rubric. Region null = a national template anyone may copy.

    A rubric used by an edition past `persiapan` is in use and cannot change (`is_in_use`); a new version can
    (`previous` points to the version it was copied from; `family` groups the versions).
    """

    region = models.ForeignKey("regions.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("wilayah pemilik"))  # fmt: skip
    family = models.CharField(_("kode rubrik"), max_length=60, help_text=_("Sama untuk semua versi satu rubrik."))
    version_no = models.PositiveSmallIntegerField(_("versi"), default=1)
    previous = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="next_versions",
                                 verbose_name=_("disalin dari"))  # fmt: skip
    name = models.CharField(_("nama"), max_length=200)
    category = models.CharField(_("kategori"), max_length=30, choices=Category.choices)
    year = models.PositiveSmallIntegerField(_("tahun juknis"), null=True, blank=True)
    notes = models.TextField(_("catatan / dasar juknis"), blank=True)
    scale_min = models.PositiveSmallIntegerField(_("skor terendah"), default=1)
    scale_max = models.PositiveSmallIntegerField(_("skor tertinggi"), default=4)
    weight_admin = models.PositiveSmallIntegerField(_("bobot seleksi administrasi (%)"), default=30)
    weight_field = models.PositiveSmallIntegerField(_("bobot verifikasi lapangan (%)"), default=40)
    weight_presentation = models.PositiveSmallIntegerField(_("bobot presentasi (%)"), default=30)
    is_template = models.BooleanField(_("templat bawaan"), default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("dibuat oleh"))  # fmt: skip
    created = models.DateTimeField(_("dibuat"), auto_now_add=True)
    updated = models.DateTimeField(_("diperbarui"), auto_now=True)
    version = models.PositiveIntegerField(_("versi data"), default=1, editable=False)

    objects = RegionScopedQuerySet.as_manager()
    scope_region_field = "region"
    scope_post_field = None

    class Meta:
        verbose_name = _("rubrik penilaian")
        verbose_name_plural = _("rubrik penilaian")
        ordering = ["family", "-version_no"]
        constraints = [
            models.UniqueConstraint(fields=["family", "version_no"], name="contests_rubric_family_version"),
            models.CheckConstraint(condition=Q(scale_max__gt=models.F("scale_min")), name="contests_rubric_scale"),
        ]

    def __str__(self) -> str:
        return f"{self.name} (v{self.version_no})"

    def get_absolute_url(self) -> str:
        return reverse("contests:rubric_detail", args=[self.pk])

    def stage_weight(self, stage: str) -> int:
        return {Stage.ADMIN: self.weight_admin, Stage.FIELD: self.weight_field,
                Stage.PRESENTATION: self.weight_presentation}[stage]  # fmt: skip

    @property
    def is_in_use(self) -> bool:
        return self.editions.exclude(state=Edition.State.DRAFT).exists()


class Criterion(models.Model):
    """A criterion (A Kelembagaan, B Administrasi, …) with its weight in % of the rubric."""

    rubric = models.ForeignKey(Rubric, on_delete=models.CASCADE, related_name="criteria", verbose_name=_("rubrik"))
    code = models.CharField(_("kode"), max_length=10)
    title = models.CharField(_("kriteria"), max_length=200)
    weight = models.PositiveSmallIntegerField(_("bobot (%)"))
    order = models.PositiveSmallIntegerField(_("urutan"), default=0)

    class Meta:
        verbose_name = _("kriteria")
        verbose_name_plural = _("kriteria")
        ordering = ["rubric", "order", "code"]
        constraints = [models.UniqueConstraint(fields=["rubric", "code"], name="contests_criterion_code")]

    def __str__(self) -> str:
        return f"{self.code}. {self.title}"


class Indicator(models.Model):
    """An indicator scored on the rubric's scale; its weight is in % of its criterion.

    `anchors` maps each score (as text, "1".."4") to what that score means. `evidence` says which documents prove
    it; when `evidence_mandatory`, a dossier cannot be submitted without a file for it. `prefill_key` names the
    system figure (prefill.FIGURES) shown beside it in the self-assessment.
    """

    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="indicators",
                                  verbose_name=_("kriteria"))  # fmt: skip
    code = models.CharField(_("kode"), max_length=10)
    title = models.CharField(_("indikator"), max_length=300)
    weight = models.PositiveSmallIntegerField(_("bobot dalam kriteria (%)"))
    anchors = models.JSONField(_("arti tiap skor"), default=dict, blank=True)
    evidence = models.CharField(_("bukti yang diminta"), max_length=300, blank=True)
    evidence_mandatory = models.BooleanField(_("bukti wajib"), default=False)
    prefill_key = models.CharField(_("angka dari sistem"), max_length=40, blank=True)
    order = models.PositiveSmallIntegerField(_("urutan"), default=0)

    class Meta:
        verbose_name = _("indikator")
        verbose_name_plural = _("indikator")
        ordering = ["criterion__order", "order", "code"]
        constraints = [models.UniqueConstraint(fields=["criterion", "code"], name="contests_indicator_code")]

    def __str__(self) -> str:
        return f"{self.code}. {self.title}"


# ---------------------------------------------------------------- editions


class Edition(models.Model):
    """One contest: a category in a year at a level, covering a region (null = the nation)."""

    class State(models.TextChoices):
        DRAFT = "persiapan", _("Persiapan")
        ANNOUNCED = "pengumuman", _("Pengumuman")
        REGISTRATION = "pendaftaran", _("Pendaftaran")
        ADMIN = "seleksi_administrasi", _("Seleksi administrasi")
        FIELD = "penilaian_lapangan", _("Verifikasi lapangan")
        PRESENTATION = "presentasi", _("Presentasi")
        PLENARY = "pleno", _("Rapat pleno")
        DECIDED = "penetapan", _("Penetapan juara")
        CLOSED = "selesai", _("Selesai")

    name = models.CharField(_("nama lomba"), max_length=250)
    category = models.CharField(_("kategori"), max_length=30, choices=Category.choices)
    year = models.PositiveSmallIntegerField(_("tahun"))
    level = models.CharField(_("tingkat"), max_length=10, choices=Level.choices)
    region = models.ForeignKey("regions.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("wilayah lomba"))  # fmt: skip
    organiser = models.CharField(_("penyelenggara"), max_length=250)
    rubric = models.ForeignKey(Rubric, on_delete=models.PROTECT, related_name="editions", verbose_name=_("rubrik"))
    state = models.CharField(_("tahap"), max_length=25, choices=State.choices, default=State.DRAFT)
    period_start = models.DateField(_("periode data dari"))
    period_end = models.DateField(_("periode data sampai"))
    guidelines = models.FileField(_("juknis (PDF)"), upload_to=contest_file_path, blank=True)
    description = models.TextField(_("keterangan"), blank=True)
    forward_count = models.PositiveSmallIntegerField(_("jumlah juara diteruskan"), default=1)
    normalise = models.BooleanField(_("normalisasi skor juri (z-score)"), default=False)
    tie_rule = models.CharField(_("urutan kriteria pemecah nilai sama"), max_length=60, default="E,D", blank=True,
                                help_text=_("Kode kriteria dipisah koma, mis. E,D."))  # fmt: skip
    plenary_date = models.DateField(_("tanggal rapat pleno"), null=True, blank=True)
    plenary_place = models.CharField(_("tempat rapat pleno"), max_length=200, blank=True)
    plenary_notes = models.TextField(_("catatan pleno"), blank=True)
    minutes_number = models.CharField(_("nomor berita acara"), max_length=100, blank=True)
    decree_number = models.CharField(_("nomor SK penetapan juara"), max_length=100, blank=True)
    decree_date = models.DateField(_("tanggal SK"), null=True, blank=True)
    signatory_name = models.CharField(_("penandatangan SK"), max_length=150, blank=True)
    signatory_title = models.CharField(_("jabatan penandatangan"), max_length=150, blank=True)
    computed_at = models.DateTimeField(_("hasil dihitung"), null=True, blank=True)
    published_at = models.DateTimeField(_("hasil diumumkan"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("dibuat oleh"))  # fmt: skip
    created = models.DateTimeField(_("dibuat"), auto_now_add=True)
    updated = models.DateTimeField(_("diperbarui"), auto_now=True)
    version = models.PositiveIntegerField(_("versi data"), default=1, editable=False)

    objects = RegionScopedQuerySet.as_manager()
    scope_region_field = "region"
    scope_post_field = None

    class Meta:
        verbose_name = _("lomba")
        verbose_name_plural = _("lomba")
        ordering = ["-year", "category", "level", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")), name="contests_edition_period"
            ),  # fmt: skip
            models.CheckConstraint(
                condition=Q(level="nasional", region__isnull=True) | (~Q(level="nasional") & Q(region__isnull=False)),
                name="contests_edition_region_level",
            ),  # fmt: skip
        ]
        indexes = [models.Index(fields=["category", "year", "level"], name="contests_edition_cat_year")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("contests:edition_detail", args=[self.pk])

    def get_public_url(self) -> str:
        return reverse("contests:public_edition", args=[self.pk])

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    @property
    def region_label(self) -> str:
        return self.region.name if self.region_id else str(_("Nasional"))


class EditionStage(models.Model):
    """A step of an edition's schedule (registration, administration, field, presentation, plenary, award)."""

    class Kind(models.TextChoices):
        REGISTRATION = "pendaftaran", _("Pendaftaran dan unggah dossier")
        ADMIN = "administrasi", _("Seleksi administrasi")
        FIELD = "lapangan", _("Verifikasi lapangan")
        PRESENTATION = "presentasi", _("Presentasi")
        PLENARY = "pleno", _("Rapat pleno")
        DECREE = "penetapan", _("Penetapan juara")
        AWARD = "penganugerahan", _("Penganugerahan")

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="stages", verbose_name=_("lomba"))
    kind = models.CharField(_("tahap"), max_length=20, choices=Kind.choices)
    starts = models.DateField(_("mulai"))
    deadline = models.DateField(_("batas akhir"))
    note = models.CharField(_("keterangan"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("jadwal tahap")
        verbose_name_plural = _("jadwal tahap")
        ordering = ["edition", "starts", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["edition", "kind"], name="contests_stage_kind"),
            models.CheckConstraint(condition=Q(deadline__gte=models.F("starts")), name="contests_stage_dates"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.starts}–{self.deadline}"


class Prize(models.Model):
    """A prize of an edition: rank 1–3 for juara, 4–6 for harapan I–III (or anything the juknis names)."""

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="prizes", verbose_name=_("lomba"))
    rank = models.PositiveSmallIntegerField(_("peringkat"))
    title = models.CharField(_("sebutan"), max_length=100)
    amount = models.PositiveBigIntegerField(_("uang pembinaan (Rp)"), default=0)
    other = models.CharField(_("hadiah lain"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("hadiah")
        verbose_name_plural = _("hadiah")
        ordering = ["edition", "rank"]
        constraints = [models.UniqueConstraint(fields=["edition", "rank"], name="contests_prize_rank")]

    def __str__(self) -> str:
        return self.title


# ---------------------------------------------------------------- entries and dossiers


class Entry(models.Model):
    """A post (or a TTG of a post, with its innovators) entered in an edition, or forwarded from the level below."""

    class State(models.TextChoices):
        DRAFT = "terdaftar", _("Terdaftar (menyusun dossier)")
        SUBMITTED = "diajukan", _("Dossier diajukan")
        RETURNED = "dikembalikan", _("Dikembalikan untuk perbaikan")
        PASSED = "lolos_administrasi", _("Lolos administrasi")
        FAILED = "gugur", _("Gugur")
        NOMINEE = "nominasi", _("Nominasi")
        FINALIST = "finalis", _("Finalis")
        WINNER = "juara", _("Juara")
        HONOURABLE = "harapan", _("Harapan")
        NOT_WINNER = "tidak_juara", _("Tidak juara")
        WITHDRAWN = "mundur", _("Mengundurkan diri")

    edition = models.ForeignKey(Edition, on_delete=models.PROTECT, related_name="entries", verbose_name=_("lomba"))
    post = models.ForeignKey("posts.Post", on_delete=models.PROTECT, related_name="contest_entries",
                             verbose_name=_("pos"))  # fmt: skip
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("asal wilayah"))  # fmt: skip
    ttg = models.ForeignKey("catalog.Ttg", null=True, blank=True, on_delete=models.PROTECT,
                            related_name="contest_entries", verbose_name=_("TTG"))  # fmt: skip
    innovators = models.ManyToManyField("catalog.Innovator", blank=True, related_name="contest_entries",
                                        verbose_name=_("inovator"))  # fmt: skip
    title = models.CharField(_("judul / nama peserta"), max_length=250)
    state = models.CharField(_("status"), max_length=20, choices=State.choices, default=State.DRAFT)
    forwarded_from = models.OneToOneField("self", null=True, blank=True, on_delete=models.PROTECT,
                                          related_name="forwarded_to", verbose_name=_("diteruskan dari"))  # fmt: skip
    proposed_by = models.CharField(_("diusulkan oleh (SK juara jenjang bawah)"), max_length=250, blank=True)
    self_assessment = models.JSONField(_("penilaian mandiri (angka dari sistem)"), default=dict, blank=True)
    prefilled_at = models.DateTimeField(_("angka sistem diambil"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("diajukan"), null=True, blank=True)
    return_note = models.TextField(_("catatan pengembalian"), blank=True)
    admin_passed = models.BooleanField(_("lolos administrasi"), null=True, blank=True)
    admin_reasons = models.TextField(_("alasan keputusan administrasi"), blank=True)
    admin_decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                         related_name="+", verbose_name=_("diputuskan oleh"))  # fmt: skip
    admin_decided_at = models.DateTimeField(_("diputuskan"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("didaftarkan oleh"))  # fmt: skip
    created = models.DateTimeField(_("dibuat"), auto_now_add=True)
    updated = models.DateTimeField(_("diperbarui"), auto_now=True)
    version = models.PositiveIntegerField(_("versi data"), default=1, editable=False)

    objects = RegionScopedQuerySet.as_manager()
    scope_region_field = "region"
    scope_post_field = "post"

    class Meta:
        verbose_name = _("peserta lomba")
        verbose_name_plural = _("peserta lomba")
        ordering = ["edition", "title", "pk"]
        constraints = [
            # One entry per post per edition for Posyantek Berprestasi; TTG entries are one per TTG.
            models.UniqueConstraint(
                fields=["edition", "post"], condition=Q(ttg__isnull=True), name="contests_entry_post_once"
            ),  # fmt: skip
            models.UniqueConstraint(
                fields=["edition", "ttg"], condition=Q(ttg__isnull=False), name="contests_entry_ttg_once"
            ),  # fmt: skip
        ]
        indexes = [models.Index(fields=["edition", "state"], name="contests_entry_state")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("contests:entry_detail", args=[self.pk])

    @property
    def is_locked(self) -> bool:
        """The dossier is locked once submitted (until returned for revision)."""
        return self.state not in (self.State.DRAFT, self.State.RETURNED)


class DossierItem(models.Model):
    """The entrant's narrative (and optional self-score) for one indicator."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="dossier", verbose_name=_("peserta"))
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="+", verbose_name=_("indikator"))
    narrative = models.TextField(_("uraian"), blank=True)
    self_score = models.PositiveSmallIntegerField(_("skor mandiri"), null=True, blank=True)
    updated = models.DateTimeField(_("diperbarui"), auto_now=True)
    version = models.PositiveIntegerField(_("versi data"), default=1, editable=False)

    class Meta:
        verbose_name = _("isian dossier")
        verbose_name_plural = _("isian dossier")
        constraints = [models.UniqueConstraint(fields=["entry", "indicator"], name="contests_dossier_indicator")]

    def __str__(self) -> str:
        return f"{self.entry} · {self.indicator.code}"


class DossierFile(models.Model):
    """An evidence file for one indicator of an entry (SK, photos, minutes, a video link)."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="files", verbose_name=_("peserta"))
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="+", verbose_name=_("indikator"))
    title = models.CharField(_("nama bukti"), max_length=200)
    file = models.FileField(_("berkas"), upload_to=contest_file_path, blank=True)
    link = models.URLField(_("tautan (video dll.)"), blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name=_("diunggah oleh"))  # fmt: skip
    created = models.DateTimeField(_("diunggah"), auto_now_add=True)

    class Meta:
        verbose_name = _("berkas bukti")
        verbose_name_plural = _("berkas bukti")
        ordering = ["entry", "indicator", "pk"]

    def __str__(self) -> str:
        return self.title


# ---------------------------------------------------------------- judging


class Panel(models.Model):
    """The judges of one stage of an edition."""

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="panels", verbose_name=_("lomba"))
    stage = models.CharField(_("tahap"), max_length=15, choices=Stage.choices)
    name = models.CharField(_("nama tim"), max_length=150)

    class Meta:
        verbose_name = _("tim juri")
        verbose_name_plural = _("tim juri")
        ordering = ["edition", "stage", "pk"]

    def __str__(self) -> str:
        return f"{self.name} · {self.get_stage_display()}"


class PanelJudge(models.Model):
    """A judge on a panel. `home_region`/`home_post` say where the judge comes from (conflict of interest)."""

    panel = models.ForeignKey(Panel, on_delete=models.CASCADE, related_name="judges", verbose_name=_("tim juri"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="judge_seats",
                             verbose_name=_("juri"))  # fmt: skip
    institution = models.CharField(_("instansi"), max_length=200, blank=True)
    home_region = models.ForeignKey("regions.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("asal wilayah juri"))  # fmt: skip
    home_post = models.ForeignKey("posts.Post", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("asal pos juri"))  # fmt: skip
    is_chair = models.BooleanField(_("ketua tim"), default=False)

    class Meta:
        verbose_name = _("juri")
        verbose_name_plural = _("juri")
        ordering = ["panel", "-is_chair", "pk"]
        constraints = [models.UniqueConstraint(fields=["panel", "user"], name="contests_paneljudge_once")]

    def __str__(self) -> str:
        return f"{self.user} ({self.panel})"


class Conflict(models.Model):
    """A conflict of interest a judge declared for an entry (or the system found: same kota or post)."""

    judge = models.ForeignKey(PanelJudge, on_delete=models.CASCADE, related_name="conflicts", verbose_name=_("juri"))
    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="conflicts", verbose_name=_("peserta"))
    reason = models.CharField(_("alasan"), max_length=300)
    automatic = models.BooleanField(_("ditemukan sistem"), default=False)
    created = models.DateTimeField(_("dicatat"), auto_now_add=True)

    class Meta:
        verbose_name = _("konflik kepentingan")
        verbose_name_plural = _("konflik kepentingan")
        constraints = [models.UniqueConstraint(fields=["judge", "entry"], name="contests_conflict_once")]

    def __str__(self) -> str:
        return f"{self.judge.user} × {self.entry}"


class ScoreSheet(models.Model):
    """One judge's scores of one entry at one stage. Locked once submitted."""

    class State(models.TextChoices):
        OPEN = "terbuka", _("Sedang dinilai")
        LOCKED = "terkunci", _("Dikirim dan terkunci")

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="sheets", verbose_name=_("lomba"))
    stage = models.CharField(_("tahap"), max_length=15, choices=Stage.choices)
    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="sheets", verbose_name=_("peserta"))
    judge = models.ForeignKey(PanelJudge, on_delete=models.PROTECT, related_name="sheets", verbose_name=_("juri"))
    state = models.CharField(_("status"), max_length=10, choices=State.choices, default=State.OPEN)
    overall_note = models.TextField(_("catatan umum"), blank=True)
    locked_at = models.DateTimeField(_("dikunci"), null=True, blank=True)
    created = models.DateTimeField(_("dibuat"), auto_now_add=True)
    version = models.PositiveIntegerField(_("versi data"), default=1, editable=False)

    class Meta:
        verbose_name = _("lembar nilai")
        verbose_name_plural = _("lembar nilai")
        ordering = ["edition", "stage", "entry", "judge"]
        constraints = [models.UniqueConstraint(fields=["stage", "entry", "judge"], name="contests_sheet_once")]
        indexes = [models.Index(fields=["edition", "stage", "state"], name="contests_sheet_stage")]

    def __str__(self) -> str:
        return f"{self.entry} · {self.judge.user} · {self.get_stage_display()}"

    def get_absolute_url(self) -> str:
        return reverse("contests:sheet_detail", args=[self.pk])

    @property
    def is_locked(self) -> bool:
        return self.state == self.State.LOCKED


class Score(models.Model):
    """A judge's score of one indicator on a sheet, with a note and whether the evidence was seen."""

    sheet = models.ForeignKey(ScoreSheet, on_delete=models.CASCADE, related_name="scores", verbose_name=_("lembar"))
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="+", verbose_name=_("indikator"))
    value = models.PositiveSmallIntegerField(_("skor"))
    note = models.TextField(_("catatan"), blank=True)
    evidence_seen = models.BooleanField(_("bukti sudah dilihat"), default=False)
    updated = models.DateTimeField(_("diperbarui"), auto_now=True)

    class Meta:
        verbose_name = _("skor")
        verbose_name_plural = _("skor")
        constraints = [models.UniqueConstraint(fields=["sheet", "indicator"], name="contests_score_once")]

    def __str__(self) -> str:
        return f"{self.indicator.code}={self.value}"


# ---------------------------------------------------------------- results


class JudgeStat(models.Model):
    """A judge's mean and spread at one stage (0–100 scale), kept for z-score normalisation and for explaining it."""

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="judge_stats", verbose_name=_("lomba"))
    stage = models.CharField(_("tahap"), max_length=15, choices=Stage.choices)
    judge = models.ForeignKey(PanelJudge, on_delete=models.CASCADE, related_name="+", verbose_name=_("juri"))
    n = models.PositiveIntegerField(_("jumlah skor"))
    mean = models.FloatField(_("rata-rata"))
    sd = models.FloatField(_("simpangan baku"))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["edition", "stage", "judge"], name="contests_judgestat_once")]

    def __str__(self) -> str:
        return f"{self.judge} {self.stage}: {self.mean:.1f}±{self.sd:.1f}"


class Result(models.Model):
    """An entry's computed result: per-stage and per-criterion scores (0–100), final score, rank, award."""

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="results", verbose_name=_("lomba"))
    entry = models.OneToOneField(Entry, on_delete=models.CASCADE, related_name="result", verbose_name=_("peserta"))
    stage_scores = models.JSONField(_("nilai per tahap"), default=dict)
    criterion_scores = models.JSONField(_("nilai per kriteria"), default=dict)
    final_score = models.DecimalField(_("nilai akhir"), max_digits=7, decimal_places=3)
    rank = models.PositiveIntegerField(_("peringkat"))
    tie = models.BooleanField(_("nilai sama, diputuskan pleno"), default=False)
    tie_note = models.CharField(_("keterangan nilai sama"), max_length=300, blank=True)
    award = models.CharField(_("predikat"), max_length=100, blank=True)
    forwarded = models.BooleanField(_("diteruskan ke jenjang berikut"), default=False)

    class Meta:
        verbose_name = _("hasil")
        verbose_name_plural = _("hasil")
        ordering = ["edition", "rank", "pk"]
        indexes = [models.Index(fields=["edition", "rank"], name="contests_result_rank")]

    def __str__(self) -> str:
        return f"{self.rank}. {self.entry} ({self.final_score})"


# ---------------------------------------------------------------- the hash chain


class ChainHead(models.Model):
    """The last link of the log; appends lock this one row so the chain stays a line."""

    seq = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default="0" * 64)

    def __str__(self) -> str:
        return f"#{self.seq} {self.last_hash[:12]}"


class ContestLog(models.Model):
    """One append-only link: what happened, and the hash of the link before it (chain.py)."""

    class Kind(models.TextChoices):
        RUBRIC = "rubrik", _("Rubrik diubah")
        EDITION = "lomba", _("Lomba diubah")
        ENTRY = "peserta", _("Peserta/dossier")
        ADMIN = "administrasi", _("Keputusan administrasi")
        CONFLICT = "konflik", _("Konflik kepentingan")
        SCORE = "skor", _("Skor")
        LOCK = "kunci", _("Lembar nilai dikunci")
        COMPUTE = "hitung", _("Hasil dihitung")
        PUBLISH = "umumkan", _("Hasil diumumkan")
        FORWARD = "teruskan", _("Juara diteruskan")

    seq = models.PositiveBigIntegerField(_("nomor"), unique=True)
    at = models.DateTimeField(_("waktu"))
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+", verbose_name=_("pelaku"))  # fmt: skip
    actor_label = models.CharField(_("pelaku (saat itu)"), max_length=200, blank=True)
    edition = models.ForeignKey(Edition, null=True, blank=True, on_delete=models.PROTECT, related_name="log",
                                verbose_name=_("lomba"))  # fmt: skip
    kind = models.CharField(_("jenis"), max_length=15, choices=Kind.choices)
    object_key = models.CharField(_("objek"), max_length=80, db_index=True)
    payload = models.JSONField(_("isi"), default=dict)
    prev_hash = models.CharField(_("hash sebelumnya"), max_length=64)
    hash = models.CharField(_("hash"), max_length=64)

    class Meta:
        verbose_name = _("log lomba")
        verbose_name_plural = _("log lomba")
        ordering = ["seq"]

    def __str__(self) -> str:
        return f"#{self.seq} {self.kind} {self.object_key}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise PermissionError("The contest log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise PermissionError("The contest log is append-only.")
