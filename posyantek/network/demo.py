"""Demo network of Mitra Pantura: agents in Semarang, Jakarta, Makassar and Batang, a DKI post, one retired."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any

from posyantek.network import services
from posyantek.network.models import Agent
from posyantek.posts.models import Post
from posyantek.regions.models import Region

#: name, kind, area code, contact, address, rule, percent, amount, years in the network, notes
AGENTS = [
    ("CV Sinar Tani Semarang", "agen", "33.74", "Bambang Sutrisno", "Jl. Majapahit No. 112, Pedurungan, Semarang",
     "persen", Decimal("5"), 0, 3, "Menjual alat pengering dan perontok ke kelompok tani di Semarang dan Demak."),
    ("Dewi Lestari (reseller Jakarta Selatan)", "reseller", "31.74", "Dewi Lestari",
     "Jl. Ampera Raya No. 8, Cilandak, Jakarta Selatan", "per_unit", Decimal(0), 50_000, 2,
     "Reseller daring: Instagram dan lokapasar; stok kecil di rumah."),
    ("Toko Teknik Sumber Rejeki Makassar", "toko_mitra", "73.71", "H. Andi Baso", "Jl. Sulawesi No. 41, Wajo, Makassar",
     "per_pesanan", Decimal(0), 150_000, 1, "Toko alat pertanian; memajang satu unit perontok padi sebagai contoh."),
    ("BUMDes Maju Makmur", "bumdes", "33.25", "Slamet Widodo", "Kantor Desa, Kecamatan Tulis, Kabupaten Batang",
     "persen", Decimal("7.5"), 0, 2, "Unit usaha perdagangan BUMDes; memesan untuk kelompok tani desa sekitar."),
    ("Toko Tani Warsito Tegal", "agen", "33.76", "Warsito", "Jl. Kapten Sudibyo No. 20, Tegal", "tanpa", Decimal(0), 0,
     4, "Berhenti menjadi agen sejak tokonya tutup."),
]  # fmt: skip
RETIRED = "Toko Tani Warsito Tegal"


def _region(code: str) -> Region | None:
    return Region.objects.filter(code=code).first()


def _phone(rng: random.Random) -> str:
    return f"0812{rng.randrange(10_000_000, 99_999_999)}"


def load_agents(admin: Any, rng: random.Random, today: dt.date) -> None:
    """Create Mitra Pantura's network through the services (so each agent's history shows)."""
    post = Post.objects.filter(slug="mitra-pantura").first()
    if post is None or Agent.objects.filter(post=post).exists():
        return
    for name, kind, area, contact, address, rule, percent, amount, years, notes in AGENTS:
        agent = services.agent_create(actor=admin, data={
            "post": post, "kind": kind, "name": name, "contact_person": contact, "phone": _phone(rng),
            "address": address, "area": _region(area), "commission_rule": rule, "commission_percent": percent,
            "commission_amount": amount, "joined_on": today.replace(day=1) - dt.timedelta(days=365 * years),
            "notes": notes,
        })  # fmt: skip
        if name == RETIRED:
            services.agent_set_active(actor=admin, agent=agent, active=False)
    partner = (Post.objects.filter(region__code__startswith="31", kind="antar_desa").order_by("region_id").first()
               or Post.objects.filter(region__code__startswith="31").order_by("region_id").first())  # fmt: skip
    if partner is not None:
        city = _region(partner.region_id[:5])
        services.agent_create(actor=admin, data={
            "post": post, "kind": Agent.Kind.POST, "partner_post": partner, "name": partner.name,
            "contact_person": "Ketua " + partner.name, "phone": _phone(rng), "area": city,
            "commission_rule": "persen", "commission_percent": Decimal("3"),
            "joined_on": today.replace(day=1) - dt.timedelta(days=200),
            "notes": "Pos mitra di DKI Jakarta: memajang dan memesankan alat Mitra Pantura untuk warganya.",
        })  # fmt: skip
