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


class Aspect(models.TextChoices):
    """The five national aspects used in TTG contests (domain.md §7.1)."""

    PANGAN = "pangan", _("Pengolahan pangan")
    ENERGI = "energi", _("Pemanfaatan energi")
    INFRASTRUKTUR = "infrastruktur", _("Penyediaan dan pemeliharaan infrastruktur")
    LINGKUNGAN = "lingkungan", _("Pengelolaan lingkungan")
    EKONOMI = "ekonomi", _("Pemampuan ekonomi")


class Ttg(RegionScopedModel):
    """A technology record (domain.md §7.2): what it is, where it comes from, what it does and costs."""

    class Kind(models.TextChoices):
        MACHINE = "alat_mesin", _("Alat/mesin")
        METHOD = "metode", _("Metode/proses")
        SYSTEM = "sistem_informasi", _("Sistem informasi")

    class Source(models.TextChoices):
        OWN = "sendiri", _("Karya sendiri")
        UNIVERSITY = "perguruan_tinggi", _("Perguruan tinggi")
        RESEARCH = "lembaga_riset", _("Lembaga riset")
        MANUFACTURER = "pabrikan", _("Pabrikan")
        ADAPTED = "adaptasi", _("Adaptasi (ATM)")

    class Readiness(models.TextChoices):
        PROTOTYPE = "prototipe", _("Prototipe")
        TRIAL = "uji_coba", _("Uji coba")
        PRODUCED = "diproduksi", _("Diproduksi")
        MARKETED = "dipasarkan", _("Dipasarkan")

    class Stage(models.TextChoices):
        IDEA = "ide", _("Ide diajukan")
        CURATED = "dikurasi", _("Dikurasi")
        PROTOTYPE = "prototipe", _("Prototipe")
        TRIAL = "uji_coba", _("Uji coba lapangan")
        DOCUMENTED = "terdokumentasi", _("Terdokumentasi")
        IP_FILED = "hki_diajukan", _("HKI diajukan")
        IP_GRANTED = "hki_terbit", _("HKI terbit")
        PRODUCED = "diproduksi", _("Diproduksi")
        MARKETED = "dipasarkan", _("Dipasarkan")

    class IpStatus(models.TextChoices):
        NONE = "belum", _("Belum ada")
        PATENT_FILED = "paten_diajukan", _("Paten diajukan")
        PATENT_GRANTED = "paten_terbit", _("Paten terbit")
        BRAND_FILED = "merek_diajukan", _("Merek diajukan")
        BRAND_REGISTERED = "merek_terdaftar", _("Merek terdaftar")

    class Publication(models.TextChoices):
        DRAFT = "draf", _("Draf")
        REQUESTED = "diajukan", _("Menunggu persetujuan")
        PUBLISHED = "terbit", _("Terbit di katalog publik")

    # Identity and origin
    name = models.CharField(_("nama TTG"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=220, unique=True)
    other_names = models.CharField(_("nama lain"), max_length=200, blank=True)
    post = models.ForeignKey("posts.Post", on_delete=models.PROTECT, related_name="ttgs", verbose_name=_("pos pembina"))
    innovators = models.ManyToManyField(Innovator, blank=True, related_name="ttgs", verbose_name=_("inovator"))
    year_made = models.PositiveSmallIntegerField(_("tahun dibuat"), null=True, blank=True)
    source = models.CharField(_("sumber"), max_length=20, choices=Source.choices, default=Source.OWN)
    # Classification
    sector = models.CharField(_("bidang"), max_length=20, choices=Sector.choices)
    aspect = models.CharField(_("aspek"), max_length=20, choices=Aspect.choices)
    kind = models.CharField(_("jenis"), max_length=20, choices=Kind.choices, default=Kind.MACHINE)
    commodities = models.CharField(_("komoditas"), max_length=200, blank=True, help_text=_("Pisahkan dengan koma"))
    # Purpose
    problem = models.TextField(_("masalah yang dijawab"), blank=True)
    function = models.TextField(_("fungsi"), blank=True)
    benefits = models.TextField(_("manfaat"), blank=True)
    target_users = models.CharField(_("sasaran pengguna"), max_length=300, blank=True)
    # Technical data
    dimensions = models.CharField(_("dimensi"), max_length=120, blank=True)
    materials = models.CharField(_("bahan"), max_length=300, blank=True)
    power_source = models.CharField(_("sumber tenaga"), max_length=120, blank=True)
    power_watt = models.PositiveIntegerField(_("daya listrik (watt)"), null=True, blank=True)
    capacity = models.DecimalField(_("kapasitas"), max_digits=12, decimal_places=2, null=True, blank=True)
    capacity_unit = models.CharField(_("satuan kapasitas"), max_length=40, blank=True, help_text=_("mis. kg/jam"))
    local_materials = models.CharField(_("bahan baku lokal"), max_length=300, blank=True)
    how_it_works = models.TextField(_("cara kerja"), blank=True)
    operation = models.TextField(_("cara pengoperasian"), blank=True)
    maintenance = models.TextField(_("perawatan"), blank=True)
    safety = models.TextField(_("keselamatan"), blank=True)
    food_grade = models.BooleanField(_("food grade"), default=False)
    # Economics (integer rupiah)
    price = models.PositiveBigIntegerField(_("harga (Rp)"), null=True, blank=True)
    production_cost = models.PositiveBigIntegerField(_("biaya pembuatan (Rp)"), null=True, blank=True)
    operating_cost = models.CharField(_("biaya operasional"), max_length=200, blank=True)
    value_added = models.TextField(_("nilai tambah"), blank=True)
    factory_comparison = models.TextField(_("dibanding produk pabrikan"), blank=True)
    payback_months = models.PositiveSmallIntegerField(_("balik modal (bulan)"), null=True, blank=True)
    # Readiness and rights
    readiness = models.CharField(_("kesiapan"), max_length=12, choices=Readiness.choices, default=Readiness.PROTOTYPE)
    trl = models.PositiveSmallIntegerField(_("TRL (1–9)"), null=True, blank=True)
    ip_status = models.CharField(_("status HKI"), max_length=20, choices=IpStatus.choices, default=IpStatus.NONE)
    ip_number = models.CharField(_("nomor HKI"), max_length=100, blank=True)
    # Availability and recognition
    producer = models.CharField(_("produsen"), max_length=200, blank=True)
    producer_contact = models.CharField(_("kontak produsen"), max_length=200, blank=True)
    lead_time_days = models.PositiveSmallIntegerField(_("waktu pembuatan (hari)"), null=True, blank=True)
    recognition = models.TextField(_("lomba dan penghargaan"), blank=True)
    video_url = models.URLField(_("tautan video"), blank=True)
    # Pipeline and publication
    stage = models.CharField(_("tahap"), max_length=16, choices=Stage.choices, default=Stage.IDEA)
    publication = models.CharField(_("publikasi"), max_length=10, choices=Publication.choices,
                                   default=Publication.DRAFT)  # fmt: skip
    published_at = models.DateTimeField(_("terbit"), null=True, blank=True)

    scope_post_field = "post"

    class Meta:
        verbose_name = _("TTG")
        verbose_name_plural = _("TTG")
        ordering = ["-pk"]
        indexes = [
            models.Index(fields=["publication", "sector"], name="catalog_ttg_public_sector"),
            models.Index(fields=["publication", "-published_at", "-id"], name="catalog_ttg_public_newest"),
            models.Index(fields=["publication", "price", "-id"], name="catalog_ttg_public_price"),
        ]
        constraints = [
            models.CheckConstraint(
                name="%(app_label)s_%(class)s_trl_1_9",
                condition=models.Q(trl__isnull=True) | models.Q(trl__gte=1, trl__lte=9),
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("ttg:ttg_detail", args=[self.pk])

    def get_public_url(self) -> str:
        return reverse("katalog:ttg_detail", args=[self.slug])


def photo_path(instance: models.Model, filename: str) -> str:
    return f"ttg/{instance.ttg_id}/{filename}"


class TtgPhoto(models.Model):
    """A cleaned photo of a technology (metadata stripped) with its thumbnail."""

    ttg = models.ForeignKey(Ttg, on_delete=models.CASCADE, related_name="photos", verbose_name=_("TTG"))
    image = models.ImageField(_("foto"), upload_to=photo_path)
    thumbnail = models.ImageField(_("gambar kecil"), upload_to=photo_path)
    caption = models.CharField(_("keterangan"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(_("urutan"), default=0)
    created = models.DateTimeField(_("dibuat"), auto_now_add=True)

    objects = RegionScopedQuerySet.as_manager()
    scope_region_field = "ttg__region"
    scope_post_field = "ttg__post"

    class Meta:
        verbose_name = _("foto TTG")
        verbose_name_plural = _("foto TTG")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.caption or f"{self.ttg} #{self.pk}"


class TtgStageChange(models.Model):
    """One step of a technology along the innovation pipeline."""

    ttg = models.ForeignKey(Ttg, on_delete=models.CASCADE, related_name="stage_changes", verbose_name=_("TTG"))
    stage = models.CharField(_("tahap"), max_length=16, choices=Ttg.Stage.choices)
    changed_on = models.DateField(_("tanggal"))
    note = models.CharField(_("keterangan"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("riwayat tahap")
        verbose_name_plural = _("riwayat tahap")
        ordering = ["-changed_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.ttg} → {self.get_stage_display()}"


class Adoption(models.Model):
    """Where a technology is applied: region, date, units, users and result."""

    ttg = models.ForeignKey(Ttg, on_delete=models.CASCADE, related_name="adoptions", verbose_name=_("TTG"))
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("wilayah penerapan"))  # fmt: skip
    applied_on = models.DateField(_("tanggal"))
    units = models.PositiveIntegerField(_("jumlah unit"), default=1)
    users = models.CharField(_("pengguna"), max_length=200, blank=True)
    result = models.TextField(_("hasil"), blank=True)

    objects = RegionScopedQuerySet.as_manager()
    scope_region_field = "ttg__region"
    scope_post_field = "ttg__post"

    class Meta:
        verbose_name = _("penerapan")
        verbose_name_plural = _("penerapan")
        ordering = ["-applied_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.ttg} · {self.region}"


class TtgTerm(models.Model):
    """One search term of a published technology, with its weight (see catalog/search.py)."""

    # No index of its own: the unique (ttg, term) constraint's index starts with it.
    ttg = models.ForeignKey(Ttg, on_delete=models.CASCADE, related_name="terms", db_index=False)
    term = models.CharField(max_length=45)
    weight = models.FloatField()

    class Meta:
        # A term's rows best first, as the search reads them; and a record's terms with their weights, to check
        # and score it from the index alone. Both are named: the search names them to SQLite (catalog/search.py).
        # A record's terms are unique by construction (a dict, rewritten whole in one transaction).
        indexes = [
            models.Index(fields=["term", "-weight", "ttg"], name="catalog_ttgterm_best"),
            models.Index(fields=["ttg", "term", "weight"], name="catalog_ttgterm_doc"),
        ]

    def __str__(self) -> str:
        return self.term


class TtgTermStat(models.Model):
    """How many published records hold a term: plans a search, lists words for prefixes and regions to filter."""

    term = models.CharField(max_length=45, primary_key=True)
    df = models.IntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.term} ({self.df})"
