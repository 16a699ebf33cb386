"""Helpers and fixtures of the results tests: a small rubric with known numbers, and locked sheets made the way the
judging services make them (scores and locks logged on the chain), so `chain.verify()` holds.

The hand-computed example (`scored`): rubric scale 1–4, criterion A (60 %) with A1 and A2 (50 % each), criterion
B (40 %) with B1; stage weights 30/40/30, only field verification scored (so it weighs 100 %).

| | judge1 A1 A2 B1 | judge2 A1 A2 B1 |
|---|---|---|
| entry (Gambir) | 4 2 3 | 3 3 1 |
| entry2 (Cempaka Putih) | 4 4 4 | 2 2 2 |

On 0–100 (1→0, 2→33.333, 3→66.667, 4→100): Gambir A = (66.667 + 66.667) / 2 = 66.667, B = (66.667 + 0) / 2 =
33.333, final = 0.6 × 66.667 + 0.4 × 33.333 = 53.333. Cempaka Putih A = B = (100 + 33.333) / 2 = 66.667, final 66.667.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from posyantek.contests import chain
from posyantek.contests.models import (
    Criterion,
    Edition,
    Entry,
    Indicator,
    Panel,
    PanelJudge,
    Rubric,
    Score,
    ScoreSheet,
    Stage,
)


def small_rubric(region: str | None = "31", **extra: Any) -> Rubric:
    """A rubric A(60: A1 50, A2 50), B(40: B1 100), scale 1–4, stage weights 30/40/30."""
    rubric = Rubric.objects.create(region_id=region, family=extra.pop("family", f"kecil-{Rubric.objects.count()}"),
                                   name="Rubrik kecil", category="posyantek_berprestasi", **extra)  # fmt: skip
    a = Criterion.objects.create(rubric=rubric, code="A", title="Kelembagaan", weight=60, order=0)
    b = Criterion.objects.create(rubric=rubric, code="B", title="Dampak", weight=40, order=1)
    Indicator.objects.create(criterion=a, code="A1", title="SK pembentukan", weight=50, order=0)
    Indicator.objects.create(criterion=a, code="A2", title="Sekretariat", weight=50, order=1)
    Indicator.objects.create(criterion=b, code="B1", title="Penjualan", weight=100, order=0)
    return rubric


def seat(edition: Edition, stage: str, user: Any, **extra: Any) -> PanelJudge:
    """The judge's seat on the edition's panel of `stage` (made when missing)."""
    panel = Panel.objects.filter(edition=edition, stage=stage).first()
    if panel is None:
        panel = Panel.objects.create(edition=edition, stage=stage, name=f"Tim {stage}")
    return PanelJudge.objects.get_or_create(panel=panel, user=user, defaults=extra)[0]


def sheet_with(edition: Edition, stage: str, entry: Entry, judge: PanelJudge, values: dict[str, int], *,
               notes: dict[str, str] | None = None, lock: bool = True) -> ScoreSheet:  # fmt: skip
    """Score `entry` by indicator code, logging each score (and the lock) on the chain as the services do."""
    sheet = ScoreSheet.objects.create(edition=edition, stage=stage, entry=entry, judge=judge)
    indicators = {i.code: i for i in Indicator.objects.filter(criterion__rubric=edition.rubric)}
    for code, value in values.items():
        score = Score.objects.create(sheet=sheet, indicator=indicators[code], value=value,
                                     note=(notes or {}).get(code, ""))  # fmt: skip
        chain.log_score(actor=judge.user, score=score, edition=edition)
    if lock:
        sheet.state, sheet.locked_at = ScoreSheet.State.LOCKED, timezone.now()
        sheet.save(update_fields=["state", "locked_at"])
        chain.log_lock(actor=judge.user, sheet=sheet)
    return sheet


@pytest.fixture(name="scored")
def scored_fixture(edition: Edition, entry: Entry, entry2: Entry, judge1: Any, judge2: Any) -> dict[str, Any]:
    """The hand-computed example of the module docstring, with the edition in its plenary."""
    edition.rubric = small_rubric()
    edition.state = Edition.State.PLENARY
    edition.save()
    j1 = seat(edition, Stage.FIELD, judge1, institution="Sudin PPAPP Jakarta Timur", home_region_id="31.75",
              is_chair=True)  # fmt: skip
    j2 = seat(edition, Stage.FIELD, judge2, institution="BRIN")
    sheet_with(edition, Stage.FIELD, entry, j1, {"A1": 4, "A2": 2, "B1": 3}, notes={"A1": "SK lengkap"})
    sheet_with(edition, Stage.FIELD, entry, j2, {"A1": 3, "A2": 3, "B1": 1})
    sheet_with(edition, Stage.FIELD, entry2, j1, {"A1": 4, "A2": 4, "B1": 4})
    sheet_with(edition, Stage.FIELD, entry2, j2, {"A1": 2, "A2": 2, "B1": 2})
    return {"edition": edition, "entry": entry, "entry2": entry2, "j1": j1, "j2": j2}
