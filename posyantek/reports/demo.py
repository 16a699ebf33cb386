"""Demo reports: Mitra Pantura's 2026 quarters I and II received by Kota Pekalongan, quarter III submitted and
waiting, its 2026 work plan received and the 2027 one in draft; Panjang Wetan's quarter III returned for revision;
two DKI Jakarta posts with submitted reports; a draft at Batik Mandiri. The other posts have not reported, so the
office's "belum melapor" list has content.

Each step is taken by someone who may take it (separation of duties, see services): the post's own steps by a user
with a grant on that post, the office's by an officer of the receiving region. Where the demo has nobody in that
role at a post (Panjang Wetan has only a staff member, so no chair; Batik Mandiri and Posyantek 31.71.02 have no user
at all), that step is written directly on the model with its ReportStep and audit event naming no actor, rather than
faked through an officer. Then the timestamps are moved back to plausible days."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.utils import timezone

from posyantek.accounts.models import Grant, User
from posyantek.core import audit
from posyantek.core.scoping import Action
from posyantek.posts.models import Post
from posyantek.reports import figures, notify, services
from posyantek.reports.models import Report, ReportStep, period_dates

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


def _roles(rank: int) -> list[str]:
    return [role for role, r in Grant.RANK.items() if r >= rank]


def _post_user(post: Post, rank: int, email: str = "") -> User | None:
    """Return a user with a grant on `post` itself of at least `rank` (the one with `email` first), or None."""
    grants = Grant.objects.filter(post=post, role__in=_roles(rank)).select_related("user").order_by("pk")
    users = [g.user for g in grants]
    return next((u for u in users if u.email == email), users[0] if users else None)


def _office_user(code: str, email: str = "") -> User | None:
    """Return an officer whose region grant (oversee or more) covers `code`, the nearest office first."""
    parts = code.split(".")
    prefixes = [".".join(parts[:i]) for i in range(1, len(parts) + 1)]
    grants = list(Grant.objects.filter(region_id__in=prefixes, role__in=_roles(Action.OVERSEE)).select_related("user"))
    grants.sort(key=lambda g: (g.user.email != email, -len(g.region_id), g.pk))
    return grants[0].user if grants else None


def _written(report: Report, state: str, note: str = "") -> Report:
    """Move `report` one step with no actor: for a demo post with nobody in that role (see the module's note)."""
    old, now = report.state, timezone.now()
    report.state = state
    if state == Report.State.VERIFIED:
        report.figures = figures.compute(report.post, report.starts_on, report.ends_on)
        report.verified_at = report.figures_at = now
    elif state == Report.State.SUBMITTED:
        report.submitted_at = now
    else:
        report.decided_at, report.decision_note = now, note
    report.version += 1
    report.save()
    ReportStep.objects.create(report=report, from_state=old, to_state=state, actor=None, at=now, note=note)
    audit.record(None, "status", report, {"state": [old, state], "note": [None, note or None]})
    return report


def _created(post: Post, kind: str, year: int, period: str, narrative: dict[str, str]) -> Report:
    """Start a report with no author: for a demo post with no user (see the module's note)."""
    start, end = period_dates(kind, year, period)
    report = Report.objects.create(post=post, region_id=post.region_id, kind=kind, year=year, period=period,
                                   recipient=services.recipient_for(post), starts_on=start, ends_on=end,
                                   narrative=narrative, figures=figures.compute(post, start, end),
                                   figures_at=timezone.now())  # fmt: skip
    ReportStep.objects.create(report=report, from_state="", to_state=report.state, at=timezone.now())
    audit.record(None, "create", report, {"kind": kind, "year": year, "period": period, **narrative})
    return report


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


def _flow(post: Post, kind: str, year: int, period: str, narrative: dict[str, str], *, until: str = "draf",
          note: str = "", days: list[dt.date] | None = None, staff_email: str = "", chair_email: str = "",
          office_email: str = "pekalongan@demo.posyantek.id") -> Report:  # fmt: skip
    """Take a report from nothing to the state `until`, each step by someone who may take it (else written)."""
    author = _post_user(post, Action.EDIT, staff_email)
    chair = _post_user(post, Action.MANAGE, chair_email)
    if author is None:
        report = _created(post, kind, year, period, narrative)
    else:
        report = services.report_create(actor=author, post=post, kind=kind, year=year, period=period,
                                        narrative=narrative)  # fmt: skip
    if until != "draf":
        report = (services.report_verify(actor=chair, report=report) if chair
                  else _written(report, Report.State.VERIFIED))  # fmt: skip
    if until in ("dikirim", "diterima", "dikembalikan"):
        report = (services.report_submit(actor=chair, report=report) if chair
                  else _written(report, Report.State.SUBMITTED))  # fmt: skip
    if until in ("diterima", "dikembalikan"):
        office = _office_user(report.recipient_id, office_email)
        if office is None:
            report = _written(report, until, note)
        elif until == "diterima":
            report = services.report_receive(actor=office, report=report, note=note)
        else:
            report = services.report_return(actor=office, report=report, note=note)
    if days:
        _backdate(report, days)
    return report


def load_reports(admin: Any, rng: random.Random, today: dt.date) -> None:
    """Load the demo reports; idempotent: nothing happens the second time. `admin` is not used to act for a post
    (a national grant never acts as one), only kept for the loaders' common signature."""
    mitra = Post.objects.filter(slug="mitra-pantura").first()
    if mitra is None or Report.objects.filter(post=mitra).exists():
        return
    mp = {"staff_email": "mitrapantura@demo.posyantek.id", "chair_email": "mitrapantura@demo.posyantek.id"}
    with notify.muted():
        d = dt.date
        _flow(mitra, "rencana_kerja", 2026, "tahunan", PLAN_2026, until="diterima", note="Rencana kerja diterima.",
              days=[d(2025, 12, 10), d(2025, 12, 15), d(2025, 12, 16), d(2026, 1, 8)], **mp)  # fmt: skip
        _flow(mitra, "pengelolaan", 2026, "tw1", MITRA_Q["tw1"], until="diterima",
              days=[d(2026, 4, 2), d(2026, 4, 6), d(2026, 4, 7), d(2026, 4, 14)], **mp)  # fmt: skip
        _flow(mitra, "pengelolaan", 2026, "tw2", MITRA_Q["tw2"], until="diterima", note="Terima kasih, lengkap.",
              days=[d(2026, 7, 1), d(2026, 7, 6), d(2026, 7, 7), d(2026, 7, 15)], **mp)  # fmt: skip
        _flow(mitra, "pengelolaan", 2026, "tw3", MITRA_Q["tw3"], until="dikirim",
              days=[d(2026, 10, 2), d(2026, 10, 8), d(2026, 10, 9)], **mp)  # fmt: skip
        _flow(mitra, "rencana_kerja", 2027, "tahunan", PLAN_2027, days=[min(today, d(2026, 11, 20))], **mp)
        wartek = Post.objects.filter(slug="wartek-panjang-wetan").first()
        if wartek is not None:  # written by its staff; verified and sent with no chair (it has no manager user)
            _flow(wartek, "pengelolaan", 2026, "tw3",
                  {"ringkasan": "Wartek melayani perbaikan alat pengering dan penjualan suku cadang."},
                  staff_email="panjangwetan@demo.posyantek.id", until="dikembalikan", note=RETURN_NOTE,
                  days=[d(2026, 10, 5), d(2026, 10, 10), d(2026, 10, 12), d(2026, 10, 20)])  # fmt: skip
        batik = Post.objects.filter(slug="posyantek-batik-mandiri").first()
        if batik is not None:
            _flow(batik, "pengelolaan", 2026, "tw3", {"ringkasan": "Sedang disusun."}, days=[d(2026, 10, 25)])
        for slug in ("posyantek-31-71-01", "posyantek-31-71-02"):
            post = Post.objects.filter(slug=slug).first()
            if post is None:
                continue
            text = {"ringkasan": f"{post.name}: layanan konsultasi dan Bintek daur ulang berjalan sesuai rencana.",
                    "kendala": "Lahan bengkel terbatas."}  # fmt: skip
            _flow(post, "pengelolaan", 2026, "tw3", text, until="dikirim", chair_email="gambir@demo.posyantek.id",
                  days=[d(2026, 10, 3), d(2026, 10, 9), d(2026, 10, 10 + rng.randint(0, 4))])  # fmt: skip
