"""The dashboard indicators of domain.md §9: one entry per figure, in the order pages show them.

`key` is the field name on `dashboards.models.Figures` (or, for the standing counts, on `RegionFigures`);
`counts.post_counts` / `counts.region_counts` return dicts keyed the same way. A post's own row holds its standing as
booleans (`post_field`: `is_active`, `has_sk`, …) where a region holds the number of posts with that standing.

Years: an indicator counted "in a year" uses the date named in its definition, in Asia/Jakarta; year 0 of the
summary tables holds all years together.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

COUNT = "count"
RUPIAH = "rupiah"
DAYS = "days"

#: Group keys (stable, used in code) → labels (shown).
GROUPS: dict[str, Promise] = {
    "Pos": _("Pos"),
    "Layanan": _("Layanan"),
    "Bintek": _("Bintek"),
    "TTG": _("TTG"),
    "Inovator": _("Inovator"),
    "Pemasaran": _("Pemasaran"),
    "Keuangan": _("Keuangan"),
    "Kemitraan": _("Kemitraan"),
    "Kunjungan": _("Kunjungan"),
    "Lomba": _("Lomba"),
}


@dataclass(frozen=True)
class Indicator:
    """One figure: its field, label, group, unit ("count" | "rupiah" | "days") and what it counts."""

    key: str
    label: Promise
    group: str
    unit: str
    definition: Promise
    #: The value is a dict, not a number: `funding` ({source: Rp}) and `resolved_days` ({days: requests}).
    mapping: bool = False
    #: Only on regions (the standing counts); a post's row has the boolean named by `post_field` instead.
    region_only: bool = False
    post_field: str = ""
    #: A standing "today", the same in every year's row (not counted per year).
    standing: bool = False

    @property
    def group_label(self) -> Promise:
        return GROUPS[self.group]


INDICATORS: list[Indicator] = [
    # Standing of the posts today.
    Indicator("posts_total", _("Jumlah pos"), "Pos", COUNT,
              _("Jumlah pos di wilayah ini, apa pun statusnya."),
              region_only=True, standing=True),
    Indicator("posts_active", _("Pos aktif"), "Pos", COUNT,
              _("Pos berstatus aktif yang hari ini punya nomor SK, SKT yang masih berlaku, dan pengurus yang "
                "sedang menjabat."),
              region_only=True, post_field="is_active", standing=True),
    Indicator("posts_sk", _("Pos ber-SK"), "Pos", COUNT,
              _("Pos yang nomor SK pembentukannya sudah tercatat."),
              region_only=True, post_field="has_sk", standing=True),
    Indicator("posts_skt", _("Pos ber-SKT berlaku"), "Pos", COUNT,
              _("Pos yang masa berlaku SKT-nya belum lewat hari ini."),
              region_only=True, post_field="skt_valid", standing=True),
    Indicator("posts_board", _("Pos dengan pengurus menjabat"), "Pos", COUNT,
              _("Pos yang punya masa kepengurusan yang mencakup hari ini."),
              region_only=True, post_field="has_board", standing=True),
    # Consultations.
    Indicator("requests_received", _("Permohonan diterima"), "Layanan", COUNT,
              _("Permohonan layanan yang ditangani pos, dihitung menurut tanggal diterima.")),
    Indicator("requests_resolved", _("Permohonan selesai"), "Layanan", COUNT,
              _("Permohonan yang ditutup dengan status Selesai, dihitung menurut tanggal selesai; yang ditutup tanpa "
                "solusi atau dibatalkan tidak dihitung.")),
    Indicator("median_days", _("Median hari penyelesaian"), "Layanan", DAYS,
              _("Nilai tengah lama penyelesaian (hari penuh dari diterima sampai selesai) atas permohonan selesai "
                "pada periode itu.")),
    Indicator("resolved_days", _("Sebaran lama penyelesaian"), "Layanan", DAYS,
              _("Banyaknya permohonan selesai menurut lama penyelesaian dalam hari penuh, menurut tanggal selesai."),
              mapping=True),
    # Bintek.
    Indicator("bintek_held", _("Bintek terlaksana"), "Bintek", COUNT,
              _("Bintek yang sudah dilaksanakan (tahap Dilaksanakan atau sesudahnya), menurut tanggal selesainya.")),
    Indicator("participants_male", _("Peserta laki-laki"), "Bintek", COUNT,
              _("Peserta laki-laki yang terdaftar pada Bintek terlaksana, menurut tanggal selesai Bintek.")),
    Indicator("participants_female", _("Peserta perempuan"), "Bintek", COUNT,
              _("Peserta perempuan yang terdaftar pada Bintek terlaksana, menurut tanggal selesai Bintek.")),
    # TTG.
    Indicator("ttg_catalogued", _("TTG tercatat"), "TTG", COUNT,
              _("TTG binaan pos yang dicatat di katalog, menurut tanggal pencatatan.")),
    Indicator("ttg_produced", _("TTG diproduksi"), "TTG", COUNT,
              _("TTG binaan pos yang pertama kali mencapai tahap Diproduksi atau Dipasarkan, menurut tanggal "
                "perubahan tahap itu.")),
    Indicator("ttg_adopted", _("Penerapan TTG"), "TTG", COUNT,
              _("Penerapan TTG binaan pos di masyarakat, menurut tanggal penerapan.")),
    Indicator("adoption_units", _("Unit TTG diterapkan"), "TTG", COUNT,
              _("Jumlah unit pada penerapan TTG binaan pos, menurut tanggal penerapan.")),
    Indicator("adoption_villages", _("Desa/kelurahan penerap"), "TTG", COUNT,
              _("Banyaknya wilayah berbeda tempat TTG binaan pos diterapkan pada periode itu (dihitung per pos, "
                "lalu dijumlahkan ke atas).")),
    # Innovators.
    Indicator("innovators", _("Inovator"), "Inovator", COUNT,
              _("Inovator (perorangan atau kelompok) binaan pos, menurut tanggal pencatatan.")),
    Indicator("needs_unmet", _("Kebutuhan belum terpenuhi"), "Inovator", COUNT,
              _("Kebutuhan inovator binaan pos yang hari ini belum berstatus Terpenuhi, menurut tanggal "
                "pencatatan kebutuhan.")),
    # Sales.
    Indicator("orders_in_region", _("Pesanan dalam daerah"), "Pemasaran", COUNT,
              _("Pesanan yang diakui sebagai penjualan dengan pembeli di dalam daerah pos, menurut bulan "
                "pengakuannya.")),
    Indicator("sales_in_region", _("Penjualan dalam daerah"), "Pemasaran", RUPIAH,
              _("Nilai pesanan yang diakui sebagai penjualan dengan pembeli di dalam daerah pos, menurut bulan "
                "pengakuannya.")),
    Indicator("orders_out_region", _("Pesanan luar daerah"), "Pemasaran", COUNT,
              _("Pesanan yang diakui sebagai penjualan dengan pembeli di luar daerah pos, menurut bulan "
                "pengakuannya.")),
    Indicator("sales_out_region", _("Penjualan luar daerah"), "Pemasaran", RUPIAH,
              _("Nilai pesanan yang diakui sebagai penjualan dengan pembeli di luar daerah pos, menurut bulan "
                "pengakuannya.")),
    # Money.
    Indicator("funding", _("Pemasukan per sumber dana"), "Keuangan", RUPIAH,
              _("Pemasukan kas pos per sumber dana, menurut tanggal transaksi."), mapping=True),
    Indicator("income_total", _("Pemasukan"), "Keuangan", RUPIAH,
              _("Jumlah pemasukan kas pos dari semua sumber, menurut tanggal transaksi.")),
    Indicator("spent_total", _("Pengeluaran"), "Keuangan", RUPIAH,
              _("Jumlah pengeluaran kas pos, menurut tanggal transaksi.")),
    Indicator("budget_total", _("Pagu anggaran"), "Keuangan", RUPIAH,
              _("Jumlah pagu belanja pada anggaran pos yang disetujui untuk tahun itu; penyerapan = pengeluaran "
                "dibagi pagu.")),
    # Partnerships, visits, contests.
    Indicator("partnerships_active", _("Kemitraan aktif"), "Kemitraan", COUNT,
              _("Perjanjian kerja sama pos yang sudah ditandatangani (berjalan, dievaluasi atau diperpanjang) dan "
                "masa berlakunya bersinggungan dengan periode itu.")),
    Indicator("visits_hosted", _("Kunjungan diterima"), "Kunjungan", COUNT,
              _("Kunjungan tamu ke pos yang sudah terlaksana, menurut tanggal mulai kunjungan.")),
    Indicator("visits_made", _("Kunjungan dilakukan"), "Kunjungan", COUNT,
              _("Kunjungan pos ke tempat lain yang sudah terlaksana, menurut tanggal mulai kunjungan.")),
    Indicator("contest_entries", _("Keikutsertaan lomba"), "Lomba", COUNT,
              _("Peserta lomba atas nama pos, menurut tahun edisi lomba.")),
    Indicator("contest_awards", _("Penghargaan lomba"), "Lomba", COUNT,
              _("Gelar juara yang diraih pos pada hasil lomba yang sudah diumumkan, menurut tahun edisi lomba.")),
]  # fmt: skip

_BY_KEY = {item.key: item for item in INDICATORS}

#: The keys that are plain numbers summed up the tree (not the dicts, the median, or the standing counts).
SUMMED_KEYS: tuple[str, ...] = tuple(
    item.key for item in INDICATORS if not item.mapping and not item.standing and item.key != "median_days"
)
#: The standing counts of a region, with the boolean field of a post's row each one counts.
STANDING: tuple[tuple[str, str], ...] = tuple(
    (item.key, item.post_field) for item in INDICATORS if item.standing and item.post_field
)


def indicator(key: str) -> Indicator:
    """Return the indicator named `key` (KeyError when there is none)."""
    return _BY_KEY[key]
