"""The built-in rubric templates (domain.md §6.4 Posyantek Berprestasi, §6.5 Inovasi TTG, and TTG Unggulan).

No official weights were found [I]: these are editable defaults, to be overwritten from each year's juknis.
Scale 1–4 as in the Posyandu instruments (§6.3); stage weights 30/40/30 (§6.4 ranking rules).
`prefill` names a figure of prefill.FIGURES that the self-assessment shows beside the indicator.
"""

from __future__ import annotations

from typing import Any

#: The figures a self-assessment can be pre-filled with (prefill.py computes them; keep the two in step).
PREFILL_KEYS = [
    "legal_sk", "legal_skt_valid", "board_valid", "office_own",
    "consultations_received", "consultations_resolved", "bintek_held", "bintek_participants",
    "ttg_catalogued", "ttg_produced", "ttg_adopted", "ttg_ip",
    "sales_total", "sales_in_region", "sales_out_region", "orders_count",
    "partnerships_active", "partners_count", "visits_hosted", "visits_made",
    "funding_sources", "funding_regulation", "funding_received",
]  # fmt: skip


def _a(one: str, two: str, three: str, four: str) -> dict[str, str]:
    return {"1": one, "2": two, "3": three, "4": four}


def _i(code: str, title: str, evidence: str = "", *, prefill: str = "", mandatory: bool = False,
       anchors: dict[str, str] | None = None, weight: int = 0) -> dict[str, Any]:  # fmt: skip
    return {"code": code, "title": title, "evidence": evidence, "prefill": prefill, "mandatory": mandatory,
            "anchors": anchors or _a("Tidak ada", "Ada sebagian", "Ada dan memadai", "Lengkap dan terbukti"),
            "weight": weight}  # fmt: skip


def _even(indicators: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Spread 100 % over the indicators that have no weight, the first ones taking the remainder."""
    n = len(indicators)
    base, extra = divmod(100, n)
    for k, ind in enumerate(indicators):
        ind["weight"] = ind["weight"] or base + (1 if k < extra else 0)
    return indicators


POSYANTEK = {
    "family": "posyantek-berprestasi",
    "name": "Rubrik Posyantek Berprestasi (templat)",
    "category": "posyantek_berprestasi",
    "notes": "Templat bawaan dari domain.md §6.4 [I]: bobot sementara, sesuaikan dengan juknis tahun berjalan.",
    "tie_rule": "E,D",
    "criteria": [
        (
            "A",
            "Kelembagaan",
            20,
            _even(
                [
                    _i(
                        "A1",
                        "SK pembentukan sah",
                        "SK pembentukan",
                        prefill="legal_sk",
                        mandatory=True,
                        anchors=_a(
                            "Tidak ada SK",
                            "SK ada tetapi kedaluwarsa/tidak lengkap",
                            "SK sah",
                            "SK sah dengan rincian tugas tiap unsur",
                        ),
                    ),
                    _i("A2", "SKT terdaftar dan berlaku", "SKT", prefill="legal_skt_valid"),
                    _i("A3", "AD/ART", "AD/ART"),
                    _i(
                        "A4",
                        "Pengurus lengkap (≥5 jabatan) dan masa bakti berlaku",
                        "Daftar pengurus",
                        prefill="board_valid",
                    ),
                    _i("A5", "Sekretariat sendiri/tetap", "Foto kantor", prefill="office_own"),
                    _i("A6", "Rapat rutin", "Notulen rapat"),
                ]
            ),
        ),
        (
            "B",
            "Administrasi",
            15,
            _even(
                [
                    _i("B1", "Rencana kerja", "Rencana kerja"),
                    _i("B2", "Buku administrasi tertib", "Pindaian buku administrasi"),
                    _i("B3", "Buku kas dan laporan keuangan", "Buku kas, laporan", prefill="funding_received"),
                    _i("B4", "Inventaris", "Buku inventaris"),
                    _i("B5", "Laporan berkala dikirim", "Laporan berkala"),
                ]
            ),
        ),
        (
            "C",
            "Pelayanan",
            20,
            _even(
                [
                    _i(
                        "C1",
                        "Jumlah permohonan layanan/konsultasi ditangani",
                        "Register layanan",
                        prefill="consultations_received",
                    ),
                    _i(
                        "C2",
                        "Bagian permohonan yang terselesaikan",
                        "Register layanan",
                        prefill="consultations_resolved",
                    ),
                    _i("C3", "Bintek diselenggarakan dan pesertanya", "Daftar hadir, foto", prefill="bintek_held"),
                    _i("C4", "Media informasi (katalog, leaflet, daring)", "Katalog, leaflet, tautan"),
                ]
            ),
        ),
        (
            "D",
            "TTG dikembangkan dan diterapkan",
            20,
            _even(
                [
                    _i("D1", "Jumlah TTG dalam katalog lokal", "Katalog", prefill="ttg_catalogued"),
                    _i("D2", "TTG diproduksi/diterapkan (unit, pengguna)", "Daftar unit", prefill="ttg_produced"),
                    _i("D3", "Inovasi sendiri, HKI diperoleh", "Sertifikat HKI", prefill="ttg_ip"),
                    _i("D4", "Kesesuaian dengan sumber daya lokal", "Uraian"),
                ]
            ),
        ),
        (
            "E",
            "Dampak ekonomi dan pemberdayaan",
            15,
            _even(
                [
                    _i("E1", "Penjualan/transaksi", "Buku penjualan", prefill="sales_total"),
                    _i("E2", "Pendapatan/lapangan kerja bagi pengguna dan UMKM", "Data penerima manfaat"),
                    _i("E3", "Kelompok/BUMDes yang dilibatkan", "Daftar kelompok"),
                    _i("E4", "Pasar di luar wilayah", "Buku penjualan", prefill="sales_out_region"),
                ]
            ),
        ),
        (
            "F",
            "Kemitraan dan partisipasi",
            10,
            _even(
                [
                    _i("F1", "MoU/PKS aktif", "Naskah MoU/PKS", prefill="partnerships_active"),
                    _i("F2", "Jumlah dan ragam mitra", "Surat mitra", prefill="partners_count"),
                    _i("F3", "Partisipasi masyarakat (kunjungan, swadaya)", "Foto, buku tamu", prefill="visits_hosted"),
                    _i(
                        "F4",
                        "Keragaman sumber dana (APBDes, CSR, BUMDes, swadaya)",
                        "Bukti dana",
                        prefill="funding_sources",
                    ),
                ]
            ),
        ),
    ],
}

INOVASI = {
    "family": "inovasi-ttg",
    "name": "Rubrik Inovasi TTG (templat)",
    "category": "inovasi_ttg",
    "notes": "Templat bawaan dari domain.md §6.5 (bobot Jambi 2017) [I]. Syarat: bukan tiruan produk pasar "
    "(amati–tiru–modifikasi boleh), food-grade bila menyentuh pangan, prototipe berfungsi, dokumentasi.",
    "tie_rule": "C,B",
    "criteria": [
        (
            "A",
            "Kebaruan/pembaruan",
            20,
            _even(
                [
                    _i("A1", "Kebaruan dibanding teknologi yang ada", "Uraian, pembanding", mandatory=True),
                    _i("A2", "Pembaruan (amati–tiru–modifikasi)", "Uraian"),
                ]
            ),
        ),
        (
            "B",
            "Keaslian",
            25,
            _even(
                [
                    _i(
                        "B1",
                        "Karya asli inovator, bukan tiruan produk pasar",
                        "Surat pernyataan keaslian",
                        mandatory=True,
                    ),
                    _i("B2", "Perlindungan HKI", "Sertifikat/bukti pengajuan HKI", prefill="ttg_ip"),
                ]
            ),
        ),
        (
            "C",
            "Daya ungkit ekonomi/pasar",
            30,
            _even(
                [
                    _i("C1", "Nilai ekonomi bagi pengguna", "Analisis usaha"),
                    _i("C2", "Potensi dan bukti pasar", "Bukti penjualan/pesanan", prefill="sales_total"),
                    _i("C3", "Sudah diterapkan masyarakat", "Daftar pengguna", prefill="ttg_adopted"),
                ]
            ),
        ),
        (
            "D",
            "Efektivitas, efisiensi, kemudahan",
            15,
            _even(
                [
                    _i("D1", "Prototipe berfungsi", "Video uji coba", mandatory=True),
                    _i("D2", "Mudah dioperasikan dan dirawat", "Panduan pengoperasian"),
                ]
            ),
        ),
        (
            "E",
            "Ramah lingkungan dan aman",
            10,
            _even(
                [
                    _i("E1", "Ramah lingkungan", "Uraian"),
                    _i("E2", "Aman, food-grade bila menyentuh pangan", "Spesifikasi bahan"),
                ]
            ),
        ),
    ],
}

UNGGULAN = {
    "family": "ttg-unggulan",
    "name": "Rubrik TTG Unggulan (templat)",
    "category": "ttg_unggulan",
    "notes": "Templat bawaan [I]: TTG yang sudah diproduksi dan dipakai masyarakat, dinilai dari manfaat dan "
    "dampak yang terbukti (domain.md §6.1, §6.2).",
    "tie_rule": "B,A",
    "criteria": [
        (
            "A",
            "Penerapan di masyarakat",
            30,
            _even(
                [
                    _i("A1", "Jumlah unit/pengguna", "Daftar pengguna", prefill="ttg_adopted", mandatory=True),
                    _i("A2", "Sebaran wilayah penerapan", "Peta/daftar lokasi", prefill="sales_out_region"),
                ]
            ),
        ),
        (
            "B",
            "Dampak ekonomi dan sosial",
            30,
            _even(
                [
                    _i("B1", "Peningkatan pendapatan/produktivitas", "Data sebelum–sesudah"),
                    _i("B2", "Penjualan", "Buku penjualan", prefill="sales_total"),
                ]
            ),
        ),
        (
            "C",
            "Kemudahan dan keberlanjutan",
            20,
            _even(
                [
                    _i("C1", "Mudah dibuat, dioperasikan, dirawat secara lokal", "Panduan"),
                    _i("C2", "Produksi berkelanjutan", "Bukti produksi", prefill="ttg_produced"),
                ]
            ),
        ),
        (
            "D",
            "Ramah lingkungan dan aman",
            20,
            _even(
                [
                    _i("D1", "Ramah lingkungan", "Uraian"),
                    _i("D2", "Aman dipakai", "Spesifikasi"),
                ]
            ),
        ),
    ],
}

TEMPLATES: dict[str, dict[str, Any]] = {t["category"]: t for t in (POSYANTEK, INOVASI, UNGGULAN)}
