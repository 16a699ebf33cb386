"""Demo service requests in Kota Pekalongan and DKI Jakarta, in every state, made through the services.

Steps are dated in the past through the services' `at` argument; the public submissions get their dates set
afterwards, as catalog/demo_ttg.py does for its records.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.db import transaction
from django.utils import timezone

from posyantek.catalog.models import Ttg
from posyantek.consultations import notify, services
from posyantek.consultations.models import ServiceRequest, StateChange
from posyantek.consultations.selectors import handler_choices, post_for_region_unscoped, ttg_suggestions
from posyantek.posts.models import Post
from posyantek.regions.models import Region

#: (need, sector, commodity)
NEEDS = [
    ("Ikan asin cepat busuk saat musim hujan karena susah dijemur", "perikanan", "ikan asin"),
    ("Butuh alat pengasapan ikan yang asapnya tidak masuk ke rumah tetangga", "perikanan", "ikan asap"),
    ("Limbah cair batik mencemari sungai, perlu pengolahan sederhana untuk rumah produksi", "lingkungan", "batik"),
    ("Merajang singkong untuk keripik masih manual dan lama, tangan sering luka", "pangan", "singkong"),
    ("Perlu pompa air tenaga surya untuk menyiram kebun sayur kelompok wanita tani", "energi", "sayuran"),
    ("Sampah plastik rumah tangga menumpuk, ingin diolah menjadi produk yang laku dijual", "lingkungan", "plastik"),
    ("Ingin belajar hidroponik di lahan sempit gang perkotaan", "pertanian", "sayuran"),
    ("Air sumur warga keruh dan berbau saat kemarau, perlu penyaring air sederhana", "air", "air bersih"),
    ("Kelompok tani butuh pengering gabah saat panen raya musim hujan", "pertanian", "padi"),
    ("Olahan bandeng presto sulit dipasarkan ke luar kota, kemasan kurang menarik", "pangan", "bandeng"),
    ("Usaha tahu boros kayu bakar, ingin tungku yang lebih hemat", "energi", "tahu"),
    ("Pengupas kulit kerang hijau masih manual, hasilnya sedikit", "perikanan", "kerang hijau"),
]

NAMES = ["Bu Sri Wahyuni", "Pak Darsono", "KUB Mina Sejahtera", "Bu Kartini", "Pak Rohman", "KWT Melati",
         "Bu Nining", "Pak Sugeng", "Kelompok Tani Makmur", "UMKM Bandeng Rasa", "Pak Tarno", "Bu Warsini",
         "Pokdakan Pantura", "Pak Hasan", "Bu Endang", "Kelompok Pemuda Kreatif"]  # fmt: skip

#: Paths through the workflow for the demo: every state appears as the end of one path.
PATHS: list[list[str]] = [
    [],
    ["ditelaah"],
    ["ditelaah", "asesmen_lapangan"],
    ["ditelaah", "rekomendasi"],
    ["ditelaah", "dirujuk"],
    ["ditelaah", "asesmen_lapangan", "rekomendasi", "pengembangan"],
    ["ditelaah", "rekomendasi", "penerapan"],
    ["ditelaah", "rekomendasi", "penerapan", "pemantauan"],
    ["ditelaah", "asesmen_lapangan", "rekomendasi", "penerapan", "pemantauan", "selesai"],
    ["ditelaah", "dirujuk", "selesai"],
    ["ditelaah", "ditutup_tanpa_solusi"],
    ["dibatalkan"],
]

NOTES = {
    "ditelaah": "Ditelaah seksi pelayanan; dijadwalkan tindak lanjut.",
    "asesmen_lapangan": "Kunjungan lapangan: kondisi tempat usaha dan bahan baku dicatat.",
    "rekomendasi": "TTG dari katalog disarankan; pemohon diberi brosur dan kontak produsen.",
    "dirujuk": "Dirujuk ke mitra yang punya keahlian ini.",
    "pengembangan": "Prototipe dibuat di bengkel pos bersama inovator.",
    "penerapan": "Alat dipasang dan operator dilatih.",
    "pemantauan": "Pemantauan dijadwalkan 1, 3 dan 6 bulan setelah penerapan.",
    "selesai": "Alat dipakai rutin; pemohon puas.",
    "ditutup_tanpa_solusi": "Belum ada TTG yang cocok dan biaya pembuatan alat di luar kemampuan pemohon.",
    "dibatalkan": "Pemohon membatalkan; sudah membeli alat sendiri.",
}


def _moment(day: dt.date, hour: int = 9) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


def _details(req: ServiceRequest, state: str, rng: random.Random, handler: Any) -> dict[str, Any]:
    if state == "ditelaah":
        return {"service_type": rng.choice(["teknis", "konsultasi", "informasi", "fasilitasi"]),
                "section": rng.choice(["seksi_pelayanan", "seksi_pengembangan"]), "handler": handler}  # fmt: skip
    if state == "rekomendasi":
        ttgs = [s.ttg for s in ttg_suggestions(req)[:2]]
        if not ttgs:
            ttgs = list(Ttg.objects.filter(publication=Ttg.Publication.PUBLISHED).order_by("pk")[:1])
        return {"ttgs": ttgs}
    if state == "dirujuk":
        return rng.choice([
            {"referral_kind": "perguruan_tinggi", "referral_to": "Universitas Pekalongan, Fakultas Teknik"},
            {"referral_kind": "inovator", "referral_to": "Pak Slamet, perajin alat pengering"},
            {"referral_kind": "bumdes", "referral_to": "BUMDes Maju Bersama"},
            {"referral_kind": "pos_lain", "referral_to": "Posyantek Batik Mandiri"},
        ])  # fmt: skip
    if state in ("selesai", "ditutup_tanpa_solusi"):
        return {"result": NOTES[state]}
    return {}


def _walk(req: ServiceRequest, path: list[str], start: dt.date, gap: int, actor: Any, rng: random.Random) -> bool:
    """Take a request along `path`, one step every `gap` days from `start`; False when a step could not be made."""
    handlers = list(handler_choices(req.post)) if req.post_id else []
    handler = handlers[0] if handlers else None
    day = start
    for state in path:
        if state == "ditelaah" and handler is None:
            return False
        if state == "rekomendasi" and not Ttg.objects.filter(publication=Ttg.Publication.PUBLISHED).exists():
            return False
        day += dt.timedelta(days=gap)
        if state == "selesai" and req.state == "pemantauan":
            for check in req.checks.order_by("due_on"):
                services.check_record(actor=handler or actor, check=check, note="Alat berfungsi baik.",
                                      done_on=check.due_on)  # fmt: skip
                req.refresh_from_db()
            day = max(day, req.checks.order_by("-due_on").first().due_on + dt.timedelta(days=3))
        req = services.request_transition(
            actor=handler or actor, request=req, to_state=state, note=NOTES[state], is_public=state != "ditelaah",
            at=_moment(day, 10), **_details(req, state, rng, handler),
        )  # fmt: skip
    return True


def _villages(prefix: str, limit: int) -> list[Region]:
    return list(Region.objects.filter(code__startswith=prefix + ".", level=4).order_by("code")[:limit])


def load_requests(actor: Any, rng: random.Random, today: dt.date) -> int:
    """Create demo requests in every state across Kota Pekalongan and DKI Jakarta; return how many (0 if any exist)."""
    if ServiceRequest.objects.exists():
        return 0
    mitra = Post.objects.filter(slug="mitra-pantura").first()
    if mitra is None:
        return 0
    panjang = Region.objects.filter(code="33.75.03.1004").first() or mitra.region
    utara = [v for v in _villages("33.75.03", 20) if v.code != panjang.code]
    others = [v for code in ("33.75.01", "33.75.02", "33.75.04") for v in _villages(code, 2)]
    jakarta = _villages("31", 300)
    places = [panjang, *utara[:6], mitra.region, *others, *jakarta[::25]]
    # A neighbour from Kabupaten Pekalongan, where no post serves yet: the request waits, unassigned, for the
    # Jawa Tengah officers.
    unrouted = next((v for v in _villages("33.26", 5) if post_for_region_unscoped(v) is None), None)
    made = 0
    with transaction.atomic(), notify.muted():
        for i in range(len(PATHS) * 3):
            path = PATHS[i % len(PATHS)]
            region = places[i % len(places)]
            if not path and i == len(PATHS) and unrouted is not None:
                region = unrouted
            need, sector, commodity = NEEDS[i % len(NEEDS)]
            gap = 20 if "pemantauan" in path else 6
            age = len(path) * gap + rng.randint(2, 20)
            if "pemantauan" in path:
                age = 330 if "selesai" in path else 150  # the last check-ins are past (and one is overdue)
            if i % 5 == 0 and not path:
                age = rng.randint(0, 1)  # a fresh one, within its target
            received = min(_moment(today - dt.timedelta(days=age), 8 + i % 8), timezone.now() - dt.timedelta(hours=1))
            phone = f"08{rng.randint(11, 59)}{rng.randint(10**7, 10**8 - 1)}"
            data = {"requester_name": NAMES[i % len(NAMES)], "phone": phone,
                    "region": region, "description": need, "sector": sector, "commodity": commodity,
                    "requester_kind": rng.choice(["perorangan", "kelompok", "umkm"])}  # fmt: skip
            if i % 3 == 0 or region == unrouted:
                req = services.request_submit(data=data, ip=f"demo-{i}")
                ServiceRequest.objects.filter(pk=req.pk).update(received_at=received, state_since=received,
                                                                due_at=received + dt.timedelta(days=2))  # fmt: skip
                StateChange.objects.filter(request=req).update(at=received)
                req.refresh_from_db()
            else:
                post = post_for_region_unscoped(region) or mitra
                channel = ["datang_langsung", "telepon", "whatsapp"][i % 3]
                req = services.request_create(actor=actor, data={**data, "post": post, "channel": channel,
                                                                 "received_at": received})  # fmt: skip
            made += 1
            if _walk(req, path, received.date(), gap, actor, rng):
                req.refresh_from_db()
                if req.state in ("selesai", "ditutup_tanpa_solusi") and i % 2 == 0:
                    services.request_rate(request=req, rating=rng.choice([4, 5, 5, 3]),
                                          comment=rng.choice(["Sangat membantu.", "Petugas ramah.", ""]))  # fmt: skip
                    ServiceRequest.objects.filter(pk=req.pk).update(rated_at=req.closed_at + dt.timedelta(days=2))
    return made
