"""Summary tables behind the dashboards: one row per post and year, one per region and year.

Pages never count raw rows: `dashboards.refresh` keeps these tables current when data changes (a write marks its
post dirty; a task on the database queue refreshes it and the regions above), and a page shows `refreshed_at`.
Year 0 holds the figures over all years.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

ALL_YEARS = 0


class Figures(models.Model):
    """The indicators of domain.md §9, shared by a post's row and a region's row."""

    # Consultations (service requests): received in the year, resolved in the year, days from received to resolved.
    requests_received = models.PositiveIntegerField(_("permohonan diterima"), default=0)
    requests_resolved = models.PositiveIntegerField(_("permohonan selesai"), default=0)
    #: {days: number of requests resolved after that many whole days}, summed up the tree for an exact median.
    resolved_days = models.JSONField(_("sebaran lama penyelesaian"), default=dict)
    median_days = models.FloatField(_("median hari penyelesaian"), null=True, blank=True)
    # Bintek held (finished) in the year, and their participants by sex.
    bintek_held = models.PositiveIntegerField(_("Bintek terlaksana"), default=0)
    participants_male = models.PositiveIntegerField(_("peserta laki-laki"), default=0)
    participants_female = models.PositiveIntegerField(_("peserta perempuan"), default=0)
    # TTG: catalogued (records created), produced (reached production or market), adopted (applications).
    ttg_catalogued = models.PositiveIntegerField(_("TTG tercatat"), default=0)
    ttg_produced = models.PositiveIntegerField(_("TTG diproduksi"), default=0)
    ttg_adopted = models.PositiveIntegerField(_("penerapan TTG"), default=0)
    adoption_units = models.PositiveIntegerField(_("unit TTG diterapkan"), default=0)
    adoption_villages = models.PositiveIntegerField(_("desa/kelurahan penerap"), default=0)
    # Innovators found and their needs not yet met.
    innovators = models.PositiveIntegerField(_("inovator"), default=0)
    needs_unmet = models.PositiveIntegerField(_("kebutuhan belum terpenuhi"), default=0)
    # Sales (recognised orders), inside and outside the post's region.
    orders_in_region = models.PositiveIntegerField(_("pesanan dalam daerah"), default=0)
    sales_in_region = models.PositiveBigIntegerField(_("penjualan dalam daerah (Rp)"), default=0)
    orders_out_region = models.PositiveIntegerField(_("pesanan luar daerah"), default=0)
    sales_out_region = models.PositiveBigIntegerField(_("penjualan luar daerah (Rp)"), default=0)
    # Money: income by source ({source: Rp}), totals, and the approved budget for absorption. Income and spending are
    # net of reversals, so a year holding only the reversal of an earlier year's entry can be negative.
    funding = models.JSONField(_("pemasukan per sumber dana"), default=dict)
    income_total = models.BigIntegerField(_("pemasukan (Rp)"), default=0)
    spent_total = models.BigIntegerField(_("pengeluaran (Rp)"), default=0)
    budget_total = models.PositiveBigIntegerField(_("pagu anggaran (Rp)"), default=0)
    # Partnerships active in the year; visits hosted and made (done) in the year.
    partnerships_active = models.PositiveIntegerField(_("kemitraan aktif"), default=0)
    visits_hosted = models.PositiveIntegerField(_("kunjungan diterima"), default=0)
    visits_made = models.PositiveIntegerField(_("kunjungan dilakukan"), default=0)
    # Contests: entries and awards (published winners) in editions of the year.
    contest_entries = models.PositiveIntegerField(_("keikutsertaan lomba"), default=0)
    contest_awards = models.PositiveIntegerField(_("penghargaan lomba"), default=0)

    refreshed_at = models.DateTimeField(_("diperbarui pada"))

    class Meta:
        abstract = True


class PostFigures(Figures):
    """One post's figures for one year (0 = all years); the post's standing is the same in each of its rows."""

    post = models.ForeignKey("posts.Post", on_delete=models.CASCADE, related_name="+", verbose_name=_("pos"))
    year = models.PositiveSmallIntegerField(_("tahun"))
    # The post's region and its ancestors, copied so a region's posts are one indexed equality away.
    region_code = models.CharField(_("wilayah"), max_length=13)
    province_code = models.CharField(_("provinsi"), max_length=2)
    city_code = models.CharField(_("kabupaten/kota"), max_length=5, blank=True)
    district_code = models.CharField(_("kecamatan"), max_length=8, blank=True)
    # Standing today: active (status aktif, SK, valid SKT and a board in office).
    is_active = models.BooleanField(_("aktif"), default=False)
    has_sk = models.BooleanField(_("ber-SK"), default=False)
    skt_valid = models.BooleanField(_("SKT berlaku"), default=False)
    has_board = models.BooleanField(_("pengurus menjabat"), default=False)

    class Meta:
        verbose_name = _("angka pos")
        verbose_name_plural = _("angka pos")
        constraints = [models.UniqueConstraint(fields=["post", "year"], name="dashboards_postfigures_unique")]
        # A region's posts in a year, at each level; the refresh reads a province's rows by the first.
        indexes = [
            models.Index(fields=["province_code", "year"], name="dash_pf_prov_year"),
            models.Index(fields=["city_code", "year"], name="dash_pf_city_year"),
            models.Index(fields=["district_code", "year"], name="dash_pf_dist_year"),
            models.Index(fields=["region_code", "year"], name="dash_pf_region_year"),
        ]

    def __str__(self) -> str:
        return f"{self.post_id} · {self.year}"


class RegionFigures(Figures):
    """The sum over every post in a region (or the nation, code "") for one year (0 = all years)."""

    code = models.CharField(_("kode wilayah"), max_length=13, blank=True)
    level = models.PositiveSmallIntegerField(_("tingkat"))  # 0 nation, 1 province, 2 kab/kota, 3 kecamatan
    year = models.PositiveSmallIntegerField(_("tahun"))
    posts_total = models.PositiveIntegerField(_("pos"), default=0)
    posts_active = models.PositiveIntegerField(_("pos aktif"), default=0)
    posts_sk = models.PositiveIntegerField(_("pos ber-SK"), default=0)
    posts_skt = models.PositiveIntegerField(_("pos ber-SKT berlaku"), default=0)
    posts_board = models.PositiveIntegerField(_("pos dengan pengurus menjabat"), default=0)

    class Meta:
        verbose_name = _("angka wilayah")
        verbose_name_plural = _("angka wilayah")
        constraints = [models.UniqueConstraint(fields=["code", "year"], name="dashboards_regionfigures_unique")]
        # The regions of one level in a year, optionally under a parent (code range `parent.` …).
        indexes = [models.Index(fields=["year", "level", "code"], name="dash_rf_year_level_code")]

    def __str__(self) -> str:
        return f"{self.code or 'nasional'} · {self.year}"


class DirtyPost(models.Model):
    """A post whose figures are out of date: `since` is its latest write; the refresh task clears the mark."""

    post = models.OneToOneField(
        "posts.Post", on_delete=models.CASCADE, primary_key=True, related_name="+", verbose_name=_("pos")
    )
    since = models.DateTimeField(_("sejak"))

    class Meta:
        verbose_name = _("pos menunggu pembaruan angka")
        verbose_name_plural = _("pos menunggu pembaruan angka")

    def __str__(self) -> str:
        return f"{self.post_id} · {self.since:%Y-%m-%d %H:%M}"
