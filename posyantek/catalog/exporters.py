"""Exports of technology records in layouts other systems take: a flat product list for an e-katalog submission."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.urls import reverse
from django.utils import translation

from posyantek.catalog.models import Ttg, TtgPhoto
from posyantek.core.exports import Table
from posyantek.regions.models import Region

#: The columns of the e-katalog layout, in order (README: "Ekspor e-katalog").
EKATALOG_HEADERS = [
    "Kode Produk", "Nama Produk", "Kategori", "Deskripsi", "Spesifikasi", "Harga Satuan (Rp)", "Satuan",
    "Produsen", "Kontak", "Lokasi", "Waktu Pengiriman (hari)", "Status HKI", "TKDN", "Tautan Katalog", "Foto",
]  # fmt: skip


def _one_line(text: str) -> str:
    return " ".join((text or "").split())


def _number(value: Decimal | int) -> str:
    """Write a number the Indonesian way: 12,5 and 50, not 12.50 and 50.00."""
    text = f"{Decimal(value).normalize():f}"
    return text.replace(".", ",")


def _specification(t: Ttg) -> str:
    parts = [("Dimensi", t.dimensions), ("Bahan", t.materials), ("Sumber tenaga", t.power_source)]
    if t.power_watt is not None:
        parts.append(("Daya listrik", f"{t.power_watt} watt"))
    if t.capacity is not None:
        parts.append(("Kapasitas", f"{_number(t.capacity)} {t.capacity_unit}".strip()))
    return "; ".join(f"{label}: {_one_line(value)}" for label, value in parts if _one_line(value))


def _description(t: Ttg) -> str:
    function, benefits = _one_line(t.function), _one_line(t.benefits)
    return " ".join(p for p in (function, f"Manfaat: {benefits}" if benefits else "") if p)


def _locations(codes: Iterable[str]) -> dict[str, str]:
    """Return "region, regency, province" for each region code, from one query."""
    codes = set(codes)
    wanted = set(codes)
    for code in codes:
        parts = code.split(".")
        wanted.update(".".join(parts[:i]) for i in (1, 2) if len(parts) >= i)
    names = {r.code: r for r in Region.objects.filter(code__in=wanted)}
    out = {}
    for code in codes:
        parts = code.split(".")
        chain = [names.get(code)] if len(parts) > 2 else []
        chain += [names.get(".".join(parts[:i])) for i in (2, 1) if len(parts) >= i]
        out[code] = ", ".join(str(r) for r in chain if r is not None)
    return out


def ekatalog_table(records: QuerySet[Ttg], *, base_url: str) -> Table:
    """Return published records as one product a row, in Indonesian, with absolute links to the public catalogue.

    `records` is already scoped to the user (ttg_selectors.ttg_list); only published ones are kept.
    """
    base = base_url.rstrip("/")
    first_photo = Prefetch("photos", queryset=TtgPhoto.objects.order_by("order", "pk"))
    qs = (
        records.filter(publication=Ttg.Publication.PUBLISHED)
        .select_related("region")
        .prefetch_related(first_photo)
        .order_by("name", "pk")
    )
    ttgs = list(qs)
    where = _locations(t.region_id for t in ttgs)
    rows: list[list[Any]] = []
    with translation.override("id"):  # a ministry submission is in Indonesian whatever the user reads
        for t in ttgs:
            photos = list(t.photos.all())
            ip = t.get_ip_status_display() + (f" ({t.ip_number})" if t.ip_number else "")
            rows.append([
                t.slug,
                t.name,
                t.get_sector_display(),
                _description(t),
                _specification(t),
                t.price,
                "unit",
                t.producer,
                t.producer_contact,
                where.get(t.region_id, ""),
                t.lead_time_days,
                ip,
                "",
                base + t.get_public_url(),
                base + reverse("katalog:photo", args=[photos[0].pk, "besar"]) if photos else "",
            ])  # fmt: skip
    return Table("e-Katalog TTG", EKATALOG_HEADERS, rows)
