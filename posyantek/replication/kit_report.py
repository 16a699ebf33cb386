"""The public kit of a post: one dataset for the page and the PDF (WeasyPrint, on the post's letterhead).

It reads public facts only (numbers, names of the board's officers and partners; never NIKs or phone numbers) of
a post whose kit is published, so it is read without a user (`kit_report_unscoped`). Figures come from the other
apps' own selectors where one exists: the finance realisation and regulations, the consultation service figures,
the post's board terms. Counts cover the post and the village posts (Wartek) it coordinates, because that is where
a kecamatan post shows its results (Bintek in Panjang Wetan for Mitra Pantura).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Prefetch, Q, Sum
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from posyantek.consultations.models import ServiceRequest
from posyantek.consultations.selectors import ServiceStats, service_stats
from posyantek.core.pdf import PdfUnavailable, html_to_pdf, logo_data_uri, pdf_unavailable_response
from posyantek.finance.selectors import Realisation, realisation
from posyantek.orders.models import SalesMonth
from posyantek.partnerships.models import Agreement, AgreementParty, Partner
from posyantek.posts.models import BoardTerm, Officer, Post
from posyantek.posts.selectors import board_terms_with_officers
from posyantek.products.models import Product
from posyantek.regions.models import Region
from posyantek.replication.detect import HELD, regional_regulations
from posyantek.replication.models import Award, Kit, KitItem
from posyantek.trainings.models import Bintek, FollowUp, Outcome

#: Agreements that count as partnerships in force or delivered.
LIVE_AGREEMENTS = (Agreement.State.SIGNED, Agreement.State.RUNNING, Agreement.State.EVALUATED,
                   Agreement.State.EXTENDED)  # fmt: skip
BINTEK_SHOWN = 6


@dataclass
class BintekLine:
    """A Bintek held and what came of it (its latest outcome against the baseline)."""

    bintek: Bintek
    participants: int
    women: int
    followups_done: int = 0
    latest: Outcome | None = None
    baseline: Outcome | None = None

    @property
    def income_change(self) -> int | None:
        if self.latest is None or self.baseline is None:
            return None
        return self.latest.income_per_month - self.baseline.income_per_month


@dataclass
class Sales:
    orders: int = 0
    amount: int = 0
    out_amount: int = 0
    provinces: list[tuple[str, int]] = field(default_factory=list)

    @property
    def out_share(self) -> int:
        return round(100 * self.out_amount / self.amount) if self.amount else 0


@dataclass
class KitReport:
    """Everything a visiting region reads on a post's kit page and in its PDF."""

    kit: Kit
    post: Post
    place: str
    items: list[KitItem]
    awards: list[Award]
    regulations: list[Any]
    budget: Realisation | None
    term: BoardTerm | None
    officers: list[Officer]
    services: ServiceStats
    requests: int
    bintek_held: int
    bintek_participants: int
    bintek: list[BintekLine]
    products: int
    product_names: list[str]
    sales: Sales
    agreements: list[Agreement]
    partner_kinds: list[tuple[str, int]]
    partners: int
    network: int = 1

    @property
    def more_products(self) -> int:
        """Return how many active products the list of names leaves out ("dan 1 lainnya")."""
        return max(self.products - len(self.product_names), 0)

    @property
    def evidence_items(self) -> int:
        return sum(1 for i in self.items if i.evidence_required)


def _budget(post: Post, today: dt.date) -> Realisation | None:
    """This year's realisation, or last year's when this year has no approved budget or money yet."""
    for year in (today.year, today.year - 1):
        r = realisation(post, dt.date(year, 1, 1), dt.date(year, 12, 31))
        if r.pagu or r.income or r.spent:
            return r
    return None


def _bintek(ids: list[int]) -> tuple[int, int, list[BintekLine]]:
    held = Bintek.objects.filter(post_id__in=ids, state__in=HELD)
    totals = held.aggregate(n=Count("pk", distinct=True), p=Count("participants"))
    shown = list(
        held.select_related("post", "region")
        .annotate(n_p=Count("participants", distinct=True),
                  n_w=Count("participants", filter=Q(participants__sex="P"), distinct=True))
        .order_by("-starts_on", "-pk")[:BINTEK_SHOWN]
    )  # fmt: skip
    lines = {b.pk: BintekLine(b, b.n_p, b.n_w) for b in shown}
    for o in Outcome.objects.filter(bintek_id__in=list(lines)).order_by("bintek_id", "month"):
        line = lines[o.bintek_id]
        if o.month == 0:
            line.baseline = o
        else:
            line.latest = o
    done = FollowUp.objects.filter(bintek_id__in=list(lines), status=FollowUp.Status.DONE)
    for bintek_id, n in done.values_list("bintek_id").annotate(n=Count("pk")).order_by():
        lines[bintek_id].followups_done = n
    return totals["n"], totals["p"], list(lines.values())


def _sales(ids: list[int]) -> Sales:
    s = Sales()
    by_province: dict[str, int] = {}
    rows = SalesMonth.objects.filter(post_id__in=ids).values_list("buyer_province_code", "out_of_region")
    for code, out, orders, amount in rows.annotate(o=Sum("orders_once"), a=Sum("amount")).order_by():
        s.orders += orders or 0
        s.amount += amount or 0
        s.out_amount += (amount or 0) if out else 0
        by_province[code or ""] = by_province.get(code or "", 0) + (orders or 0)
    names = dict(Region.objects.filter(code__in=[c for c in by_province if c]).values_list("code", "name"))
    s.provinces = sorted(((names.get(c, _("Tidak diketahui")) if c else _("Tidak diketahui"), n)
                          for c, n in by_province.items()), key=lambda r: (-r[1], r[0]))  # fmt: skip
    return s


def kit_report_unscoped(kit: Kit, today: dt.date | None = None) -> KitReport:
    """Return the public dataset of a published kit (about twenty queries; the page is cached until data changes)."""
    today = today or timezone.localdate()
    post = kit.post
    ids = [post.pk, *Post.objects.filter(parent=post).values_list("pk", flat=True)]
    terms = board_terms_with_officers(post)
    term = next((t for t in terms if t.starts_on <= today <= t.ends_on), terms[0] if terms else None)
    officers = [o for o in term.officers.all() if o.position != Officer.Position.ANGGOTA] if term else []
    requests = ServiceRequest.objects.filter(post_id__in=ids)
    stats = service_stats(requests)
    held, participants, lines = _bintek(ids)
    products = Product.objects.filter(post_id__in=ids, active=True)
    parties = AgreementParty.objects.filter(partner__isnull=False).select_related("partner").order_by("order", "pk")
    agreements = list(
        Agreement.objects.filter(post=post, state__in=LIVE_AGREEMENTS)
        .prefetch_related(Prefetch("parties", queryset=parties))
        .order_by("-signed_on", "-pk")
    )
    kinds = dict(Partner.Kind.choices)
    by_kind = Partner.objects.filter(post=post).values_list("kind").annotate(n=Count("pk")).order_by("-n", "kind")
    partner_kinds = [(str(kinds.get(k, k)), n) for k, n in by_kind]
    return KitReport(
        kit=kit,
        post=post,
        place=post.region.path_text(),
        items=list(KitItem.objects.filter(kit=kit).order_by("order", "pk")),
        awards=list(Award.objects.filter(post=post).order_by("-year", "pk")),
        regulations=list(regional_regulations([post.region_id]).select_related("region")),
        budget=_budget(post, today),
        term=term,
        officers=officers,
        services=stats,
        requests=sum(n for _label, n in stats.by_state),
        bintek_held=held,
        bintek_participants=participants,
        bintek=lines,
        products=products.count(),
        product_names=list(products.order_by("name").values_list("name", flat=True)[:8]),
        sales=_sales(ids),
        agreements=agreements,
        partner_kinds=partner_kinds,
        partners=sum(n for _k, n in partner_kinds),
        network=len(ids),
    )


# --- PDF ------------------------------------------------------------------------------------------------------


def kit_pdf_response(request: HttpRequest, report: KitReport) -> HttpResponse:
    """Return the kit as one A4 PDF, or a 503 page saying why when PDF cannot be made on this server."""
    ctx = {
        "r": report,
        "kit": report.kit,
        "post": report.post,
        "logo_uri": logo_data_uri(report.post),
        "printed": timezone.localdate(),
        "kit_url": request.build_absolute_uri(report.kit.get_absolute_url()),
    }
    html = render_to_string("replication/kit_pdf.html", ctx, request=request)
    try:
        pdf = html_to_pdf(html)
    except PdfUnavailable:
        message = _("Kit PDF belum dapat dibuat di server ini (pustaka PDF belum terpasang). Silakan baca halaman "
                    "kit ini, atau coba lagi nanti.")  # fmt: skip
        return pdf_unavailable_response(request, message)
    response = HttpResponse(pdf, content_type="application/pdf")
    name = slugify(report.kit.title)[:60] or f"kit-{report.kit.pk}"
    response["Content-Disposition"] = f'inline; filename="{name}.pdf"'
    return response
