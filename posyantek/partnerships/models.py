"""Partners of a post and its agreements (MoU / PKS) with the results each agreement produced.

domain.md §4.10, §5.7: penjajakan → draf → ditandatangani → berjalan (activities linked) → dievaluasi →
berakhir | diperpanjang, with reminders before expiry. Money is whole rupiah.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from posyantek.core.lib.phone import display_phone
from posyantek.core.models import RegionScopedModel
from posyantek.core.scoping import RegionScopedQuerySet


def partnership_file_path(instance: models.Model, filename: str) -> str:
    post_id = getattr(instance, "post_id", None) or getattr(getattr(instance, "agreement", None), "post_id", "x")
    return f"kemitraan/{type(instance).__name__.lower()}/{post_id}/{filename}"


class Partner(RegionScopedModel):
    """An institution a post works with; `region` is the post's region (scoping), `home_region` the partner's."""

    class Kind(models.TextChoices):
        UNIVERSITY = "perguruan_tinggi", _("Perguruan tinggi")
        VOCATIONAL = "smk", _("SMK / sekolah vokasi")
        RESEARCH = "lembaga_riset", _("Lembaga riset (BRIN dll.)")
        GOVERNMENT = "pemerintah", _("Instansi pemerintah")
        COMPANY = "perusahaan", _("Perusahaan / BUMN (CSR)")
        BUMDES = "bumdes", _("BUMDes")
        ASSOCIATION = "asosiasi", _("Asosiasi")
        NGO = "lsm", _("LSM")
        COMMUNITY = "komunitas", _("Komunitas")
        OTHER_POST = "posyantek_lain", _("Posyantek lain")
        MEDIA = "media", _("Media")
        OTHER = "lainnya", _("Lainnya")

    post = models.ForeignKey("posts.Post", on_delete=models.PROTECT, related_name="partners",
                             verbose_name=_("pos"))  # fmt: skip
    name = models.CharField(_("nama mitra"), max_length=200)
    kind = models.CharField(_("jenis mitra"), max_length=20, choices=Kind.choices)
    home_region = models.ForeignKey("regions.Region", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("wilayah mitra"))  # fmt: skip
    other_post = models.ForeignKey("posts.Post", null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("posyantek mitra"))  # fmt: skip
    address = models.TextField(_("alamat"), blank=True)
    phone = models.CharField(_("telepon/WhatsApp"), max_length=20, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    website = models.URLField(_("situs web"), blank=True)
    logo = models.ImageField(_("logo"), upload_to=partnership_file_path, blank=True)
    notes = models.TextField(_("catatan"), blank=True)

    scope_post_field = "post"

    class Meta:
        verbose_name = _("mitra")
        verbose_name_plural = _("mitra")
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["post", "name"], name="%(app_label)s_%(class)s_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("partnerships:partner_detail", args=[self.pk])

    @property
    def phone_display(self) -> str:
        return display_phone(self.phone) if self.phone else ""


class PartnerContact(models.Model):
    """A person at a partner the post deals with."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="contacts",
                                verbose_name=_("mitra"))  # fmt: skip
    name = models.CharField(_("nama"), max_length=200)
    position = models.CharField(_("jabatan"), max_length=200, blank=True)
    phone = models.CharField(_("telepon/WhatsApp"), max_length=20, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)

    objects = RegionScopedQuerySet.as_manager()
    scope_region_field = "partner__region"
    scope_post_field = "partner__post"

    class Meta:
        verbose_name = _("kontak mitra")
        verbose_name_plural = _("kontak mitra")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name

    @property
    def phone_display(self) -> str:
        return display_phone(self.phone) if self.phone else ""


class Agreement(RegionScopedModel):
    """An MoU, PKS or letter of cooperation between the post and one or more partners."""

    class DocKind(models.TextChoices):
        MOU = "mou", _("MoU / Nota Kesepahaman")
        PKS = "pks", _("PKS / Perjanjian Kerja Sama")
        LETTER = "surat", _("Surat kesepakatan")

    class State(models.TextChoices):
        EXPLORING = "penjajakan", _("Penjajakan")
        DRAFT = "draf", _("Draf")
        SIGNED = "ditandatangani", _("Ditandatangani")
        RUNNING = "berjalan", _("Berjalan")
        EVALUATED = "dievaluasi", _("Dievaluasi")
        ENDED = "berakhir", _("Berakhir")
        EXTENDED = "diperpanjang", _("Diperpanjang")

    post = models.ForeignKey("posts.Post", on_delete=models.PROTECT, related_name="agreements",
                             verbose_name=_("pos"))  # fmt: skip
    number = models.CharField(_("nomor"), max_length=100, blank=True)
    title = models.CharField(_("judul"), max_length=300)
    doc_kind = models.CharField(_("jenis dokumen"), max_length=8, choices=DocKind.choices, default=DocKind.MOU)
    state = models.CharField(_("tahap"), max_length=16, choices=State.choices, default=State.EXPLORING)
    signed_on = models.DateField(_("tanggal tanda tangan"), null=True, blank=True)
    starts_on = models.DateField(_("berlaku mulai"), null=True, blank=True)
    ends_on = models.DateField(_("berlaku sampai"), null=True, blank=True)
    scope = models.TextField(_("ruang lingkup"), blank=True)
    value = models.PositiveBigIntegerField(_("nilai (Rp)"), default=0)
    file = models.FileField(_("berkas perjanjian (PDF)"), upload_to=partnership_file_path, blank=True)
    manager = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="+", verbose_name=_("penanggung jawab"))  # fmt: skip
    extends = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="extensions", verbose_name=_("perpanjangan dari"))  # fmt: skip
    evaluation = models.TextField(_("hasil evaluasi"), blank=True)

    scope_post_field = "post"

    class Meta:
        verbose_name = _("kerja sama")
        verbose_name_plural = _("kerja sama")
        ordering = ["-signed_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                name="%(app_label)s_%(class)s_dates",
                condition=models.Q(ends_on__isnull=True)
                | models.Q(starts_on__isnull=True)
                | models.Q(ends_on__gte=models.F("starts_on")),
            ),
        ]
        indexes = [models.Index(fields=["state", "ends_on"], name="partnerships_agreement_expiry")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("partnerships:agreement_detail", args=[self.pk])

    @property
    def days_left(self) -> int | None:
        """Return the days until `ends_on` (negative once past), or None without an end date."""
        return None if self.ends_on is None else (self.ends_on - timezone.localdate()).days

    @property
    def expiring_soon(self) -> bool:
        """Return whether the agreement is in force and ends within the reminder window (90 days)."""
        from posyantek.partnerships.workflow import IN_FORCE, SOON_DAYS

        left = self.days_left
        return self.state in IN_FORCE and left is not None and 0 <= left <= SOON_DAYS

    @property
    def past_end(self) -> bool:
        """Return whether the agreement is still in force on paper though its end date has passed (not evaluated,
        ended or extended yet)."""
        from posyantek.partnerships.workflow import IN_FORCE

        left = self.days_left
        return self.state in IN_FORCE and left is not None and left < 0


class _AgreementChild(models.Model):
    objects = RegionScopedQuerySet.as_manager()
    scope_region_field = "agreement__region"
    scope_post_field = "agreement__post"

    class Meta:
        abstract = True


class AgreementParty(_AgreementChild):
    """A party to an agreement: the post itself or a partner, with who signs and what it must do."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="parties",
                                  verbose_name=_("kerja sama"))  # fmt: skip
    partner = models.ForeignKey(Partner, null=True, blank=True, on_delete=models.PROTECT, related_name="parties",
                                verbose_name=_("mitra"))  # fmt: skip
    is_post = models.BooleanField(_("pos ini sendiri"), default=False)
    signatory = models.CharField(_("penanda tangan"), max_length=200, blank=True)
    signatory_title = models.CharField(_("jabatan penanda tangan"), max_length=200, blank=True)
    obligations = models.TextField(_("kewajiban"), blank=True)
    order = models.PositiveSmallIntegerField(_("urutan"), default=0)

    class Meta:
        verbose_name = _("pihak")
        verbose_name_plural = _("para pihak")
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "partner"], name="%(app_label)s_%(class)s_unique_partner"),
            models.UniqueConstraint(
                fields=["agreement"], condition=models.Q(is_post=True), name="%(app_label)s_%(class)s_unique_post"
            ),  # fmt: skip
            models.CheckConstraint(
                name="%(app_label)s_%(class)s_who",
                condition=models.Q(is_post=True, partner__isnull=True) | models.Q(is_post=False, partner__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return str(self.partner) if self.partner_id else str(self.agreement.post)


class AgreementStep(_AgreementChild):
    """One step of an agreement along its states (its history)."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="steps",
                                  verbose_name=_("kerja sama"))  # fmt: skip
    state = models.CharField(_("tahap"), max_length=16, choices=Agreement.State.choices)
    at = models.DateTimeField(_("waktu"))
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+", verbose_name=_("oleh"))  # fmt: skip
    note = models.CharField(_("keterangan"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("tahap kerja sama")
        verbose_name_plural = _("tahap kerja sama")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.agreement} → {self.get_state_display()}"


class AgreementResult(_AgreementChild):
    """Something an agreement produced: a Bintek, a referred request, a TTG, an order, funds, or other."""

    class Kind(models.TextChoices):
        BINTEK = "bintek", _("Bintek diberikan")
        REQUEST = "permohonan", _("Permohonan dirujuk")
        TTG = "ttg", _("TTG dikembangkan")
        ORDER = "pesanan", _("Pesanan dibawa")
        FUNDS = "dana", _("Dana diterima")
        OTHER = "lainnya", _("Lainnya")

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="results",
                                  verbose_name=_("kerja sama"))  # fmt: skip
    kind = models.CharField(_("jenis hasil"), max_length=12, choices=Kind.choices)
    bintek = models.ForeignKey("trainings.Bintek", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="+", verbose_name=_("Bintek"))  # fmt: skip
    service_request = models.ForeignKey("consultations.ServiceRequest", null=True, blank=True,
                                        on_delete=models.PROTECT, related_name="+",
                                        verbose_name=_("permohonan layanan"))  # fmt: skip
    ttg = models.ForeignKey("catalog.Ttg", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                            verbose_name=_("TTG"))  # fmt: skip
    order = models.ForeignKey("orders.Order", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                              verbose_name=_("pesanan"))  # fmt: skip
    grant = models.ForeignKey("finance.Grant", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                              verbose_name=_("hibah"))  # fmt: skip
    amount = models.PositiveBigIntegerField(_("nilai (Rp)"), default=0)
    occurred_on = models.DateField(_("tanggal"))
    description = models.CharField(_("uraian"), max_length=300, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+", verbose_name=_("dicatat oleh"))  # fmt: skip
    created = models.DateTimeField(_("dicatat"), auto_now_add=True)

    class Meta:
        verbose_name = _("hasil kerja sama")
        verbose_name_plural = _("hasil kerja sama")
        ordering = ["-occurred_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                name="%(app_label)s_%(class)s_target",
                condition=models.Q(kind="bintek", bintek__isnull=False)
                | models.Q(kind="permohonan", service_request__isnull=False)
                | models.Q(kind="ttg", ttg__isnull=False)
                | models.Q(kind="pesanan", order__isnull=False)
                | models.Q(kind__in=["dana", "lainnya"]),
            ),
            # A record is linked to an agreement once (the same Bintek or order is one result, not two).
            *[
                models.UniqueConstraint(
                    fields=["agreement", link],
                    condition=models.Q(**{f"{link}__isnull": False}),
                    name=f"%(app_label)s_%(class)s_once_{link}",
                )
                for link in ("bintek", "service_request", "ttg", "order", "grant")
            ],
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.description or self.target}"

    @property
    def target(self) -> models.Model | None:
        """Return the linked record, if any."""
        return self.bintek or self.service_request or self.ttg or self.order or self.grant


class AgreementReminder(_AgreementChild):
    """An expiry reminder sent for an agreement (one per threshold, so a rerun sends nothing twice)."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="reminders",
                                  verbose_name=_("kerja sama"))  # fmt: skip
    days_before = models.PositiveSmallIntegerField(_("hari sebelum berakhir"))
    ends_on = models.DateField(_("berlaku sampai"))
    sent_at = models.DateTimeField(_("dikirim"))
    recipients = models.TextField(_("penerima"), blank=True)

    class Meta:
        verbose_name = _("pengingat kerja sama")
        verbose_name_plural = _("pengingat kerja sama")
        ordering = ["-sent_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "days_before", "ends_on"], name="%(app_label)s_%(class)s_once"
            ),  # fmt: skip
        ]

    def __str__(self) -> str:
        return f"{self.agreement} H-{self.days_before}"
