"""The Posyantek units, their status history, board terms and officers."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from posyantek.core.models import RegionScopedModel
from posyantek.core.scoping import RegionScopedQuerySet


def upload_to(instance: models.Model, filename: str) -> str:
    return f"posts/{instance.pk or 'new'}/{filename}"


class Post(RegionScopedModel):
    """A Posyantek unit: an inter-village post, a village/kelurahan post or a Wartek."""

    class Kind(models.TextChoices):
        ANTAR_DESA = "antar_desa", _("Posyantek antar desa")
        DESA = "desa", _("Posyantek desa/kelurahan")
        WARTEK = "wartek", _("Wartek")

    class Status(models.TextChoices):
        AKTIF = "aktif", _("Aktif")
        TIDAK_AKTIF = "tidak_aktif", _("Tidak aktif")
        DIBEKUKAN = "dibekukan", _("Dibekukan")

    class Office(models.TextChoices):
        OWNED = "milik", _("Milik sendiri")
        BORROWED = "pinjam", _("Pinjam")
        SHARED = "menumpang", _("Menumpang")

    #: The region level each kind is seated at.
    SEAT_LEVEL = {"antar_desa": 3, "desa": 4, "wartek": 4}

    name = models.CharField(_("nama"), max_length=150)
    slug = models.SlugField(_("slug"), max_length=160, unique=True)
    kind = models.CharField(_("jenis"), max_length=12, choices=Kind.choices)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="children", verbose_name=_("pos induk")
    )
    service_area = models.ManyToManyField(
        "regions.Region", blank=True, related_name="+", verbose_name=_("wilayah layanan")
    )
    founded_on = models.DateField(_("tanggal berdiri"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.AKTIF)

    sk_number = models.CharField(_("nomor SK pembentukan"), max_length=100, blank=True)
    sk_date = models.DateField(_("tanggal SK"), null=True, blank=True)
    sk_issuer = models.CharField(_("penerbit SK"), max_length=150, blank=True)
    sk_file = models.FileField(_("berkas SK"), upload_to=upload_to, blank=True)
    skt_number = models.CharField(_("nomor SKT"), max_length=100, blank=True)
    skt_date = models.DateField(_("tanggal SKT"), null=True, blank=True)
    skt_valid_until = models.DateField(_("SKT berlaku sampai"), null=True, blank=True)
    skt_issuer = models.CharField(_("penerbit SKT"), max_length=150, blank=True)
    skt_file = models.FileField(_("berkas SKT"), upload_to=upload_to, blank=True)
    adart_file = models.FileField(_("berkas AD/ART"), upload_to=upload_to, blank=True)
    legal_entity_number = models.CharField(_("nomor badan hukum"), max_length=100, blank=True)

    address = models.TextField(_("alamat sekretariat"), blank=True)
    office_status = models.CharField(_("status kantor"), max_length=12, choices=Office.choices, blank=True)
    phone = models.CharField(_("telepon/WhatsApp"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    logo = models.ImageField(_("logo (kop surat)"), upload_to=upload_to, blank=True)
    website = models.URLField(_("situs web"), blank=True)
    social_media = models.CharField(_("media sosial"), max_length=200, blank=True)
    focus_fields = models.CharField(
        _("bidang fokus"), max_length=300, blank=True, help_text=_("Pisahkan dengan koma, mis. pertanian, perikanan")
    )

    scope_post_field = "pk"

    class Meta:
        verbose_name = _("pos Posyantek")
        verbose_name_plural = _("pos Posyantek")
        ordering = ["region_id", "name"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "region"], name="%(app_label)s_%(class)s_one_kind_per_region"),
        ]
        # The dashboards' comparison tables list posts by name: with 24,000 posts the index walks the first page.
        indexes = [models.Index(fields=["name", "id"], name="posts_post_name_id")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("posts:post_detail", args=[self.pk])

    def get_public_url(self) -> str:
        return reverse("posts:post_public", args=[self.slug])

    @property
    def focus_list(self) -> list[str]:
        return [f.strip() for f in self.focus_fields.split(",") if f.strip()]


class PostStatusChange(models.Model):
    """One change of a post's status, with when, who and why."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="status_changes", verbose_name=_("pos"))
    status = models.CharField(_("status"), max_length=12, choices=Post.Status.choices)
    changed_on = models.DateField(_("berlaku sejak"))
    note = models.CharField(_("keterangan"), max_length=300, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, verbose_name=_("oleh")
    )
    created = models.DateTimeField(_("dicatat"), auto_now_add=True)

    objects = RegionScopedQuerySet.as_manager()
    scope_region_field = "post__region"
    scope_post_field = "post"

    class Meta:
        verbose_name = _("riwayat status")
        verbose_name_plural = _("riwayat status")
        ordering = ["-changed_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.post} → {self.get_status_display()}"


class BoardTerm(models.Model):
    """A term of office (kepengurusan) of a post's board: at most 3 years (Permendesa 23/2017 art. 29)."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="board_terms", verbose_name=_("pos"))
    starts_on = models.DateField(_("mulai"))
    ends_on = models.DateField(_("selesai"))
    basis = models.CharField(_("dasar (SK / berita acara musyawarah)"), max_length=200, blank=True)
    basis_file = models.FileField(_("berkas dasar"), upload_to="boards/", blank=True)
    created = models.DateTimeField(_("dibuat"), auto_now_add=True)
    updated = models.DateTimeField(_("diperbarui"), auto_now=True)
    version = models.PositiveIntegerField(_("versi"), default=1, editable=False)

    objects = RegionScopedQuerySet.as_manager()
    scope_region_field = "post__region"
    scope_post_field = "post"

    class Meta:
        verbose_name = _("kepengurusan")
        verbose_name_plural = _("kepengurusan")
        ordering = ["-starts_on"]
        constraints = [
            models.CheckConstraint(
                name="%(app_label)s_%(class)s_ends_after_start", condition=models.Q(ends_on__gt=models.F("starts_on"))
            )
        ]

    def __str__(self) -> str:
        return f"{self.post} {self.starts_on:%Y}–{self.ends_on:%Y}"

    def get_absolute_url(self) -> str:
        return reverse("posts:board_detail", args=[self.post_id, self.pk])

    @property
    def region_id(self) -> str:
        return self.post.region_id

    @property
    def has_ended(self) -> bool:
        from django.utils import timezone

        return self.ends_on < timezone.localdate()


class Officer(models.Model):
    """A person holding a position on a board term."""

    class Position(models.TextChoices):
        PEMBINA = "pembina", _("Pembina")
        PENASEHAT = "penasehat", _("Penasehat")
        KETUA = "ketua", _("Ketua")
        WAKIL_KETUA = "wakil_ketua", _("Wakil ketua")
        SEKRETARIS = "sekretaris", _("Sekretaris")
        BENDAHARA = "bendahara", _("Bendahara")
        SEKSI_PENGEMBANGAN = "seksi_pengembangan", _("Seksi pengembangan")
        SEKSI_PELAYANAN = "seksi_pelayanan", _("Seksi pelayanan")
        SEKSI_LAIN = "seksi_lain", _("Seksi lain")
        ANGGOTA = "anggota", _("Anggota")

    class Element(models.TextChoices):
        INNOVATOR = "inovator", _("Inovator")
        USER = "pengguna", _("Pengguna TTG")
        INSTITUTION = "lembaga", _("Lembaga kemasyarakatan")
        VILLAGE_POST = "pos_desa", _("Utusan pos desa")
        GOVERNMENT = "pemerintah", _("Unsur pemerintah")
        OTHER = "lain", _("Lainnya")

    #: Positions one person holds at a time.
    SINGLE_POSITIONS = ("ketua", "wakil_ketua", "sekretaris", "bendahara")
    #: The five core positions of art. 29(5).
    CORE_POSITIONS = ("ketua", "sekretaris", "bendahara", "seksi_pengembangan", "seksi_pelayanan")

    term = models.ForeignKey(
        BoardTerm, on_delete=models.CASCADE, related_name="officers", verbose_name=_("kepengurusan")
    )
    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="offices", verbose_name=_("orang")
    )
    position = models.CharField(_("jabatan"), max_length=20, choices=Position.choices)
    section_name = models.CharField(_("nama seksi"), max_length=100, blank=True)
    element = models.CharField(_("unsur"), max_length=12, choices=Element.choices, blank=True)
    order = models.PositiveSmallIntegerField(_("urutan"), default=0)
    is_civil_servant = models.BooleanField(_("PNS"), default=False)
    is_party_official = models.BooleanField(_("anggota/pengurus partai politik"), default=False)

    objects = RegionScopedQuerySet.as_manager()
    scope_region_field = "term__post__region"
    scope_post_field = "term__post"

    class Meta:
        verbose_name = _("pengurus")
        verbose_name_plural = _("pengurus")
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["term", "person"], name="%(app_label)s_%(class)s_one_seat_per_person"),
            models.UniqueConstraint(
                fields=["term", "position"],
                condition=models.Q(position__in=["ketua", "wakil_ketua", "sekretaris", "bendahara"]),
                name="%(app_label)s_%(class)s_single_holder",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_position_display()}: {self.person}"

    @property
    def region_id(self) -> str:
        return self.term.post.region_id

    @property
    def post_id(self) -> int:
        return self.term.post_id
