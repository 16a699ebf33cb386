"""The home dashboard: what each role sees first."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from posyantek.core.lib.rupiah import format_rupiah
from posyantek.core.models import AuditEvent
from posyantek.core.scoping import user_grants
from posyantek.core.templatetags.fmt import tanggal


@dataclass
class Dashboard:
    grants: list[Any]
    posts: dict[str, Any]
    people: int
    alerts: list[Any] = field(default_factory=list)
    recent: list[AuditEvent] = field(default_factory=list)


def dashboard_for(*, user: Any) -> Dashboard:
    """Return the counts, alerts and recent changes the user may see."""
    from posyantek.accounts.models import Grant
    from posyantek.people.models import Person
    from posyantek.posts.selectors import alerts_for_user, post_counts

    grants = list(Grant.objects.filter(user=user).select_related("region", "post"))
    user_grants(user)
    return Dashboard(
        grants=grants,
        posts=post_counts(user=user),
        people=Person.objects.for_user(user, "view").count(),
        alerts=alerts_for_user(user=user),
        recent=list(AuditEvent.objects.for_user(user, "view").select_related("actor").order_by("-at", "-pk")[:10]),
    )


#: Labels of audited changes that are not model fields.
EXTRA_LABELS = {
    "officers": gettext_lazy("pengurus"),
    "officer": gettext_lazy("pengurus"),
    "note": gettext_lazy("keterangan"),
    "scope": gettext_lazy("cakupan"),
    "role": gettext_lazy("peran"),
    "token": gettext_lazy("token API"),
    "email": gettext_lazy("e-mail"),
    "people": gettext_lazy("orang diimpor"),
    "service_area": gettext_lazy("wilayah layanan"),
    "needs": gettext_lazy("kebutuhan sarana"),
    "peserta": gettext_lazy("peserta"),
    "kehadiran": gettext_lazy("kehadiran"),
    "sesi_presensi": gettext_lazy("sesi presensi"),
    "tindak_lanjut": gettext_lazy("tindak lanjut"),
    "indikator_hasil": gettext_lazy("indikator hasil"),
    "materi": gettext_lazy("materi"),
    "foto": gettext_lazy("foto"),
    "barang": gettext_lazy("barang"),
    "items": gettext_lazy("barang"),
    "harga_disepakati": gettext_lazy("harga disepakati"),
    "pembayaran": gettext_lazy("pembayaran"),
    "payments": gettext_lazy("pembayaran"),
    "dokumen": gettext_lazy("dokumen"),
    "alasan": gettext_lazy("alasan"),
    "reason": gettext_lazy("alasan"),
    "revision": gettext_lazy("revisi"),
    "produk_dibawa": gettext_lazy("produk dibawa"),
    "calon_pembeli": gettext_lazy("calon pembeli"),
    "tawaran_kerja_sama": gettext_lazy("tawaran kerja sama"),
    "biaya": gettext_lazy("biaya"),
    "rincian": gettext_lazy("rincian anggaran"),
    "pasal": gettext_lazy("pasal"),
    "receipt": gettext_lazy("bukti"),
    "month": gettext_lazy("bulan"),
    "submitted_on": gettext_lazy("LPJ disampaikan"),
    "lpj_submitted_on": gettext_lazy("LPJ disampaikan"),
    "kontak": gettext_lazy("kontak"),
    "pihak": gettext_lazy("pihak"),
    "kewajiban": gettext_lazy("kewajiban"),
    "hasil": gettext_lazy("hasil kerja sama"),
    "perpanjangan": gettext_lazy("perpanjangan"),
    "pengingat": gettext_lazy("pengingat"),
    "langkah": gettext_lazy("langkah kit"),
    "langkah_tercapai": gettext_lazy("langkah tercapai"),
    "penghargaan": gettext_lazy("penghargaan"),
    "pos_peserta": gettext_lazy("pos peserta"),
    "agenda": gettext_lazy("agenda"),
    "buku_tamu": gettext_lazy("buku tamu"),
    "kalender": gettext_lazy("tautan kalender"),
}


@dataclass
class ChangeRow:
    label: str
    before: Any
    after: Any


def _display(field: Any, value: Any) -> Any:
    if value is None or value == "":
        return None
    if field is not None and getattr(field, "choices", None):
        return dict(field.flatchoices).get(value, value)
    if isinstance(value, int) and not isinstance(value, bool) and "(Rp)" in str(getattr(field, "verbose_name", "")):
        return format_rupiah(value)
    if isinstance(field, models.DateField) and isinstance(value, str):
        try:
            return tanggal(dt.date.fromisoformat(value[:10]))
        except ValueError:
            return value
    if isinstance(value, bool):
        return _("ya") if value else _("tidak")
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return value


def history_for(obj: Any, limit: int = 50) -> list[AuditEvent]:
    """Return the Riwayat of an object the caller has already fetched within scope, with readable changes.

    Each event gets `rows`: (field label, before, after), with choice codes shown as their labels.
    """
    events = list(AuditEvent.objects.for_object(obj)[:limit])
    fields = {f.name: f for f in obj._meta.get_fields() if hasattr(f, "verbose_name")}
    for ev in events:
        rows = []
        for key, value in (ev.changes or {}).items():
            before, after = value if isinstance(value, list) and len(value) == 2 else (None, value)
            field = fields.get(key)
            label = str(field.verbose_name) if field is not None else str(EXTRA_LABELS.get(key, key.replace("_", " ")))
            row = ChangeRow(label, _display(field, before), _display(field, after))
            if row.before is not None or row.after is not None:  # nothing to say about an empty field
                rows.append(row)
        ev.rows = rows  # type: ignore[attr-defined]
    return events
