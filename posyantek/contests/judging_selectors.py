"""Reads of judging: an edition's panels, the progress of its sheets (states, never scores before publication), a
judge's queue, and what the sheet page shows beside the form (narrative, evidence files, the system's figure).

Callers have already fetched the edition or the sheet through access.py; these functions only shape the data.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import BooleanField, Count, Prefetch, Q, QuerySet, Value
from django.http import Http404
from django.utils.translation import gettext as _

from posyantek.contests import access
from posyantek.contests.models import (
    Conflict,
    DossierFile,
    DossierItem,
    Edition,
    Entry,
    Indicator,
    Panel,
    PanelJudge,
    Score,
    ScoreSheet,
    Stage,
)
from posyantek.core.exports import Table


def rubric_indicators(rubric_id: int) -> list[Indicator]:
    """Return a rubric's indicators in order (criterion, then indicator), each with its criterion."""
    return list(
        Indicator.objects.filter(criterion__rubric_id=rubric_id)
        .select_related("criterion")
        .order_by("criterion__order", "criterion__code", "order", "code")
    )


def indicator_counts(rubric_ids: set[int]) -> dict[int, int]:
    """Return {rubric id: number of indicators}."""
    rows = (
        Indicator.objects.filter(criterion__rubric_id__in=rubric_ids)
        .values("criterion__rubric_id")
        .annotate(n=Count("pk"))
    )
    return {r["criterion__rubric_id"]: r["n"] for r in rows}


# --------------------------------------------------------------------------------------------- panels


def edition_panels(edition: Edition) -> list[Panel]:
    """Return the edition's panels with their judges; each judge carries `n_scores` and `n_conflicts`."""
    judges = PanelJudge.objects.select_related("user", "home_region", "home_post").annotate(
        n_scores=Count("sheets__scores", distinct=True), n_conflicts=Count("conflicts", distinct=True)
    )
    return list(Panel.objects.filter(edition=edition).prefetch_related(Prefetch("judges", queryset=judges)))


def edition_judge(edition: Edition, judge_pk: int) -> PanelJudge:
    """Return a judge seat of the edition (else 404)."""
    judge = PanelJudge.objects.select_related("panel", "user").filter(panel__edition=edition, pk=judge_pk).first()
    if judge is None:
        raise Http404
    return judge


def edition_panel(edition: Edition, panel_pk: int) -> Panel:
    panel = Panel.objects.filter(edition=edition, pk=panel_pk).first()
    if panel is None:
        raise Http404
    return panel


def edition_conflicts(edition: Edition) -> list[Conflict]:
    """Return the conflicts of interest recorded in an edition (who, with whom, why)."""
    return list(
        Conflict.objects.filter(judge__panel__edition=edition)
        .select_related("judge__user", "judge__panel", "entry")
        .order_by("judge__panel__stage", "judge__user__email", "entry__title")
    )


# --------------------------------------------------------------------------------------------- progress


@dataclass
class Cell:
    sheet_id: int | None = None
    state: str = ""
    scored: int = 0
    conflict: bool = False


@dataclass
class EntryRow:
    entry: Entry
    cells: list[Cell] = field(default_factory=list)


@dataclass
class StageProgress:
    """One stage: its judges (columns), a page of entries (rows) with their sheet states (cells)."""

    stage: str
    label: str
    judges: list[PanelJudge]
    rows: list[EntryRow]
    total: int


@dataclass
class StageSummary:
    stage: str
    label: str
    judges: int
    sheets: int
    locked: int


def stage_summaries(edition: Edition) -> list[StageSummary]:
    """Return per stage how many judges, sheets and locked sheets the edition has (three small queries)."""
    judges = dict(PanelJudge.objects.filter(panel__edition=edition).values_list("panel__stage").annotate(n=Count("pk")))
    sheets: dict[str, int] = defaultdict(int)
    locked: dict[str, int] = defaultdict(int)
    for stage, state, n in (
        ScoreSheet.objects.filter(edition=edition).values_list("stage", "state").annotate(n=Count("pk")).order_by()
    ):
        sheets[stage] += n
        if state == ScoreSheet.State.LOCKED:
            locked[stage] += n
    return [StageSummary(stage=v, label=str(label), judges=judges.get(v, 0), sheets=sheets[v], locked=locked[v])
            for v, label in Stage.choices]  # fmt: skip


def stage_entries(edition: Edition, stage: str, q: str = "") -> QuerySet[Entry]:
    """Return the entries of a stage: those whose state takes part in it, and any already holding a sheet there."""
    qs = Entry.objects.filter(edition=edition).filter(
        Q(state__in=access.STAGE_ENTRY_STATES[stage]) | Q(pk__in=ScoreSheet.objects.filter(stage=stage, edition=edition)
                                                            .values("entry_id"))
    )  # fmt: skip
    if q:
        qs = qs.filter(title__icontains=q)
    return qs.select_related("post").order_by("title", "pk")


def stage_progress(edition: Edition, stage: str, entries: list[Entry]) -> StageProgress:
    """Return the entries × judges table of sheet states at one stage, for the given entries (a page of them)."""
    total = indicator_counts({edition.rubric_id}).get(edition.rubric_id, 0)
    judges = list(
        PanelJudge.objects.filter(panel__edition=edition, panel__stage=stage)
        .select_related("user")
        .order_by("panel_id", "-is_chair", "pk")
    )
    ids = [e.pk for e in entries]
    sheets = (
        ScoreSheet.objects.filter(edition=edition, stage=stage, entry_id__in=ids)
        .annotate(n=Count("scores"))
        .only("pk", "entry_id", "judge_id", "state")
    )
    by_key = {(s.entry_id, s.judge_id): s for s in sheets}
    conflicts = set(Conflict.objects.filter(entry_id__in=ids).values_list("judge_id", "entry_id"))
    rows = []
    for entry in entries:
        row = EntryRow(entry=entry)
        for j in judges:
            s = by_key.get((entry.pk, j.pk))
            cell = Cell(conflict=(j.pk, entry.pk) in conflicts)
            if s is not None:
                cell.sheet_id, cell.state, cell.scored = s.pk, s.state, s.n  # type: ignore[attr-defined]
            row.cells.append(cell)
        rows.append(row)
    return StageProgress(stage=stage, label=str(Stage(stage).label), judges=judges, rows=rows, total=total)


def progress_table(edition: Edition) -> Table:
    """Return the progress of every sheet as a table (states and counts, never scores)."""
    rows = []
    for stage in Stage.values:
        sp = stage_progress(edition, stage, list(stage_entries(edition, stage)))
        for row in sp.rows:
            for judge, cell in zip(sp.judges, row.cells, strict=True):
                state = (_("konflik") if cell.conflict else
                         dict(ScoreSheet.State.choices).get(cell.state, _("belum ditugaskan")))  # fmt: skip
                rows.append([sp.label, row.entry.title, row.entry.region_id, judge.user.email, str(state),
                             cell.scored if cell.sheet_id else "", sp.total])  # fmt: skip
    headers = [_("Tahap"), _("Peserta"), _("Kode wilayah"), _("Juri"), _("Status lembar"), _("Indikator dinilai"),
               _("Jumlah indikator")]  # fmt: skip
    return Table(title=_("Progres penilaian"), headers=headers, rows=rows)


# --------------------------------------------------------------------------------------------- a judge's queue


@dataclass
class QueueGroup:
    edition: Edition
    stage: str
    label: str
    is_open: bool
    total: int
    sheets: list[ScoreSheet]

    @property
    def done(self) -> int:
        return sum(1 for s in self.sheets if s.is_locked)


def judge_queue(user: Any) -> list[QueueGroup]:
    """Return the user's own sheets grouped by edition and stage, each with `n_scored`."""
    sheets = list(
        access.judge_sheets(user)
        .select_related("edition", "entry", "entry__post")
        .annotate(n_scored=Count("scores"))
        .order_by("-edition__year", "edition__name", "edition_id", "stage", "entry__title", "pk")
    )
    totals = indicator_counts({s.edition.rubric_id for s in sheets})
    groups: dict[tuple[int, str], QueueGroup] = {}
    labels = dict(Stage.choices)
    for s in sheets:
        key = (s.edition_id, s.stage)
        if key not in groups:
            groups[key] = QueueGroup(edition=s.edition, stage=s.stage, label=str(labels[s.stage]),
                                     is_open=s.edition.state == access.STAGE_STATE[s.stage],
                                     total=totals.get(s.edition.rubric_id, 0), sheets=[])  # fmt: skip
        groups[key].sheets.append(s)
    return list(groups.values())


# --------------------------------------------------------------------------------------------- the sheet page


@dataclass
class SheetView:
    """What the sheet page shows: the indicator strip, the current indicator and its evidence, the score so far."""

    indicators: list[Indicator]
    scores: dict[int, Score]
    current: Indicator
    next_id: int | None
    prev_id: int | None
    narrative: str
    self_score: int | None
    files: list[DossierFile]
    figure: dict[str, Any] | None
    anchors: list[tuple[int, str]]

    @property
    def scored(self) -> int:
        return len(self.scores)

    @property
    def complete(self) -> bool:
        return self.scored >= len(self.indicators)

    @property
    def score(self) -> Score | None:
        return self.scores.get(self.current.pk)

    @property
    def score_anchor(self) -> str:
        score = self.score
        return next((text for v, text in self.anchors if score and v == score.value), "")


def sheet_scores(sheet: ScoreSheet) -> dict[int, Score]:
    return {s.indicator_id: s for s in Score.objects.filter(sheet=sheet)}


def sheet_view(sheet: ScoreSheet, indicator_id: Any = None) -> SheetView:
    """Return the sheet page for one indicator (`indicator_id`; default the first unscored, else the first)."""
    indicators = rubric_indicators(sheet.edition.rubric_id)
    if not indicators:
        raise Http404
    scores = sheet_scores(sheet)
    ids = [i.pk for i in indicators]
    try:
        wanted = int(indicator_id) if indicator_id not in (None, "") else None
    except (TypeError, ValueError):
        wanted = None
    if wanted not in ids:
        wanted = next((i for i in ids if i not in scores), ids[0])
    k = ids.index(wanted)
    current = indicators[k]
    item = DossierItem.objects.filter(entry_id=sheet.entry_id, indicator=current).first()
    files = list(DossierFile.objects.filter(entry_id=sheet.entry_id, indicator=current).order_by("pk"))
    figure = (sheet.entry.self_assessment or {}).get(current.prefill_key) if current.prefill_key else None
    rubric = sheet.edition.rubric
    anchors = [(v, str((current.anchors or {}).get(str(v), ""))) for v in range(rubric.scale_min, rubric.scale_max + 1)]
    return SheetView(
        indicators=indicators, scores=scores, current=current,
        next_id=next_unscored(ids, scores, after=wanted),
        prev_id=ids[k - 1] if k > 0 else None,
        narrative=item.narrative if item else "", self_score=item.self_score if item else None,
        files=files, figure=figure if isinstance(figure, dict) else None, anchors=anchors,
    )  # fmt: skip


def next_unscored(ids: list[int], scores: dict[int, Any], *, after: int) -> int | None:
    """Return the next indicator after `after` that has no score (wrapping round), or None when all are scored."""
    k = ids.index(after) if after in ids else -1
    for i in ids[k + 1 :] + ids[: k + 1]:
        if i not in scores and i != after:
            return i
    return None


def sheet_file(sheet: ScoreSheet, file_pk: int) -> DossierFile:
    """Return an evidence file of the sheet's entry (else 404)."""
    f = DossierFile.objects.filter(entry_id=sheet.entry_id, pk=file_pk).first()
    if f is None or not f.file:
        raise Http404
    return f


# --------------------------------------------------------------------------------------------- API reads


def api_sheets(user: Any, *, edition_id: int | None = None) -> QuerySet[ScoreSheet]:
    """Return the sheets the caller may list, each with `n_scored` and `show_scores` (scores prefetched if shown).

    Without `edition_id`: the caller's own sheets (with scores). With it: the caller's own sheets there; an organiser
    gets every sheet of the edition (states, no scores); after publication anyone who may see the edition gets all
    its sheets with scores. An edition the caller may not see is a 404.
    """
    base = ScoreSheet.objects.select_related("entry", "judge__user").annotate(n_scored=Count("scores"))
    if edition_id is None:
        return _with_scores(base.filter(judge__user=user).order_by("-edition_id", "stage", "entry__title", "pk"), True)
    edition = access.get_edition(user, edition_id)
    qs = base.filter(edition=edition).order_by("stage", "entry__title", "judge_id", "pk")
    if edition.is_published:
        return _with_scores(qs, True)
    if access.can_organise(user, edition):
        return _with_scores(qs, False)
    return _with_scores(qs.filter(judge__user=user), True)


def _with_scores(qs: QuerySet[ScoreSheet], show: bool) -> QuerySet[ScoreSheet]:
    qs = qs.annotate(show_scores=Value(show, output_field=BooleanField()))
    if show:
        qs = qs.prefetch_related(Prefetch("scores", queryset=Score.objects.select_related("indicator")))
    return qs


def api_sheet(user: Any, pk: int) -> ScoreSheet:
    """Return a sheet for the API: one's own; after publication anyone who may see its edition (else 404)."""
    sheet = (
        ScoreSheet.objects.select_related("edition__rubric", "entry", "judge__user")
        .prefetch_related(Prefetch("scores", queryset=Score.objects.select_related("indicator")))
        .filter(pk=pk)
        .first()
    )
    if sheet is None:
        raise Http404
    sheet.n_scored = len(sheet.scores.all())  # type: ignore[attr-defined]
    sheet.show_scores = True  # type: ignore[attr-defined]
    if sheet.judge.user_id == getattr(user, "pk", None):
        return sheet
    if sheet.edition.is_published and access.visible_editions(user).filter(pk=sheet.edition_id).exists():
        return sheet
    raise Http404


def organiser_judge(user: Any, pk: int) -> PanelJudge:
    """Return a judge seat for its edition's organiser (else 404 when out of sight, 403 when not theirs)."""
    judge = PanelJudge.objects.select_related("panel__edition", "user").filter(pk=pk).first()
    if judge is None:
        raise Http404
    access.get_edition(user, judge.panel.edition_id, organise=True)
    return judge


def organiser_sheet(user: Any, pk: int) -> ScoreSheet:
    """Return a sheet for its edition's organiser (else 404 when the edition is out of sight, 403 when not theirs)."""
    sheet = ScoreSheet.objects.select_related("edition", "entry", "judge__user").filter(pk=pk).first()
    if sheet is None:
        raise Http404
    access.get_edition(user, sheet.edition_id, organise=True)
    return sheet
