"""Study visits a post hosts (a delegation comes) and makes (kaji tiru, marketing roadshows).

domain.md §4.11, §5.6: diminta (request letter) → dijadwalkan (agenda) → dilaksanakan (guest book, photos) →
ditindaklanjuti (MoU, orders, replication commitments, return visit); dibatalkan is a side exit.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from posyantek.core.lib.phone import display_phone
from posyantek.core.models import RegionScopedModel
from posyantek.core.scoping import RegionScopedQuerySet


def visit_file_path(instance: models.Model, filename: str) -> str:
    visit_id = getattr(instance, "visit_id", None) or getattr(instance, "pk", None) or "baru"
    return f"kunjungan/{visit_id}/{type(instance).__name__.lower()}/{filename}"


class Visit(RegionScopedModel):
    """One visit, incoming or outgoing; `region` is the post's region (scoping)."""

    class Direction(models.TextChoices):
        INCOMING = "masuk", _("Kunjungan masuk (kami menerima tamu)")
        OUTGOING = "keluar", _("Kunjungan keluar (kaji tiru / roadshow)")

    class State(models.TextChoices):
        REQUESTED = "diminta", _("Diminta")
        SCHEDULED = "dijadwalkan", _("Dijadwalkan")
        HELD = "dilaksanakan", _("Dilaksanakan")
        FOLLOWED_UP = "ditindaklanjuti", _("Ditindaklanjuti")
        CANCELLED = "dibatalkan", _("Dibatalkan")

    class Purpose(models.TextChoices):
        FUNDING = "pendanaan", _("Pendanaan")
        ORGANISATION = "kelembagaan", _("Kelembagaan dan pengelolaan")
        MARKETING = "pemasaran", _("Pemasaran")
        TECHNOLOGY = "teknologi", _("Teknologi (TTG)")
        TRAINING = "bintek", _("Bintek dan pendampingan")
        PARTNERSHIP = "kemitraan", _("Kemitraan")

    post = models.ForeignKey("posts.Post", on_delete=models.PROTECT, related_name="visits",
                             verbose_name=_("pos"))  # fmt: skip
    direction = models.CharField(_("arah"), max_length=8, choices=Direction.choices, default=Direction.INCOMING)
    title = models.CharField(_("judul kunjungan"), max_length=300)
    institution = models.CharField(_("instansi tamu / tujuan"), max_length=300)
    institution_region = models.ForeignKey("regions.Region", null=True, blank=True, on_delete=models.PROTECT,
                                           related_name="+", verbose_name=_("wilayah asal / tujuan"))  # fmt: skip
    other_post = models.ForeignKey("posts.Post", null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("posyantek lawan kunjungan"))  # fmt: skip
    partner = models.ForeignKey("partnerships.Partner", null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="visits", verbose_name=_("mitra"))  # fmt: skip
    leader = models.CharField(_("ketua rombongan"), max_length=200, blank=True)
    leader_title = models.CharField(_("jabatan ketua rombongan"), max_length=200, blank=True)
    visitors = models.PositiveIntegerField(_("jumlah orang"))
    purposes = models.JSONField(_("maksud (yang ingin dipelajari)"), default=list, blank=True)
    purpose_text = models.TextField(_("uraian maksud"), blank=True)
    starts_on = models.DateField(_("tanggal mulai"))
    ends_on = models.DateField(_("tanggal selesai"))
    letter_number = models.CharField(_("nomor surat permohonan"), max_length=100, blank=True)
    letter_date = models.DateField(_("tanggal surat"), null=True, blank=True)
    letter_file = models.FileField(_("surat permohonan (PDF)"), upload_to=visit_file_path, blank=True)
    hosts = models.TextField(_("penerima / pendamping"), blank=True)
    state = models.CharField(_("tahap"), max_length=16, choices=State.choices, default=State.REQUESTED)
    summary = models.TextField(_("catatan hasil kunjungan"), blank=True)
    guestbook_token = models.CharField(_("kode buku tamu"), max_length=32, unique=True)

    scope_post_field = "post"

    class Meta:
        verbose_name = _("kunjungan")
        verbose_name_plural = _("kunjungan")
        ordering = ["-starts_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                name="%(app_label)s_%(class)s_dates", condition=models.Q(ends_on__gte=models.F("starts_on"))
            ),
            models.CheckConstraint(name="%(app_label)s_%(class)s_visitors", condition=models.Q(visitors__gte=1)),
        ]
        indexes = [models.Index(fields=["starts_on", "ends_on"], name="visits_visit_period")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("visits:visit_detail", args=[self.pk])

    @property
    def purpose_labels(self) -> list[str]:
        """Return the labels of the purposes, in the order of Purpose."""
        chosen = set(self.purposes or [])
        return [str(label) for value, label in self.Purpose.choices if value in chosen]

    @property
    def is_incoming(self) -> bool:
        return self.direction == self.Direction.INCOMING


class _VisitChild(models.Model):
    objects = RegionScopedQuerySet.as_manager()
    scope_region_field = "visit__region"
    scope_post_field = "visit__post"

    class Meta:
        abstract = True


class VisitStep(_VisitChild):
    """One step of a visit along its states."""

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="steps", verbose_name=_("kunjungan"))
    state = models.CharField(_("tahap"), max_length=16, choices=Visit.State.choices)
    at = models.DateTimeField(_("waktu"))
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+", verbose_name=_("oleh"))  # fmt: skip
    note = models.CharField(_("keterangan"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("tahap kunjungan")
        verbose_name_plural = _("tahap kunjungan")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.visit} → {self.get_state_display()}"


class AgendaItem(_VisitChild):
    """An item of a visit's agenda: an audience, a presentation, a field site, a product display."""

    class Kind(models.TextChoices):
        AUDIENCE = "audiensi", _("Audiensi dengan pejabat")
        PRESENTATION = "paparan", _("Paparan / presentasi")
        FIELD = "lapangan", _("Kunjungan lapangan")
        PRODUCTS = "produk", _("Peragaan produk")
        DISCUSSION = "diskusi", _("Diskusi")
        OTHER = "lainnya", _("Lainnya")

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="agenda", verbose_name=_("kunjungan"))
    kind = models.CharField(_("jenis acara"), max_length=10, choices=Kind.choices)
    title = models.CharField(_("acara"), max_length=300)
    day = models.DateField(_("tanggal"))
    starts_at = models.TimeField(_("jam mulai"), null=True, blank=True)
    ends_at = models.TimeField(_("jam selesai"), null=True, blank=True)
    place = models.CharField(_("tempat"), max_length=300, blank=True)
    site_region = models.ForeignKey("regions.Region", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("lokasi lapangan"))  # fmt: skip
    officials = models.CharField(_("pejabat / narasumber"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("acara kunjungan")
        verbose_name_plural = _("agenda kunjungan")
        ordering = ["day", "starts_at", "pk"]

    def __str__(self) -> str:
        return self.title


class GuestEntry(_VisitChild):
    """A signature in a visit's guest book, taken on a phone (drawn with a finger, or a tap on "hadir")."""

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="guests", verbose_name=_("kunjungan"))
    name = models.CharField(_("nama"), max_length=200)
    institution = models.CharField(_("instansi"), max_length=300, blank=True)
    position = models.CharField(_("jabatan"), max_length=200, blank=True)
    phone = models.CharField(_("telepon/WhatsApp"), max_length=20, blank=True)
    signature = models.ImageField(_("tanda tangan"), upload_to=visit_file_path, blank=True)
    signed_at = models.DateTimeField(_("waktu tanda tangan"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name=_("dicatat oleh"))  # fmt: skip

    class Meta:
        verbose_name = _("buku tamu")
        verbose_name_plural = _("buku tamu")
        ordering = ["signed_at", "pk"]

    def __str__(self) -> str:
        return self.name

    @property
    def phone_display(self) -> str:
        return display_phone(self.phone) if self.phone else ""


class VisitPhoto(_VisitChild):
    """A photo of a visit."""

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="photos", verbose_name=_("kunjungan"))
    image = models.ImageField(_("foto"), upload_to=visit_file_path)
    thumbnail = models.ImageField(_("gambar kecil"), upload_to=visit_file_path, blank=True)
    caption = models.CharField(_("keterangan"), max_length=300, blank=True)
    created = models.DateTimeField(_("diunggah"), auto_now_add=True)

    class Meta:
        verbose_name = _("foto kunjungan")
        verbose_name_plural = _("foto kunjungan")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.caption or self.image.name


class VisitFollowUp(_VisitChild):
    """What a visit led to: an MoU, orders, a replication commitment, a return visit, or other."""

    class Kind(models.TextChoices):
        AGREEMENT = "kerja_sama", _("MoU / kerja sama")
        ORDER = "pesanan", _("Pesanan")
        REPLICATION = "replikasi", _("Komitmen replikasi")
        RETURN_VISIT = "kunjungan_balasan", _("Kunjungan balasan")
        OTHER = "lainnya", _("Lainnya")

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="follow_ups",
                              verbose_name=_("kunjungan"))  # fmt: skip
    kind = models.CharField(_("jenis tindak lanjut"), max_length=20, choices=Kind.choices)
    description = models.CharField(_("uraian"), max_length=300)
    due_on = models.DateField(_("target"), null=True, blank=True)
    done_on = models.DateField(_("selesai pada"), null=True, blank=True)
    agreement = models.ForeignKey("partnerships.Agreement", null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+", verbose_name=_("kerja sama"))  # fmt: skip
    order = models.ForeignKey("orders.Order", null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+", verbose_name=_("pesanan"))  # fmt: skip
    adoption = models.ForeignKey("replication.KitAdoption", null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+", verbose_name=_("adopsi kit replikasi"))  # fmt: skip
    return_visit = models.ForeignKey(Visit, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+", verbose_name=_("kunjungan balasan"))  # fmt: skip
    created = models.DateTimeField(_("dicatat"), auto_now_add=True)

    class Meta:
        verbose_name = _("tindak lanjut kunjungan")
        verbose_name_plural = _("tindak lanjut kunjungan")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.description


class CalendarKey(models.Model):
    """The generation of a user's secret calendar (iCalendar) link; raising it revokes the links given before.

    A user without a row is at generation 0. The link itself is signed (django.core.signing) and carries the
    user id and this generation, so nothing secret is stored.
    """

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+",
                                verbose_name=_("pengguna"))  # fmt: skip
    generation = models.PositiveIntegerField(_("generasi tautan"), default=0)
    updated = models.DateTimeField(_("diperbarui"), auto_now=True)

    class Meta:
        verbose_name = _("tautan kalender")
        verbose_name_plural = _("tautan kalender")

    def __str__(self) -> str:
        return f"{self.user} #{self.generation}"
