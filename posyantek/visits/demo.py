"""Demo visits of Mitra Pantura: the DKI Jakarta working visit of 10 September 2014 (domain.md §7.4) with its agenda,
guest book and follow-up (a replication commitment and a return visit), a planned sharing visit to Kabupaten Pati,
and recent visits around today in varied states, so the calendar and the guest book have something to show."""

from __future__ import annotations

import base64
import datetime as dt
import io
import random
from typing import Any

from django.utils import timezone

from posyantek.partnerships.models import Agreement
from posyantek.posts.models import Post
from posyantek.regions.models import Region
from posyantek.replication.models import KitAdoption
from posyantek.visits import followups, guestbook, services
from posyantek.visits.models import AgendaItem, Visit, VisitStep

DKI = "Kunjungan kerja Provinsi DKI Jakarta ke Posyantek Mitra Pantura"
DKI_INSTITUTION = "Dinas/BPMPKB Provinsi DKI Jakarta — Bidang TTG"
DKI_DAY = dt.date(2014, 9, 10)
RETURN = "Kunjungan balasan ke Dinas/BPMPKB Provinsi DKI Jakarta — Bidang TTG"
PATI = "Kaji tiru dan berbagi pengalaman Posyantek ke Kabupaten Pati"
BATANG = "Studi banding DPMD Kabupaten Batang"
PEMALANG = "Kunjungan kerja Posyantek Kabupaten Pemalang"
BREBES = "Permohonan kunjungan DPMD Kabupaten Brebes"
SMK = "Kunjungan siswa SMK Negeri 2 Pekalongan"

#: name, institution, position (fictional people; the institutions are the delegation's)
DKI_GUESTS = [
    ("Drs. Bambang Sutrisno", "BPMPKB Provinsi DKI Jakarta", "Kepala Bidang TTG"),
    ("Sri Rahayu, S.Sos.", "BPMPKB Provinsi DKI Jakarta", "Kepala Seksi Pengembangan TTG"),
    ("Hendra Gunawan", "BPMPKB Provinsi DKI Jakarta", "Staf Bidang TTG"),
    ("Yuliani Puspitasari", "Kecamatan Gambir", "Kepala Seksi Ekonomi dan Pembangunan"),
    ("Ahmad Fauzi", "Kecamatan Cilandak", "Kepala Seksi Pemberdayaan Masyarakat"),
    ("Rina Marlina", "Kecamatan Cakung", "Pengelola Posyantek kecamatan"),
    ("Teguh Prasetyo", "Kecamatan Tanjung Priok", "Pengelola Posyantek kecamatan"),
    ("Dewi Anggraini", "Kecamatan Kebayoran Baru", "Kepala Seksi Pemberdayaan Masyarakat"),
]
BATANG_GUESTS = [
    ("Wahyu Hidayat", "DPMD Kabupaten Batang", "Kepala Bidang Pemberdayaan Masyarakat"),
    ("Siti Nurjanah", "DPMD Kabupaten Batang", "Analis Pemberdayaan Masyarakat"),
    ("Slamet Riyadi", "Posyantek Kecamatan Tulis", "Ketua"),
]


def _region(code: str) -> Region | None:
    return Region.objects.filter(code=code).first()


def _when(day: dt.date, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


def signature_data_url(rng: random.Random) -> str:
    """Return a small drawn-looking signature (a random stroke on a transparent PNG) as a data URL."""
    from PIL import Image, ImageDraw

    im = Image.new("RGBA", (240, 90), (255, 255, 255, 0))
    draw = ImageDraw.Draw(im)
    x, y = 15, 45 + rng.randint(-10, 10)
    points = [(x, y)]
    while x < 220:
        x += rng.randint(8, 20)
        y = max(10, min(80, y + rng.randint(-22, 22)))
        points.append((x, y))
    draw.line(points, fill=(20, 20, 20, 255), width=3, joint="curve")
    buf = io.BytesIO()
    im.save(buf, "PNG")
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode()


def _phone(rng: random.Random) -> str:
    return f"0812{rng.randrange(10_000_000, 99_999_999)}"


def _agenda(admin: Any, visit: Visit, rows: list[tuple]) -> None:
    for kind, title, day, start, end, place, site, officials in rows:
        services.agenda_add(actor=admin, visit=visit, data={
            "kind": kind, "title": title, "day": day, "starts_at": dt.time(*start) if start else None,
            "ends_at": dt.time(*end) if end else None, "place": place, "site_region": _region(site) if site else None,
            "officials": officials,
        })  # fmt: skip


def _guests(admin: Any, visit: Visit, rows: list[tuple], rng: random.Random, day: dt.date) -> None:
    for i, (name, institution, position) in enumerate(rows):
        guestbook.guest_add(actor=admin, visit=visit, data={
            "name": name, "institution": institution, "position": position,
            "phone": _phone(rng) if i % 3 else "", "signature": signature_data_url(rng) if i % 2 == 0 else None,
            "signed_at": _when(day, 9) + dt.timedelta(minutes=3 * i),
        })  # fmt: skip


def _advance(admin: Any, visit: Visit, *states: tuple[str, str]) -> Visit:
    for state, note in states:
        visit = services.visit_advance(actor=admin, visit=visit, state=state, note=note)
    return visit


def _backdate(visit: Visit, days: dict[str, dt.date]) -> None:
    """Put the steps at the days they happened (the services stamp today)."""
    for step in VisitStep.objects.filter(visit=visit):
        if step.state in days:
            VisitStep.objects.filter(pk=step.pk).update(at=_when(days[step.state], 10))


def _dki(admin: Any, mitra: Post, rng: random.Random) -> Visit:
    visit = services.visit_create(actor=admin, data={
        "post": mitra, "direction": Visit.Direction.INCOMING, "title": DKI, "institution": DKI_INSTITUTION,
        "institution_region": _region("31"), "leader": "Kepala Bidang TTG",
        "leader_title": "BPMPKB Provinsi DKI Jakarta", "visitors": 20,
        "purposes": [Visit.Purpose.FUNDING, Visit.Purpose.ORGANISATION, Visit.Purpose.TRAINING],
        "purpose_text": "Mempelajari pendanaan Posyantek yang sudah diatur dengan Perda, kelembagaan dan pelibatan "
                        "masyarakat, untuk ditiru 44 kecamatan di DKI Jakarta.",
        "starts_on": DKI_DAY, "ends_on": DKI_DAY, "letter_number": "005/-1.862.2",
        "letter_date": dt.date(2014, 8, 20),
        "hosts": "Asisten Wali Kota Pekalongan; Camat Pekalongan Utara; pengurus Posyantek Mitra Pantura",
    })  # fmt: skip
    _agenda(admin, visit, [
        (AgendaItem.Kind.AUDIENCE, "Audiensi dengan Asisten Wali Kota Pekalongan", DKI_DAY, (9, 0), (10, 0),
         "Ruang rapat Setda Kota Pekalongan", None, "Asisten Wali Kota Pekalongan"),
        (AgendaItem.Kind.PRESENTATION, "Paparan tim Posyantek Mitra Pantura: pendanaan berbasis Perda, kelembagaan "
         "dan pelibatan masyarakat", DKI_DAY, (10, 0), (11, 30), "Sekretariat Posyantek Mitra Pantura", None,
         "Ketua dan pengurus Posyantek Mitra Pantura"),
        (AgendaItem.Kind.FIELD, "Kunjungan lapangan: praktik dan hasil Bintek di Kelurahan Panjang Wetan", DKI_DAY,
         (13, 0), (14, 30), "Kelurahan Panjang Wetan, Kecamatan Pekalongan Utara", "33.75.03.1004",
         "Camat Pekalongan Utara; Lurah Panjang Wetan"),
        (AgendaItem.Kind.PRODUCTS, "Peragaan produk TTG Mitra Pantura", DKI_DAY, (14, 30), (15, 30),
         "Wartek Panjang Wetan", "33.75.03.1004", ""),
    ])  # fmt: skip
    visit = _advance(admin, visit, (Visit.State.SCHEDULED, "Agenda disepakati dengan BPMPKB DKI Jakarta"))
    _guests(admin, visit, DKI_GUESTS, rng, DKI_DAY)
    visit = _advance(admin, visit, (Visit.State.HELD, "Rombongan 20 orang diterima Asisten Wali Kota"))
    services.visit_update(actor=admin, visit=visit, data={"summary": (
        "Rombongan ingin meniru keberhasilan Mitra Pantura, terutama pendanaan yang sudah diatur Perda dan pelibatan "
        "masyarakat. Camat Pekalongan Utara menyampaikan bahwa keberhasilan ini lahir dari dukungan birokrasi dan "
        "warga yang inovatif.")})  # fmt: skip
    adoption = KitAdoption.objects.filter(region_id="31").first()
    followups.follow_up_add(actor=admin, visit=visit, data={
        "kind": "replikasi", "adoption": adoption,
        "description": "Komitmen DKI Jakarta mereplikasi Posyantek di 44 kecamatan dengan kit replikasi Mitra Pantura",
        "due_on": dt.date(2015, 6, 30), "done_on": dt.date(2014, 12, 1),
    })  # fmt: skip
    planned, _f = followups.return_visit_create(actor=admin, visit=visit, data={
        "title": RETURN, "visitors": 5, "starts_on": dt.date(2014, 11, 20), "ends_on": dt.date(2014, 11, 20),
        "leader": "Ketua Posyantek Mitra Pantura", "leader_title": "Posyantek Mitra Pantura",
    })  # fmt: skip
    visit = _advance(admin, Visit.objects.get(pk=visit.pk),
                     (Visit.State.FOLLOWED_UP, "Komitmen replikasi dan kunjungan balasan"))  # fmt: skip
    _backdate(visit, {"diminta": dt.date(2014, 8, 21), "dijadwalkan": dt.date(2014, 8, 28),
                      "dilaksanakan": DKI_DAY, "ditindaklanjuti": dt.date(2014, 10, 15)})  # fmt: skip
    _agenda(admin, planned, [
        (AgendaItem.Kind.DISCUSSION, "Berbagi pengalaman dengan pengelola Posyantek kecamatan DKI Jakarta",
         dt.date(2014, 11, 20), (9, 0), (12, 0), "Kantor BPMPKB Provinsi DKI Jakarta", None, "Kepala Bidang TTG"),
    ])  # fmt: skip
    planned = _advance(admin, planned, (Visit.State.SCHEDULED, "Jadwal disepakati"),
                       (Visit.State.HELD, "Lima pengurus berangkat ke Jakarta"))  # fmt: skip
    _backdate(planned, {"diminta": dt.date(2014, 10, 15), "dijadwalkan": dt.date(2014, 11, 3),
                        "dilaksanakan": dt.date(2014, 11, 20)})  # fmt: skip
    return visit


def _pati(admin: Any, mitra: Post, today: dt.date) -> Visit:
    day = today + dt.timedelta(days=24)
    visit = services.visit_create(actor=admin, data={
        "post": mitra, "direction": Visit.Direction.OUTGOING, "title": PATI,
        "institution": "DPMD Kabupaten Pati dan Posyantek Kabupaten Pati", "institution_region": _region("33.18"),
        "leader": "Ketua Posyantek Mitra Pantura", "leader_title": "Posyantek Mitra Pantura", "visitors": 6,
        "purposes": [Visit.Purpose.MARKETING, Visit.Purpose.TECHNOLOGY, Visit.Purpose.PARTNERSHIP],
        "purpose_text": "Kaji tiru pemasaran produk TTG dan berbagi pengalaman pengelolaan Posyantek.",
        "starts_on": day, "ends_on": day + dt.timedelta(days=1),
        "hosts": "DPMD Kabupaten Pati",
    })  # fmt: skip
    _agenda(admin, visit, [
        (AgendaItem.Kind.AUDIENCE, "Audiensi dengan Kepala DPMD Kabupaten Pati", day, (9, 0), (10, 0),
         "Kantor DPMD Kabupaten Pati", "33.18", "Kepala DPMD Kabupaten Pati"),
        (AgendaItem.Kind.DISCUSSION, "Diskusi pemasaran produk TTG bersama pengelola Posyantek Pati", day, (10, 0),
         (12, 0), "Kantor DPMD Kabupaten Pati", None, ""),
        (AgendaItem.Kind.FIELD, "Kunjungan ke sentra produksi TTG binaan Posyantek Pati", day + dt.timedelta(days=1),
         (8, 30), (11, 30), "Kabupaten Pati", "33.18", ""),
    ])  # fmt: skip
    return _advance(admin, visit, (Visit.State.SCHEDULED, "Surat pemberitahuan dikirim ke DPMD Pati"))


def _recent(admin: Any, mitra: Post, rng: random.Random, today: dt.date) -> None:
    # Batang, three weeks ago: held and followed up (an agreement of Mitra Pantura when the partnerships demo ran).
    day = today - dt.timedelta(days=21)
    batang = services.visit_create(actor=admin, data={
        "post": mitra, "title": BATANG, "institution": "DPMD Kabupaten Batang", "institution_region": _region("33.25"),
        "leader": "Wahyu Hidayat", "leader_title": "Kepala Bidang Pemberdayaan Masyarakat", "visitors": 12,
        "purposes": [Visit.Purpose.ORGANISATION, Visit.Purpose.TRAINING], "starts_on": day, "ends_on": day,
        "letter_number": "400/118/DPMD", "letter_date": day - dt.timedelta(days=14),
        "hosts": "Pengurus Posyantek Mitra Pantura",
    })  # fmt: skip
    _agenda(admin, batang, [
        (AgendaItem.Kind.PRESENTATION, "Paparan pengelolaan Posyantek dan Bintek di kelurahan", day, (9, 0),
         (11, 0), "Sekretariat Posyantek Mitra Pantura", None, "Pengurus Posyantek Mitra Pantura"),
        (AgendaItem.Kind.FIELD, "Kunjungan ke Wartek Panjang Wetan", day, (11, 0), (12, 30), "Wartek Panjang Wetan",
         "33.75.03.1004", ""),
    ])  # fmt: skip
    batang = _advance(admin, batang, (Visit.State.SCHEDULED, ""))
    _guests(admin, batang, BATANG_GUESTS, rng, day)
    batang = _advance(admin, batang, (Visit.State.HELD, ""))
    agreement = Agreement.objects.filter(post=mitra).order_by("pk").first()
    if agreement is not None:
        followups.follow_up_add(actor=admin, visit=batang, data={
            "kind": "kerja_sama", "agreement": agreement, "due_on": today + dt.timedelta(days=60),
            "description": f"Bintek bersama dalam kerangka {agreement.title}"[:300],
        })  # fmt: skip
    else:
        followups.follow_up_add(actor=admin, visit=batang, data={
            "kind": "lainnya", "description": "Bahan paparan dan SOP Bintek dikirim ke DPMD Batang",
            "done_on": today - dt.timedelta(days=14),
        })  # fmt: skip
    batang = _advance(admin, batang, (Visit.State.FOLLOWED_UP, ""))
    _backdate(batang, {"diminta": day - dt.timedelta(days=12), "dijadwalkan": day - dt.timedelta(days=7),
                       "dilaksanakan": day, "ditindaklanjuti": day + dt.timedelta(days=5)})  # fmt: skip

    # Pemalang, today and tomorrow: scheduled, so the public guest book is open in the demo.
    pemalang = services.visit_create(actor=admin, data={
        "post": mitra, "title": PEMALANG, "institution": "Posyantek Kabupaten Pemalang",
        "institution_region": _region("33.27"), "leader": "Ketua Posyantek Kabupaten Pemalang", "visitors": 15,
        "purposes": [Visit.Purpose.FUNDING, Visit.Purpose.MARKETING], "starts_on": today,
        "ends_on": today + dt.timedelta(days=1), "hosts": "Pengurus Posyantek Mitra Pantura",
    })  # fmt: skip
    _agenda(admin, pemalang, [
        (AgendaItem.Kind.PRESENTATION, "Paparan pendanaan dan pemasaran Posyantek", today, (9, 0), (11, 0),
         "Sekretariat Posyantek Mitra Pantura", None, ""),
        (AgendaItem.Kind.PRODUCTS, "Peragaan produk TTG", today + dt.timedelta(days=1), (9, 0), (10, 30),
         "Wartek Panjang Wetan", "33.75.03.1004", ""),
    ])  # fmt: skip
    _advance(admin, pemalang, (Visit.State.SCHEDULED, ""))

    # Brebes, in six weeks: only the request letter so far.
    day = today + dt.timedelta(days=42)
    services.visit_create(actor=admin, data={
        "post": mitra, "title": BREBES, "institution": "DPMD Kabupaten Brebes", "institution_region": _region("33.29"),
        "visitors": 25, "purposes": [Visit.Purpose.FUNDING, Visit.Purpose.ORGANISATION], "starts_on": day,
        "ends_on": day, "letter_number": f"414/233/{today.year}", "letter_date": today - dt.timedelta(days=3),
    })  # fmt: skip

    # A school visit that was called off.
    day = today - dt.timedelta(days=9)
    smk = services.visit_create(actor=admin, data={
        "post": mitra, "title": SMK, "institution": "SMK Negeri 2 Pekalongan", "institution_region": _region("33.75"),
        "visitors": 30, "purposes": [Visit.Purpose.TECHNOLOGY], "starts_on": day, "ends_on": day,
    })  # fmt: skip
    services.visit_advance(actor=admin, visit=smk, state=Visit.State.CANCELLED, note="Bertepatan dengan ujian sekolah")


def load_visits(admin: Any, rng: random.Random, today: dt.date) -> None:
    """Load Mitra Pantura's visits through the services (audited); idempotent: nothing happens the second time."""
    mitra = Post.objects.filter(slug="mitra-pantura").first()
    if mitra is None or Visit.objects.filter(post=mitra, title=DKI).exists():
        return
    _dki(admin, mitra, rng)
    _pati(admin, mitra, today)
    _recent(admin, mitra, rng, today)
