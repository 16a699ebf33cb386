"""Demo products: Mitra Pantura's machines and batik tools, Panjang Wetan's fish products, two in DKI Jakarta.

Everything goes through the services (actor: the national admin), so every product has its audit history.
Photos are small PNG drawings made here with Pillow (no network).
"""

from __future__ import annotations

import datetime as dt
import io
import random
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Q
from PIL import Image, ImageDraw

from posyantek.catalog.models import Ttg
from posyantek.posts.models import Post
from posyantek.products import services
from posyantek.products.models import Product

#: name, kind, sector, price, unit, made to order, stock, lead days, capacity/month, min order, weight (g),
#: TTG name to link (contains), maker name, description
MITRA = [
    ("Mesin Pengering Ikan Tenaga Surya", "ttg", "perikanan", 12_500_000, "unit", True, 0, 21, 8, 1, 85_000,
     "pengering ikan", "",
     "Rumah pengering berdinding polikarbonat dengan kolektor panas surya dan kipas DC 12 V. Kapasitas 50 kg ikan "
     "basah per angkatan; ikan kering dalam 2 hari, bersih dari lalat dan debu. Garansi 1 tahun, pelatihan "
     "pemakaian di tempat."),
    ("Mesin Perontok Padi (Thresher)", "ttg", "pertanian", 8_750_000, "unit", True, 0, 14, 10, 1, 120_000,
     "perontok", "",
     "Perontok padi bermesin bensin 6,5 PK, kapasitas 600–800 kg gabah per jam, rangka besi siku dengan roda "
     "untuk dibawa ke sawah. Suku cadang tersedia di Pekalongan."),
    ("Kompor Batik Listrik", "ttg", "kerajinan", 1_250_000, "unit", False, 12, 7, None, 1, 6_000, "kompor batik",
     "", "Kompor listrik 300 watt dengan pengatur suhu untuk memanaskan malam (lilin batik). Tanpa asap dan "
           "jelaga, aman dipakai perajin di dalam rumah."),
    ("Canting Batik Elektrik", "ttg", "kerajinan", 275_000, "buah", False, 5, None, None, 1, 500, "canting", "",
     "Canting tulis dengan pemanas listrik 25 watt: malam tetap cair, garis rata tanpa harus bolak-balik ke "
     "wajan. Ujung canting tembaga dapat diganti (ukuran 0,8–2 mm)."),
    ("Mesin Pemarut Kelapa", "ttg", "pangan", 3_450_000, "unit", True, 0, 10, 15, 1, 35_000, "pemarut kelapa", "",
     "Pemarut kelapa dengan motor listrik 1 HP, mata parut baja tahan karat (food grade), kapasitas 150 butir "
     "kelapa per jam. Cocok untuk usaha santan dan kue."),
    ("Alat Pencetak Batik Cap", "ttg", "kerajinan", 650_000, "buah", False, 8, 7, None, 1, 1_500, "batik cap", "",
     "Cap batik dari lempengan tembaga ukuran 20 × 20 cm, motif jlamprang atau motif pesanan (pesanan motif "
     "baru ±2 minggu)."),
]  # fmt: skip
WARTEK = [
    ("Kerupuk Ikan Panjang Wetan", "umkm", "pangan", 25_000, "bungkus", False, 120, None, None, 5, 500, "",
     "KUB Mina Sejahtera",
     "Kerupuk ikan tenggiri mentah, 500 gram per bungkus, dikeringkan dengan pengering tenaga surya. PIRT sedang "
     "diurus. Tahan 6 bulan di tempat kering."),
    ("Ikan Asin Jambal Roti", "umkm", "perikanan", 45_000, "bungkus", False, 60, None, None, 2, 250, "",
     "KUB Mina Sejahtera",
     "Jambal roti dari ikan manyung pilihan, 250 gram per bungkus, higienis dan tidak terlalu asin. Khas pesisir "
     "Pekalongan."),
    ("Terasi Udang Rebon", "umkm", "pangan", 18_000, "bungkus", False, 80, None, None, 3, 200, "",
     "Kelompok Perempuan Nelayan Panjang Wetan", "Terasi udang rebon asli tanpa pewarna, 200 gram per bungkus."),
]  # fmt: skip
JAKARTA = [
    ("Komposter Takakura", "ttg", "lingkungan", 150_000, "set", False, 25, None, None, 1, 4_000, "", "",
     "Keranjang komposter rumah tangga dengan bantal sekam dan kompos starter; mengolah 1–1,5 kg sampah dapur "
     "per hari tanpa bau."),
    ("Rak Hidroponik NFT 4 Tingkat", "ttg", "pertanian", 1_850_000, "unit", True, 0, 10, 20, 1, 25_000, "hidroponik",
     "", "Rak hidroponik sistem NFT 4 tingkat, 64 lubang tanam, pompa akuarium dan talang PVC food grade. Pas untuk "
         "lahan sempit di gang dan atap rumah."),
]  # fmt: skip
#: Colours of the demo photos, by sector.
COLOURS = {"perikanan": (32, 112, 160), "pertanian": (90, 140, 40), "kerajinan": (140, 70, 40),
           "pangan": (200, 140, 40), "lingkungan": (40, 120, 90)}  # fmt: skip


def _png(name: str, colour: tuple[int, int, int], rng: random.Random) -> SimpleUploadedFile:
    """Return a small PNG drawing: a few shapes on the sector's colour (a stand-in for a real photo)."""
    im = Image.new("RGB", (480, 360), colour)
    draw = ImageDraw.Draw(im)
    light = tuple(min(255, c + 70) for c in colour)
    for _i in range(4):
        x, y = rng.randint(20, 300), rng.randint(20, 200)
        draw.rounded_rectangle((x, y, x + rng.randint(60, 160), y + rng.randint(40, 140)), radius=12, fill=light)
    draw.rectangle((0, 300, 480, 360), fill=(255, 255, 255))
    draw.text((16, 318), name[:48], fill=(20, 20, 20))
    buf = io.BytesIO()
    im.save(buf, "PNG")
    return SimpleUploadedFile(f"{name}.png", buf.getvalue(), content_type="image/png")


def _ttg(post: Post, words: str) -> Ttg | None:
    if not words:
        return None
    # A product may only be built on a record of its own post or a published one (products.services).
    return (Ttg.objects.filter(name__icontains=words)
            .filter(Q(post=post) | Q(publication=Ttg.Publication.PUBLISHED)).order_by("pk").first())  # fmt: skip


def _load(admin: Any, post: Post, rows: list[tuple[Any, ...]], rng: random.Random, *, photos: bool) -> None:
    for (name, kind, sector, price, unit, mto, stock, lead, capacity, min_order, grams, ttg_words, maker,
         description) in rows:  # fmt: skip
        product = services.product_create(actor=admin, data={
            "post": post, "name": name, "kind": kind, "sector": sector, "price": price, "unit": unit,
            "made_to_order": mto, "stock": stock, "lead_time_days": lead, "capacity_per_month": capacity,
            "min_order": min_order, "weight_grams": grams, "ttg": _ttg(post, ttg_words), "maker_name": maker,
            "description": description,
        })  # fmt: skip
        if photos:
            services.product_photo_add(actor=admin, product=product, upload=_png(name, COLOURS[sector], rng),
                                       caption=name)  # fmt: skip


def load_products(admin: Any, rng: random.Random, today: dt.date) -> None:
    """Create the demo products (idempotent per post: a post that already sells something is left alone)."""
    mitra = Post.objects.filter(slug="mitra-pantura").first()
    wartek = Post.objects.filter(slug="wartek-panjang-wetan").first()
    in_jakarta = Post.objects.filter(status=Post.Status.AKTIF).order_by("region_id", "pk")
    # Central Jakarta first (Jakarta Pusat), else any post of DKI Jakarta.
    jakarta = (
        in_jakarta.filter(region__code__startswith="31.71.").first()
        or in_jakarta.filter(region__code__startswith="31.").first()
    )
    for post, rows, photos in ((mitra, MITRA, True), (wartek, WARTEK, True), (jakarta, JAKARTA, False)):
        if post is not None and not Product.objects.filter(post=post).exists():
            _load(admin, post, rows, rng, photos=photos)
