"""The ranking of an edition, computed from its locked score sheets (pure: reads the database, writes nothing).

How a final score is made (issue 8 §5, domain.md §6.4), on a 0–100 scale throughout:

1. Each indicator score v on the rubric's scale [min, max] is mapped to x = (v − min) / (max − min) × 100.
2. A judge's **criterion score** for an entry at a stage is the indicator-weighted mean of those x (over the
   indicators the judge scored on the locked sheet).
3. With `edition.normalise` (z-score against harsh or lenient judges): per judge and stage, the mean m_j and
   the spread s_j (population SD) of that judge's x are taken, and every x becomes
   M + (x − m_j) / s_j × S, where M and S are the mean and SD of all judges' x at that stage (a judge whose
   scores are all equal, s_j = 0, gets M). Because the map is linear it is applied to the judge's criterion
   scores (a weighted mean of x), and the result is clamped to 0–100. `JudgeStat` keeps (n, m_j, s_j); M and S
   are pooled back from those rows (`pooled`), so the public explanation recomputes the same numbers.
4. The entry's criterion score at a stage is the mean over that stage's judges; the **stage score** is
   Σ criterion weight × criterion score / Σ criterion weights (= / 100 for a valid rubric). A criterion no judge
   scored counts 0.
5. The **final score** is Σ stage weight × stage score / 100. A stage at which the entry has no locked sheet counts
   0. Stages nobody scored at all in the edition are left out and the remaining stage weights are re-scaled to
   100 (e.g. only field verification 40 % and presentation 30 % scored → 57.14 % and 42.86 %).
6. **Ranking**: descending final score (to 3 decimals, as stored and shown). Equal finals are ordered by the
   edition's tie rule (criterion codes in order, e.g. "E,D"), comparing the stage-weighted criterion scores
   (Σ stage weight × criterion score / 100). Still equal → the same rank, flagged `tie` with "Nilai sama:
   diputuskan rapat pleno". Only entries that are not `gugur`/`mundur` and have at least one locked sheet
   are ranked.

Speed: the scores are summed in the database, one row per (sheet, criterion) — Σ value × indicator weight, Σ
weight, n, Σ value, Σ value² — so Python handles about a fifth of the score rows, never a row per score.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import connections
from django.db.models import Count, F, Sum
from django.utils.translation import gettext as _

from posyantek.contests.models import Criterion, Edition, Entry, Indicator, JudgeStat, Score, ScoreSheet, Stage

#: Entries that are never ranked.
UNRANKED_STATES = (Entry.State.FAILED, Entry.State.WITHDRAWN)
#: Stage order, for stable output.
STAGE_ORDER = [Stage.ADMIN, Stage.FIELD, Stage.PRESENTATION]
PLENARY_TIE = "Nilai sama: diputuskan rapat pleno"


def q3(value: float) -> Decimal:
    """Return `value` as the 3-decimal number that is stored and shown."""
    return Decimal(f"{value:.3f}")


def r3(value: float) -> float:
    return float(q3(value))


@dataclass
class Stat:
    """A judge's (or a stage's pooled) count, mean and SD of 0–100 indicator scores."""

    n: int
    mean: float
    sd: float


def pooled(stats: list[Stat]) -> Stat:
    """Return the mean and population SD of all scores behind several judges' stats."""
    n = sum(s.n for s in stats)
    if not n:
        return Stat(0, 0.0, 0.0)
    mean = sum(s.n * s.mean for s in stats) / n
    second = sum(s.n * (s.sd**2 + s.mean**2) for s in stats) / n
    return Stat(n, mean, math.sqrt(max(second - mean**2, 0.0)))


def normalised(x: float, judge: Stat, stage: Stat) -> float:
    """Return a judge's 0–100 score z-normalised against the stage's pooled scores, clamped to 0–100."""
    value = stage.mean if judge.sd < 1e-9 else stage.mean + (x - judge.mean) / judge.sd * stage.sd
    return min(100.0, max(0.0, value))


def to_100(value: float, lo: int, hi: int) -> float:
    """Map a score on the scale [lo, hi] to 0–100."""
    return (value - lo) / (hi - lo) * 100.0


def stage_weights(rubric: Any, stages: set[str]) -> dict[str, float]:
    """Return the weights of the scored `stages`, re-scaled to sum to 100 (equal shares if all weigh 0)."""
    raw = {s: float(rubric.stage_weight(s)) for s in STAGE_ORDER if s in stages}
    total = sum(raw.values())
    if not raw:
        return {}
    if total <= 0:
        return {s: 100.0 / len(raw) for s in raw}
    return {s: w * 100.0 / total for s, w in raw.items()}


def tie_codes(edition: Edition, codes: list[str]) -> list[str]:
    """Return the criterion codes of the edition's tie rule that the rubric has, in order."""
    wanted = [c.strip() for c in (edition.tie_rule or "").split(",") if c.strip()]
    return [c for c in wanted if c in codes]


@dataclass
class EntryScore:
    """One entry's computed scores and place."""

    entry_id: int
    stage_scores: dict[str, float]
    criterion_scores: dict[str, float]
    final: Decimal
    rank: int = 0
    tie: bool = False
    tie_note: str = ""


@dataclass
class Ranking:
    """An edition's computed ranking (in rank order) and the judges' statistics behind it."""

    entries: list[EntryScore]
    stats: dict[tuple[str, int], Stat]
    weights: dict[str, float]
    normalise: bool
    sheets: int = 0
    scores: int = 0
    criteria: list[str] = field(default_factory=list)

    @property
    def ties(self) -> list[list[EntryScore]]:
        """Groups of entries that share a rank (flagged for the plenary)."""
        groups: dict[int, list[EntryScore]] = defaultdict(list)
        for e in self.entries:
            if e.tie:
                groups[e.rank].append(e)
        return [groups[r] for r in sorted(groups)]


def compute(edition: Edition) -> Ranking:
    """Compute the ranking of `edition` from its locked sheets (see the module docstring)."""
    rubric = edition.rubric
    lo, hi = rubric.scale_min, rubric.scale_max
    k = 100.0 / (hi - lo)
    criteria = list(
        Criterion.objects.filter(rubric=rubric).order_by("order", "code").values_list("pk", "code", "weight")
    )
    crit_code = {pk: code for pk, code, _w in criteria}
    crit_weight = {code: w for _pk, code, w in criteria}
    weight_total = sum(crit_weight.values()) or 100

    sheets = {
        pk: (stage, judge, entry)
        for pk, stage, judge, entry in ScoreSheet.objects.filter(edition=edition, state=ScoreSheet.State.LOCKED)
        .exclude(entry__state__in=UNRANKED_STATES)
        .values_list("pk", "stage", "judge_id", "entry_id")
        .iterator(chunk_size=10000)
    }  # fmt: skip
    # (stage, judge) → [n, Σv, Σv²]; (stage, entry, criterion) → [(judge, criterion score 0–100)]
    moments: dict[tuple[str, int], list[int]] = defaultdict(lambda: [0, 0, 0])
    judged: dict[tuple[str, int, int], list[tuple[int, float]]] = defaultdict(list)
    n_scores = 0
    for sheet_id, crit_id, sw, w, n, sv, sv2 in _sheet_criterion_sums(edition):
        where = sheets.get(sheet_id)
        if where is None or not w:
            continue
        stage, judge, entry = where
        m = moments[(stage, judge)]
        m[0] += n
        m[1] += sv
        m[2] += sv2
        n_scores += n
        judged[(stage, entry, crit_id)].append((judge, (sw / w - lo) * k))

    stats: dict[tuple[str, int], Stat] = {}
    for key, (n, sv, sv2) in moments.items():
        mean = k * (sv - n * lo) / n
        second = k * k * (sv2 - 2 * lo * sv + n * lo * lo) / n
        stats[key] = Stat(n, mean, math.sqrt(max(second - mean * mean, 0.0)))
    stage_stat = {s: pooled([st for (stage, _j), st in stats.items() if stage == s]) for s in STAGE_ORDER}
    weights = stage_weights(rubric, {stage for stage, _j in stats})
    # normalised(x) = M + (x − m_j) / s_j × S, the same arithmetic as `normalised`, without a call per score
    z = {key: (st.mean, st.sd, stage_stat[key[0]]) for key, st in stats.items()}

    # (entry) → stage → code → mean over judges
    per_entry: dict[int, dict[str, dict[str, float]]] = defaultdict(lambda: defaultdict(dict))
    for (stage, entry, crit_id), marks in judged.items():
        total = 0.0
        for judge, x in marks:
            if edition.normalise:
                mj, sj, at = z[(stage, judge)]
                x = at.mean if sj < 1e-9 else at.mean + (x - mj) / sj * at.sd
                x = 0.0 if x < 0.0 else 100.0 if x > 100.0 else x
            total += x
        per_entry[entry][stage][crit_code[crit_id]] = total / len(marks)

    entries = []
    for entry_id, by_stage in per_entry.items():
        stage_scores = {s: sum(crit_weight[c] * v for c, v in by_stage.get(s, {}).items()) / weight_total
                        for s in weights}  # fmt: skip
        crit_totals = {c: sum(weights[s] * by_stage.get(s, {}).get(c, 0.0) for s in weights) / 100.0
                       for c in crit_weight}  # fmt: skip
        final = sum(weights[s] * stage_scores[s] for s in weights) / 100.0
        entries.append(EntryScore(entry_id, {s: r3(v) for s, v in stage_scores.items()},
                                  {c: r3(v) for c, v in crit_totals.items()}, q3(final)))  # fmt: skip
    rank(entries, tie_codes(edition, list(crit_weight)))
    return Ranking(entries=entries, stats=stats, weights=weights, normalise=edition.normalise, sheets=len(sheets),
                   scores=n_scores, criteria=list(crit_weight))  # fmt: skip


def _sheet_criterion_sums(edition: Edition) -> Iterator[tuple[Any, ...]]:
    """Yield (sheet, criterion, Σ value × weight, Σ weight, n, Σ value, Σ value²) over the edition's locked sheets.

    The ORM writes the query; its rows are read from the cursor as they are (plain integers), because turning a
    quarter of a million aggregate rows into model values costs more than the database's work.
    """
    qs = (
        Score.objects.filter(sheet__edition=edition, sheet__state=ScoreSheet.State.LOCKED)
        .values_list("sheet_id", "indicator__criterion_id")
        .annotate(sw=Sum(F("value") * F("indicator__weight")), w=Sum("indicator__weight"), n=Count("pk"),
                  sv=Sum("value"), sv2=Sum(F("value") * F("value")))
        .order_by()
    )  # fmt: skip
    sql, params = qs.query.sql_with_params()
    with connections[qs.db].cursor() as cursor:
        cursor.execute(sql, params)
        while rows := cursor.fetchmany(20000):
            yield from rows


def rank(entries: list[EntryScore], codes: list[str]) -> None:
    """Sort `entries` in place and give them ranks, tie flags and notes (see the module docstring)."""

    keys = {id(e): (e.final, *(q3(e.criterion_scores.get(c, 0.0)) for c in codes)) for e in entries}

    def key(e: EntryScore) -> tuple[Decimal, ...]:
        return keys[id(e)]

    entries.sort(key=lambda e: (tuple(-v for v in key(e)), e.entry_id))
    prev: EntryScore | None = None
    for pos, e in enumerate(entries, 1):
        if prev is not None and key(prev) == key(e):
            e.rank, e.tie, prev.tie = prev.rank, True, True
            e.tie_note = prev.tie_note = PLENARY_TIE
        else:
            e.rank = pos
            if prev is not None and prev.final == e.final:
                decided = next(c for c, a, b in zip(codes, key(prev)[1:], key(e)[1:], strict=True) if a != b)
                note = _("Nilai akhir sama; urutan ditentukan nilai kriteria %(code)s") % {"code": decided}
                e.tie_note = note
                prev.tie_note = prev.tie_note or note
        prev = e


# ---------------------------------------------------------------- explaining one entry's score


@dataclass
class IndicatorLine:
    code: str
    title: str
    weight: int
    value: int
    mapped: float
    note: str


@dataclass
class CriterionLine:
    code: str
    title: str
    weight: int
    raw: float
    normalised: float | None
    indicators: list[IndicatorLine]


@dataclass
class SheetLine:
    """One judge's locked sheet of the entry at a stage."""

    judge: Any
    note: str
    stat: Stat | None
    criteria: list[CriterionLine]


@dataclass
class StageLine:
    stage: str
    label: str
    weight: float
    raw_weight: int
    pooled: Stat
    sheets: list[SheetLine]
    criteria: list[tuple[str, str, int, float]]  # code, title, weight, mean over judges
    score: float


@dataclass
class Breakdown:
    """How one entry's final score was made, from each judge's sheet to the final score."""

    stages: list[StageLine]
    final: float
    scale: tuple[int, int]
    normalise: bool
    criterion_totals: dict[str, float]


def breakdown(edition: Edition, entry: Entry) -> Breakdown:
    """Explain `entry`'s score with the same arithmetic as `compute`, from its sheets and the stored JudgeStats."""
    rubric = edition.rubric
    lo, hi = rubric.scale_min, rubric.scale_max
    criteria = list(Criterion.objects.filter(rubric=rubric).order_by("order", "code"))
    weight_total = sum(c.weight for c in criteria) or 100
    indicators = {i.pk: i for i in Indicator.objects.filter(criterion__rubric=rubric).order_by("order", "code")}
    stats = {(s.stage, s.judge_id): Stat(s.n, s.mean, s.sd) for s in JudgeStat.objects.filter(edition=edition)}
    weights = stage_weights(rubric, {stage for stage, _j in stats})
    sheets = list(
        ScoreSheet.objects.filter(edition=edition, entry=entry, state=ScoreSheet.State.LOCKED)
        .select_related("judge__user")
        .prefetch_related("scores")
        .order_by("stage", "-judge__is_chair", "judge_id")
    )  # fmt: skip
    labels = dict(Stage.choices)
    stages = []
    totals = {c.code: 0.0 for c in criteria}
    final = 0.0
    for stage, weight in weights.items():
        stage_stat = pooled([st for (s, _j), st in stats.items() if s == stage])
        lines: list[SheetLine] = []
        per_crit: dict[str, list[float]] = defaultdict(list)
        for sheet in (s for s in sheets if s.stage == stage):
            by_crit: dict[int, list[Any]] = defaultdict(list)
            for sc in sheet.scores.all():
                ind = indicators.get(sc.indicator_id)
                if ind is not None:
                    by_crit[ind.criterion_id].append((ind, sc))
            stat = stats.get((stage, sheet.judge_id))
            clines = []
            for c in criteria:
                marks = sorted(by_crit.get(c.pk, []), key=lambda p: (p[0].order, p[0].code))
                w = sum(i.weight for i, _s in marks)
                if not w:
                    continue
                raw = to_100(sum(i.weight * s.value for i, s in marks) / w, lo, hi)
                norm = normalised(raw, stat, stage_stat) if edition.normalise and stat else None
                per_crit[c.code].append(norm if norm is not None else raw)
                clines.append(CriterionLine(c.code, c.title, c.weight, raw, norm, [
                    IndicatorLine(i.code, i.title, i.weight, s.value, to_100(s.value, lo, hi), s.note)
                    for i, s in marks]))  # fmt: skip
            lines.append(SheetLine(sheet.judge, sheet.overall_note, stat, clines))
        means = [(c.code, c.title, c.weight, sum(per_crit[c.code]) / len(per_crit[c.code]) if per_crit[c.code]
                  else 0.0) for c in criteria]  # fmt: skip
        score = sum(w * m for _c, _t, w, m in means) / weight_total
        for code, _t, _w, m in means:
            totals[code] += weight * m / 100.0
        final += weight * score / 100.0
        stages.append(StageLine(stage, str(labels[stage]), weight, rubric.stage_weight(stage), stage_stat, lines,
                                means, score))  # fmt: skip
    return Breakdown(stages, final, (lo, hi), edition.normalise, totals)
