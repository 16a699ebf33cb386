"""Who may do what in a contest (one place; every view, API endpoint and service asks here).

- **Organiser** of an edition: `oversee` on its region (the kota's or province's officers); a national edition
  (region null) only the national admin. Organisers manage the edition, its entries' decisions, panels, results.
- **Entrant**: the post's people. `edit` (post staff) fills the dossier; `manage` (post manager) registers and
  submits. Entries are read through `Entry.objects.for_user` (region grants above the post see them too).
- **Judge**: a `PanelJudge` seat. A judge sees the entries they hold sheets for (their dossiers, read-only) and
  only their own sheets until the edition's results are published.
- **Public**: published editions, their ranking and how each score was computed.

Out of scope → 404, role too low → 403, as everywhere.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from posyantek.contests.models import Edition, Entry, PanelJudge, ScoreSheet, Stage
from posyantek.core.scoping import rank_on_region, user_grants

#: The edition state in which each stage is scored.
STAGE_STATE = {
    Stage.ADMIN: Edition.State.ADMIN,
    Stage.FIELD: Edition.State.FIELD,
    Stage.PRESENTATION: Edition.State.PRESENTATION,
}
#: The entry states that take part in each stage.
STAGE_ENTRY_STATES = {
    Stage.ADMIN: [Entry.State.SUBMITTED],
    Stage.FIELD: [Entry.State.PASSED, Entry.State.NOMINEE, Entry.State.FINALIST],
    Stage.PRESENTATION: [Entry.State.NOMINEE, Entry.State.FINALIST],
}
OVERSEE = 40


def can_organise(user: Any, edition: Edition) -> bool:
    """Return whether `user` organises `edition` (oversee on its region; national: national admin)."""
    if not getattr(user, "is_authenticated", False):
        return False
    if edition.region_id is None:
        return any(g.is_national and g.rank >= OVERSEE for g in user_grants(user))
    return rank_on_region(user, edition.region_id) >= OVERSEE


def is_judge(user: Any, edition: Edition) -> bool:
    return (
        getattr(user, "is_authenticated", False)
        and PanelJudge.objects.filter(panel__edition=edition, user=user).exists()
    )


def visible_editions(user: Any) -> QuerySet[Edition]:
    """Editions a signed-in user may open on staff pages: organised or seen by region grants, judged, entered,
    or open to one of the user's posts (a region edition covering the post, or a national one)."""
    if not getattr(user, "is_authenticated", False):
        return Edition.objects.none()
    q = Q(pk__in=Edition.objects.for_user(user, "view").values("pk"))
    q |= Q(panels__judges__user=user)
    post_ids = [g.post_id for g in user_grants(user) if g.post_id]
    if post_ids:
        from posyantek.posts.models import Post

        q |= Q(entries__post_id__in=post_ids)
        q |= Q(region__isnull=True) & ~Q(state=Edition.State.DRAFT)
        for code in set(Post.objects.filter(pk__in=post_ids).values_list("region_id", flat=True)):
            parts = code.split(".")
            prefixes = [".".join(parts[: k + 1]) for k in range(len(parts))]
            q |= Q(region_id__in=prefixes) & ~Q(state=Edition.State.DRAFT)
    if any(g.is_national for g in user_grants(user)):
        return Edition.objects.all()
    return Edition.objects.filter(q).distinct()


def get_edition(user: Any, pk: int, *, organise: bool = False) -> Edition:
    """The edition, if the user may open it (else 404); with `organise`, only its organisers (else 403)."""
    try:
        edition = visible_editions(user).select_related("rubric", "region").get(pk=pk)
    except (Edition.DoesNotExist, ValueError) as exc:
        raise Http404 from exc
    if organise and not can_organise(user, edition):
        raise PermissionDenied
    return edition


def require_organiser(user: Any, edition: Edition) -> None:
    """Inside services: raise PermissionDenied unless `user` organises `edition`."""
    if not can_organise(user, edition):
        raise PermissionDenied


def judge_sheets(user: Any) -> QuerySet[ScoreSheet]:
    """The sheets a judge holds (their own only)."""
    if not getattr(user, "is_authenticated", False):
        return ScoreSheet.objects.none()
    return ScoreSheet.objects.filter(judge__user=user)


def get_own_sheet(user: Any, pk: int) -> ScoreSheet:
    """A judge's own sheet (else 404: another judge's sheet does not exist for you)."""
    try:
        return judge_sheets(user).select_related("edition__rubric", "entry__post", "judge").get(pk=pk)
    except (ScoreSheet.DoesNotExist, ValueError) as exc:
        raise Http404 from exc


def judged_entries(user: Any) -> QuerySet[Entry]:
    """Entries a judge holds sheets for (they may read those dossiers)."""
    return Entry.objects.filter(sheets__judge__user=user).distinct()


def get_entry(user: Any, pk: int, action: str = "view") -> Entry:
    """An entry: its post's people and the region above see it; judges see the entries they score; organisers of
    its edition see all of it. `action` edit/manage need the post's grants (else 403); `organise` the organiser's."""
    qs = Entry.objects.select_related("edition__rubric", "edition__region", "post", "region")
    entry = (
        qs.filter(Q(pk__in=Entry.objects.for_user(user, "view").values("pk")) | Q(pk__in=judged_entries(user)))
        .filter(pk=pk)
        .first()
        if str(pk).isdigit()
        else None
    )
    if entry is None:
        entry = qs.filter(pk=pk).first() if str(pk).isdigit() else None
        if entry is None or not can_organise(user, entry.edition):
            raise Http404
    if action == "organise":
        if not can_organise(user, entry.edition):
            raise PermissionDenied
    elif action != "view" and not Entry.objects.for_user(user, action).filter(pk=entry.pk).exists():
        raise PermissionDenied
    return entry
