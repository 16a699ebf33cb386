"""Reads of the replication app: kits (staff and public), adoptions, the progress of an adoption's posts (one page
of rows and a summary over all of them, in a fixed number of queries), a post's checklist and the export matrix."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from posyantek.core.exports import Table
from posyantek.regions.models import Region
from posyantek.replication.detect import detected_sources
from posyantek.replication.models import AdoptionPost, Award, ChecklistTick, Kit, KitAdoption, KitItem

#: Progress bands of the progress page: none yet, under half, half or more, all steps.
BANDS = {
    "nol": gettext_lazy("Belum mulai (0%)"),
    "rendah": gettext_lazy("Di bawah 50%"),
    "tinggi": gettext_lazy("50% atau lebih"),
    "penuh": gettext_lazy("Selesai (100%)"),
}


def _item_count() -> Coalesce:
    rows = KitItem.objects.filter(kit=OuterRef("kit")).order_by().values("kit").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(rows[:1], output_field=IntegerField()), 0)


# --- Kits -----------------------------------------------------------------------------------------------------


def kit_list(*, user: Any, action: str = "view") -> QuerySet[Kit]:
    """Return the kits the user may see (or act on), with their number of steps."""
    return (
        Kit.objects.for_user(user, action)
        .select_related("post", "post__region")
        .annotate(n_items=Count("items"))
        .order_by("title", "pk")
    )


def kit_public_list_unscoped() -> QuerySet[Kit]:
    """Return every published kit (public: anyone may read them), with its number of steps."""
    return (
        Kit.objects.filter(published=True)
        .select_related("post", "post__region")
        .annotate(n_items=Count("items"))
        .order_by("title", "pk")
    )


def kit_public_get_unscoped(slug: str) -> Kit | None:
    """Return the published kit of the post with this slug, or None."""
    return Kit.objects.filter(published=True, post__slug=slug).select_related("post", "post__region").first()


def kit_items(kit: Kit, *, with_ticks: bool = False) -> list[KitItem]:
    """Return a kit's steps in order (the caller fetched the kit within scope, or it is published); `with_ticks`
    counts, on each, the posts that ticked it (`n_ticks`: what removing the step would take away)."""
    qs = KitItem.objects.filter(kit=kit).order_by("order", "pk")
    return list(qs.annotate(n_ticks=Count("ticks")) if with_ticks else qs)


def kit_awards(kit: Kit) -> list[Award]:
    """Return the awards of a kit's post, newest first (public on a published kit)."""
    return list(Award.objects.filter(post_id=kit.post_id).order_by("-year", "pk"))


# --- Adoptions ------------------------------------------------------------------------------------------------


def adoption_list(*, user: Any, action: str = "view") -> QuerySet[KitAdoption]:
    """Return the adoptions the user may see, with their posts, steps and ticks counted."""
    return (
        KitAdoption.objects.for_user(user, action)
        .select_related("kit", "kit__post", "region", "adopted_by")
        .annotate(n_posts=Count("posts"), n_done=Coalesce(Sum("posts__done_count"), 0), n_items=_item_count())
        .order_by("-started_on", "-pk")
    )


def adoption_get_list(*, user: Any, action: str = "view") -> QuerySet[KitAdoption]:
    """Return the adoptions the user may see, for one adoption's pages: with the number of steps, not the sums
    over its posts (the progress page reads those in its summary)."""
    return (
        KitAdoption.objects.for_user(user, action)
        .select_related("kit", "kit__post", "region", "adopted_by")
        .annotate(n_items=_item_count())
    )


def adoption_average(adoption: Any) -> int:
    """Return the average progress of an adoption annotated by `adoption_list`, in whole percent."""
    return percent(adoption.n_done, adoption.n_posts * adoption.n_items)


def progress_rows(*, user: Any, adoption: KitAdoption) -> QuerySet[AdoptionPost]:
    """Return the adoption's posts the user may see, with the post (the page names their regions in one query)."""
    return AdoptionPost.objects.for_user(user, "view").filter(adoption=adoption).select_related("post")


def band_q(band: str, total: int) -> Q:
    """Return the filter of a progress band for a checklist of `total` steps."""
    half = (total + 1) // 2  # done < half  ⇔  done / total < 50 %
    if band == "nol":
        return Q(done_count=0)
    if band == "rendah":
        return Q(done_count__gt=0, done_count__lt=half)
    if band == "tinggi":
        return Q(done_count__gte=half, done_count__lt=total) & ~Q(done_count=0)
    if band == "penuh":
        return Q(done_count__gte=total) & ~Q(done_count=0) if total else Q(pk__in=[])
    return Q()


@dataclass
class Summary:
    """How far an adoption's posts have come, over all of them (not only the page shown)."""

    posts: int
    items: int
    zero: int
    low: int
    high: int
    full: int
    done: int

    @property
    def average(self) -> int:
        """Return the average progress in whole percent."""
        return percent(self.done, self.posts * self.items)

    @property
    def bands(self) -> list[tuple[str, str, int]]:
        return [(k, str(label), n) for (k, label), n in zip(BANDS.items(), (self.zero, self.low, self.high,
                                                                          self.full), strict=True)]  # fmt: skip


def progress_summary(rows: QuerySet[AdoptionPost], total: int) -> Summary:
    """Return the bands and the average of `rows` (one query)."""
    agg = rows.order_by().aggregate(
        n=Count("pk"),
        zero=Count("pk", filter=band_q("nol", total)),
        low=Count("pk", filter=band_q("rendah", total)),
        high=Count("pk", filter=band_q("tinggi", total)),
        full=Count("pk", filter=band_q("penuh", total)),
        done=Coalesce(Sum("done_count"), 0),
    )
    return Summary(agg["n"], total, agg["zero"], agg["low"], agg["high"], agg["full"], agg["done"])


def percent(done: int, total: int) -> int:
    """Return progress in whole percent, rounded half up as a spreadsheet does (2 of 12 → 17 %), but never 100 %
    before every step is done."""
    if not total:
        return 0
    whole = (200 * done + total) // (2 * total)
    return min(100 if done >= total else 99, whole)


def kota_of(region_code: str) -> str:
    """Return the kabupaten/kota code of a region code (33.75.03 → 33.75)."""
    return ".".join(region_code.split(".")[:2])


def kota_choices(rows: QuerySet[AdoptionPost]) -> list[tuple[str, str]]:
    """Return the kabupaten/kota the rows' posts are in, as filter choices (two queries)."""
    codes = {kota_of(c) for c in rows.order_by().values_list("post__region_id", flat=True).distinct()}
    return list(Region.objects.filter(code__in=codes).order_by("code").values_list("code", "name"))


def annotate_rows(rows: list[AdoptionPost], total: int, url: str = "") -> list[AdoptionPost]:
    """Give each row its percent, open steps, kecamatan and kabupaten/kota names (one query for all names), and
    the link to its checklist when `url` (the checklist's URL with 0 for the post) is given."""
    codes: set[str] = set()
    for ap in rows:
        parts = ap.post.region_id.split(".")
        codes.update(".".join(parts[:i]) for i in (2, 3) if len(parts) >= i)
    names = dict(Region.objects.filter(code__in=codes).values_list("code", "name"))
    for ap in rows:
        parts = ap.post.region_id.split(".")
        ap.pct = percent(ap.done_count, total)  # type: ignore[attr-defined]
        ap.open_items = max(total - ap.done_count, 0)  # type: ignore[attr-defined]
        ap.kota_name = names.get(".".join(parts[:2]), "")  # type: ignore[attr-defined]
        ap.kecamatan_name = names.get(".".join(parts[:3]), "") if len(parts) >= 3 else ""  # type: ignore[attr-defined]
        ap.url = url.replace("/pos/0/", f"/pos/{ap.post_id}/")  # type: ignore[attr-defined]
    return rows


def matrix_table(adoption: KitAdoption, rows: QuerySet[AdoptionPost]) -> Table:
    """Return the export of an adoption: one row per post, one column per step (the date it was reached)."""
    items = kit_items(adoption.kit)
    total = len(items)
    done: dict[tuple[int, int], Any] = {
        (ap_id, item_id): on
        for ap_id, item_id, on in ChecklistTick.objects.filter(adoption_post__adoption=adoption)
        .order_by()
        .values_list("adoption_post_id", "item_id", "done_on")
    }
    listed = annotate_rows(list(rows.order_by("post__region_id", "post__name", "pk")), total)
    headers = [_("Pos"), _("Kode wilayah"), _("Kecamatan"), _("Kabupaten/kota"), _("Langkah tercapai"),
               _("Jumlah langkah"), _("Persen"), _("Langkah terakhir tercapai"), _("Terakhir diperbarui"),
               *[f"{i.order}. {i.title}" for i in items]]  # fmt: skip

    def row(ap: AdoptionPost) -> list[Any]:
        last = ap.last_ticked_at and timezone.localtime(ap.last_ticked_at).replace(tzinfo=None, microsecond=0)
        return [ap.post.name, ap.post.region_id, ap.kecamatan_name, ap.kota_name, ap.done_count, total,  # type: ignore[attr-defined]
                ap.pct, ap.last_done_on, last, *[done.get((ap.pk, i.pk)) for i in items]]  # type: ignore[attr-defined]  # fmt: skip

    return Table(_("Progres replikasi"), headers, (row(ap) for ap in listed))


# --- A post's checklist ---------------------------------------------------------------------------------------


@dataclass
class ChecklistRow:
    """One step of a post's checklist: the step, its tick (if reached), and whether the post's data shows it."""

    item: KitItem
    tick: ChecklistTick | None
    detected: bool | None = None

    @property
    def done(self) -> bool:
        return self.tick is not None


@dataclass
class Checklist:
    adoption_post: AdoptionPost
    rows: list[ChecklistRow] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.rows)

    @property
    def done(self) -> int:
        return sum(1 for r in self.rows if r.done)

    @property
    def pct(self) -> int:
        return percent(self.done, self.total)


def checklist(adoption_post: AdoptionPost) -> Checklist:
    """Return a post's checklist (its adoption post fetched within scope): steps, ticks, what its data shows."""
    items = kit_items(adoption_post.adoption.kit)
    rows = ChecklistTick.objects.filter(adoption_post=adoption_post).select_related("ticked_by")
    ticks = {t.item_id: t for t in rows}
    found: set[str] = set()
    if any(i.source != KitItem.Source.MANUAL for i in items):
        found = detected_sources([adoption_post.post]).get(adoption_post.post_id, set())
    out = [ChecklistRow(i, ticks.get(i.pk), None if i.source == KitItem.Source.MANUAL else i.source in found)
           for i in items]  # fmt: skip
    return Checklist(adoption_post, out)


def my_checklists(*, user: Any) -> QuerySet[AdoptionPost]:
    """Return the adoption posts the user may see: for post people, the checklists of their own posts."""
    items = KitItem.objects.filter(kit=OuterRef("adoption__kit")).order_by().values("kit").annotate(n=Count("pk"))
    return (
        AdoptionPost.objects.for_user(user, "view")
        .select_related("adoption", "adoption__kit", "adoption__region", "post")
        .annotate(n_items=Coalesce(Subquery(items.values("n")[:1], output_field=IntegerField()), 0))
        .order_by("-adoption__started_on", "adoption_id", "post__name", "pk")
    )
