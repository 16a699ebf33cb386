"""Bintek (technical training), participants, attendance, certificates and follow-up: domain.md §4.8, §4.9, §5.4."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from posyantek.core.models import RegionScopedModel
from posyantek.core.scoping import RegionScopedQuerySet
from posyantek.core.templatetags.fmt import tanggal


def bintek_file_path(instance: models.Model, filename: str) -> str:
    bintek_id = getattr(instance, "bintek_id", None) or instance.pk or "baru"
    return f"bintek/{bintek_id}/{filename}"


class Bintek(RegionScopedModel):
    """A technical training a post plans, holds, reports on and follows up until it shows real results."""

    class State(models.TextChoices):
        PLANNED = "direncanakan", _("Direncanakan")
        INVITED = "undangan", _("Undangan")
        HELD = "dilaksanakan", _("Dilaksanakan")
        REPORTED = "laporan", _("Laporan")
        FOLLOW_UP = "tindak_lanjut", _("Tindak lanjut")
        EVALUATED = "dievaluasi", _("Dievaluasi")

    class Funding(models.TextChoices):
        APBN = "apbn", _("APBN")
        APBD_PROV = "apbd_provinsi", _("APBD provinsi")
        APBD_KAB = "apbd_kabkota", _("APBD kabupaten/kota")
        APBDES = "apbdes", _("APB Desa / Dana Desa")
        BUMDES = "bumdes", _("BUMDes")
        CSR = "csr", _("CSR / industri")
        SWADAYA = "swadaya", _("Swadaya")
        OWN = "pendapatan_pos", _("Pendapatan pos")
        GRANT = "hibah", _("Hibah perguruan tinggi / riset")
        OTHER = "lainnya", _("Lainnya")

    title = models.CharField(_("judul"), max_length=200)
    post = models.ForeignKey("posts.Post", on_delete=models.PROTECT, related_name="bintek",
                             verbose_name=_("pos penyelenggara"))  # fmt: skip
    ttg = models.ForeignKey("catalog.Ttg", null=True, blank=True, on_delete=models.SET_NULL, related_name="bintek",
                            verbose_name=_("TTG"))  # fmt: skip
    topic = models.CharField(_("topik"), max_length=300, blank=True)
    target_group = models.CharField(_("sasaran peserta"), max_length=300, blank=True)
    venue = models.CharField(_("tempat"), max_length=300, blank=True)
    starts_on = models.DateField(_("tanggal mulai"))
    ends_on = models.DateField(_("tanggal selesai"))
    trainer_people = models.ManyToManyField("people.Person", blank=True, related_name="bintek_trained",
                                            verbose_name=_("narasumber (orang)"))  # fmt: skip
    # No partners app yet: partner trainers (universities, offices, firms) are a free-text list, one per line.
    trainer_partners = models.TextField(_("narasumber mitra"), blank=True, help_text=_("Satu per baris"))
    budget = models.PositiveBigIntegerField(_("anggaran (Rp)"), default=0)
    funding_source = models.CharField(_("sumber dana"), max_length=20, choices=Funding.choices, blank=True)
    tor = models.FileField(_("kerangka acuan (PDF)"), upload_to=bintek_file_path, blank=True)
    state = models.CharField(_("tahap"), max_length=16, choices=State.choices, default=State.PLANNED)
    registration_open = models.BooleanField(_("pendaftaran mandiri dibuka"), default=False)
    public_token = models.CharField(_("kode tautan pendaftaran"), max_length=24, unique=True)
    report_text = models.TextField(_("laporan"), blank=True)
    report_file = models.FileField(_("laporan (PDF)"), upload_to=bintek_file_path, blank=True)

    scope_post_field = "post"

    class Meta:
        verbose_name = _("Bintek")
        verbose_name_plural = _("Bintek")
        ordering = ["-starts_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                name="%(app_label)s_%(class)s_dates", condition=models.Q(ends_on__gte=models.F("starts_on"))
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("trainings:bintek_detail", args=[self.pk])

    def get_registration_url(self) -> str:
        return reverse("pelatihan:register", args=[self.public_token])

    @property
    def state_index(self) -> int:
        return list(Bintek.State.values).index(self.state)


class BintekStep(models.Model):
    """One step of a Bintek along its states: who moved it, when, and why."""

    bintek = models.ForeignKey(Bintek, on_delete=models.CASCADE, related_name="steps", verbose_name=_("Bintek"))
    state = models.CharField(_("tahap"), max_length=16, choices=Bintek.State.choices)
    at = models.DateTimeField(_("waktu"))
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+", verbose_name=_("oleh"))  # fmt: skip
    note = models.CharField(_("keterangan"), max_length=300, blank=True)

    objects = RegionScopedQuerySet.as_manager()
    scope_region_field = "bintek__region"
    scope_post_field = "bintek__post"

    class Meta:
        verbose_name = _("tahap Bintek")
        verbose_name_plural = _("tahap Bintek")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.bintek} → {self.get_state_display()}"


class Participant(models.Model):
    """A community member registered for a Bintek; no account needed, optionally linked to the person registry."""

    class Sex(models.TextChoices):
        MALE = "L", _("Laki-laki")
        FEMALE = "P", _("Perempuan")

    class Group(models.TextChoices):
        GENERAL = "umum", _("Umum")
        WOMEN = "perempuan", _("Kelompok perempuan / PKK")
        YOUTH = "pemuda", _("Pemuda")
        DISABLED = "disabilitas", _("Penyandang disabilitas")
        FARMERS = "kelompok_tani", _("Kelompok tani")
        FISHERS = "nelayan", _("Nelayan / pengolah ikan")
        SMALL_BUSINESS = "umkm", _("UMKM / industri rumah tangga")
        OTHER = "lainnya", _("Lainnya")

    class Source(models.TextChoices):
        STAFF = "staf", _("Didaftarkan pos")
        IMPORT = "impor", _("Impor berkas")
        SELF = "mandiri", _("Daftar sendiri")

    bintek = models.ForeignKey(Bintek, on_delete=models.CASCADE, related_name="participants",
                               verbose_name=_("Bintek"))  # fmt: skip
    number = models.PositiveIntegerField(_("nomor pendaftaran"))
    person = models.ForeignKey("people.Person", null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="bintek_participations", verbose_name=_("orang"))  # fmt: skip
    name = models.CharField(_("nama"), max_length=150)
    sex = models.CharField(_("jenis kelamin"), max_length=1, choices=Sex.choices)
    group = models.CharField(_("kelompok"), max_length=20, choices=Group.choices, default=Group.GENERAL)
    phone = models.CharField(_("telepon/WhatsApp"), max_length=30, blank=True)
    address = models.CharField(_("alamat"), max_length=300, blank=True)
    invited = models.BooleanField(_("diundang"), default=False)
    source = models.CharField(_("cara daftar"), max_length=10, choices=Source.choices, default=Source.STAFF)
    pre_score = models.PositiveSmallIntegerField(_("nilai pre-test"), null=True, blank=True)
    post_score = models.PositiveSmallIntegerField(_("nilai post-test"), null=True, blank=True)
    certificate_code = models.CharField(_("kode sertifikat"), max_length=16, null=True, blank=True, unique=True)
    certificate_issued_on = models.DateField(_("sertifikat terbit"), null=True, blank=True)
    created = models.DateTimeField(_("dibuat"), auto_now_add=True)
    updated = models.DateTimeField(_("diperbarui"), auto_now=True)
    version = models.PositiveIntegerField(_("versi"), default=1, editable=False)

    objects = RegionScopedQuerySet.as_manager()
    scope_region_field = "bintek__region"
    scope_post_field = "bintek__post"

    class Meta:
        verbose_name = _("peserta")
        verbose_name_plural = _("peserta")
        ordering = ["number", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["bintek", "number"], name="%(app_label)s_%(class)s_unique_number"),
            models.CheckConstraint(name="%(app_label)s_%(class)s_scores_0_100",
                                   condition=(models.Q(pre_score__isnull=True) | models.Q(pre_score__lte=100))
                                   & (models.Q(post_score__isnull=True) | models.Q(post_score__lte=100))),
        ]  # fmt: skip

    def __str__(self) -> str:
        return self.name

    @property
    def region_id(self) -> str:
        return self.bintek.region_id

    @property
    def post_id(self) -> int:
        return self.bintek.post_id

    @property
    def registration_code(self) -> str:
        return f"{self.number:03d}"

    def get_verification_url(self) -> str:
        return reverse("pelatihan:certificate_verify", args=[self.certificate_code]) if self.certificate_code else ""


class AttendanceSession(models.Model):
    """One day (or part) of a Bintek with the short code shown at the venue; the code works until it expires."""

    bintek = models.ForeignKey(Bintek, on_delete=models.CASCADE, related_name="sessions", verbose_name=_("Bintek"))
    day = models.DateField(_("hari"))
    label = models.CharField(_("sesi"), max_length=100, blank=True)
    code = models.CharField(_("kode presensi"), max_length=8, unique=True)
    expires_at = models.DateTimeField(_("berlaku sampai"))
    created = models.DateTimeField(_("dibuat"), auto_now_add=True)

    objects = RegionScopedQuerySet.as_manager()
    scope_region_field = "bintek__region"
    scope_post_field = "bintek__post"

    class Meta:
        verbose_name = _("sesi presensi")
        verbose_name_plural = _("sesi presensi")
        ordering = ["day", "pk"]

    def __str__(self) -> str:
        return f"{self.bintek} · {tanggal(self.day)}{' · ' + self.label if self.label else ''}"


class Attendance(models.Model):
    """A participant present at one session: by the code at the venue or marked by the staff."""

    class Method(models.TextChoices):
        CODE = "kode", _("Kode/QR di lokasi")
        STAFF = "staf", _("Dicatat petugas")
        IMPORT = "impor", _("Impor")

    session = models.ForeignKey(AttendanceSession, on_delete=models.CASCADE, related_name="attendances",
                                verbose_name=_("sesi"))  # fmt: skip
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="attendances",
                                    verbose_name=_("peserta"))  # fmt: skip
    at = models.DateTimeField(_("waktu hadir"))
    method = models.CharField(_("cara"), max_length=8, choices=Method.choices, default=Method.CODE)

    objects = RegionScopedQuerySet.as_manager()
    scope_region_field = "session__bintek__region"
    scope_post_field = "session__bintek__post"

    class Meta:
        verbose_name = _("kehadiran")
        verbose_name_plural = _("kehadiran")
        ordering = ["at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["session", "participant"], name="%(app_label)s_%(class)s_once"),
        ]

    def __str__(self) -> str:
        return f"{self.participant} @ {self.session}"


class Material(models.Model):
    """A file from the Bintek: teaching material (PDF or image) or a cleaned photo."""

    class Kind(models.TextChoices):
        MATERIAL = "materi", _("Materi")
        PHOTO = "foto", _("Foto")

    bintek = models.ForeignKey(Bintek, on_delete=models.CASCADE, related_name="materials", verbose_name=_("Bintek"))
    kind = models.CharField(_("jenis"), max_length=8, choices=Kind.choices)
    file = models.FileField(_("berkas"), upload_to=bintek_file_path)
    caption = models.CharField(_("keterangan"), max_length=200, blank=True)
    created = models.DateTimeField(_("dibuat"), auto_now_add=True)

    objects = RegionScopedQuerySet.as_manager()
    scope_region_field = "bintek__region"
    scope_post_field = "bintek__post"

    class Meta:
        verbose_name = _("materi/foto")
        verbose_name_plural = _("materi dan foto")
        ordering = ["kind", "pk"]

    def __str__(self) -> str:
        return self.caption or self.file.name.rsplit("/", 1)[-1]


class FollowUp(models.Model):
    """A follow-up item of a Bintek (domain §4.9): who does what by when, and the evidence once done."""

    class Kind(models.TextChoices):
        GROUP = "kelompok", _("Kelompok terbentuk")
        EQUIPMENT = "alat", _("Bantuan alat")
        MENTORING = "pendampingan", _("Kunjungan pendampingan")
        FIRST_PRODUCTION = "produksi", _("Produksi pertama")
        FIRST_SALE = "penjualan", _("Penjualan pertama")
        OTHER = "lainnya", _("Lainnya")

    class Status(models.TextChoices):
        OPEN = "terbuka", _("Belum mulai")
        IN_PROGRESS = "berjalan", _("Berjalan")
        DONE = "selesai", _("Selesai")
        CANCELLED = "batal", pgettext_lazy("status of a follow-up item", "Batal")

    bintek = models.ForeignKey(Bintek, on_delete=models.CASCADE, related_name="followups", verbose_name=_("Bintek"))
    kind = models.CharField(_("jenis"), max_length=14, choices=Kind.choices)
    description = models.CharField(_("uraian"), max_length=300)
    owner = models.CharField(_("penanggung jawab"), max_length=150)
    target_date = models.DateField(_("target"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    done_on = models.DateField(_("tanggal selesai"), null=True, blank=True)
    evidence_note = models.TextField(_("bukti (catatan)"), blank=True)
    evidence_file = models.FileField(_("bukti (berkas)"), upload_to=bintek_file_path, blank=True)
    created = models.DateTimeField(_("dibuat"), auto_now_add=True)
    updated = models.DateTimeField(_("diperbarui"), auto_now=True)
    version = models.PositiveIntegerField(_("versi"), default=1, editable=False)

    objects = RegionScopedQuerySet.as_manager()
    scope_region_field = "bintek__region"
    scope_post_field = "bintek__post"

    class Meta:
        verbose_name = _("tindak lanjut")
        verbose_name_plural = _("tindak lanjut")
        ordering = ["target_date", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.description}"

    @property
    def region_id(self) -> str:
        return self.bintek.region_id

    @property
    def post_id(self) -> int:
        return self.bintek.post_id


class Outcome(models.Model):
    """Outcome indicators measured some months after the Bintek; month 0 is the baseline."""

    class Month(models.IntegerChoices):
        BASELINE = 0, _("Awal (sebelum Bintek)")
        M3 = 3, _("3 bulan")
        M6 = 6, _("6 bulan")
        M12 = 12, _("12 bulan")

    bintek = models.ForeignKey(Bintek, on_delete=models.CASCADE, related_name="outcomes", verbose_name=_("Bintek"))
    month = models.PositiveSmallIntegerField(_("bulan ke"), choices=Month.choices)
    measured_on = models.DateField(_("tanggal pengukuran"))
    applying = models.PositiveIntegerField(_("peserta yang menerapkan TTG"))
    new_products = models.PositiveIntegerField(_("produk baru"))
    income_per_month = models.BigIntegerField(_("pendapatan rata-rata per bulan (Rp)"))
    jobs = models.PositiveIntegerField(_("lapangan kerja"))
    note = models.TextField(_("catatan"), blank=True)
    created = models.DateTimeField(_("dibuat"), auto_now_add=True)

    objects = RegionScopedQuerySet.as_manager()
    scope_region_field = "bintek__region"
    scope_post_field = "bintek__post"

    class Meta:
        verbose_name = _("indikator hasil")
        verbose_name_plural = _("indikator hasil")
        ordering = ["month"]
        constraints = [models.UniqueConstraint(fields=["bintek", "month"], name="%(app_label)s_%(class)s_once")]

    def __str__(self) -> str:
        return f"{self.bintek} · {self.get_month_display()}"
