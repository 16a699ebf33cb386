"""Money by source against its regulation: regulations, budgets, the cash book, grants, assets.

domain.md §4.13, §4.14, §8. Amounts are whole rupiah. The cash book is append-only: an entry is never edited
or deleted once posted; a correction is a reversing entry linked to the original. A closed month is locked.
Balances are sums of entries; `EntryMonth` keeps those sums per month so reports read a few rows.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from posyantek.core.models import RegionScopedModel
from posyantek.core.scoping import Action, RegionScopedQuerySet, region_subtree_q, user_grants


class FundingSource(models.TextChoices):
    """Where money comes from (domain.md §8); the codes match `Bintek.Funding` where both have them."""

    APBN = "apbn", _("APBN")
    APBD_PROV = "apbd_provinsi", _("APBD provinsi")
    APBD_KAB = "apbd_kabkota", _("APBD kabupaten/kota")
    APBDES = "apbdes", _("APB Desa / Dana Desa")
    BUMDES = "bumdes", _("BUMDes")
    CSR = "csr", _("CSR / industri")
    SWADAYA = "swadaya", _("Swadaya masyarakat")
    OWN = "pendapatan_pos", _("Pendapatan sendiri")
    PRIZE = "hadiah", _("Uang pembinaan / hadiah lomba")
    OTHER = "lainnya", _("Lainnya")


def finance_file_path(instance: models.Model, filename: str) -> str:
    post_id = getattr(instance, "post_id", None) or "nasional"
    return f"keuangan/{type(instance).__name__.lower()}/{post_id}/{filename}"


# --- Regulations ---------------------------------------------------------------------------------------------


def _ancestors_and_self(code: str) -> list[str]:
    parts = code.split(".")
    return [".".join(parts[:i]) for i in range(1, len(parts) + 1)]


class RegulationQuerySet(models.QuerySet):
    """Every signed-in user reads every rule; changing one needs an overseer of its region (or a national role)."""

    def for_user(self, user: Any, action: str = "view") -> RegulationQuerySet:
        if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        grants = user_grants(user)
        if action == "view":
            # Regulations are public law: every signed-in user reads every one, so a city without a Perda can
            # read what Kota Pekalongan's says and how its posts are funded under it.
            return self
        # Writing: a national rule needs a national role; a regional one an overseer of its region.
        if any(g.is_national and g.rank >= Action.OVERSEE for g in grants):
            return self
        q = Q(pk__in=[])
        for g in grants:
            if g.region_code and g.rank >= Action.OVERSEE:
                q |= region_subtree_q("region", g.region_code)
        return self.filter(q)


class Regulation(models.Model):
    """A legal basis of funding or of Posyantek itself: a Perda, a Perwali, a ministry rule, a decree."""

    class Kind(models.TextChoices):
        UU = "uu", _("Undang-Undang")
        INPRES = "inpres", _("Instruksi Presiden")
        PERMENDAGRI = "permendagri", _("Peraturan Menteri Dalam Negeri")
        KEPMENDAGRI = "kepmendagri", _("Keputusan Menteri Dalam Negeri")
        INMENDAGRI = "inmendagri", _("Instruksi Menteri Dalam Negeri")
        PERMENDESA = "permendesa", _("Peraturan Menteri Desa PDTT")
        PERGUB = "pergub", _("Peraturan Gubernur")
        INGUB = "ingub", _("Instruksi Gubernur")
        PERDA = "perda", _("Peraturan Daerah (Perda)")
        PERWALI = "perwali", _("Peraturan Wali Kota")
        PERBUP = "perbup", _("Peraturan Bupati")
        PERDES = "perdes", _("Peraturan Desa")
        SK = "sk", _("Surat Keputusan (SK)")
        OTHER = "lainnya", _("Lainnya")

    class Status(models.TextChoices):
        IN_FORCE = "berlaku", _("Berlaku")
        AMENDED = "diubah", _("Diubah")
        REVOKED = "dicabut", _("Dicabut")

    #: Kinds made by a regional government: a post funded under one of these is "funded by regulation".
    REGIONAL_KINDS = ("perda", "perwali", "perbup", "pergub", "perdes")

    kind = models.CharField(_("jenis"), max_length=12, choices=Kind.choices)
    number = models.CharField(_("nomor"), max_length=60)
    year = models.PositiveSmallIntegerField(_("tahun"))
    title = models.CharField(_("judul"), max_length=400)
    region = models.ForeignKey(
        "regions.Region",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("wilayah penerbit"),
        help_text=_("Kosong untuk peraturan nasional."),
    )
    issued_on = models.DateField(_("tanggal ditetapkan"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.IN_FORCE)
    amended_by = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="amends",
        verbose_name=_("diubah/dicabut oleh"),
    )
    file = models.FileField(_("berkas (PDF)"), upload_to=finance_file_path, blank=True)
    note = models.TextField(_("catatan"), blank=True)
    created = models.DateTimeField(_("dibuat"), auto_now_add=True)
    updated = models.DateTimeField(_("diperbarui"), auto_now=True)
    version = models.PositiveIntegerField(_("versi"), default=1, editable=False)

    objects = RegulationQuerySet.as_manager()

    class Meta:
        verbose_name = _("peraturan")
        verbose_name_plural = _("peraturan")
        ordering = ["-year", "kind", "number"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "number", "year", "region"], name="%(app_label)s_%(class)s_unique"),
            models.UniqueConstraint(
                fields=["kind", "number", "year"],
                condition=Q(region__isnull=True),
                name="%(app_label)s_%(class)s_unique_national",
            ),
            models.CheckConstraint(name="%(app_label)s_%(class)s_year", condition=Q(year__gte=1945, year__lte=2200)),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} No. {self.number} Tahun {self.year}"

    def get_absolute_url(self) -> str:
        return reverse("finance:regulation_detail", args=[self.pk])

    @property
    def short(self) -> str:
        """Return the usual short name, e.g. `Perda 11/2008`."""
        label = {
            "perda": "Perda",
            "perwali": "Perwali",
            "perbup": "Perbup",
            "pergub": "Pergub",
            "permendagri": "Permendagri",
            "kepmendagri": "Kepmendagri",
            "inmendagri": "Inmendagri",
            "permendesa": "Permendesa PDTT",
            "uu": "UU",
            "inpres": "Inpres",
            "ingub": "Ingub",
            "perdes": "Perdes",
            "sk": "SK",
        }.get(self.kind, "")
        return f"{label} {self.number}/{self.year}".strip()

    @property
    def is_national(self) -> bool:
        return self.region_id is None

    @property
    def is_regional_basis(self) -> bool:
        return self.kind in self.REGIONAL_KINDS and self.status != self.Status.REVOKED


class RegulationArticle(models.Model):
    """An article (pasal) of a regulation that matters here, with a summary of what it says."""

    regulation = models.ForeignKey(
        Regulation, on_delete=models.CASCADE, related_name="articles", verbose_name=_("peraturan")
    )
    number = models.CharField(_("pasal"), max_length=30, help_text=_("Mis. 35 atau 29 ayat (2)"))
    summary = models.TextField(_("ringkasan isi"))
    created = models.DateTimeField(_("dibuat"), auto_now_add=True)

    class Meta:
        verbose_name = _("pasal")
        verbose_name_plural = _("pasal")
        ordering = ["regulation", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["regulation", "number"], name="%(app_label)s_%(class)s_unique"),
        ]

    def __str__(self) -> str:
        return f"Pasal {self.number}"


# --- Chart of accounts and cash accounts ---------------------------------------------------------------------


class AccountQuerySet(RegionScopedQuerySet):
    def for_user(self, user: Any, action: str = "view") -> AccountQuerySet:
        """Return the post accounts `user` may act on, plus the shared chart when only reading it."""
        scoped = super().for_user(user, action)
        if action != "view" or scoped.query.is_empty():
            return scoped
        return self.filter(Q(post__isnull=True) | Q(pk__in=scoped.values("pk")))


class Account(models.Model):
    """An account (rekening) of the chart: shared by every post (no post) or a post's own."""

    class Kind(models.TextChoices):
        INCOME = "pendapatan", _("Pendapatan")
        SPENDING = "belanja", _("Belanja")

    post = models.ForeignKey(
        "posts.Post",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("pos"),
        help_text=_("Kosong: akun bersama semua pos."),
    )
    code = models.CharField(_("kode akun"), max_length=20)
    name = models.CharField(_("nama akun"), max_length=150)
    kind = models.CharField(_("jenis"), max_length=10, choices=Kind.choices)
    active = models.BooleanField(_("aktif"), default=True)

    objects = AccountQuerySet.as_manager()
    scope_region_field = "post__region"
    scope_post_field = "post"

    class Meta:
        verbose_name = _("akun")
        verbose_name_plural = _("bagan akun")
        ordering = ["code", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["post", "code"], name="%(app_label)s_%(class)s_unique"),
            models.UniqueConstraint(
                fields=["code"], condition=Q(post__isnull=True), name="%(app_label)s_%(class)s_unique_shared"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class CashAccount(RegionScopedModel):
    """Where a post keeps money: its petty cash or a bank account. The balance is the sum of its entries."""

    class Kind(models.TextChoices):
        CASH = "tunai", _("Kas tunai")
        BANK = "bank", _("Rekening bank")

    post = models.ForeignKey(
        "posts.Post", on_delete=models.PROTECT, related_name="cash_accounts", verbose_name=_("pos")
    )
    name = models.CharField(_("nama"), max_length=100)
    kind = models.CharField(_("jenis"), max_length=6, choices=Kind.choices, default=Kind.CASH)
    bank_name = models.CharField(_("nama bank"), max_length=100, blank=True)
    account_number = models.CharField(_("nomor rekening"), max_length=40, blank=True)
    active = models.BooleanField(_("aktif"), default=True)

    scope_post_field = "post"

    class Meta:
        verbose_name = _("kas/rekening")
        verbose_name_plural = _("kas dan rekening")
        ordering = ["post", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["post", "name"], name="%(app_label)s_%(class)s_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


# --- Budgets --------------------------------------------------------------------------------------------------


class Budget(RegionScopedModel):
    """A post's yearly budget (pagu), one row per revision: drafted, approved by the manager, later superseded.

    The approved revision is the budget in force; earlier approved revisions stay as `superseded` (history).
    """

    class State(models.TextChoices):
        DRAFT = "draf", _("Draf")
        APPROVED = "disetujui", _("Disetujui")
        SUPERSEDED = "diganti", _("Diganti revisi")

    post = models.ForeignKey("posts.Post", on_delete=models.PROTECT, related_name="budgets", verbose_name=_("pos"))
    year = models.PositiveSmallIntegerField(_("tahun anggaran"))
    revision = models.PositiveSmallIntegerField(_("revisi ke"), default=0)
    state = models.CharField(_("status"), max_length=10, choices=State.choices, default=State.DRAFT)
    note = models.TextField(_("catatan"), blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("disetujui oleh"),
    )
    approved_at = models.DateTimeField(_("disetujui pada"), null=True, blank=True)

    scope_post_field = "post"

    class Meta:
        verbose_name = _("anggaran")
        verbose_name_plural = _("anggaran")
        ordering = ["-year", "post", "-revision"]
        constraints = [
            models.UniqueConstraint(fields=["post", "year", "revision"], name="%(app_label)s_%(class)s_unique"),
            models.UniqueConstraint(
                fields=["post", "year"], condition=Q(state="disetujui"), name="%(app_label)s_%(class)s_one_approved"
            ),
            models.UniqueConstraint(
                fields=["post", "year"], condition=Q(state="draf"), name="%(app_label)s_%(class)s_one_draft"
            ),
            models.CheckConstraint(name="%(app_label)s_%(class)s_year", condition=Q(year__gte=2000, year__lte=2200)),
        ]

    def __str__(self) -> str:
        rev = f" (revisi {self.revision})" if self.revision else ""
        return f"Anggaran {self.year}{rev}"

    def get_absolute_url(self) -> str:
        return reverse("finance:budget_detail", args=[self.pk])


class BudgetLine(models.Model):
    """One ceiling of a budget: a source and an account (with the activity), granted by a regulation (article)."""

    budget = models.ForeignKey(Budget, on_delete=models.CASCADE, related_name="lines", verbose_name=_("anggaran"))
    source = models.CharField(_("sumber dana"), max_length=16, choices=FundingSource.choices)
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="+", verbose_name=_("akun"))
    activity = models.CharField(_("kegiatan"), max_length=200, blank=True)
    regulation = models.ForeignKey(
        Regulation, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("dasar hukum")
    )
    article = models.ForeignKey(
        RegulationArticle, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("pasal")
    )
    amount = models.PositiveBigIntegerField(_("pagu (Rp)"))

    objects = RegionScopedQuerySet.as_manager()
    scope_region_field = "budget__region"
    scope_post_field = "budget__post"

    class Meta:
        verbose_name = _("rincian anggaran")
        verbose_name_plural = _("rincian anggaran")
        ordering = ["source", "account__code", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["budget", "source", "account"], name="%(app_label)s_%(class)s_unique"),
            models.CheckConstraint(name="%(app_label)s_%(class)s_amount", condition=Q(amount__gte=1)),
        ]

    def __str__(self) -> str:
        return f"{self.get_source_display()} · {self.account}"


# --- Grants ---------------------------------------------------------------------------------------------------


class Grant(RegionScopedModel):
    """A grant or aid (hibah/bantuan) to a post, with its reporting obligation (LPJ) and due date."""

    post = models.ForeignKey(
        "posts.Post", on_delete=models.PROTECT, related_name="finance_grants", verbose_name=_("pos penerima")
    )
    giver = models.CharField(_("pemberi"), max_length=200)
    source = models.CharField(_("sumber dana"), max_length=16, choices=FundingSource.choices)
    amount = models.PositiveBigIntegerField(_("nilai (Rp)"))
    purpose = models.TextField(_("tujuan/peruntukan"))
    agreement_number = models.CharField(_("nomor perjanjian/NPHD"), max_length=100, blank=True)
    regulation = models.ForeignKey(
        Regulation, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("dasar hukum")
    )
    starts_on = models.DateField(_("mulai"))
    ends_on = models.DateField(_("selesai"))
    report_due = models.DateField(_("batas LPJ"))
    lpj_submitted_on = models.DateField(_("LPJ disampaikan"), null=True, blank=True)
    lpj_submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("LPJ oleh"),
    )
    file = models.FileField(_("berkas perjanjian (PDF)"), upload_to=finance_file_path, blank=True)

    scope_post_field = "post"

    class Meta:
        verbose_name = _("hibah/bantuan")
        verbose_name_plural = _("hibah dan bantuan")
        ordering = ["report_due", "pk"]
        constraints = [
            models.CheckConstraint(
                name="%(app_label)s_%(class)s_dates", condition=Q(ends_on__gte=models.F("starts_on"))
            ),
            models.CheckConstraint(name="%(app_label)s_%(class)s_amount", condition=Q(amount__gte=1)),
        ]

    def __str__(self) -> str:
        return f"{self.giver}: {self.purpose[:60]}"

    def get_absolute_url(self) -> str:
        return reverse("finance:grant_detail", args=[self.pk])


# --- The cash book --------------------------------------------------------------------------------------------


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


class Entry(RegionScopedModel):
    """One line of the cash book (buku kas umum). Never edited or deleted; corrected by a reversing entry.

    `delta` is the entry's effect on its cash account: +amount for income, -amount for spending, and the opposite
    for a reversal (which keeps the kind, source and account of the entry it reverses).
    """

    class Kind(models.TextChoices):
        INCOME = "masuk", _("Pemasukan")
        SPENDING = "keluar", _("Pengeluaran")

    # Millions of rows: no index that another one covers (post, cash account, grant: the composite ones below), and
    # the optional links are indexed only where set (partial indexes, on SQLite and PostgreSQL alike).
    post = models.ForeignKey(
        "posts.Post", on_delete=models.PROTECT, related_name="cash_entries", verbose_name=_("pos"), db_index=False
    )
    date = models.DateField(_("tanggal"))
    kind = models.CharField(_("jenis"), max_length=6, choices=Kind.choices)
    source = models.CharField(_("sumber dana"), max_length=16, choices=FundingSource.choices)
    account = models.ForeignKey(
        Account, on_delete=models.PROTECT, related_name="+", verbose_name=_("akun"), db_index=False
    )
    cash_account = models.ForeignKey(
        CashAccount, on_delete=models.PROTECT, related_name="entries", verbose_name=_("kas/rekening"), db_index=False
    )
    amount = models.PositiveBigIntegerField(_("jumlah (Rp)"))
    delta = models.BigIntegerField(_("pengaruh pada saldo (Rp)"), editable=False)
    description = models.CharField(_("uraian"), max_length=300)
    activity = models.CharField(_("kegiatan"), max_length=200, blank=True)
    bintek = models.ForeignKey(
        "trainings.Bintek",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("Bintek"),
        db_index=False,
    )
    exhibition = models.ForeignKey(
        "exhibitions.Exhibition",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("pameran"),
        db_index=False,
    )
    order = models.ForeignKey(
        "orders.Order",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("pesanan"),
        db_index=False,
    )
    payment = models.OneToOneField(
        "orders.Payment",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cash_entry",
        verbose_name=_("pembayaran pesanan"),
    )
    grant = models.ForeignKey(
        Grant,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="entries",
        verbose_name=_("hibah"),
        db_index=False,
    )
    counterparty = models.CharField(_("diterima dari/dibayar kepada"), max_length=200, blank=True)
    reference = models.CharField(_("nomor bukti"), max_length=100, blank=True)
    receipt = models.FileField(_("bukti (PDF/JPG/PNG)"), upload_to=finance_file_path, blank=True)
    reverses = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reversed_by",
        verbose_name=_("membatalkan entri"),
    )
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("dicatat oleh"),
        db_index=False,
    )

    scope_post_field = "post"

    class Meta:
        verbose_name = _("entri kas")
        verbose_name_plural = _("buku kas")
        ordering = ["-date", "-pk"]
        indexes = [
            models.Index(fields=["post", "date"], name="finance_entry_post_date"),
            models.Index(fields=["cash_account", "date"], name="finance_entry_cash_date"),
            models.Index(fields=["grant", "kind"], name="finance_entry_grant", condition=Q(grant__isnull=False)),
            models.Index(fields=["bintek"], name="finance_entry_bintek", condition=Q(bintek__isnull=False)),
            models.Index(fields=["exhibition"], name="finance_entry_exhibition", condition=Q(exhibition__isnull=False)),
            models.Index(fields=["order"], name="finance_entry_order", condition=Q(order__isnull=False)),
        ]
        constraints = [
            models.CheckConstraint(name="%(app_label)s_%(class)s_amount", condition=Q(amount__gte=1)),
            models.CheckConstraint(
                name="%(app_label)s_%(class)s_delta",
                condition=Q(delta=models.F("amount")) | Q(delta=-models.F("amount")),
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.date:%d-%m-%Y} {self.get_kind_display()} {self.amount}"

    def get_absolute_url(self) -> str:
        return reverse("finance:entry_detail", args=[self.pk])

    @property
    def is_reversal(self) -> bool:
        return self.reverses_id is not None

    def save(self, *args: Any, **kwargs: Any) -> None:
        # Append-only: once posted only the receipt may be attached (services check when).
        if not self._state.adding and set(kwargs.get("update_fields") or ["*"]) - {"receipt", "updated"}:
            raise PermissionError("Cash-book entries are never edited; post a reversing entry.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise PermissionError("Cash-book entries are never deleted; post a reversing entry.")


class EntryMonth(models.Model):
    """The sum of a post's entries in one month, per cash account, kind, source and account.

    `total` is the net amount of that kind (reversals subtract); `count` the entries. Kept in the same
    transaction as each entry, so it always equals the sum of the entries (selectors.entry_month_rebuild checks).
    """

    # The key and the two indexes below cover every read; no separate index per foreign key.
    post = models.ForeignKey(
        "posts.Post", on_delete=models.CASCADE, related_name="+", verbose_name=_("pos"), db_index=False
    )
    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("wilayah pos"), db_index=False
    )
    month = models.DateField(_("bulan"))
    cash_account = models.ForeignKey(
        CashAccount, on_delete=models.CASCADE, related_name="+", verbose_name=_("kas/rekening"), db_index=False
    )
    kind = models.CharField(_("jenis"), max_length=6, choices=Entry.Kind.choices)
    source = models.CharField(_("sumber dana"), max_length=16, choices=FundingSource.choices)
    account = models.ForeignKey(
        Account, on_delete=models.PROTECT, related_name="+", verbose_name=_("akun"), db_index=False
    )
    total = models.BigIntegerField(_("jumlah (Rp)"), default=0)
    count = models.IntegerField(_("entri"), default=0)

    objects = RegionScopedQuerySet.as_manager()
    scope_region_field = "region"
    scope_post_field = "post"

    class Meta:
        verbose_name = _("rekap kas bulanan")
        verbose_name_plural = _("rekap kas bulanan")
        indexes = [
            # The roll-up reads a year of every post in a region from this index alone.
            models.Index(fields=["month", "region", "post", "kind", "total"], name="finance_entrymonth_rollup"),
            # A cash account's balance.
            models.Index(fields=["cash_account", "kind", "total"], name="finance_entrymonth_cash"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["post", "month", "cash_account", "kind", "source", "account"],
                name="%(app_label)s_%(class)s_key",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.post_id} {self.month:%Y-%m} {self.kind} {self.source} {self.total}"


class MonthClose(RegionScopedModel):
    """A month of a post's cash book, closed: no entry may be dated in it any more.

    `totals` keeps what the month held when closed, per cash account: income, spending and closing balance.
    """

    post = models.ForeignKey("posts.Post", on_delete=models.PROTECT, related_name="+", verbose_name=_("pos"))
    month = models.DateField(_("bulan"))
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("ditutup oleh"),
    )
    closed_at = models.DateTimeField(_("ditutup pada"))
    totals = models.JSONField(_("rekap saat ditutup"), default=dict)

    scope_post_field = "post"

    class Meta:
        verbose_name = _("tutup buku bulanan")
        verbose_name_plural = _("tutup buku bulanan")
        ordering = ["-month"]
        constraints = [
            models.UniqueConstraint(fields=["post", "month"], name="%(app_label)s_%(class)s_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.month:%m/%Y}"


# --- Assets ---------------------------------------------------------------------------------------------------


class Asset(RegionScopedModel):
    """An item of the post's inventory (inventaris): how it was acquired, what it is worth, where it is."""

    class Kind(models.TextChoices):
        TOOL = "alat", _("Alat")
        MACHINE = "mesin", _("Mesin")
        PROTOTYPE = "prototipe", _("Prototipe")
        BUILDING = "bangunan", _("Bangunan")
        VEHICLE = "kendaraan", _("Kendaraan")

    class Origin(models.TextChoices):
        PURCHASE = "beli", _("Pembelian")
        GRANT = "hibah", _("Hibah/bantuan")
        CSR = "csr", _("CSR")
        OWN_BUILD = "buat_sendiri", _("Buatan sendiri")

    class Condition(models.TextChoices):
        GOOD = "baik", _("Baik")
        MINOR = "rusak_ringan", _("Rusak ringan")
        MAJOR = "rusak_berat", _("Rusak berat")
        GONE = "hilang", _("Hilang/dihapus")

    post = models.ForeignKey("posts.Post", on_delete=models.PROTECT, related_name="assets", verbose_name=_("pos"))
    name = models.CharField(_("nama barang"), max_length=200)
    kind = models.CharField(_("jenis"), max_length=10, choices=Kind.choices)
    origin = models.CharField(_("asal perolehan"), max_length=12, choices=Origin.choices)
    entry = models.ForeignKey(
        Entry,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assets",
        verbose_name=_("dibayar dengan entri kas"),
    )
    grant = models.ForeignKey(
        Grant, null=True, blank=True, on_delete=models.PROTECT, related_name="assets", verbose_name=_("dari hibah")
    )
    value = models.PositiveBigIntegerField(_("nilai (Rp)"))
    acquired_on = models.DateField(_("tanggal perolehan"))
    condition = models.CharField(_("kondisi"), max_length=12, choices=Condition.choices, default=Condition.GOOD)
    location = models.CharField(_("lokasi"), max_length=200, blank=True)
    lent_to = models.CharField(_("dipinjamkan kepada"), max_length=200, blank=True)
    note = models.TextField(_("catatan"), blank=True)

    scope_post_field = "post"

    class Meta:
        verbose_name = _("aset")
        verbose_name_plural = _("inventaris")
        ordering = ["post", "name", "pk"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("finance:asset_detail", args=[self.pk])
