"""Reads of editions, entries and dossiers (always from what the user may see: access.py)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet

from posyantek.contests import access
from posyantek.contests.models import (
    REGION_LEVEL,
    ContestLog,
    Criterion,
    DossierFile,
    DossierItem,
    Edition,
    Entry,
    Indicator,
    Level,
)
from posyantek.core.scoping import region_subtree_q, user_grants


def edition_list(*, user: Any) -> QuerySet[Edition]:
    """Return the editions the user may open, with their entry counts."""
    return (
        access.visible_editions(user)
        .select_related("region", "rubric")
        .annotate(n_entries=Count("entries", distinct=True))
        .order_by("-year", "category", "level", "pk")
    )


def organiser_regions(*, user: Any) -> dict[str, Any]:
    """Return what the user may organise: {"national": bool, "regions": Q filter of kota/province regions}."""
    from posyantek.regions.models import Region

    national = False
    q = Q(pk__in=[])
    for g in user_grants(user):
        if g.rank < access.OVERSEE:
            continue
        if g.is_national:
            national = True
        elif g.region_code:
            q |= Q(code=g.region_code) | Q(code__startswith=g.region_code + ".")
    levels = [lvl for lvl in REGION_LEVEL.values() if lvl]
    regions = Region.objects.filter(level__in=levels) if national else Region.objects.filter(q, level__in=levels)
    return {"national": national, "regions": regions.order_by("code")}


def can_create_edition(*, user: Any) -> bool:
    """Return whether the user oversees a kota or province (or the nation), so may start an edition."""
    found = organiser_regions(user=user)
    return found["national"] or found["regions"].exists()


def level_for_region(region: Any) -> str:
    return Level.KABKOTA if region.level == REGION_LEVEL[Level.KABKOTA] else Level.PROVINCE


def entry_scope(*, user: Any, edition: Edition) -> QuerySet[Entry]:
    """Return an edition's entries the user may see: all of them for organisers, else the scoped or judged ones."""
    qs = Entry.objects.filter(edition=edition)
    if access.can_organise(user, edition):
        return qs
    seen = Q(pk__in=Entry.objects.for_user(user, "view").values("pk")) | Q(pk__in=access.judged_entries(user))
    return qs.filter(seen)


def entry_list(*, user: Any, edition: Edition) -> QuerySet[Entry]:
    """Return the entries of `entry_scope` with what the entries table shows."""
    return (
        entry_scope(user=user, edition=edition)
        .select_related("post", "region", "ttg")
        .annotate(n_files=Count("files", distinct=True))
        .order_by("title", "pk")
    )


#: Self-assessment figures in rupiah.
MONEY_KEYS = ("sales_total", "sales_in_region", "sales_out_region", "funding_received")


@dataclass
class DossierRow:
    """One indicator of the dossier: the entrant's item, evidence files and the system figure beside it."""

    indicator: Indicator
    item: DossierItem | None
    files: list[DossierFile]
    figure: dict[str, Any] | None

    @property
    def money(self) -> bool:
        return self.indicator.prefill_key in MONEY_KEYS

    @property
    def missing(self) -> bool:
        return self.indicator.evidence_mandatory and not self.files


@dataclass
class DossierGroup:
    criterion: Criterion
    rows: list[DossierRow] = field(default_factory=list)


def dossier(entry: Entry) -> list[DossierGroup]:
    """Return the dossier of an entry (already fetched within scope) per criterion and indicator (3 queries)."""
    items = {i.indicator_id: i for i in DossierItem.objects.filter(entry=entry)}
    files: dict[int, list[DossierFile]] = {}
    for f in DossierFile.objects.filter(entry=entry).order_by("pk"):
        files.setdefault(f.indicator_id, []).append(f)
    figures = entry.self_assessment or {}
    groups: list[DossierGroup] = []
    for crit in Criterion.objects.filter(rubric_id=entry.edition.rubric_id).prefetch_related("indicators"):
        group = DossierGroup(crit)
        for ind in crit.indicators.all():
            group.rows.append(DossierRow(ind, items.get(ind.pk), files.get(ind.pk, []),
                                         figures.get(ind.prefill_key) if ind.prefill_key else None))  # fmt: skip
        groups.append(group)
    return groups


def entry_log(entry: Entry, limit: int = 50) -> QuerySet[ContestLog]:
    """Return the contest-chain links of one entry (its registration, submission, decisions), newest first."""
    return ContestLog.objects.filter(object_key=f"entry:{entry.pk}").select_related("actor").order_by("-seq")[:limit]


def edition_log(edition: Edition, limit: int = 50) -> list[ContestLog]:
    """Return the edition's own chain links (creation, changes, stage moves), newest first; a stage move carries
    its states' names (`from_label`, `to_label`), the link itself keeps the codes that were hashed."""
    labels = dict(Edition.State.choices)
    links = list(ContestLog.objects.filter(edition=edition, kind=ContestLog.Kind.EDITION).order_by("-seq")[:limit])
    for link in links:
        payload = link.payload if isinstance(link.payload, dict) else {}
        link.from_label = labels.get(payload.get("from"), payload.get("from"))  # type: ignore[attr-defined]
        link.to_label = labels.get(payload.get("to"), payload.get("to"))  # type: ignore[attr-defined]
    return links


def state_counts(qs: QuerySet[Entry]) -> list[tuple[str, str, int]]:
    """Return (state, label, count) of the entries in `qs` for every entry state that has some."""
    counts = dict(qs.order_by().values_list("state").annotate(n=Count("pk")))
    return [(value, label, counts[value]) for value, label in Entry.State.choices if counts.get(value)]


def indicator_of(entry: Entry, pk: Any) -> Indicator | None:
    """Return an indicator of the entry's rubric (None when it is not one)."""
    if not str(pk).isdigit():
        return None
    return Indicator.objects.select_related("criterion").filter(criterion__rubric_id=entry.edition.rubric_id,
                                                                pk=pk).first()  # fmt: skip


def register_choices(*, user: Any, edition: Edition) -> dict[str, Any]:
    """Return the posts the user may register in an edition (managers: theirs; organisers: all in the region),
    with those posts' TTG and innovators."""
    from posyantek.catalog.models import Innovator, Ttg
    from posyantek.posts.models import Post

    action = "view" if access.can_organise(user, edition) else "manage"
    posts = Post.objects.for_user(user, action).select_related("region").order_by("name")
    if edition.region_id:
        posts = posts.filter(region_subtree_q("region", edition.region_id))
    return {
        "posts": posts,
        "ttgs": Ttg.objects.for_user(user, "view").filter(post__in=posts).order_by("name"),
        "innovators": Innovator.objects.for_user(user, "view").filter(post__in=posts).select_related("person"),
    }


def self_assessment_rows(entry: Entry) -> list[dict[str, Any]]:
    """Return the stored self-assessment figures in the order of defaults.PREFILL_KEYS, marking rupiah ones."""
    from posyantek.contests.defaults import PREFILL_KEYS

    data = entry.self_assessment or {}
    return [{"key": k, **data[k], "money": k in MONEY_KEYS} for k in PREFILL_KEYS if isinstance(data.get(k), dict)]
