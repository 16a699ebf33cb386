"""Reads of results: the organiser's ranking and its export, and the public pages (editions, published rankings,
the leaderboard, a post's contest history).

Public reads are `*_unscoped`: they show only what is public (editions past `persiapan`; rankings only once
published), so they need no user.

Leaderboard points (issue 8 §7), per published award: national juara 1/2/3 = 30/25/20, province 15/12/10,
kabupaten/kota 6/5/4; any harapan (an award below rank 3) 1 point. A post's points add up over years and
categories unless filtered.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Case, Count, IntegerField, Q, QuerySet, Sum, Value, When
from django.utils.translation import gettext as _

from posyantek.contests.models import Edition, EditionStage, Entry, Level, Prize, Result, Stage
from posyantek.contests.scoring import STAGE_ORDER
from posyantek.core.exports import Table
from posyantek.posts.models import Post

#: Points of juara 1, 2, 3 at each level.
POINTS = {Level.NATIONAL: (30, 25, 20), Level.PROVINCE: (15, 12, 10), Level.KABKOTA: (6, 5, 4)}
HONOURABLE_POINTS = 1


def result_rows(edition: Edition) -> QuerySet[Result]:
    """The edition's ranking with what a row shows (entry, region, forwarded entry)."""
    return (
        Result.objects.filter(edition=edition)
        .select_related("entry__region", "entry__forwarded_to__edition")
        .order_by("rank", "pk")
    )  # fmt: skip


def scored_stages(edition: Edition) -> list[tuple[str, str]]:
    """The stages that appear in the edition's results, in order, with their labels."""
    first = Result.objects.filter(edition=edition).order_by("rank").values_list("stage_scores", flat=True).first()
    labels = dict(Stage.choices)
    return [(s, str(labels[s])) for s in STAGE_ORDER if first and s in first]


def ranking_table(edition: Edition) -> Table:
    """The full ranking as an export table."""
    stages = scored_stages(edition)
    criteria = list(edition.rubric.criteria.order_by("order", "code").values_list("code", flat=True))
    headers = [_("Peringkat"), _("Peserta"), _("Pos"), _("Asal wilayah"), *[label for _s, label in stages],
               *[_("Kriteria %(c)s") % {"c": c} for c in criteria], _("Nilai akhir"), _("Nilai sama"),
               _("Keterangan"), _("Predikat"), _("Diteruskan")]  # fmt: skip

    def rows() -> Any:
        for r in result_rows(edition).select_related("entry__post").iterator(chunk_size=2000):
            yield [r.rank, r.entry.title, r.entry.post.name, r.entry.region.name,
                   *[r.stage_scores.get(s, 0) for s, _l in stages], *[r.criterion_scores.get(c, 0) for c in criteria],
                   float(r.final_score), _("ya") if r.tie else "", r.tie_note, r.award,
                   _("ya") if r.forwarded else ""]  # fmt: skip

    return Table(title=_("Peringkat"), headers=headers, rows=rows())


def tie_groups(edition: Edition) -> list[list[Result]]:
    """Groups of results that share a rank, flagged for the plenary."""
    groups: dict[int, list[Result]] = {}
    for r in Result.objects.filter(edition=edition, tie=True).select_related("entry").order_by("rank", "pk"):
        groups.setdefault(r.rank, []).append(r)
    return list(groups.values())


# ---------------------------------------------------------------- public


def public_editions_unscoped(*, year: int | None = None, category: str = "", level: str = "") -> QuerySet[Edition]:
    """Editions that were announced (past `persiapan`), newest first, optionally filtered."""
    qs = Edition.objects.exclude(state=Edition.State.DRAFT).select_related("region")
    if year:
        qs = qs.filter(year=year)
    if category:
        qs = qs.filter(category=category)
    if level:
        qs = qs.filter(level=level)
    return qs.order_by("-year", "level", "category", "pk")


def public_years_unscoped() -> list[int]:
    return sorted(set(Edition.objects.exclude(state=Edition.State.DRAFT).values_list("year", flat=True)),
                  reverse=True)  # fmt: skip


def public_edition_get_unscoped(pk: Any) -> Edition | None:
    """An announced edition (None for a draft or a missing one: the same answer)."""
    if not str(pk).isdigit():
        return None
    return public_editions_unscoped().select_related("rubric").filter(pk=pk).first()


def public_schedule_unscoped(edition: Edition) -> tuple[list[EditionStage], list[Prize]]:
    return list(EditionStage.objects.filter(edition=edition)), list(Prize.objects.filter(edition=edition))


def public_ranking_unscoped(edition: Edition) -> QuerySet[Result]:
    """The published ranking (empty before publication)."""
    if edition.published_at is None:
        return Result.objects.none()
    return Result.objects.filter(edition=edition).select_related("entry__region").order_by("rank", "pk")


def ranking_ids_unscoped(edition: Edition) -> QuerySet[Result]:
    """The published ranking without joins, for paging: the database sorts 7,285 narrow rows, not joined ones."""
    if edition.published_at is None:
        return Result.objects.none()
    return Result.objects.filter(edition=edition).order_by("rank", "pk").only("pk")


def with_entries(page_rows: QuerySet[Result]) -> list[Result]:
    """The rows of one page (a slice of `ranking_ids_unscoped`) with their entry and region, in rank order."""
    return list(Result.objects.filter(pk__in=page_rows.values("pk")).select_related("entry__region")
                .order_by("rank", "pk"))  # fmt: skip


def public_result_unscoped(edition: Edition, entry_pk: Any) -> Result | None:
    """A published result of the edition (None before publication)."""
    if edition.published_at is None or not str(entry_pk).isdigit():
        return None
    return (Result.objects.filter(edition=edition, entry_id=entry_pk)
            .select_related("entry__post", "entry__region", "entry__forwarded_to__edition").first())  # fmt: skip


def _points() -> Case:
    whens = [When(Q(edition__level=level, rank=n + 1), then=Value(p)) for level, pts in POINTS.items()
             for n, p in enumerate(pts)]  # fmt: skip
    return Case(*whens, When(rank__gt=3, then=Value(HONOURABLE_POINTS)), default=Value(0),
                output_field=IntegerField())  # fmt: skip


@dataclass
class LeaderRow:
    rank: int
    post_id: int
    name: str
    slug: str
    region: str
    points: int
    wins: int
    honourable: int


def leaderboard_unscoped(*, province: str = "", year: int | None = None, category: str = "") -> list[LeaderRow]:
    """Posts ranked by points from published awards (see the module docstring), ties sharing a rank."""
    qs = Result.objects.filter(edition__published_at__isnull=False).exclude(award="")
    if province:
        qs = qs.filter(entry__post__region__code__startswith=f"{province}.")
    if year:
        qs = qs.filter(edition__year=year)
    if category:
        qs = qs.filter(edition__category=category)
    rows = (
        qs.values("entry__post_id", "entry__post__name", "entry__post__slug", "entry__post__region__name")
        .annotate(points=Sum(_points()), wins=Count("pk", filter=Q(rank__lte=3)),
                  honourable=Count("pk", filter=Q(rank__gt=3)))
        .order_by("-points", "-wins", "entry__post__name")
    )  # fmt: skip
    out: list[LeaderRow] = []
    for i, r in enumerate(rows, 1):
        rank = out[-1].rank if out and out[-1].points == r["points"] else i
        out.append(LeaderRow(rank, r["entry__post_id"], r["entry__post__name"], r["entry__post__slug"],
                             r["entry__post__region__name"], r["points"], r["wins"], r["honourable"]))  # fmt: skip
    return out


def post_public_get_unscoped(slug: str) -> Post | None:
    return Post.objects.select_related("region").filter(slug=slug).first()


@dataclass
class HistoryRow:
    entry: Entry
    edition: Edition
    result: Result | None  # only when published


def post_history_unscoped(post: Post) -> list[HistoryRow]:
    """A post's entries in announced editions over the years, with the result once published."""
    entries = (Entry.objects.filter(post=post).exclude(edition__state=Edition.State.DRAFT)
               .select_related("edition__region").order_by("-edition__year", "edition__level", "pk"))  # fmt: skip
    results = {r.entry_id: r for r in Result.objects.filter(entry__in=entries, edition__published_at__isnull=False)}
    # Within a year, from kota up to the nation (the order a winner climbs).
    climb = {Level.KABKOTA: 0, Level.PROVINCE: 1, Level.NATIONAL: 2}
    ordered = sorted(entries, key=lambda e: (-e.edition.year, climb.get(e.edition.level, 9), e.pk))
    return [HistoryRow(e, e.edition, results.get(e.pk)) for e in ordered]
