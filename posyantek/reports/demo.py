"""Demo reports: Mitra Pantura's 2026 quarters I and II received by Kota Pekalongan, quarter III submitted and
waiting, its 2026 work plan received and the 2027 one in draft; Panjang Wetan's quarter III returned for revision;
two DKI Jakarta posts with submitted reports; a draft at Batik Mandiri. The other posts have not reported, so the
office's "belum melapor" list has content. Everything goes through the services (audited), then the timestamps are
moved back to plausible days."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.utils import timezone

from posyantek.accounts.models import User
from posyantek.posts.models import Post
from posyantek.reports import notify, services
from posyantek.reports.models import Report, ReportStep

MITRA_Q = {
    "tw1": {
        "ringkasan": "Triwulan I 2026 diisi dengan konsultasi pengeringan ikan dan persiapan Bintek di Panjang Wetan.",
        "kegiatan_menonjol": "Uji coba alat pengering ikan tenaga surya bersama kelompok nelayan Panjang Wetan.",
        "kendala": "Musim hujan memperlambat uji coba pengeringan.",
        "rencana_tindak_lanjut": "Bintek pengolahan ikan pada triwulan II; pendataan calon pembeli alat.",
    },
    "tw2": {
        "ringkasan": "Bintek pengolahan ikan terlaksana; penjualan alat pengering mulai berjalan.",
        "kegiatan_menonjol": "Pameran TTG Kota Pekalongan dan pesanan pertama dari luar daerah.",
        "kendala": "Bahan baku pelat stainless naik harga.",
        "rencana_tindak_lanjut": "Menjajaki kerja sama dengan BUMDes untuk pemasaran; kunjungan kerja DKI Jakarta.",
    },
    "tw3": {
        "ringkasan": "Layanan konsultasi meningkat; dua kunjungan kerja diterima.",
        "kegiatan_menonjol": "Kunjungan DPMD Kabupaten Batang dan penandatanganan kerja sama pemasaran.",
        "kendala": "Tenaga bengkel terbatas untuk pesanan yang menumpuk.",
        "rencana_tindak_lanjut": "Menambah dua tenaga bengkel dari alumni Bintek; laporan tahunan pada Januari.",
    },
}
PLAN_2026 = {
    "program": "1. Layanan konsultasi TTG. 2. Bintek pengolahan hasil perikanan. 3. Pemasaran alat pengering.",
    "sasaran": "40 permohonan layanan terselesaikan; 2 Bintek dengan 60 peserta; penjualan Rp 150.000.000.",
    "rencana_kegiatan": "Triwulan I uji coba alat; triwulan II Bintek dan pameran; triwulan III kunjungan kerja.",
    "rencana_anggaran": "APBD Kota Pekalongan Rp 60.000.000; swadaya Rp 25.000.000; CSR Rp 40.000.000.",
    "jadwal": "Januari–Desember 2026, rincian per triwulan terlampir.",
}
PLAN_2027 = {
    "program": "1. Replikasi alat pengering ke kecamatan lain. 2. Sertifikasi produk. 3. Lomba Posyantek berprestasi.",
    "sasaran": "Alat pengering dipakai di 5 kelurahan; 1 produk bersertifikat SNI.",
}
RETURN_NOTE = ("Uraian kendala dan rencana tindak lanjut belum diisi, dan angka Bintek belum sesuai daftar hadir. "
               "Mohon dilengkapi lalu dikirim kembali.")  # fmt: skip


def _user(email: str, fallback: Any) -> Any:
    return User.objects.filter(email=email).first() or fallback


def _when(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


def _backdate(report: Report, days: list[dt.date]) -> None:
    """Move the report's steps (and the matching who/when fields) to `days`, one per step in order."""
    steps = list(ReportStep.objects.filter(report=report).order_by("at", "pk"))
    stamps = {}
    for step, day in zip(steps, days, strict=False):
        at = _when(day, 9 + step.pk % 6)
        ReportStep.objects.filter(pk=step.pk).update(at=at)
        field = {"diverifikasi": "verified_at", "dikirim": "submitted_at", "diterima": "decided_at",
                 "dikembalikan": "decided_at"}.get(step.to_state)  # fmt: skip
        if field:
            stamps[field] = at
        if step.to_state == "diverifikasi":
            stamps["figures_at"] = at
    Report.objects.filter(pk=report.pk).update(**stamps)


def _flow(post: Post, kind: str, year: int, period: str, narrative: dict[str, str], *, author: Any, chair: Any,
          office: Any = None, until: str = "draf", note: str = "",
          days: list[dt.date] | None = None) -> Report:  # fmt: skip
    report = services.report_create(actor=author, post=post, kind=kind, year=year, period=period, narrative=narrative)
    if until != "draf":
        report = services.report_verify(actor=chair, report=report)
    if until in ("dikirim", "diterima", "dikembalikan"):
        report = services.report_submit(actor=chair, report=report)
    if until == "diterima":
        report = services.report_receive(actor=office, report=report, note=note)
    elif until == "dikembalikan":
        report = services.report_return(actor=office, report=report, note=note)
    if days:
        _backdate(report, days)
    return report


def load_reports(admin: Any, rng: random.Random, today: dt.date) -> None:
    """Load the demo reports through the services; idempotent: nothing happens the second time."""
    mitra = Post.objects.filter(slug="mitra-pantura").first()
    if mitra is None or Report.objects.filter(post=mitra).exists():
        return
    manager = _user("mitrapantura@demo.posyantek.id", admin)
    officer = _user("pekalongan@demo.posyantek.id", admin)
    with notify.muted():
        d = dt.date
        _flow(mitra, "rencana_kerja", 2026, "tahunan", PLAN_2026, author=manager, chair=manager, office=officer,
              until="diterima", note="Rencana kerja diterima.",
              days=[d(2025, 12, 10), d(2025, 12, 15), d(2025, 12, 16), d(2026, 1, 8)])  # fmt: skip
        _flow(mitra, "pengelolaan", 2026, "tw1", MITRA_Q["tw1"], author=manager, chair=manager, office=officer,
              until="diterima", days=[d(2026, 4, 2), d(2026, 4, 6), d(2026, 4, 7), d(2026, 4, 14)])  # fmt: skip
        _flow(mitra, "pengelolaan", 2026, "tw2", MITRA_Q["tw2"], author=manager, chair=manager, office=officer,
              until="diterima", note="Terima kasih, lengkap.",
              days=[d(2026, 7, 1), d(2026, 7, 6), d(2026, 7, 7), d(2026, 7, 15)])  # fmt: skip
        _flow(mitra, "pengelolaan", 2026, "tw3", MITRA_Q["tw3"], author=manager, chair=manager, until="dikirim",
              days=[d(2026, 10, 2), d(2026, 10, 8), d(2026, 10, 9)])  # fmt: skip
        _flow(mitra, "rencana_kerja", 2027, "tahunan", PLAN_2027, author=manager, chair=manager,
              days=[min(today, d(2026, 11, 20))])  # fmt: skip
        wartek = Post.objects.filter(slug="wartek-panjang-wetan").first()
        if wartek is not None:
            staff = _user("panjangwetan@demo.posyantek.id", admin)
            _flow(wartek, "pengelolaan", 2026, "tw3",
                  {"ringkasan": "Wartek melayani perbaikan alat pengering dan penjualan suku cadang."},
                  author=staff, chair=admin, office=officer, until="dikembalikan", note=RETURN_NOTE,
                  days=[d(2026, 10, 5), d(2026, 10, 10), d(2026, 10, 12), d(2026, 10, 20)])  # fmt: skip
        batik = Post.objects.filter(slug="posyantek-batik-mandiri").first()
        if batik is not None:
            _flow(batik, "pengelolaan", 2026, "tw3", {"ringkasan": "Sedang disusun."}, author=admin, chair=admin,
                  days=[d(2026, 10, 25)])  # fmt: skip
        gambir = Post.objects.filter(slug="posyantek-31-71-01").first()
        for post, who in ((gambir, _user("gambir@demo.posyantek.id", admin)),
                          (Post.objects.filter(slug="posyantek-31-71-02").first(), admin)):  # fmt: skip
            if post is None:
                continue
            text = {"ringkasan": f"{post.name}: layanan konsultasi dan Bintek daur ulang berjalan sesuai rencana.",
                    "kendala": "Lahan bengkel terbatas."}  # fmt: skip
            _flow(post, "pengelolaan", 2026, "tw3", text, author=who, chair=who, until="dikirim",
                  days=[d(2026, 10, 3), d(2026, 10, 9), d(2026, 10, 10 + rng.randint(0, 4))])  # fmt: skip
