"""The self-assessment pre-filled from the system's own data (issue 8 §3): one figure per `defaults.PREFILL_KEYS`.

`compute(post, start, end)` counts what the post's records show for the period [start, end]; each figure carries an
Indonesian label and a link to the staff list holding the records behind it. What each figure counts:

- legal_sk: the post's decree number (posts.Post.sk_number); legal_skt_valid: a registration (SKT) with a number,
  in force at the end of the period; board_valid: a board term covering the end of the period with officers in at
  least five positions; office_own: the office is the post's own (Post.Office.OWNED).
- consultations_received: service requests of the post received in the period; consultations_resolved: those of
  them now `selesai` (the one state counted as resolved, as consultations.selectors.service_stats does).
- bintek_held: Bintek of the post starting in the period and held (dilaksanakan or later); bintek_participants:
  their participants.
- ttg_catalogued: TTG records of the post, leaving out those made after the period; ttg_produced: those at stage
  diproduksi or dipasarkan (catalog.Ttg.stage; products.Product also holds goods that are not TTG, so it is not
  used); ttg_adopted: units applied (catalog.Adoption) in the period; ttg_ip: TTG with a patent granted or a
  brand registered (catalog.Ttg.ip_status).
- sales_total, sales_in_region, sales_out_region (rupiah) and orders_count: the monthly sales rollup
  (orders.SalesMonth, counted orders only) for the months the period touches.
- partnerships_active: signed agreements (in force or since ended) whose validity overlaps the period;
  partners_count: the partners the post has registered.
- visits_hosted / visits_made: incoming / outgoing visits starting in the period that took place.
- funding_sources: funding sources with net cash-book income in the period; funding_received: that income (Rp);
  funding_regulation: a regional funding rule (Perda/Perkada/Perdes, not revoked) of the post's region or above,
  issued by the end of the period.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from posyantek.catalog.models import Adoption, Ttg
from posyantek.consultations.models import ServiceRequest
from posyantek.finance.models import Entry as CashEntry
from posyantek.finance.models import Regulation
from posyantek.orders.models import SalesMonth
from posyantek.partnerships.models import Agreement, Partner
from posyantek.partnerships.workflow import PRODUCING
from posyantek.posts.models import BoardTerm, Post
from posyantek.trainings.models import Bintek, Participant
from posyantek.visits.models import Visit

#: Bintek states in which it has been held.
BINTEK_HELD = (Bintek.State.HELD, Bintek.State.REPORTED, Bintek.State.FOLLOW_UP, Bintek.State.EVALUATED)
VISIT_HELD = (Visit.State.HELD, Visit.State.FOLLOWED_UP)
TTG_PRODUCED = (Ttg.Stage.PRODUCED, Ttg.Stage.MARKETED)
IP_GRANTED = (Ttg.IpStatus.PATENT_GRANTED, Ttg.IpStatus.BRAND_REGISTERED)
MIN_OFFICERS = 5


def _url(name: str, *args: Any, **params: Any) -> str:
    try:
        base = reverse(name, args=args)
    except NoReverseMatch:
        return ""
    query = urlencode({k: v for k, v in params.items() if v not in (None, "")})
    return f"{base}?{query}" if query else base


def _yes(flag: bool, detail: str = "") -> str:
    word = _("Ya") if flag else _("Tidak")
    return f"{word} ({detail})" if flag and detail else word


def _ancestors(code: str) -> list[str]:
    parts = code.split(".")
    return [".".join(parts[:i]) for i in range(1, len(parts) + 1)]


def _month(day: dt.date) -> dt.date:
    return day.replace(day=1)


def compute(post: Post, start: dt.date, end: dt.date) -> dict[str, dict[str, Any]]:
    """Return {key: {"value", "label", "url"}} for every key of defaults.PREFILL_KEYS, for the period."""
    out: dict[str, dict[str, Any]] = {}

    def put(key: str, value: Any, label: str, url: str = "") -> None:
        out[key] = {"value": value, "label": label, "url": url}

    detail = _url("posts:post_detail", post.pk)
    one_year = start.year if start.year == end.year else None

    # Legal standing, board, office (the post row and one query for the board).
    skt_ok = bool(post.skt_number) and (post.skt_valid_until is None or post.skt_valid_until >= end)
    put("legal_sk", _yes(bool(post.sk_number), post.sk_number), _("SK pembentukan"), detail)
    until = post.skt_valid_until.strftime("%d-%m-%Y") if post.skt_valid_until else ""
    put("legal_skt_valid", _yes(skt_ok, until), _("SKT terdaftar dan berlaku di akhir periode"), detail)
    term = (
        BoardTerm.objects.filter(post=post, starts_on__lte=end, ends_on__gte=end)
        .annotate(n=Count("officers__position", distinct=True))
        .order_by("-starts_on")
        .values_list("n", flat=True)
        .first()
    )
    put("board_valid", _yes((term or 0) >= MIN_OFFICERS, str(term or 0)),
        _("Pengurus masa bakti berlaku dengan sedikitnya 5 jabatan terisi"), detail)  # fmt: skip
    put("office_own", _yes(post.office_status == Post.Office.OWNED), _("Sekretariat milik sendiri"), detail)

    # Service requests received in the period, and of them the ones resolved.
    req = ServiceRequest.objects.filter(post=post, received_at__date__gte=start, received_at__date__lte=end)
    counts = req.aggregate(n=Count("pk"), done=Count("pk", filter=Q(state=ServiceRequest.State.DONE)))
    req_url = _url("consultations:request_list", post=post.pk)
    put("consultations_received", counts["n"], _("Permohonan layanan diterima"), req_url)
    done_url = _url("consultations:request_list", post=post.pk, state=ServiceRequest.State.DONE)
    put("consultations_resolved", counts["done"], _("Permohonan layanan terselesaikan"), done_url)

    # Bintek held in the period and their participants.
    held = Bintek.objects.filter(post=post, state__in=BINTEK_HELD, starts_on__gte=start, starts_on__lte=end)
    bintek_url = _url("trainings:bintek_list", region=post.region_id, year=one_year)
    put("bintek_held", held.count(), _("Bintek diselenggarakan"), bintek_url)
    put("bintek_participants", Participant.objects.filter(bintek__in=held).count(), _("Peserta Bintek"), bintek_url)

    # The post's TTG records.
    ttg = Ttg.objects.filter(post=post).exclude(year_made__gt=end.year)
    t = ttg.aggregate(n=Count("pk"), produced=Count("pk", filter=Q(stage__in=TTG_PRODUCED)),
                      ip=Count("pk", filter=Q(ip_status__in=IP_GRANTED)))  # fmt: skip
    ttg_url = _url("ttg:ttg_list", region=post.region_id)
    put("ttg_catalogued", t["n"], _("TTG tercatat dalam katalog"), ttg_url)
    put("ttg_produced", t["produced"], _("TTG diproduksi atau dipasarkan"), ttg_url)
    put("ttg_ip", t["ip"], _("TTG dengan HKI terbit (paten/merek)"), ttg_url)
    units = Adoption.objects.filter(ttg__post=post, applied_on__gte=start, applied_on__lte=end).aggregate(
        u=Coalesce(Sum("units"), 0)
    )["u"]
    put("ttg_adopted", units, _("Unit TTG diterapkan di masyarakat"), ttg_url)

    # Sales from the monthly rollup (counted orders).
    s = SalesMonth.objects.filter(post=post, month__gte=_month(start), month__lte=_month(end)).aggregate(
        total=Coalesce(Sum("amount"), 0),
        inside=Coalesce(Sum("amount", filter=Q(out_of_region=False)), 0),
        outside=Coalesce(Sum("amount", filter=Q(out_of_region=True)), 0),
        orders=Coalesce(Sum("orders_once"), 0),
    )
    sales_url = _url("sales:sales_analysis", pos=post.pk, tahun=one_year,
                     dari=start.month if one_year else None, sampai=end.month if one_year else None)  # fmt: skip
    orders = {"post": post.pk, "ordered_from": start.isoformat(), "ordered_to": end.isoformat()}
    put("sales_total", s["total"], _("Penjualan (Rp)"), sales_url)
    put("sales_in_region", s["inside"], _("Penjualan dalam daerah (Rp)"),
        _url("orders:order_list", out_of_region="false", **orders))  # fmt: skip
    put("sales_out_region", s["outside"], _("Penjualan luar daerah (Rp)"),
        _url("orders:order_list", out_of_region="true", **orders))  # fmt: skip
    put("orders_count", s["orders"], _("Pesanan terjual"), _url("orders:order_list", **orders))

    # Partnerships.
    active = (
        Agreement.objects.filter(post=post, state__in=PRODUCING)
        .filter(Q(starts_on__lte=end) | Q(starts_on__isnull=True, signed_on__lte=end))
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=start))
    )
    put("partnerships_active", active.count(), _("Kerja sama (MoU/PKS) berlaku"),
        _url("partnerships:agreement_list", post=post.pk))  # fmt: skip
    put("partners_count", Partner.objects.filter(post=post).count(), _("Mitra terdaftar"),
        _url("partnerships:partner_list", post=post.pk))  # fmt: skip

    # Visits that took place in the period.
    v = Visit.objects.filter(post=post, state__in=VISIT_HELD, starts_on__gte=start, starts_on__lte=end).aggregate(
        hosted=Count("pk", filter=Q(direction=Visit.Direction.INCOMING)),
        made=Count("pk", filter=Q(direction=Visit.Direction.OUTGOING)),
    )
    put("visits_hosted", v["hosted"], _("Kunjungan diterima"),
        _url("visits:visit_list", post=post.pk, direction=Visit.Direction.INCOMING, year=one_year))  # fmt: skip
    put("visits_made", v["made"], _("Kunjungan dilakukan (kaji tiru, roadshow)"),
        _url("visits:visit_list", post=post.pk, direction=Visit.Direction.OUTGOING, year=one_year))  # fmt: skip

    # Funding: net income per source in the period, and a regional funding rule.
    income = dict(
        CashEntry.objects.filter(post=post, kind=CashEntry.Kind.INCOME, date__gte=start, date__lte=end)
        .values_list("source")
        .annotate(net=Sum("delta"))
        .order_by()
    )
    cash_url = _url("finance:cash_book", post.pk, kind=CashEntry.Kind.INCOME, date_from=start.isoformat(),
                    date_to=end.isoformat())  # fmt: skip
    put("funding_sources", sum(1 for n in income.values() if n > 0), _("Sumber dana dengan penerimaan"), cash_url)
    put("funding_received", sum(income.values()), _("Dana diterima (Rp)"), cash_url)
    rule = (
        Regulation.objects.filter(
            kind__in=Regulation.REGIONAL_KINDS, region_id__in=_ancestors(post.region_id), year__lte=end.year
        )  # fmt: skip
        .exclude(status=Regulation.Status.REVOKED)
        .exclude(issued_on__gt=end)
        .order_by("-year", "kind", "number")
        .first()
    )
    put("funding_regulation", _yes(rule is not None, rule.short if rule else ""),
        _("Peraturan daerah tentang pendanaan/Posyantek berlaku"),
        rule.get_absolute_url() if rule else _url("finance:regulation_list"))  # fmt: skip
    return out
