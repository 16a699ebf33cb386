"""Demo contests (domain.md §5.8, §6).

- 2013: Posyantek Berprestasi at the three levels, judged and published through the services: Kota Pekalongan
  (Mitra Pantura against the city's other posts), Jawa Tengah (Mitra Pantura, forwarded, against three kabupaten
  posts) and the nation (Mitra Pantura, forwarded, against four provinces' posts). Mitra Pantura wins each and is
  forwarded up with its dossier.
- 2026 in DKI Jakarta: the provincial edition waits for its kota winners; Jakarta Selatan has published and its
  winner is already forwarded; Jakarta Pusat is mid-way through field verification, its judges mid-scoring (one of
  them declared, and the system found, conflicts of interest). The national 2026 edition is announced.

Demo judges log in as juri1@ and juri2@demo.posyantek.id (password as the other demo logins).
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any
from zoneinfo import ZoneInfo

from django.core.files.base import ContentFile
from django.utils import timezone

from posyantek.accounts.models import User
from posyantek.contests import judging_services, result_services, rubric_services
from posyantek.contests.access import STAGE_ENTRY_STATES
from posyantek.contests.models import (
    Edition,
    EditionStage,
    Entry,
    Indicator,
    Panel,
    PanelJudge,
    Prize,
    Rubric,
    ScoreSheet,
    Stage,
)
from posyantek.posts.models import Post
from posyantek.regions.models import Region

PASSWORD = "posyantek-demo"  # noqa: S105 - the demo password printed with the other demo logins

#: A one-page PDF, so the demo's evidence files open.
TINY_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj "
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)

NARRATIVES = {
    "A1": "SK Wali Kota tentang pembentukan Posyantek, dengan rincian tugas tiap unsur pengurus.",
    "A4": "Pengurus lengkap: pembina, ketua, sekretaris, bendahara, seksi pengembangan dan seksi pelayanan.",
    "A5": "Sekretariat tetap milik sendiri, dipakai untuk konsultasi, pelatihan dan pajangan produk.",
    "C1": "Permohonan layanan warga dicatat di register dan dipantau sampai selesai.",
    "C3": "Bintek pengolahan ikan di Panjang Wetan didampingi sampai warga berproduksi.",
    "D1": "Katalog TTG lokal memuat alat pengering ikan, mesin pencacah, dan alat batik.",
    "E1": "Penjualan lewat agen, BUMDes, pameran dan kunjungan ke kota lain.",
    "E4": "Pesanan datang dari luar kota setelah roadshow dan kunjungan studi banding.",
    "F1": "MoU dengan perguruan tinggi dan dunia usaha (CSR) masih berjalan.",
}


def _user(email: str, name: str) -> User:
    user = User.objects.filter(email=email).first()
    return user or User.objects.create_user(email=email, password=PASSWORD, full_name=name)


def _post(slug: str, name: str, region_code: str, admin: User) -> Post:
    """A post for the contest demo (an entrant from outside the demo's two regions), made once."""
    post = Post.objects.filter(slug=slug).first()
    if post is None:
        post = Post.objects.create(name=name, slug=slug, kind="antar_desa", region_id=region_code, sk_number="-")
    return post


def _edition(rubric: Rubric, *, name: str, level: str, region: str | None, year: int, organiser: str,
             forward: int = 1, prize_amounts: tuple[int, int, int] = (0, 0, 0), **extra: Any) -> Edition:  # fmt: skip
    edition = Edition.objects.create(
        name=name, category=rubric.category, year=year, level=level, region_id=region, organiser=organiser,
        rubric=rubric, period_start=dt.date(year - 1, 1, 1), period_end=dt.date(year - 1, 12, 31),
        forward_count=forward, tie_rule="E,D", **extra,
    )  # fmt: skip
    titles = ["Juara I", "Juara II", "Juara III"]
    for rank, (title, amount) in enumerate(zip(titles, prize_amounts, strict=True), start=1):
        Prize.objects.create(edition=edition, rank=rank, title=title, amount=amount)
    return edition


def _schedule(edition: Edition, start: dt.date) -> None:
    steps = [("pendaftaran", 0, 30), ("administrasi", 31, 45), ("lapangan", 46, 75), ("presentasi", 76, 85),
             ("pleno", 86, 88), ("penetapan", 89, 92), ("penganugerahan", 100, 100)]  # fmt: skip
    for kind, a, b in steps:
        EditionStage.objects.create(edition=edition, kind=kind, starts=start + dt.timedelta(days=a),
                                    deadline=start + dt.timedelta(days=b))  # fmt: skip


def _move(actor: User, edition: Edition, state: str) -> None:
    from posyantek.contests import edition_services

    edition_services.move_state(actor=actor, edition=edition, state=state)
    edition.refresh_from_db()


def _enter(actor: User, edition: Edition, post: Post, *, state: str = Entry.State.SUBMITTED) -> Entry:
    """Register a post with a dossier: narratives, an evidence file for every mandatory indicator, system figures."""
    from posyantek.contests import entry_services

    entry = entry_services.entry_register(actor=actor, edition=edition, post=post)
    entry = entry_services.entry_prefill(actor=actor, entry=entry)
    for ind in Indicator.objects.filter(criterion__rubric=edition.rubric).select_related("criterion__rubric"):
        text = NARRATIVES.get(ind.code)
        if text:
            entry_services.dossier_save(actor=actor, entry=entry, indicator=ind, narrative=text)
        if ind.evidence_mandatory:
            upload = ContentFile(TINY_PDF, name=f"bukti-{post.slug}-{ind.code}.pdf")
            entry_services.file_add(actor=actor, entry=entry, indicator=ind, title=ind.evidence or ind.title,
                                    file=upload)  # fmt: skip
    if state != Entry.State.DRAFT:
        entry = entry_services.entry_submit(actor=actor, entry=Entry.objects.get(pk=entry.pk))
    return entry


def _panel(edition: Edition, stage: str, judges: list[tuple[User, str, str | None, Post | None]]) -> Panel:
    names = {Stage.ADMIN: "Tim Seleksi Administrasi", Stage.FIELD: "Tim Verifikasi Lapangan",
             Stage.PRESENTATION: "Tim Penilai Presentasi"}  # fmt: skip
    panel = Panel.objects.create(edition=edition, stage=stage, name=names[stage])
    for k, (user, institution, home_region, home_post) in enumerate(judges):
        PanelJudge.objects.create(panel=panel, user=user, institution=institution, home_region_id=home_region,
                                  home_post=home_post, is_chair=k == 0)  # fmt: skip
    return panel


def _score(
    rng: random.Random, sheet: ScoreSheet, quality: float, *, upto: int | None = None, lock: bool = True
) -> None:
    """Score a sheet around the entry's `quality` (1–4), the first `upto` indicators only when given."""
    rubric = sheet.edition.rubric
    indicators = list(Indicator.objects.filter(criterion__rubric=rubric).order_by("criterion__order", "order"))
    judge = sheet.judge.user
    for ind in indicators[:upto]:
        value = max(rubric.scale_min, min(rubric.scale_max, round(quality + rng.uniform(-0.7, 0.7))))
        note = "Bukti lengkap dan terlihat di lapangan." if value >= 4 else ""
        judging_services.save_score(actor=judge, sheet=sheet, indicator=ind, value=value, note=note,
                                    evidence_seen=True)  # fmt: skip
    if lock and upto is None:
        judging_services.lock_sheet(actor=judge, sheet=sheet)


def _judge_stage(rng: random.Random, organiser: User, edition: Edition, stage: str, quality: dict[int, float]) -> None:
    judging_services.assign(actor=organiser, edition=edition, stage=stage)
    for sheet in ScoreSheet.objects.filter(edition=edition, stage=stage).select_related("judge__user", "edition"):
        _score(rng, sheet, quality[sheet.entry.post_id])


def _decide_admin(organiser: User, edition: Edition, failed: set[int] = frozenset()) -> None:  # type: ignore[assignment]
    from posyantek.contests import entry_services

    for entry in edition.entries.filter(state=Entry.State.SUBMITTED):
        passed = entry.post_id not in failed
        reasons = "Dokumen lengkap dan sah." if passed else "SKT tidak dilampirkan dan SK pembentukan kedaluwarsa."
        entry_services.entry_admin_decide(actor=organiser, entry=entry, passed=passed, reasons=reasons)


def _run_to_result(rng: random.Random, organiser: User, edition: Edition, judges: list, quality: dict[int, float],
                   *, publish: bool = True) -> None:  # fmt: skip
    """Take a registered edition through administration and field verification, then compute and publish."""
    _move(organiser, edition, Edition.State.ADMIN)
    _decide_admin(organiser, edition)
    _panel(edition, Stage.FIELD, judges)
    _move(organiser, edition, Edition.State.FIELD)
    _judge_stage(rng, organiser, edition, Stage.FIELD, quality)
    _move(organiser, edition, Edition.State.PLENARY)
    result_services.compute(actor=organiser, edition=edition)
    if publish:
        result_services.publish(actor=organiser, edition=edition)
        if edition.decree_date:  # announced on the decree's day, not on the day the demo was loaded
            at = dt.datetime.combine(edition.decree_date, dt.time(10), tzinfo=ZoneInfo("Asia/Jakarta"))
            Edition.objects.filter(pk=edition.pk).update(published_at=at)
        if edition.year < timezone.localdate().year:
            _move(organiser, edition, Edition.State.CLOSED)


def load_contests(admin: User, rng: random.Random, today: dt.date) -> None:
    """Load the 2013 Pekalongan → Jawa Tengah → national run and the 2026 DKI editions."""
    templates = {
        cat: rubric_services.rubric_from_template(actor=admin, category=cat, is_template=True)
        for cat in ("posyantek_berprestasi", "inovasi_ttg", "ttg_unggulan")
    }
    _load_2013(admin, rng, templates["posyantek_berprestasi"])
    _load_2026(admin, rng, today)


def _load_2013(admin: User, rng: random.Random, template: Rubric) -> None:
    pekalongan = User.objects.get(email="pekalongan@demo.posyantek.id")
    jateng = User.objects.get(email="jateng@demo.posyantek.id")
    mitra = Post.objects.get(slug="mitra-pantura")
    # The three editions exist before the first is published, so winners are forwarded as results come out.
    nasional = _edition(template, name="Lomba Posyantek Berprestasi Tingkat Nasional 2013", level="nasional",
                        region=None, year=2013, organiser="Kementerian Dalam Negeri (Ditjen PMD)", forward=0,
                        prize_amounts=(30_000_000, 25_000_000, 20_000_000), minutes_number="BA/PMD/TTG/2013/07",
                        decree_number="414.2/2013/PMD", decree_date=dt.date(2013, 10, 22),
                        signatory_name="Direktur Jenderal PMD", signatory_title="Direktur Jenderal",
                        plenary_date=dt.date(2013, 10, 18), plenary_place="Jakarta")  # fmt: skip
    provinsi = _edition(template, name="Lomba Posyantek Berprestasi Provinsi Jawa Tengah 2013", level="provinsi",
                        region="33", year=2013, organiser="Bapermasdes Provinsi Jawa Tengah",
                        prize_amounts=(15_000_000, 10_000_000, 7_500_000), minutes_number="BA/TTG/JTG/2013/03",
                        decree_number="414/2013/JTG", decree_date=dt.date(2013, 8, 12),
                        signatory_name="Kepala Bapermasdes", signatory_title="Kepala Badan",
                        plenary_date=dt.date(2013, 8, 9), plenary_place="Semarang")  # fmt: skip
    kota = _edition(template, name="Lomba Posyantek Berprestasi Kota Pekalongan 2013", level="kabkota",
                    region="33.75", year=2013, organiser="Bapermas Kota Pekalongan",
                    prize_amounts=(5_000_000, 3_000_000, 2_000_000), minutes_number="BA/TTG/PKL/2013/01",
                    decree_number="050/112/2013", decree_date=dt.date(2013, 5, 20),
                    signatory_name="Wali Kota Pekalongan", signatory_title="Wali Kota",
                    plenary_date=dt.date(2013, 5, 16), plenary_place="Kota Pekalongan")  # fmt: skip
    for edition, start in (
        (kota, dt.date(2013, 2, 19)),
        (provinsi, dt.date(2013, 5, 15)),
        (nasional, dt.date(2013, 7, 24)),
    ):
        _schedule(edition, start)
        _move(admin, edition, Edition.State.ANNOUNCED)
        _move(admin, edition, Edition.State.REGISTRATION)

    # Kota Pekalongan: Mitra Pantura against the city's other kecamatan posts.
    others = list(Post.objects.filter(region__code__startswith="33.75.", kind="antar_desa").exclude(pk=mitra.pk))
    quality = {mitra.pk: 3.9} | {p.pk: 2.4 + 0.3 * k for k, p in enumerate(others)}
    for post in [mitra, *others]:
        _enter(pekalongan, kota, post)
    judges = [
        (_user("juri.pkl1@demo.posyantek.id", "Dra. Endang Kusumawati"), "Bappeda Kota Pekalongan", None, None),
        (_user("juri.pkl2@demo.posyantek.id", "Ir. Hadi Santoso, M.T."), "Universitas Pekalongan", None, None),
    ]
    _run_to_result(rng, pekalongan, kota, judges, quality)

    # Jawa Tengah: Mitra Pantura (forwarded) against three kabupaten posts.
    jateng_posts = [
        _post("posyantek-rembang-sarang", "Posyantek Kecamatan Sarang", "33.17.05", admin),
        _post("posyantek-kudus-jati", "Posyantek Kecamatan Jati", "33.19.03", admin),
        _post("posyantek-banyumas", "Posyantek Kecamatan Banyumas", "33.02.11", admin),
    ]
    for k, post in enumerate(jateng_posts):
        _enter(jateng, provinsi, post)
        quality[post.pk] = 2.8 + 0.25 * k
    judges = [
        (_user("juri.jtg1@demo.posyantek.id", "Dr. Sutrisno"), "Universitas Diponegoro", "33.74", None),
        (_user("juri.jtg2@demo.posyantek.id", "Ir. Wiwik Handayani"), "Balitbang Jawa Tengah", "33.74", None),
    ]
    _run_to_result(rng, jateng, provinsi, judges, quality)

    # The nation: Mitra Pantura (forwarded) against four provinces' posts.
    national_posts = [
        _post("posyantek-tulungagung", "Posyantek Kecamatan Kedungwaru", "35.04.03", admin),
        _post("posyantek-bontang-utara", "Posyantek Kecamatan Bontang Utara", "64.74.01", admin),
        _post("posyantek-gianyar-ubud", "Posyantek Kecamatan Ubud", "51.04.05", admin),
        _post("posyantek-sleman-depok", "Posyantek Kecamatan Depok", "34.04.07", admin),
    ]
    for k, post in enumerate(national_posts):
        _enter(admin, nasional, post)
        quality[post.pk] = 3.0 + 0.15 * k
    judges = [
        (_user("juri.nas1@demo.posyantek.id", "Prof. Dr. Bambang Prasetya"), "LIPI", None, None),
        (_user("juri.nas2@demo.posyantek.id", "Dr. Ir. Retno Wulandari"), "BPPT", None, None),
        (_user("juri.nas3@demo.posyantek.id", "Ir. Agus Salim, M.M."), "Kementerian Perindustrian", None, None),
    ]
    _run_to_result(rng, admin, nasional, judges, quality)


def _load_2026(admin: User, rng: random.Random, today: dt.date) -> None:
    dki = User.objects.get(email="dki@demo.posyantek.id")
    province = Region.objects.get(code="31")
    rubric = rubric_services.rubric_from_template(actor=dki, category="posyantek_berprestasi", region=province,
                                                  year=2026, family="dki-posyantek-berprestasi")  # fmt: skip
    start = today - dt.timedelta(days=60)
    nasional = _edition(Rubric.objects.get(family="posyantek-berprestasi", version_no=1),
                        name="Lomba Posyantek Berprestasi Tingkat Nasional 2026", level="nasional", region=None,
                        year=2026, organiser="Kementerian Desa PDT (Ditjen PDP)", forward=0,
                        prize_amounts=(50_000_000, 40_000_000, 30_000_000))  # fmt: skip
    _schedule(nasional, today + dt.timedelta(days=60))
    _move(admin, nasional, Edition.State.ANNOUNCED)
    provinsi = _edition(rubric, name="Lomba Posyantek Berprestasi Provinsi DKI Jakarta 2026", level="provinsi",
                        region="31", year=2026, organiser="Dinas PPAPP Provinsi DKI Jakarta",
                        prize_amounts=(25_000_000, 15_000_000, 10_000_000))  # fmt: skip
    _schedule(provinsi, today - dt.timedelta(days=10))
    _move(dki, provinsi, Edition.State.ANNOUNCED)
    _move(dki, provinsi, Edition.State.REGISTRATION)

    juri1 = _user("juri1@demo.posyantek.id", "Dr. Sri Wahyuni (BRIN)")
    juri2 = _user("juri2@demo.posyantek.id", "Ir. Bambang Hartono, M.T. (Universitas Indonesia)")
    kota_posts = lambda code: list(  # noqa: E731
        Post.objects.filter(region__code__startswith=code + ".", region__level=3).order_by("region_id")
    )

    # Jakarta Selatan: done and published; its winner already waits in the provincial edition.
    selatan = _edition(rubric, name="Lomba Posyantek Berprestasi Kota Administrasi Jakarta Selatan 2026",
                       level="kabkota", region="31.74", year=2026, organiser="Sudin PPAPP Jakarta Selatan",
                       prize_amounts=(7_500_000, 5_000_000, 2_500_000), minutes_number="BA/JS/TTG/2026/02",
                       decree_number="e-0412/2026", decree_date=today - dt.timedelta(days=12),
                       signatory_name="Wali Kota Administrasi Jakarta Selatan", signatory_title="Wali Kota",
                       plenary_date=today - dt.timedelta(days=14),
                       plenary_place="Kantor Wali Kota Jakarta Selatan")  # fmt: skip
    _schedule(selatan, start - dt.timedelta(days=40))
    _move(dki, selatan, Edition.State.ANNOUNCED)
    _move(dki, selatan, Edition.State.REGISTRATION)
    posts = kota_posts("31.74")[:5]
    quality = {p.pk: 2.6 + 0.25 * k for k, p in enumerate(posts)}
    for post in posts:
        _enter(dki, selatan, post)
    judges = [(juri1, "BRIN", "31.75", None), (juri2, "Universitas Indonesia", None, None)]
    _run_to_result(rng, dki, selatan, judges, quality)

    # Jakarta Pusat: running, field verification mid-way.
    pusat = _edition(rubric, name="Lomba Posyantek Berprestasi Kota Administrasi Jakarta Pusat 2026",
                     level="kabkota", region="31.71", year=2026, organiser="Sudin PPAPP Jakarta Pusat",
                     prize_amounts=(7_500_000, 5_000_000, 2_500_000))  # fmt: skip
    _schedule(pusat, start)
    _move(dki, pusat, Edition.State.ANNOUNCED)
    _move(dki, pusat, Edition.State.REGISTRATION)
    posts = kota_posts("31.71")
    quality = {p.pk: 2.4 + 0.2 * (k % 7) for k, p in enumerate(posts)}
    draft, failing = posts[-1], posts[-2]
    for post in posts:
        _enter(dki, pusat, post, state=Entry.State.DRAFT if post == draft else Entry.State.SUBMITTED)
    _move(dki, pusat, Edition.State.ADMIN)
    _decide_admin(dki, pusat, failed={failing.pk})
    gambir = Post.objects.get(slug="posyantek-31-71-01")
    juri3 = _user("juri3@demo.posyantek.id", "Hj. Nurhayati (tokoh masyarakat Gambir)")
    _panel(pusat, Stage.FIELD, [(juri1, "BRIN", "31.75", None), (juri2, "Universitas Indonesia", None, None),
                                (juri3, "Tokoh masyarakat", None, gambir)])  # fmt: skip
    _move(dki, pusat, Edition.State.FIELD)
    judging_services.assign(actor=dki, edition=pusat, stage=Stage.FIELD)
    sheets = list(ScoreSheet.objects.filter(edition=pusat, stage=Stage.FIELD).select_related("judge__user", "entry",
                                                                                            "edition"))  # fmt: skip
    entries_in = [e.pk for e in pusat.entries.filter(state__in=STAGE_ENTRY_STATES[Stage.FIELD]).order_by("title")]
    for sheet in sheets:
        k = entries_in.index(sheet.entry_id)
        user = sheet.judge.user
        if user == juri1 and k < 4 or user == juri2 and k < 2:
            _score(rng, sheet, quality[sheet.entry.post_id])
        elif user == juri2 and k == 2:
            _score(rng, sheet, quality[sheet.entry.post_id], upto=9, lock=False)
        elif user == juri3 and k < 3:
            _score(rng, sheet, quality[sheet.entry.post_id])
