"""Service and consultation requests (permohonan layanan): domain.md §4.7 and §5.2."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy, pgettext_lazy

from posyantek.catalog.models import Sector
from posyantek.core.models import RegionScopedModel
from posyantek.core.scoping import RegionScopedQuerySet


class ServiceRequest(RegionScopedModel):
    """A request for help from a community member, routed to the post that serves their village.

    `region` is the requester's village (or kecamatan); `post` is the post handling it, empty while no post
    covers the region (then only the officers whose grant covers the region see it).
    """

    class State(models.TextChoices):
        RECEIVED = "diterima", gettext_lazy("Diterima")
        TRIAGED = "ditelaah", gettext_lazy("Ditelaah")
        ASSESSMENT = "asesmen_lapangan", gettext_lazy("Asesmen lapangan")
        RECOMMENDATION = "rekomendasi", gettext_lazy("Rekomendasi TTG")
        REFERRED = "dirujuk", gettext_lazy("Dirujuk")
        DEVELOPMENT = "pengembangan", gettext_lazy("Pengembangan")
        DEPLOYMENT = "penerapan", pgettext_lazy("state of a service request", "Penerapan")
        MONITORING = "pemantauan", gettext_lazy("Pemantauan")
        DONE = "selesai", gettext_lazy("Selesai")
        NO_SOLUTION = "ditutup_tanpa_solusi", gettext_lazy("Ditutup tanpa solusi")
        CANCELLED = "dibatalkan", gettext_lazy("Dibatalkan")

    class Channel(models.TextChoices):
        ONLINE = "online", gettext_lazy("Formulir daring")
        WALK_IN = "datang_langsung", gettext_lazy("Datang langsung")
        PHONE = "telepon", gettext_lazy("Telepon")
        WHATSAPP = "whatsapp", gettext_lazy("WhatsApp")

    class RequesterKind(models.TextChoices):
        PERSON = "perorangan", gettext_lazy("Perorangan")
        GROUP = "kelompok", gettext_lazy("Kelompok (tani, nelayan, KWT)")
        UMKM = "umkm", gettext_lazy("UMKM")
        VILLAGE = "desa", gettext_lazy("Pemerintah desa/kelurahan")

    class ServiceType(models.TextChoices):
        """The services a post offers (domain.md §2.5)."""

        TECHNICAL = "teknis", gettext_lazy("Pelayanan teknis")
        INFORMATION = "informasi", gettext_lazy("Informasi dan orientasi TTG")
        PROMOTION = "promosi", gettext_lazy("Promosi dan pemasaran")
        CONSULTATION = "konsultasi", gettext_lazy("Konsultasi dan pendampingan")
        TRAINING = "pelatihan", gettext_lazy("Pelatihan / bintek")
        MAPPING = "pemetaan", gettext_lazy("Pemetaan kebutuhan dan pengkajian TTG")
        DEPLOYMENT = "fasilitasi", gettext_lazy("Fasilitasi penerapan")
        PARTNERSHIP = "kemitraan", gettext_lazy("Kerja sama dan kemitraan")
        PRODUCTION = "produksi", gettext_lazy("Pembuatan dan perbaikan TTG")
        IP = "haki", gettext_lazy("Bantuan paten dan merek")

    class Section(models.TextChoices):
        SERVICE = "seksi_pelayanan", gettext_lazy("Seksi pelayanan")
        DEVELOPMENT = "seksi_pengembangan", gettext_lazy("Seksi pengembangan")
        OTHER = "seksi_lain", gettext_lazy("Seksi lain")

    class ReferralKind(models.TextChoices):
        INNOVATOR = "inovator", gettext_lazy("Inovator")
        UNIVERSITY = "perguruan_tinggi", gettext_lazy("Perguruan tinggi")
        RESEARCH = "lembaga_riset", gettext_lazy("Lembaga riset")
        MANUFACTURER = "pabrikan", gettext_lazy("Pabrikan")
        POST = "pos_lain", gettext_lazy("Posyantek lain")
        BUMDES = "bumdes", gettext_lazy("BUMDes")
        OTHER = "mitra_lain", gettext_lazy("Mitra lain")

    #: States after which nothing changes any more.
    FINAL = ("selesai", "ditutup_tanpa_solusi", "dibatalkan")

    code = models.CharField(gettext_lazy("kode lacak"), max_length=10, unique=True, editable=False)
    received_at = models.DateTimeField(gettext_lazy("diterima pada"))
    channel = models.CharField(gettext_lazy("saluran"), max_length=16, choices=Channel.choices)
    post = models.ForeignKey("posts.Post", null=True, blank=True, on_delete=models.PROTECT,
                             related_name="service_requests", verbose_name=gettext_lazy("pos"))  # fmt: skip
    # The requester
    requester_name = models.CharField(gettext_lazy("nama pemohon"), max_length=150)
    requester_kind = models.CharField(gettext_lazy("jenis pemohon"), max_length=12, choices=RequesterKind.choices,
                                      default=RequesterKind.PERSON)  # fmt: skip
    phone = models.CharField(gettext_lazy("telepon/WhatsApp"), max_length=16, blank=True,
                             help_text=gettext_lazy("Disimpan sebagai 628…"))  # fmt: skip
    email = models.EmailField(gettext_lazy("e-mail"), blank=True)
    # The need
    description = models.TextField(gettext_lazy("kebutuhan atau masalah"))
    sector = models.CharField(gettext_lazy("bidang"), max_length=20, choices=Sector.choices, blank=True)
    commodity = models.CharField(gettext_lazy("komoditas"), max_length=120, blank=True)
    # Triage
    service_type = models.CharField(gettext_lazy("jenis layanan"), max_length=12, choices=ServiceType.choices,
                                    blank=True)  # fmt: skip
    section = models.CharField(gettext_lazy("seksi"), max_length=20, choices=Section.choices, blank=True)
    handler = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="+", verbose_name=gettext_lazy("petugas"))  # fmt: skip
    # Referral
    referral_kind = models.CharField(gettext_lazy("dirujuk ke (jenis)"), max_length=20, choices=ReferralKind.choices,
                                     blank=True)  # fmt: skip
    referral_to = models.CharField(gettext_lazy("dirujuk ke"), max_length=200, blank=True)
    recommended = models.ManyToManyField("catalog.Ttg", through="Recommendation", blank=True, related_name="+",
                                         verbose_name=gettext_lazy("TTG direkomendasikan"))  # fmt: skip
    # Workflow
    state = models.CharField(gettext_lazy("status"), max_length=20, choices=State.choices, default=State.RECEIVED)
    state_since = models.DateTimeField(gettext_lazy("status sejak"))
    due_at = models.DateTimeField(gettext_lazy("target waktu"), null=True, blank=True)
    result = models.TextField(gettext_lazy("hasil"), blank=True)
    closed_at = models.DateTimeField(gettext_lazy("tanggal selesai"), null=True, blank=True)
    # The requester's rating, once, after the end
    rating = models.PositiveSmallIntegerField(gettext_lazy("nilai kepuasan"), null=True, blank=True)
    rating_comment = models.TextField(gettext_lazy("komentar kepuasan"), blank=True)
    rated_at = models.DateTimeField(gettext_lazy("dinilai pada"), null=True, blank=True)

    scope_post_field = "post"

    class Meta:
        verbose_name = gettext_lazy("permohonan layanan")
        verbose_name_plural = gettext_lazy("permohonan layanan")
        ordering = ["-received_at", "-id"]
        indexes = [
            # A post's list, newest first, and the same per state: the paginated staff list at a million rows.
            models.Index(fields=["post", "-received_at", "-id"], name="consult_req_post_newest"),
            models.Index(fields=["post", "state", "-received_at", "-id"], name="consult_req_post_state"),
            models.Index(fields=["post", "sector", "-received_at", "-id"], name="consult_req_post_sector"),
            models.Index(fields=["post", "due_at"], name="consult_req_post_due"),
            models.Index(fields=["region", "-received_at", "-id"], name="consult_req_region_newest"),
            models.Index(fields=["due_at"], name="consult_req_due"),
            models.Index(fields=["phone"], name="consult_req_phone"),
        ]
        constraints = [
            models.CheckConstraint(
                name="%(app_label)s_%(class)s_rating_1_5",
                condition=models.Q(rating__isnull=True) | models.Q(rating__gte=1, rating__lte=5),
            ),
            models.CheckConstraint(
                name="%(app_label)s_%(class)s_has_contact", condition=~models.Q(phone="", email=""),
            ),
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.display_code} · {self.requester_name}"

    def get_absolute_url(self) -> str:
        return reverse("consultations:request_detail", args=[self.pk])

    def get_tracking_url(self) -> str:
        return reverse("permohonan:track", args=[self.code])

    @property
    def display_code(self) -> str:
        """Return the tracking code in two groups of five, easier to read out on the phone."""
        return f"{self.code[:5]}-{self.code[5:]}" if len(self.code) == 10 else self.code

    @property
    def is_final(self) -> bool:
        return self.state in self.FINAL


class StateChange(models.Model):
    """One step of a request: from, to, who, when and a note (public when the requester may read it)."""

    request = models.ForeignKey(ServiceRequest, on_delete=models.CASCADE, related_name="steps",
                                verbose_name=gettext_lazy("permohonan"))  # fmt: skip
    from_state = models.CharField(gettext_lazy("dari"), max_length=20, choices=ServiceRequest.State.choices,
                                  blank=True)  # fmt: skip
    to_state = models.CharField(gettext_lazy("ke"), max_length=20, choices=ServiceRequest.State.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+", verbose_name=gettext_lazy("oleh"))  # fmt: skip
    at = models.DateTimeField(gettext_lazy("waktu"))
    note = models.TextField(gettext_lazy("catatan"), blank=True)
    is_public = models.BooleanField(gettext_lazy("tampilkan ke pemohon"), default=False)

    objects = RegionScopedQuerySet.as_manager()
    scope_region_field = "request__region"
    scope_post_field = "request__post"

    class Meta:
        verbose_name = gettext_lazy("langkah permohonan")
        verbose_name_plural = gettext_lazy("langkah permohonan")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.request_id}: {self.from_state or '–'} → {self.to_state}"


class Recommendation(models.Model):
    """A catalogue technology staff recommend for a request, in their order."""

    request = models.ForeignKey(ServiceRequest, on_delete=models.CASCADE, related_name="recommendations",
                                verbose_name=gettext_lazy("permohonan"))  # fmt: skip
    ttg = models.ForeignKey("catalog.Ttg", on_delete=models.CASCADE, related_name="+",
                            verbose_name=gettext_lazy("TTG"))  # fmt: skip
    order = models.PositiveSmallIntegerField(gettext_lazy("urutan"), default=0)

    class Meta:
        verbose_name = gettext_lazy("rekomendasi TTG")
        verbose_name_plural = gettext_lazy("rekomendasi TTG")
        ordering = ["order", "pk"]
        constraints = [models.UniqueConstraint(fields=["request", "ttg"], name="%(app_label)s_%(class)s_unique")]

    def __str__(self) -> str:
        return f"{self.request_id} → {self.ttg_id}"


def photo_path(instance: models.Model, filename: str) -> str:
    return f"layanan/{instance.request_id}/{filename}"


class RequestPhoto(models.Model):
    """A photo sent with a request, cleaned of metadata (GPS included), with its thumbnail."""

    request = models.ForeignKey(ServiceRequest, on_delete=models.CASCADE, related_name="photos",
                                verbose_name=gettext_lazy("permohonan"))  # fmt: skip
    image = models.ImageField(gettext_lazy("foto"), upload_to=photo_path)
    thumbnail = models.ImageField(gettext_lazy("gambar kecil"), upload_to=photo_path)
    created = models.DateTimeField(gettext_lazy("dibuat"), auto_now_add=True)

    objects = RegionScopedQuerySet.as_manager()
    scope_region_field = "request__region"
    scope_post_field = "request__post"

    class Meta:
        verbose_name = gettext_lazy("foto permohonan")
        verbose_name_plural = gettext_lazy("foto permohonan")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.image.name


class MonitoringCheck(models.Model):
    """A follow-up visit or call after deployment (1, 3 and 6 months by default)."""

    request = models.ForeignKey(ServiceRequest, on_delete=models.CASCADE, related_name="checks",
                                verbose_name=gettext_lazy("permohonan"))  # fmt: skip
    months = models.PositiveSmallIntegerField(gettext_lazy("bulan ke"))
    due_on = models.DateField(gettext_lazy("jatuh tempo"))
    done_on = models.DateField(gettext_lazy("dilakukan pada"), null=True, blank=True)
    done_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="+", verbose_name=gettext_lazy("oleh"))  # fmt: skip
    note = models.TextField(gettext_lazy("hasil pemantauan"), blank=True)

    objects = RegionScopedQuerySet.as_manager()
    scope_region_field = "request__region"
    scope_post_field = "request__post"

    class Meta:
        verbose_name = gettext_lazy("pemantauan")
        verbose_name_plural = gettext_lazy("pemantauan")
        ordering = ["due_on", "pk"]
        constraints = [models.UniqueConstraint(fields=["request", "months"], name="%(app_label)s_%(class)s_unique")]

    def __str__(self) -> str:
        return f"{self.request_id}: {self.months}"
