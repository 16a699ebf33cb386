"""Load the national rules on TTG and Posyantek, and the regional ones the demo needs (idempotent)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction
from django.db.models import F

from posyantek.core import audit
from posyantek.finance.models import Regulation, RegulationArticle
from posyantek.regions.models import Region

DATA = Path(__file__).resolve().parents[2] / "data" / "regulations.json"


def _outdated_note(current: str, row: dict[str, Any]) -> bool:
    """Return whether a loaded row's note is an earlier text of the file's note, never edited since by a user."""
    return bool(row.get("note")) and current != row["note"] and current in row.get("replaces_notes", [])


class Command(BaseCommand):
    help = (
        "Load the regulations of data/regulations.json (domain.md §2.1, §7.4). Existing rows are left as they are, "
        "except a note that still holds a text the file has replaced (`replaces_notes`)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        rows = json.loads(DATA.read_text(encoding="utf-8"))["regulations"]
        added, notes, skipped, by_key = 0, 0, [], {}
        with transaction.atomic():
            for row in rows:
                region = None
                if row["region"]:
                    region = Region.objects.filter(code=row["region"]).first()
                    if region is None:
                        skipped.append(row["key"])
                        continue
                reg, created = Regulation.objects.get_or_create(
                    kind=row["kind"],
                    number=row["number"],
                    year=row["year"],
                    region=region,
                    defaults={
                        "title": row["title"],
                        "note": row.get("note", ""),
                        "status": row.get("status", Regulation.Status.IN_FORCE),
                    },
                )
                by_key[row["key"]] = reg
                added += created
                if not created and _outdated_note(reg.note, row):
                    Regulation.objects.filter(pk=reg.pk).update(note=row["note"], version=F("version") + 1)
                    audit.record(None, "update", reg, {"note": [reg.note, row["note"]]}, region_id=reg.region_id)
                    notes += 1
                for art in row.get("articles", []):
                    RegulationArticle.objects.get_or_create(
                        regulation=reg, number=art["number"], defaults={"summary": art["summary"]}
                    )
            for row in rows:  # links after every row exists
                target = by_key.get(row.get("amended_by") or "")
                reg = by_key.get(row["key"])
                if reg is not None and target is not None and reg.amended_by_id is None:
                    Regulation.objects.filter(pk=reg.pk).update(amended_by=target)
        msg = f"Regulations: {added} added, {len(by_key) - added} already there, {notes} notes updated."
        if skipped:
            msg += f" Skipped (region not loaded): {', '.join(skipped)}."
        self.stdout.write(msg)
