"""Which checklist steps a post has already reached according to its own data ("terdeteksi dari data").

A step whose `source` is not `manual` can be seen in the post's records: funding under a regional regulation (as
finance decides it: an approved budget line resting on a Perda or Perkada that is not revoked), its decree (SK), a
valid registration (SKT), a current board term, an office, a Bintek held, a product, a partner, a service request,
a counted order. `detected_sources` answers yes/no for many posts in one query;
`evidence_for` says, for one post and one step, what was found (for the automatic evidence note and date).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from posyantek.consultations.models import ServiceRequest
from posyantek.core.templatetags.fmt import tanggal
from posyantek.finance.models import Budget, BudgetLine, Regulation
from posyantek.orders.models import Order
from posyantek.orders.workflow import COUNTED
from posyantek.partnerships.models import Partner
from posyantek.posts.models import BoardTerm, Post
from posyantek.products.models import Product
from posyantek.replication.models import KitItem
from posyantek.trainings.models import Bintek

Source = KitItem.Source
#: Bintek states in which it has been held.
HELD = (Bintek.State.HELD, Bintek.State.REPORTED, Bintek.State.FOLLOW_UP, Bintek.State.EVALUATED)


def _ancestors_and_self(code: str) -> list[str]:
    parts = code.split(".")
    return [".".join(parts[:i]) for i in range(1, len(parts) + 1)]


def regional_regulations(region_codes: Sequence[str]) -> Any:
    """Return the regional funding rules (Perda, Perkada; not revoked) made by these regions or above them."""
    codes = sorted({a for c in region_codes for a in _ancestors_and_self(c)})
    return (
        Regulation.objects.filter(kind__in=Regulation.REGIONAL_KINDS, region_id__in=codes)
        .exclude(status=Regulation.Status.REVOKED)
        .order_by("-year", "kind", "number")
    )


def _funded_lines() -> Any:
    """Return the approved budget lines resting on a regional regulation in force: "funded by regulation"."""
    return BudgetLine.objects.filter(
        budget__state=Budget.State.APPROVED, regulation__kind__in=Regulation.REGIONAL_KINDS
    ).exclude(regulation__status=Regulation.Status.REVOKED)


def skt_valid(number: str, valid_until: dt.date | None, today: dt.date) -> bool:
    """Return whether a registration (SKT) is in force: it has a number and has not run out."""
    return bool(number) and (valid_until is None or valid_until >= today)


def detected_sources(posts: Sequence[Post], today: dt.date | None = None) -> dict[int, set[str]]:
    """Return, for each post (already fetched within scope), the sources its data shows as reached (one query)."""
    if not posts:
        return {}
    today = today or timezone.localdate()
    me = OuterRef("pk")
    rows = (
        Post.objects.filter(pk__in=[p.pk for p in posts])
        .annotate(
            has_funded=Exists(_funded_lines().filter(budget__post=me)),
            has_board=Exists(BoardTerm.objects.filter(post=me, starts_on__lte=today, ends_on__gte=today)),
            has_bintek=Exists(Bintek.objects.filter(post=me, state__in=HELD)),
            has_product=Exists(Product.objects.filter(post=me)),
            has_partner=Exists(Partner.objects.filter(post=me)),
            has_request=Exists(ServiceRequest.objects.filter(post=me)),
            has_order=Exists(Order.objects.filter(post=me, state__in=list(COUNTED))),
        )
        .values_list(
            "pk",
            "sk_number",
            "office_status",
            "skt_number",
            "skt_valid_until",
            "has_funded",
            "has_board",
            "has_bintek",
            "has_product",
            "has_partner",
            "has_request",
            "has_order",
        )  # fmt: skip
    )
    found: dict[int, set[str]] = {}
    for pk, sk, office, skt, skt_until, funded, board, bintek, product, partner, request, order in rows:
        flags = {
            Source.REGULATION: funded, Source.SK: bool(sk), Source.OFFICE: bool(office),
            Source.SKT: skt_valid(skt, skt_until, today), Source.BOARD: board, Source.BINTEK: bintek,
            Source.PRODUCT: product, Source.PARTNER: partner, Source.REQUEST: request, Source.ORDER: order,
        }  # fmt: skip
        found[pk] = {str(s) for s, yes in flags.items() if yes}
    return found


@dataclass
class Evidence:
    """What a post's data shows for one step: the note written on the automatic tick, and when it happened."""

    note: str
    on: dt.date | None


def _local(value: dt.datetime) -> dt.date:
    return timezone.localtime(value).date()


def evidence_for(post: Post, source: str, today: dt.date | None = None) -> Evidence | None:
    """Return what the post's data shows for `source` (None: nothing found), for one post already in scope."""
    today = today or timezone.localdate()
    found: Evidence | None = None
    if source == Source.REGULATION:
        line = _funded_lines().filter(budget__post=post).select_related("budget", "regulation")
        if (bl := line.order_by("budget__year", "pk").first()) is not None:
            found = Evidence(_("Anggaran %(y)s berdasar %(r)s") % {"y": bl.budget.year, "r": bl.regulation.short},
                             bl.regulation.issued_on or dt.date(bl.budget.year, 1, 1))  # fmt: skip
    elif source == Source.SK and post.sk_number:
        when = _(" tanggal %(d)s") % {"d": tanggal(post.sk_date)} if post.sk_date else ""
        found = Evidence(_("SK pembentukan No. %(n)s%(d)s") % {"n": post.sk_number, "d": when}, post.sk_date)
    elif source == Source.SKT and skt_valid(post.skt_number, post.skt_valid_until, today):
        until = _(", berlaku sampai %(d)s") % {"d": tanggal(post.skt_valid_until)} if post.skt_valid_until else ""
        found = Evidence(_("SKT No. %(n)s%(u)s") % {"n": post.skt_number, "u": until}, post.skt_date)
    elif source == Source.OFFICE and post.office_status:
        found = Evidence(_("Sekretariat: %(s)s") % {"s": post.get_office_status_display().lower()}, None)
    elif source == Source.BOARD:
        term = BoardTerm.objects.filter(post=post, starts_on__lte=today, ends_on__gte=today).order_by("-starts_on")
        if (t := term.first()) is not None:
            found = Evidence(_("Kepengurusan %(a)s – %(b)s") % {"a": tanggal(t.starts_on), "b": tanggal(t.ends_on)},
                             t.starts_on)  # fmt: skip
    else:
        found = _first_record(post, source)
    return found


def _first_record(post: Post, source: str) -> Evidence | None:
    if source == Source.BINTEK:
        b = Bintek.objects.filter(post=post, state__in=HELD).order_by("starts_on", "pk").first()
        return b and Evidence(_("Bintek: %(t)s (%(d)s)") % {"t": b.title, "d": tanggal(b.starts_on)}, b.starts_on)
    if source == Source.PRODUCT:
        p = Product.objects.filter(post=post).order_by("created", "pk").first()
        return p and Evidence(_("Produk: %(n)s") % {"n": p.name}, _local(p.created))
    if source == Source.PARTNER:
        m = Partner.objects.filter(post=post).order_by("created", "pk").first()
        return m and Evidence(_("Mitra: %(n)s") % {"n": m.name}, _local(m.created))
    if source == Source.REQUEST:
        r = ServiceRequest.objects.filter(post=post).order_by("received_at", "pk").first()
        return r and Evidence(_("Permohonan layanan %(c)s") % {"c": r.code}, _local(r.received_at))
    if source == Source.ORDER:
        o = Order.objects.filter(post=post, state__in=list(COUNTED)).order_by("ordered_at", "pk").first()
        return o and Evidence(_("Pesanan %(c)s") % {"c": o.code}, _local(o.ordered_at))
    return None
