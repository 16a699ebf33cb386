"""Demo innovators: Mitra Pantura's clever people without means, and a few in Jakarta."""

from __future__ import annotations

import random
from typing import Any

from posyantek.catalog import services
from posyantek.people.services import person_create
from posyantek.posts.models import Post
from posyantek.regions.models import Region

#: name, kelurahan code, sector, skills, works, [(need kind, description, status, helper)]
PEKALONGAN = [
    ("Kasnadi", "33.75.03.1004", "perikanan", "las, konstruksi baja ringan",
     "Alat pengering ikan tenaga surya; rak pengasapan ikan tanpa jelaga",
     [("modal", "Modal membuat 5 unit pengering untuk pengolah ikan di Panjang Wetan", "dibantu", "CSR Bank Jateng"),
      ("sertifikasi", "Pendaftaran paten sederhana alat pengering", "teridentifikasi", "")]),
    ("Siti Maemunah", "33.75.03.1004", "pangan", "pengolahan ikan, pengemasan",
     "Abon ikan tongkol tanpa pengawet; kemasan vakum sederhana",
     [("pasar", "Pembeli tetap di luar Kota Pekalongan", "teridentifikasi", ""),
      ("sertifikasi", "Sertifikat PIRT dan halal", "dibantu", "Dinas Kesehatan Kota Pekalongan")]),
    ("Tarmuji", "33.75.03.1002", "kerajinan", "batik cap, instalasi air",
     "Saringan limbah batik tiga bak dengan arang kelapa",
     [("tempat", "Ruang bengkel untuk merakit saringan", "teridentifikasi", ""),
      ("pendampingan", "Uji kualitas air buangan bersama kampus", "terpenuhi", "Universitas Pekalongan")]),
    ("Rohmat", "33.75.03.1009", "energi", "kelistrikan, biogas",
     "Digester biogas dari limbah pasar ikan untuk 4 rumah",
     [("bahan", "Pipa dan terpal untuk digester kedua", "teridentifikasi", ""),
      ("modal", "Modal kerja pemasangan di 10 rumah", "teridentifikasi", "")]),
    ("Nur Khasanah", "33.75.01.1006", "kerajinan", "pewarnaan alam, jahit",
     "Pewarna batik dari daun mangrove",
     [("alat", "Kompor dan panci pengekstrak pewarna berkapasitas besar", "dibantu", "Posyantek Batik Mandiri")]),
]  # fmt: skip


def load_innovators(actor: Any, rng: random.Random) -> None:
    """Register the demo innovators and their needs through the services (so the history shows them)."""
    mitra = Post.objects.get(slug="mitra-pantura")
    for name, code, sector, skills, works, needs in PEKALONGAN:
        region = Region.objects.get(code=code)
        post = mitra if code.startswith("33.75.03") else Post.objects.get(slug="posyantek-batik-mandiri")
        person = person_create(actor=actor, data={"name": name, "region": region, "post": post,
                                                  "occupation": "perajin", "skills": skills})  # fmt: skip
        data = {"kind": "perorangan", "person": person, "post": post, "sector": sector, "skills": skills,
                "works": works}  # fmt: skip
        inv = services.innovator_create(actor=actor, data=data)
        for kind, description, status, helper in needs:
            services.need_add(actor=actor, innovator=inv, data={"kind": kind, "description": description,
                                                               "status": status, "helper": helper})  # fmt: skip
    members = list(mitra.people.filter(region_id="33.75.03.1004")[:3])
    group = services.innovator_create(actor=actor, data={
        "kind": "kelompok", "group_name": "KUB Mina Sejahtera Panjang Wetan", "members": members, "post": mitra,
        "sector": "perikanan", "skills": "pengasapan dan pengeringan ikan",
        "works": "Rumah asap ikan bersama; SOP pengasapan higienis hasil Bintek"})  # fmt: skip
    services.need_add(actor=actor, innovator=group, data={"kind": "pasar", "description": "Akses ke pasar modern"})
    sectors = ["lingkungan", "pangan", "digital", "air", "energi"]
    for post in Post.objects.filter(region__code__startswith="31.", kind="antar_desa").order_by("region_id")[:8]:
        village = Region.objects.filter(parent_id=post.region_id).order_by("code").first()
        person = person_create(actor=actor, data={"name": f"Inovator {village.name}", "region": village,
                                                  "post": post, "occupation": "wiraswasta"})  # fmt: skip
        inv = services.innovator_create(actor=actor, data={"kind": "perorangan", "person": person, "post": post,
                                                           "sector": rng.choice(sectors),
                                                           "skills": "daur ulang, hidroponik"})  # fmt: skip
        services.need_add(actor=actor, innovator=inv, data={"kind": rng.choice(["modal", "tempat", "pasar"]),
                                                           "description": "Sarana produksi skala rumah"})  # fmt: skip
