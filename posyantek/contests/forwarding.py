"""Forwarding a winner to the next level's edition (kota → provinsi → nasional), with its dossier.

The next edition is the one of the same category and year at the next level whose region contains the entrant's
region (the province for a kota edition, the nation — region null — for a province), not yet published. The
forwarded entry starts as `diajukan` (its dossier was judged below), points back with `forwarded_from`, and carries
the lower level's decree in `proposed_by`. Dossier items and files are matched to the next rubric by criterion and
indicator code (the same codes when both rubrics come from one template); files keep their stored file names, so
nothing is copied on disk.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from posyantek.contests import chain
from posyantek.contests.models import (
    NEXT_LEVEL,
    REGION_LEVEL,
    ContestLog,
    DossierFile,
    DossierItem,
    Edition,
    Entry,
    Indicator,
)
from posyantek.core import audit


def next_edition(edition: Edition, entry: Entry) -> Edition | None:
    """Return the edition `entry` goes to when it wins `edition`, or None (national, or not created yet)."""
    level = NEXT_LEVEL.get(edition.level)
    if level is None:
        return None
    qs = Edition.objects.filter(category=edition.category, year=edition.year, level=level, published_at__isnull=True)
    region_level = REGION_LEVEL[level]
    if region_level is None:
        qs = qs.filter(region__isnull=True)
    else:
        parts = (entry.region_id or "").split(".")
        if len(parts) < region_level:
            return None
        qs = qs.filter(region_id=".".join(parts[:region_level]))
    return qs.exclude(state=Edition.State.DRAFT).order_by("-pk").first() or qs.order_by("-pk").first()


def proposed_by(source: Entry) -> str:
    """Return the 'proposed by' line of a forwarded entry: the lower level's decree and edition."""
    ed = source.edition
    return (_("SK %(number)s (%(edition)s)") % {"number": ed.decree_number or "-", "edition": ed.name})[:250]


def _indicator_map(source: Edition, target: Edition) -> dict[int, int]:
    """Map the source rubric's indicators to the target rubric's, by (criterion code, indicator code)."""
    if source.rubric_id == target.rubric_id:
        return dict(Indicator.objects.filter(criterion__rubric_id=source.rubric_id).values_list("pk", "pk"))
    theirs = {(c, i): pk for pk, c, i in Indicator.objects.filter(criterion__rubric_id=target.rubric_id)
              .values_list("pk", "criterion__code", "code")}  # fmt: skip
    return {pk: theirs[(c, i)] for pk, c, i in Indicator.objects.filter(criterion__rubric_id=source.rubric_id)
            .values_list("pk", "criterion__code", "code") if (c, i) in theirs}  # fmt: skip


@transaction.atomic
def create_forwarded_entry(*, actor: Any, source: Entry, edition: Edition) -> Entry:
    """Enter `source` (a winner) in `edition` with its dossier, self-assessment and innovators; chained."""
    if Entry.objects.filter(forwarded_from=source).exists():
        raise ValidationError(_("%(entry)s sudah diteruskan ke jenjang berikutnya.") % {"entry": source.title})
    taken = Entry.objects.filter(edition=edition, post_id=source.post_id, ttg_id=source.ttg_id)
    if taken.exists():
        raise ValidationError(_("%(entry)s sudah terdaftar di %(edition)s.") % {"entry": source.title,
                                                                              "edition": edition.name})  # fmt: skip
    entry = Entry.objects.create(
        edition=edition, post_id=source.post_id, region_id=source.region_id, ttg_id=source.ttg_id,
        title=source.title, state=Entry.State.SUBMITTED, forwarded_from=source, proposed_by=proposed_by(source),
        self_assessment=source.self_assessment, prefilled_at=source.prefilled_at, submitted_at=timezone.now(),
        created_by=actor if getattr(actor, "pk", None) else None,
    )  # fmt: skip
    entry.innovators.set(source.innovators.all())
    mapping = _indicator_map(source.edition, edition)
    items = [DossierItem(entry=entry, indicator_id=mapping[d.indicator_id], narrative=d.narrative,
                         self_score=d.self_score)
             for d in DossierItem.objects.filter(entry=source) if d.indicator_id in mapping]  # fmt: skip
    DossierItem.objects.bulk_create(items)
    files = [DossierFile(entry=entry, indicator_id=mapping[f.indicator_id], title=f.title, file=f.file.name,
                         link=f.link, uploaded_by_id=f.uploaded_by_id)
             for f in DossierFile.objects.filter(entry=source) if f.indicator_id in mapping]  # fmt: skip
    DossierFile.objects.bulk_create(files)
    skipped = DossierItem.objects.filter(entry=source).count() - len(items)
    audit.record(actor, "create", entry, {"diteruskan_dari": source.pk, "lomba_asal": source.edition.name,
                                          "isian": len(items), "berkas": len(files)})  # fmt: skip
    chain.append(actor=actor if getattr(actor, "pk", None) else None, kind=ContestLog.Kind.FORWARD,
                 object_key=f"entry:{entry.pk}", edition=edition,
                 payload={"from_entry": source.pk, "from_edition": source.edition_id, "post": source.post_id,
                          "proposed_by": entry.proposed_by, "items": len(items), "files": len(files),
                          "unmatched_items": skipped})  # fmt: skip
    return entry
