"""Every indicator counted straight from the raw rows with the plain ORM: for one post, or summed over a region.

This is the oracle the summary tables (`dashboards.refresh`) are tested against, and what a report counts for its
quarter. Slow is fine here: it reads the raw rows of one post (or loops over the posts of a region).

Definitions (see `indicators.INDICATORS` for the words shown to users). `start`/`end` are inclusive dates in
Asia/Jakarta, None for no bound. A datetime counts on its Jakarta date.

- requests received: the post's requests by `received_at`; resolved: state `selesai` by `closed_at` (closed without
  a solution or cancelled are not resolved); days to resolve: Jakarta calendar days from received to closed.
- Bintek held: state dilaksanakan, laporan, tindak_lanjut or dievaluasi, by `ends_on`; participants: registered
  participants of those Bintek by `sex`.
- TTG catalogued: the post's TTG by `created`; produced: the date of its first stage change to diproduksi or
  dipasarkan, or, when it is at one of those stages without such a change, its `created` date; adopted: adoptions of
  the post's TTG by `applied_on` (rows, units, distinct adoption regions).
- innovators by `created`; needs unmet: needs of the post's innovators not `terpenuhi` today, by the need's `created`.
- sales: orders in `orders.workflow.COUNTED` states by `sale_date`, split by `out_of_region`, value = sum of
  quantity × unit price of their items (the rules of `orders.sales`, so the monthly rollup gives the same numbers);
  orders without items are not counted (they have no rollup row).
- funding: net cash income per source by entry `date` (reversals subtract); income total; spent: net spending;
  budget: pagu of the approved budgets of the years the period touches.
- partnerships active: agreements past signing (ditandatangani, berjalan, dievaluasi, berakhir, diperpanjang) whose
  validity (from `starts_on`, else `signed_on`, else the created date; to `ends_on`, open when empty) overlaps the
  period. Ended agreements count for the years they ran.
- visits hosted / made: direction masuk / keluar in state dilaksanakan or ditindaklanjuti, by `starts_on`.
- contests: entries of the post (not withdrawn) in editions whose `year` the period touches; awards: results with an
  award in those editions once published.
- standing (today): see `standing_annotations`.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q, QuerySet, Sum
from django.utils import timezone

from posyantek.catalog.models import Adoption, Innovator, Need, Ttg
from posyantek.consultations.models import ServiceRequest
from posyantek.contests.models import Entry as ContestEntry
from posyantek.contests.models import Result
from posyantek.core.scoping import region_subtree_q
from posyantek.finance.models import Budget, BudgetLine
from posyantek.finance.models import Entry as CashEntry
from posyantek.orders import workflow as order_workflow
from posyantek.orders.models import Order, OrderItem
from posyantek.partnerships.models import Agreement
from posyantek.posts.models import BoardTerm, Post
from posyantek.trainings.models import Bintek, Participant
from posyantek.visits.models import Visit

JAKARTA = ZoneInfo("Asia/Jakarta")

RESOLVED = ServiceRequest.State.DONE
BINTEK_HELD = ("dilaksanakan", "laporan", "tindak_lanjut", "dievaluasi")
TTG_PRODUCED = (Ttg.Stage.PRODUCED, Ttg.Stage.MARKETED)
AGREEMENT_SIGNED = ("ditandatangani", "berjalan", "dievaluasi", "berakhir", "diperpanjang")
VISIT_DONE = (Visit.State.HELD, Visit.State.FOLLOWED_UP)
ENTRY_WITHDRAWN = ContestEntry.State.WITHDRAWN

#: The standing flags of a post's row and the region counts made of them.
STANDING_FLAGS = ("is_active", "has_sk", "skt_valid", "has_board")
REGION_STANDING = {"posts_active": "is_active", "posts_sk": "has_sk", "posts_skt": "skt_valid",
                   "posts_board": "has_board"}  # fmt: skip


def today() -> dt.date:
    """Return today's date in Jakarta."""
    return timezone.now().astimezone(JAKARTA).date()


def jakarta_date(value: dt.datetime) -> dt.date:
    return value.astimezone(JAKARTA).date()


def standing_annotations(on: dt.date | None = None) -> dict[str, Any]:
    """Return the annotations of a post's standing on `on` (default today), for `Post.objects.annotate(**…)`.

    The one place the rule lives: an active post has status aktif, an SK number, an SKT valid on that day
    (`skt_valid_until` on or after it) and a board term covering it (domain.md §9).
    """
    on = on or today()
    has_sk = ~Q(sk_number="")
    skt_valid = Q(skt_valid_until__gte=on)
    board = Exists(BoardTerm.objects.filter(post=OuterRef("pk"), starts_on__lte=on, ends_on__gte=on))
    return {
        "has_sk": ExpressionWrapper(has_sk, output_field=BooleanField()),
        "skt_valid": ExpressionWrapper(skt_valid, output_field=BooleanField()),
        "has_board": board,
        "is_active": ExpressionWrapper(Q(status=Post.Status.AKTIF) & has_sk & skt_valid & board,
                                       output_field=BooleanField()),
    }  # fmt: skip


def median_from_histogram(histogram: dict[Any, int]) -> float | None:
    """Return the median of the values in {value: count} (keys may be strings), or None when it is empty."""
    pairs = sorted((int(k), int(n)) for k, n in histogram.items() if int(n) > 0)
    total = sum(n for _k, n in pairs)
    if not total:
        return None
    lo_index, hi_index = (total - 1) // 2, total // 2
    lo = hi = None
    seen = 0
    for value, n in pairs:
        if lo is None and seen + n > lo_index:
            lo = value
        if seen + n > hi_index:
            hi = value
            break
        seen += n
    return (lo + hi) / 2  # type: ignore[operator]


def _day_bounds(start: dt.date | None, end: dt.date | None, field: str) -> Q:
    """Return a Q keeping datetimes of `field` whose Jakarta date lies in [start, end]."""
    q = Q()
    if start is not None:
        q &= Q(**{f"{field}__gte": dt.datetime.combine(start, dt.time.min, tzinfo=JAKARTA)})
    if end is not None:
        q &= Q(**{f"{field}__lt": dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=JAKARTA)})
    return q


def _date_bounds(start: dt.date | None, end: dt.date | None, field: str) -> Q:
    q = Q()
    if start is not None:
        q &= Q(**{f"{field}__gte": start})
    if end is not None:
        q &= Q(**{f"{field}__lte": end})
    return q


def _year_bounds(start: dt.date | None, end: dt.date | None, field: str) -> Q:
    q = Q()
    if start is not None:
        q &= Q(**{f"{field}__gte": start.year})
    if end is not None:
        q &= Q(**{f"{field}__lte": end.year})
    return q


def _within(day: dt.date | None, start: dt.date | None, end: dt.date | None) -> bool:
    return day is not None and (start is None or day >= start) and (end is None or day <= end)


def empty_counts() -> dict[str, Any]:
    """Return every per-period indicator at zero (no standing)."""
    from posyantek.dashboards.indicators import INDICATORS

    out: dict[str, Any] = {}
    for item in INDICATORS:
        if item.standing:
            continue
        out[item.key] = {} if item.mapping else None if item.key == "median_days" else 0
    return out


def _activity(post: Post, start: dt.date | None, end: dt.date | None) -> dict[str, Any]:
    """Return the per-period indicators of one post (no standing), from raw rows."""
    out = empty_counts()
    requests = ServiceRequest.objects.filter(post=post)
    out["requests_received"] = requests.filter(_day_bounds(start, end, "received_at")).count()
    histogram: Counter[str] = Counter()
    for received, closed in requests.filter(_day_bounds(start, end, "closed_at"), state=RESOLVED).values_list(
        "received_at", "closed_at"
    ):
        histogram[str((jakarta_date(closed) - jakarta_date(received)).days)] += 1
    out["requests_resolved"] = sum(histogram.values())
    out["resolved_days"] = dict(histogram)
    out["median_days"] = median_from_histogram(histogram)

    held = Bintek.objects.filter(post=post, state__in=BINTEK_HELD).filter(_date_bounds(start, end, "ends_on"))
    out["bintek_held"] = held.count()
    participants = Participant.objects.filter(bintek__in=held)
    out["participants_male"] = participants.filter(sex=Participant.Sex.MALE).count()
    out["participants_female"] = participants.filter(sex=Participant.Sex.FEMALE).count()

    ttgs = Ttg.objects.filter(post=post)
    out["ttg_catalogued"] = ttgs.filter(_day_bounds(start, end, "created")).count()
    for ttg in ttgs.prefetch_related("stage_changes"):
        changes = [c.changed_on for c in ttg.stage_changes.all() if c.stage in TTG_PRODUCED]
        produced_on = min(changes) if changes else (jakarta_date(ttg.created) if ttg.stage in TTG_PRODUCED else None)
        out["ttg_produced"] += _within(produced_on, start, end)
    adoptions = Adoption.objects.filter(ttg__post=post).filter(_date_bounds(start, end, "applied_on"))
    out["ttg_adopted"] = adoptions.count()
    out["adoption_units"] = adoptions.aggregate(n=Sum("units"))["n"] or 0
    out["adoption_villages"] = adoptions.values("region_id").distinct().count()

    out["innovators"] = Innovator.objects.filter(post=post).filter(_day_bounds(start, end, "created")).count()
    out["needs_unmet"] = (
        Need.objects.filter(innovator__post=post).exclude(status=Need.Status.MET)
        .filter(_day_bounds(start, end, "created")).count()
    )  # fmt: skip

    orders = Order.objects.filter(post=post, state__in=order_workflow.COUNTED).filter(
        _date_bounds(start, end, "sale_date"), Exists(OrderItem.objects.filter(order=OuterRef("pk")))
    )
    for out_of_region, suffix in ((False, "in_region"), (True, "out_region")):
        these = orders.filter(out_of_region=out_of_region)
        out[f"orders_{suffix}"] = these.count()
        items = OrderItem.objects.filter(order__in=these)
        out[f"sales_{suffix}"] = sum(q * p for q, p in items.values_list("quantity", "unit_price"))

    cash = CashEntry.objects.filter(post=post).filter(_date_bounds(start, end, "date"))
    funding: dict[str, int] = {}
    for source, total in cash.filter(kind=CashEntry.Kind.INCOME).values_list("source").annotate(t=Sum("delta")):
        if total:
            funding[source] = int(total)
    out["funding"] = funding
    out["income_total"] = sum(funding.values())
    out["spent_total"] = -int(cash.filter(kind=CashEntry.Kind.SPENDING).aggregate(t=Sum("delta"))["t"] or 0)
    out["budget_total"] = int(
        BudgetLine.objects.filter(budget__post=post, budget__state=Budget.State.APPROVED)
        .filter(_year_bounds(start, end, "budget__year"))
        .aggregate(t=Sum("amount"))["t"] or 0
    )  # fmt: skip

    for starts_on, signed_on, created, ends_on in Agreement.objects.filter(
        post=post, state__in=AGREEMENT_SIGNED
    ).values_list("starts_on", "signed_on", "created", "ends_on"):
        valid_from = starts_on or signed_on or jakarta_date(created)
        out["partnerships_active"] += (end is None or valid_from <= end) and (
            start is None or ends_on is None or ends_on >= start
        )

    visits = Visit.objects.filter(post=post, state__in=VISIT_DONE).filter(_date_bounds(start, end, "starts_on"))
    out["visits_hosted"] = visits.filter(direction=Visit.Direction.INCOMING).count()
    out["visits_made"] = visits.filter(direction=Visit.Direction.OUTGOING).count()

    out["contest_entries"] = (
        ContestEntry.objects.filter(post=post).exclude(state=ENTRY_WITHDRAWN)
        .filter(_year_bounds(start, end, "edition__year")).count()
    )  # fmt: skip
    out["contest_awards"] = (
        Result.objects.filter(entry__post=post, edition__published_at__isnull=False).exclude(award="")
        .filter(_year_bounds(start, end, "edition__year")).count()
    )  # fmt: skip
    return out


def post_standing(post: Post, on: dt.date | None = None) -> dict[str, bool]:
    """Return the post's standing flags on `on` (default today)."""
    row = Post.objects.filter(pk=post.pk).annotate(**standing_annotations(on)).values(*STANDING_FLAGS).get()
    return {k: bool(v) for k, v in row.items()}


def post_counts(post: Post, start: dt.date | None, end: dt.date | None) -> dict[str, Any]:
    """Return every indicator of one post over [start, end] (None: unbounded) plus its standing flags today."""
    return _activity(post, start, end) | post_standing(post)


def region_posts(code: str) -> QuerySet[Post]:
    """Return the posts sitting in region `code` or below it ("" = every post)."""
    if not code:
        return Post.objects.all()
    return Post.objects.filter(region_subtree_q("region", code))


def region_counts(code: str, start: dt.date | None, end: dt.date | None) -> dict[str, Any]:
    """Return the indicators summed over every post in region `code` ("" = nation), with the standing counts."""
    out = empty_counts()
    histogram: Counter[str] = Counter()
    funding: Counter[str] = Counter()
    standing = dict.fromkeys(("posts_total", *REGION_STANDING), 0)
    for post in region_posts(code).order_by("pk"):
        counts = post_counts(post, start, end)
        for key, value in counts.items():
            if key == "resolved_days":
                histogram.update(value)
            elif key == "funding":
                funding.update(value)
            elif key in out and key != "median_days":
                out[key] += value
        standing["posts_total"] += 1
        for key, flag in REGION_STANDING.items():
            standing[key] += counts[flag]
    out["resolved_days"] = dict(histogram)
    out["median_days"] = median_from_histogram(histogram)
    out["funding"] = {k: v for k, v in funding.items() if v}
    return out | standing
