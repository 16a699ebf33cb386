"""Demo Bintek: the Panjang Wetan fish-dryer training seven months ago with its real results, and plans in DKI."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.utils import timezone

from posyantek.catalog.models import Ttg
from posyantek.posts.models import Post
from posyantek.regions.models import Region
from posyantek.trainings import services
from posyantek.trainings.models import Attendance, AttendanceSession, Bintek, BintekStep, Participant

#: name, sex, group
PARTICIPANTS = [
    ("Siti Maemunah", "P", "nelayan"), ("Casmirah", "P", "nelayan"), ("Warsini", "P", "perempuan"),
    ("Tarsinah", "P", "nelayan"), ("Khomsatun", "P", "perempuan"), ("Rokhayah", "P", "umkm"),
    ("Nur Aeni", "P", "nelayan"), ("Sumiyati", "P", "perempuan"), ("Kuswati", "P", "umkm"),
    ("Darsih", "P", "nelayan"), ("Mutmainah", "P", "perempuan"), ("Rusmini", "P", "umkm"),
    ("Eni Rahayu", "P", "pemuda"), ("Fitriyani", "P", "pemuda"), ("Lailatul Fitri", "P", "pemuda"),
    ("Sri Wahyuni", "P", "perempuan"), ("Tuti Alawiyah", "P", "disabilitas"), ("Umi Kulsum", "P", "nelayan"),
    ("Kasnadi", "L", "nelayan"), ("Tarmuji", "L", "nelayan"), ("Casmadi", "L", "nelayan"),
    ("Warsono", "L", "nelayan"), ("Rohmat", "L", "umkm"), ("Slamet Riyadi", "L", "nelayan"),
    ("Agus Salim", "L", "pemuda"), ("Muhammad Ridwan", "L", "pemuda"), ("Darsono", "L", "nelayan"),
    ("Kusnadi", "L", "umkm"), ("Sutarno", "L", "disabilitas"), ("Wahyudi", "L", "nelayan"),
]  # fmt: skip
ABSENT = {7, 19, 26}  # registration numbers who never came

FOLLOWUPS = [
    ("kelompok", "Membentuk KUB pengolah ikan kering Panjang Wetan", "Ketua RW 05", 14, "selesai",
     "KUB Mina Sejahtera terbentuk, 18 anggota; SK Lurah Panjang Wetan No. 518/12"),
    ("alat", "Bantuan 3 unit alat pengering ikan tenaga surya", "Posyantek Mitra Pantura", 45, "selesai",
     "3 unit diserahkan dari CSR Bank Jateng; berita acara serah terima"),
    ("pendampingan", "Kunjungan pendampingan bulanan selama 6 bulan", "Kasnadi (inovator)", 180, "berjalan", ""),
    ("produksi", "Produksi pertama ikan asin kering higienis", "KUB Mina Sejahtera", 60, "selesai",
     "120 kg ikan kering dalam dua minggu pertama; foto dan catatan produksi"),
    ("penjualan", "Penjualan pertama ke toko oleh-oleh Kota Pekalongan", "KUB Mina Sejahtera", 90, "selesai",
     "40 bungkus terjual ke 2 toko oleh-oleh di Jl. Hayam Wuruk"),
    ("lainnya", "Mengurus PIRT untuk kemasan ikan kering", "Dinas Kesehatan Kota Pekalongan", 210, "terbuka", ""),
]  # fmt: skip


def _when(day: dt.date, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


def _panjang_wetan(actor: Any, rng: random.Random, today: dt.date) -> Bintek | None:
    region = Region.objects.filter(code="33.75.03.1004").first()
    post = Post.objects.filter(slug="wartek-panjang-wetan").first() or Post.objects.filter(slug="mitra-pantura").first()
    if region is None or post is None:
        return None
    ttg = Ttg.objects.filter(name="Alat Pengering Ikan Tenaga Surya").first()
    start = today - dt.timedelta(days=212)
    bintek = services.bintek_create(actor=actor, data={
        "title": "Bintek Pengeringan Ikan Higienis dengan Alat Pengering Tenaga Surya",
        "post": post, "ttg": ttg, "region": region, "starts_on": start, "ends_on": start + dt.timedelta(days=1),
        "topic": "Pengoperasian dan perawatan alat pengering ikan tenaga surya; sanitasi; kemasan dan pemasaran",
        "target_group": "Pengolah ikan dan kelompok perempuan nelayan Panjang Wetan",
        "venue": "Balai Kelurahan Panjang Wetan",
        "trainer_partners": "Universitas Pekalongan\nDinas Kelautan dan Perikanan Kota Pekalongan",
        "budget": 12_500_000, "funding_source": "apbd_kabkota",
    })  # fmt: skip
    services.outcome_record(actor=actor, bintek=bintek, data={
        "month": 0, "measured_on": start - dt.timedelta(days=7), "applying": 0, "new_products": 0,
        "income_per_month": 1_150_000, "jobs": 0, "note": "Survei awal: penjemuran di tanah, mudah rusak saat hujan",
    })  # fmt: skip
    people = []
    for name, sex, group in PARTICIPANTS:
        phone = f"0812{rng.randrange(10_000_000, 99_999_999)}"
        people.append(services.participant_register(actor=actor, bintek=bintek, data={
            "name": name, "sex": sex, "group": group, "phone": phone, "invited": True,
            "address": f"RT 0{rng.randint(1, 6)}/RW 05 Panjang Wetan"}))  # fmt: skip
    services.bintek_advance(actor=actor, bintek=bintek, state="undangan", note="Undangan dikirim lewat RW")
    sessions = [
        services.session_open(actor=actor, bintek=bintek, day=start, label="Hari 1: teori dan perakitan"),
        services.session_open(actor=actor, bintek=bintek, day=start + dt.timedelta(days=1), label="Hari 2: praktik"),
    ]
    for i, session in enumerate(sessions):
        for p in people:
            if p.number in ABSENT or (i == 1 and p.number in {12, 28}):
                continue
            services.attendance_mark(actor=actor, session=session, participant=p)
    bintek.refresh_from_db()
    services.bintek_advance(actor=actor, bintek=bintek, state="dilaksanakan", note="Dihadiri 27 peserta")
    for p in people:
        pre = rng.randint(35, 60)
        post_score = None if p.number in ABSENT else min(100, pre + rng.randint(18, 38))
        services.participant_update(actor=actor, participant=p, data={"pre_score": pre, "post_score": post_score})
    bintek.refresh_from_db()
    services.bintek_report(actor=actor, bintek=bintek, text=(
        "Bintek dua hari diikuti 27 dari 30 peserta terdaftar (18 perempuan). Peserta merakit satu unit alat "
        "pengering bersama inovator Kasnadi, lalu mempraktikkan pengeringan 20 kg ikan teri. Nilai rata-rata "
        "naik dari sekitar 48 (pre-test) menjadi 76 (post-test). Rekomendasi: bentuk KUB, bantu 3 unit alat, "
        "dampingi produksi dan pemasaran."))  # fmt: skip
    services.bintek_advance(actor=actor, bintek=bintek, state="laporan")
    services.certificates_issue_all(actor=actor, bintek=bintek)
    for kind, description, owner, days, status, evidence in FOLLOWUPS:
        services.followup_create(actor=actor, bintek=bintek, data={
            "kind": kind, "description": description, "owner": owner, "target_date": start + dt.timedelta(days=days),
            "status": status, "evidence_note": evidence})  # fmt: skip
    bintek.refresh_from_db()
    services.bintek_advance(actor=actor, bintek=bintek, state="tindak_lanjut")
    services.outcome_record(actor=actor, bintek=bintek, data={
        "month": 3, "measured_on": start + dt.timedelta(days=92), "applying": 14, "new_products": 2,
        "income_per_month": 1_650_000, "jobs": 4, "note": "Ikan teri kering dan ikan asin kemasan"})  # fmt: skip
    services.outcome_record(actor=actor, bintek=bintek, data={
        "month": 6, "measured_on": start + dt.timedelta(days=183), "applying": 19, "new_products": 3,
        "income_per_month": 2_100_000, "jobs": 7,
        "note": "Abon ikan ditambahkan; penjualan rutin ke 2 toko oleh-oleh"})  # fmt: skip
    bintek.refresh_from_db()
    services.bintek_advance(actor=actor, bintek=bintek, state="dievaluasi", note="Evaluasi 6 bulan")
    _backdate(bintek, start)
    return bintek


def _backdate(bintek: Bintek, start: dt.date) -> None:
    """Put the steps, codes, attendance and certificates at the dates they happened (the services stamp today)."""
    days = {"direncanakan": -30, "undangan": -10, "dilaksanakan": 1, "laporan": 8, "tindak_lanjut": 95,
            "dievaluasi": 185}  # fmt: skip
    for step in BintekStep.objects.filter(bintek=bintek):
        BintekStep.objects.filter(pk=step.pk).update(at=_when(start + dt.timedelta(days=days[step.state]), 10))
    for session in AttendanceSession.objects.filter(bintek=bintek):
        AttendanceSession.objects.filter(pk=session.pk).update(expires_at=_when(session.day, 20))
        Attendance.objects.filter(session=session).update(at=_when(session.day, 8))
    Participant.objects.filter(bintek=bintek, certificate_code__isnull=False).update(
        certificate_issued_on=start + dt.timedelta(days=8)
    )


def _jakarta(actor: Any, today: dt.date) -> list[Bintek]:
    out = []
    plans = [
        ("Bintek Hidroponik Sistem NFT untuk Pemuda", "Hidroponik skala rumah dan pemasarannya", "Karang Taruna"),
        ("Bintek Pengolahan Sampah Organik dengan Komposter Takakura", "Komposter rumah tangga", "Ibu-ibu PKK"),
    ]
    dki = Post.objects.filter(region__code__startswith="31.")
    posts = list(dki.filter(kind="antar_desa").order_by("region_id", "pk")[: len(plans)]) or list(
        dki.order_by("region_id", "pk")[: len(plans)]
    )
    for i, (post, (title, topic, target)) in enumerate(zip(posts, plans, strict=False)):
        start = today + dt.timedelta(days=21 + 14 * i)
        out.append(services.bintek_create(actor=actor, data={
            "title": title, "post": post, "topic": topic, "target_group": target, "starts_on": start,
            "ends_on": start, "budget": 4_750_000 + 1_000_000 * i, "funding_source": "apbd_provinsi",
            "trainer_partners": "Suku Dinas Ketahanan Pangan, Kelautan dan Pertanian", "registration_open": True,
            "venue": "Aula kantor kelurahan"}))  # fmt: skip
    return out


def load_trainings(actor: Any, rng: random.Random, today: dt.date) -> int:
    """Create the demo Bintek through the services (so their history shows); return how many were made."""
    if Bintek.objects.exists():
        return 0
    made = [b for b in [_panjang_wetan(actor, rng, today)] if b is not None]
    made += _jakarta(actor, today)
    return len(made)
