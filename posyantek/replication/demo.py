"""Demo replication: Mitra Pantura's published kit (domain.md §7.4) with its awards and the default checklist, and
DKI Jakarta adopting it on 1 October 2014, after its working visit of 10 September 2014, for its 44 kecamatan
posts, each at its own stage (a few not started, a few done, most in between). Everything goes through the services,
so it is audited; the same rng gives the same ticks."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.db import transaction

from posyantek.accounts.models import User
from posyantek.posts.models import Post
from posyantek.regions.models import Region
from posyantek.replication import adoption_services, services
from posyantek.replication.detect import detected_sources
from posyantek.replication.models import AdoptionPost, Kit, KitAdoption, KitItem
from posyantek.replication.selectors import kit_items

KIT_TITLE = "Kit Replikasi Posyantek Mitra Pantura"
ADOPTION_NAME = "Replikasi Posyantek Mitra Pantura di 44 kecamatan DKI Jakarta"
STARTED = dt.date(2014, 10, 1)

SUMMARY = """Posyantek Mitra Pantura di Kecamatan Pekalongan Utara, Kota Pekalongan, dinobatkan sebagai Posyantek \
terbaik tingkat nasional pada 2013 dan sejak itu rutin menerima kunjungan studi banding dari daerah lain, termasuk \
kunjungan kerja DKI Jakarta pada 10 September 2014.

Yang dapat ditiru:
- Pendanaan berbasis Perda: Kota Pekalongan mengatur pendanaan Posyantek dalam peraturan daerah, sehingga anggaran \
pos dari APBD kota tersedia setiap tahun dan tidak bergantung pada kebijakan sesaat.
- Bintek dengan hasil nyata: pelatihan teknis di kelurahan (Panjang Wetan, Pekalongan Utara) didampingi sampai \
warga berproduksi, sehingga tamu dapat melihat langsung hasilnya di lapangan.
- Menemukan "orang pintar tapi tidak mampu": pos mencari warga yang punya keahlian dan gagasan tetapi tidak punya \
modal atau akses pasar, lalu mendampingi mereka menjadi inovator.
- Pemasaran lewat jejaring: agen, BUMDes dan pos lain, pameran, serta kunjungan dan roadshow ke kota lain untuk \
membuka pasar di luar daerah.
- Kemitraan: perguruan tinggi, dunia usaha (CSR) dan BUMDes ikut mendanai, melatih dan memasarkan."""

LESSONS = """Dukungan birokrasi (wali kota, camat, lurah) dan warga yang inovatif berjalan bersama.
Dasar hukum pendanaan dulu: Perda membuat anggaran pos berkelanjutan.
Bintek harus berujung pada produksi dan penjualan yang bisa dikunjungi.
Cari orang pintar yang belum mampu; dampingi sampai mandiri.
Pasar dibuka lewat jejaring dan kunjungan ke kota lain, bukan menunggu pembeli datang.
Setiap langkah dicatat dengan bukti, agar daerah lain dapat menirunya."""

#: (year, title, level, issuer). The 2013 titles (kota, province, nation) come from the demo contests, which publish
#: them as awards (posyantek/contests/demo.py). The 2014 title is inferred (domain.md §7.4: Jawa Tengah won the
#: national Posyantek category at the June 2014 fair in Samarinda, probably through Mitra Pantura).
AWARDS = [
    (2014, "Juara I Kategori Posyantek, Gelar TTG Nasional di Samarinda (mewakili Jawa Tengah)", "nasional",
     "Gelar Teknologi Tepat Guna Nasional 2014"),
]  # fmt: skip

#: Evidence notes of steps a post ticks by hand (the tick's date fills {year}).
NOTES = {
    KitItem.Source.REGULATION: "DPA APBD provinsi {year}: pos Posyantek kecamatan dengan dasar peraturan gubernur",
    KitItem.Source.SK: "SK Wali Kota Administrasi tentang pembentukan Posyantek kecamatan ({year})",
    KitItem.Source.SKT: "SKT Kesbangpol kota administrasi, terbit {year}",
    KitItem.Source.BOARD: "Berita acara musyawarah pembentukan pengurus, Camat sebagai pembina ({year})",
    KitItem.Source.OFFICE: "Sekretariat di kantor kecamatan, ruang lantai 1",
    KitItem.Source.BINTEK: "Bintek hidroponik dan daur ulang untuk warga, {year}",
    KitItem.Source.PRODUCT: "Produk pertama: rak hidroponik",
    KitItem.Source.PARTNER: "Kerja sama dengan SMK setempat",
    KitItem.Source.REQUEST: "Permohonan layanan pertama dicatat di buku layanan",
    KitItem.Source.ORDER: "Pesanan pertama dari kelurahan tetangga",
}
MANUAL_NOTES = ["AD/ART disahkan dalam musyawarah anggota, {year}", "Rencana kerja {year} disampaikan kepada Camat"]


def _user(email: str, fallback: Any) -> Any:
    return User.objects.filter(email=email).first() or fallback


def _kit(admin: Any, post: Post) -> Kit:
    actor = _user("mitrapantura@demo.posyantek.id", admin)
    kit = services.kit_create(actor=actor, post=post, data={"title": KIT_TITLE, "summary": SUMMARY,
                                                            "lessons": LESSONS})  # fmt: skip
    services.kit_use_default_items(actor=actor, kit=kit)
    for year, title, level, issuer in AWARDS:
        services.award_add(actor=actor, kit=kit, data={"year": year, "title": title, "level": level, "issuer": issuer})
    return services.kit_update(actor=actor, kit=kit, data={"published": True})


def _dates(rng: random.Random, n: int, today: dt.date) -> list[dt.date]:
    """Return n dates in order between the start and today: most steps in the first years of the programme."""
    end = min(today, dt.date(2019, 12, 31)) if rng.random() < 0.8 else today
    span = max((end - STARTED).days, n)
    return sorted(STARTED + dt.timedelta(days=rng.randint(14, span)) for _ in range(n))


def _progress(rng: random.Random, posts: list[Post], total: int) -> dict[int, int]:
    """Return how many steps each post has reached: 4 not started, 4 done, the rest spread in between."""
    order = posts[:]
    rng.shuffle(order)
    out = {}
    for i, post in enumerate(order):
        out[post.pk] = 0 if i < 4 else total if i < 8 else rng.randint(1, total - 1)
    return out


def _dki(admin: Any, kit: Kit, rng: random.Random, today: dt.date) -> KitAdoption | None:
    officer = _user("dki@demo.posyantek.id", admin)
    posts = list(Post.objects.filter(region__code__startswith="31.", region__level=3).order_by("region_id"))
    if not posts:
        return None
    adoption = adoption_services.adoption_create(
        actor=officer, posts=posts,
        data={"kit": kit, "region": Region.objects.get(code="31"), "name": ADOPTION_NAME, "started_on": STARTED,
              "target_on": dt.date(2016, 12, 31),
              "note": "Tindak lanjut kunjungan kerja DKI Jakarta ke Kota Pekalongan, 10 September 2014: 44 kecamatan "
                      "ingin meniru pendanaan berbasis Perda dan pelibatan masyarakat."},
    )  # fmt: skip
    # The funding rule is the hardest step for a kecamatan (DKI had none in 2014): it comes last.
    items = sorted(kit_items(kit), key=lambda i: i.source == KitItem.Source.REGULATION)
    reached = _progress(rng, posts, len(items))
    found = detected_sources(posts, today)
    rows = {ap.post_id: ap for ap in AdoptionPost.objects.filter(adoption=adoption).select_related("adoption", "post")}
    for post in posts:
        n = reached[post.pk]
        dates = _dates(rng, n, today)
        manual = iter(MANUAL_NOTES)
        mine = items[:]
        for k in range(len(mine) - 2):  # a little variety in which steps come first, funding still last
            if rng.random() < 0.3:
                mine[k], mine[k + 1] = mine[k + 1], mine[k]
        for item, on in zip(mine[:n], dates, strict=True):
            ap = rows[post.pk]
            if item.source != KitItem.Source.MANUAL and item.source in found[post.pk] and rng.random() < 0.7:
                adoption_services.tick_from_data(actor=officer, adoption_post=ap, item=item)
                continue
            template = NOTES.get(item.source) if item.source != KitItem.Source.MANUAL else next(manual, "")
            note = template.format(year=on.year) if item.evidence_required or rng.random() < 0.5 else ""
            adoption_services.tick(actor=officer, adoption_post=ap, item=item, done_on=on, evidence_note=note)
    return adoption


@transaction.atomic
def load_replication(admin: Any, rng: random.Random, today: dt.date) -> None:
    """Load Mitra Pantura's kit and DKI Jakarta's adoption of it (each once)."""
    mitra = Post.objects.filter(slug="mitra-pantura").first()
    if mitra is None:
        return
    kit = Kit.objects.filter(post=mitra).first() or _kit(admin, mitra)
    if not KitAdoption.objects.filter(kit=kit, region_id="31").exists():
        _dki(admin, kit, rng, today)
