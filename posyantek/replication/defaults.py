"""The default checklist a kit offers: how a post is set up and starts working (domain.md §2.4, §5.1, §7.4).

Legal and organisational steps come first (the funding rule, the decree, registration, statutes, the board, an
office, a work plan), then the first signs of work (a Bintek, a product, a partner, a service request, an order).
Document steps ask for evidence; steps the system can see in a post's own data say where (`source`).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class DefaultItem:
    title: str
    description: str
    source: str = "manual"
    evidence_required: bool = False
    evidence_hint: str = ""


DEFAULT_ITEMS = [
    DefaultItem(
        _("Ada regulasi daerah untuk pendanaan Posyantek"),
        _(
            "Perda atau peraturan kepala daerah (Perwali/Perbup/Pergub) yang menjadi dasar anggaran pos, seperti "
            "Kota Pekalongan yang mendanai Posyantek berdasarkan Perda."
        ),
        "regulasi",
        True,
        _("Nomor dan tahun peraturan, mis. Perda 11/2008"),
    ),  # fmt: skip
    DefaultItem(
        _("SK pembentukan pos terbit"),
        _("Keputusan Bupati/Wali Kota (pos antar desa) atau Kepala Desa (pos desa) tentang pembentukan pos."),
        "sk",
        True,
        _("Nomor dan tanggal SK, atau pindaian SK"),
    ),  # fmt: skip
    DefaultItem(
        _("Terdaftar dan memiliki SKT yang berlaku"),
        _("Pos terdaftar di Kesbangpol kabupaten/kota dan SKT-nya masih berlaku."),
        "skt",
        True,
        _("Nomor SKT dan masa berlakunya"),
    ),  # fmt: skip
    DefaultItem(
        _("AD/ART disusun dan disahkan"),
        _("Anggaran dasar dan anggaran rumah tangga, termasuk masa bakti pengurus (paling lama 3 tahun)."),
        "manual",
        True,
        _("Berkas AD/ART"),
    ),  # fmt: skip
    DefaultItem(
        _("Pengurus terbentuk: pembina, ketua, sekretaris, bendahara"),
        _(
            "Pengurus dipilih lewat musyawarah; paling sedikit ketua, sekretaris, bendahara, seksi pengembangan dan "
            "seksi pelayanan (Permendesa PDTT 23/2017 pasal 29), dengan pembina dari pemerintah setempat."
        ),
        "pengurus",
        True,
        _("Berita acara musyawarah atau SK pengurus"),
    ),  # fmt: skip
    DefaultItem(
        _("Sekretariat/kantor tersedia"),
        _("Ruang tetap untuk pelayanan, alat dan prototipe: milik sendiri, pinjam atau menumpang."),
        "kantor",
        False,
        _("Alamat dan foto sekretariat"),
    ),  # fmt: skip
    DefaultItem(
        _("Program dan rencana kerja tahunan disusun"),
        _("Rencana kegiatan dan anggaran tahun berjalan, disampaikan kepada pembina."),
        "manual",
        True,
        _("Dokumen rencana kerja"),
    ),  # fmt: skip
    DefaultItem(
        _("Bintek pertama dilaksanakan"),
        _("Bimbingan teknis TTG untuk warga, dengan hasil nyata yang dapat dikunjungi (seperti di Panjang Wetan)."),
        "bintek",
        False,
        _("Laporan Bintek dan daftar hadir"),
    ),  # fmt: skip
    DefaultItem(
        _("Produk pertama dicatat"),
        _("Alat atau produk TTG yang dibuat atau dijual pos."),
        "produk",
        False,
    ),  # fmt: skip
    DefaultItem(
        _("Mitra pertama"),
        _("Kerja sama dengan perguruan tinggi, dunia usaha (CSR), BUMDes, instansi atau pos lain."),
        "mitra",
        False,
        _("Nama mitra dan nomor MoU/PKS bila ada"),
    ),  # fmt: skip
    DefaultItem(
        _("Permohonan layanan pertama dilayani"),
        _("Warga meminta bantuan teknis, informasi atau konsultasi, dan pos menanganinya."),
        "layanan",
        False,
    ),  # fmt: skip
    DefaultItem(
        _("Pesanan pertama"),
        _("Produk pos dipesan pembeli, termasuk dari luar daerah lewat jejaring dan pameran."),
        "pesanan",
        False,
    ),  # fmt: skip
]
