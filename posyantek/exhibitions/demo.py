"""Demo events of Mitra Pantura: the provincial fair (PRPP) two months ago, a Jakarta roadshow last year, and the
national TTG fair ahead. The orders demo (run after this) links orders to the PRPP event by its name."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.utils import timezone

from posyantek.core import audit
from posyantek.exhibitions import services
from posyantek.exhibitions.models import Exhibition, ExhibitionStep
from posyantek.posts.models import Post
from posyantek.products.models import Product
from posyantek.regions.models import Region

PRPP = "Pameran Produk Unggulan Jawa Tengah (PRPP)"
NATIONAL = "Gelar TTG Nasional"
ROADSHOW = "Roadshow Produk TTG Mitra Pantura ke Jakarta"

#: name, institution, region code, interest, followed up, a word of the product's name they asked about (or None)
PRPP_LEADS = [
    ("Sutrisno", "Gapoktan Sido Makmur", "33.24", "Perontok padi untuk 3 kelompok tani; minta penawaran", True,
     "perontok"),
    ("Hj. Nur Khasanah", "UMKM Batik Pesisir", "33.72", "Kompor batik listrik dan alat cap batik", True,
     "kompor batik"),
    ("Agus Priyanto", "BUMDes Sejahtera Mijen", "33.21", "Pemarut kelapa untuk unit usaha BUMDes", True,
     "pemarut kelapa"),
    ("Rina Wulandari", "KWT Melati", "33.74", "Pengering ikan tenaga surya untuk kelompok wanita tani", False,
     "pengering ikan"),
    ("Bambang Hermawan", "Dinas Pertanian Kabupaten Batang", "33.25",
     "Pengadaan perontok padi untuk alat pasca panen tahun depan", True, "perontok"),
    ("Yusuf Maulana", "CV Tani Jaya", "31.74", "Menjadi reseller di Jakarta Selatan", False, None),
    ("Dewi Sartika", "Koperasi Nelayan Mina Bahari", "35.78", "Alat pengering ikan skala koperasi", False,
     "pengering ikan"),
    ("Eko Prasetyo", "SMK Negeri 2 Yogyakarta", "34.71", "Alat peraga praktik TTG untuk siswa", True, None),
]  # fmt: skip
ROADSHOW_LEADS = [
    ("Lestari Handayani", "Suku Dinas KPKP Jakarta Timur", "31.75", "Rak hidroponik untuk kebun kota", True,
     "hidroponik"),
    ("Rahmat Hidayat", "Koperasi Warga Cipayung", "31.75", "Perontok padi mini untuk lahan sempit", False,
     "perontok"),
    ("Maria Ulfa", "Posyantek Kecamatan Cilandak", "31.74", "Kerja sama pameran bersama di Jakarta", True, None),
]  # fmt: skip
#: Words of the names of the products taken to each event (the products demo's Mitra Pantura catalogue).
PRPP_PRODUCTS = ["pengering ikan", "perontok", "kompor batik", "pemarut kelapa"]
ROADSHOW_PRODUCTS = ["hidroponik", "perontok"]


def product_named(products: list[Product], word: str | None) -> Product | None:
    """Return the first product whose name holds `word` (any case), or None: a lead's product matches its interest."""
    if not word:
        return None
    return next((p for p in products if word.lower() in p.name.lower()), None)


def _named(products: list[Product], words: list[str]) -> list[Product]:
    found = [product_named(products, w) for w in words]
    return [p for p in dict.fromkeys(found) if p is not None]


def _region(code: str) -> Region | None:
    return Region.objects.filter(code=code).first()


def _phone(rng: random.Random) -> str:
    return f"0813{rng.randrange(10_000_000, 99_999_999)}"


def _when(day: dt.date, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


def _step(admin: Any, ex: Exhibition, state: str, note: str) -> Exhibition:
    """Advance through the service; a post without products (no products demo) still reaches the later states."""
    if state == Exhibition.State.PRODUCTS_CHOSEN and not ex.products.exists():
        # The service asks for products taken first; the demo records the step as it happened, with no products.
        Exhibition.objects.filter(pk=ex.pk).update(state=state, version=ex.version + 1)
        ExhibitionStep.objects.create(exhibition=ex, state=state, at=timezone.now(), actor=admin, note=note)
        audit.record(admin, "status", ex, {"state": [ex.state, state], "note": [None, note]})
        return Exhibition.objects.get(pk=ex.pk)
    return services.exhibition_advance(actor=admin, exhibition=ex, state=state, note=note)


def _take_products(admin: Any, ex: Exhibition, products: list[Product], rng: random.Random) -> None:
    for product in products:
        services.product_add(actor=admin, exhibition=ex, product=product, quantity=rng.randint(1, 3),
                             note="Unit contoh untuk demo di stan")  # fmt: skip


def _leads(admin: Any, ex: Exhibition, rows: list[tuple], products: list[Product], rng: random.Random) -> None:
    for name, institution, code, interest, followed, word in rows:
        services.lead_add(actor=admin, exhibition=ex, data={
            "name": name, "institution": institution, "phone": _phone(rng), "region": _region(code),
            "product": product_named(products, word), "interest": interest, "followed_up": followed,
        })  # fmt: skip


def _backdate(ex: Exhibition, days: dict[str, dt.date]) -> None:
    """Put the steps at the days they happened (the services stamp today)."""
    for step in ExhibitionStep.objects.filter(exhibition=ex):
        ExhibitionStep.objects.filter(pk=step.pk).update(at=_when(days[step.state], 9))


def _prpp(admin: Any, post: Post, products: list[Product], rng: random.Random, today: dt.date) -> Exhibition:
    start = today - dt.timedelta(days=62)
    ex = services.exhibition_create(actor=admin, data={
        "post": post, "name": PRPP, "kind": Exhibition.Kind.EXHIBITION, "level": Exhibition.Level.PROVINCE,
        "starts_on": start, "ends_on": start + dt.timedelta(days=4), "venue": "Kompleks PRPP, Jl. Puri Anjasmoro",
        "venue_region": _region("33.74"), "organiser": "Pemerintah Provinsi Jawa Tengah",
    })  # fmt: skip
    _take_products(admin, ex, _named(products, PRPP_PRODUCTS), rng)
    ex = _step(admin, ex, Exhibition.State.PRODUCTS_CHOSEN, "Produk unggulan dipilih rapat pengurus")
    ex = _step(admin, ex, Exhibition.State.RUNNING, "Stan B-12, Gedung Utama")
    services.cost_add(actor=admin, exhibition=ex, item="Sewa stan 3 x 3 m (5 hari)", amount=3_500_000,
                      funding_source="apbd_kabkota")  # fmt: skip
    services.cost_add(actor=admin, exhibition=ex, item="Transport pickup dan bahan bakar Pekalongan–Semarang",
                      amount=1_250_000, funding_source="pendapatan_pos")  # fmt: skip
    services.cost_add(actor=admin, exhibition=ex, item="Konsumsi penjaga stan", amount=600_000,
                      funding_source="pendapatan_pos")  # fmt: skip
    ex = services.exhibition_record_visitors(actor=admin, exhibition=ex, visitors=850)
    _leads(admin, ex, PRPP_LEADS, products, rng)
    services.offer_add(actor=admin, exhibition=ex, data={
        "partner": "CV Agro Mandiri Kendal", "value": 185_000_000, "status": "disepakati",
        "description": "Distribusi mesin perontok padi ke 12 Gapoktan di Kabupaten Kendal selama satu tahun",
    })  # fmt: skip
    services.offer_add(actor=admin, exhibition=ex, data={
        "partner": "Dinas Kelautan dan Perikanan Kabupaten Demak", "value": 120_000_000, "status": "dibahas",
        "description": "Pengadaan 10 unit pengering ikan tenaga surya untuk kelompok nelayan melalui e-Katalog",
    })  # fmt: skip
    ex = _step(admin, ex, Exhibition.State.DONE, "Stan dibongkar; laporan disusun")
    ex = services.exhibition_update(actor=admin, exhibition=ex, data={"report_text": (
        "Stan Mitra Pantura dikunjungi sekitar 850 orang selama lima hari. Perontok padi dan pengering ikan "
        "tenaga surya paling banyak ditanyakan. Satu kerja sama distribusi disepakati dengan CV Agro Mandiri "
        "Kendal.")})  # fmt: skip
    _backdate(ex, {"direncanakan": start - dt.timedelta(days=30), "produk_dipilih": start - dt.timedelta(days=10),
                   "berlangsung": start, "selesai": start + dt.timedelta(days=4)})  # fmt: skip
    return ex


def _roadshow(admin: Any, post: Post, products: list[Product], rng: random.Random, today: dt.date) -> Exhibition:
    start = dt.date(today.year - 1, 10, 14)
    ex = services.exhibition_create(actor=admin, data={
        "post": post, "name": ROADSHOW, "kind": Exhibition.Kind.ROADSHOW, "level": Exhibition.Level.PROVINCE,
        "starts_on": start, "ends_on": start + dt.timedelta(days=2),
        "venue": "Anjungan Jawa Tengah, Taman Mini Indonesia Indah", "venue_region": _region("31.75"),
        "organiser": "Posyantek Mitra Pantura bersama Badan Penghubung Provinsi Jawa Tengah",
    })  # fmt: skip
    _take_products(admin, ex, _named(products, ROADSHOW_PRODUCTS), rng)
    ex = _step(admin, ex, Exhibition.State.PRODUCTS_CHOSEN, "Rak hidroponik dan perontok padi dibawa dengan pickup")
    ex = _step(admin, ex, Exhibition.State.RUNNING, "")
    services.cost_add(actor=admin, exhibition=ex, item="Transport dan penginapan tim (3 orang, 3 malam)",
                      amount=4_200_000, funding_source="pendapatan_pos")  # fmt: skip
    ex = services.exhibition_record_visitors(actor=admin, exhibition=ex, visitors=320)
    _leads(admin, ex, ROADSHOW_LEADS, products, rng)
    services.offer_add(actor=admin, exhibition=ex, data={
        "partner": "Posyantek Kecamatan Cilandak", "value": 0, "status": "disepakati",
        "description": "Memajang alat Mitra Pantura di sekretariat Posyantek Cilandak",
    })  # fmt: skip
    ex = _step(admin, ex, Exhibition.State.DONE, "")
    _backdate(ex, {"direncanakan": start - dt.timedelta(days=45), "produk_dipilih": start - dt.timedelta(days=14),
                   "berlangsung": start, "selesai": start + dt.timedelta(days=2)})  # fmt: skip
    return ex


def load_exhibitions(admin: Any, rng: random.Random, today: dt.date) -> None:
    """Create Mitra Pantura's demo events through the services (so their history shows)."""
    post = Post.objects.filter(slug="mitra-pantura").first()
    if post is None or Exhibition.objects.filter(post=post).exists():
        return
    products = list(Product.objects.filter(post=post, active=True).order_by("pk"))
    _roadshow(admin, post, products, rng, today)
    _prpp(admin, post, products, rng, today)
    start = today + dt.timedelta(days=95)
    services.exhibition_create(actor=admin, data={
        "post": post, "name": NATIONAL, "kind": Exhibition.Kind.EXHIBITION, "level": Exhibition.Level.NATIONAL,
        "starts_on": start, "ends_on": start + dt.timedelta(days=3), "venue": "Jakarta International Expo, Kemayoran",
        "venue_region": _region("31.71"), "organiser": "Kementerian Desa dan Pembangunan Daerah Tertinggal",
    })  # fmt: skip
