"""Scoring: the hand-computed example, stage re-weighting, z-score normalisation, the tie rule and flagged ties."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from posyantek.contests import scoring
from posyantek.contests.models import Edition, Entry, Stage
from posyantek.contests.tests.conftest import make_entry
from posyantek.contests.tests.test_result_helpers import scored_fixture, seat, sheet_with  # noqa: F401 - fixture
from posyantek.posts.models import Post


def test_scoring_hand_computed_example(scored: dict[str, Any]) -> None:
    ranking = scoring.compute(scored["edition"])
    by_entry = {e.entry_id: e for e in ranking.entries}
    gambir, cempaka = by_entry[scored["entry"].pk], by_entry[scored["entry2"].pk]
    assert gambir.final == Decimal("53.333")
    assert cempaka.final == Decimal("66.667")
    assert gambir.criterion_scores == {"A": 66.667, "B": 33.333}
    assert gambir.stage_scores == {Stage.FIELD: 53.333}
    assert [e.entry_id for e in ranking.entries] == [scored["entry2"].pk, scored["entry"].pk]
    assert [e.rank for e in ranking.entries] == [1, 2]
    assert ranking.weights == {Stage.FIELD: 100.0}
    assert ranking.scores == 12 and ranking.sheets == 4
    # judge1's indicator scores 100, 33.3, 66.7, 100, 100, 100: mean 83.333
    st = ranking.stats[(Stage.FIELD, scored["j1"].pk)]
    assert st.n == 6 and round(st.mean, 3) == 83.333


def test_scoring_rescales_stage_weights_and_counts_a_missing_stage_as_zero(scored: dict[str, Any], admin: Any) -> None:
    edition = scored["edition"]
    pres = seat(edition, Stage.PRESENTATION, admin)
    sheet_with(edition, Stage.PRESENTATION, scored["entry"], pres, {"A1": 4, "A2": 4, "B1": 4})
    ranking = scoring.compute(edition)
    # field 40 and presentation 30 are scored; administration is left out and the two re-scaled to 100.
    assert round(ranking.weights[Stage.FIELD], 4) == round(400 / 7, 4)
    by_entry = {e.entry_id: e for e in ranking.entries}
    # Gambir: 4/7 × 53.333 + 3/7 × 100 = 73.333; Cempaka Putih has no presentation sheet: 4/7 × 66.667 = 38.095
    assert by_entry[scored["entry"].pk].final == Decimal("73.333")
    assert by_entry[scored["entry2"].pk].final == Decimal("38.095")
    assert by_entry[scored["entry2"].pk].stage_scores[Stage.PRESENTATION] == 0.0


def test_scoring_ignores_open_sheets_and_withdrawn_entries(scored: dict[str, Any], dki: dict[str, Any]) -> None:
    edition = scored["edition"]
    third = make_entry(edition, dki["matraman"], state=Entry.State.PASSED)
    sheet_with(edition, Stage.FIELD, third, scored["j1"], {"A1": 4, "A2": 4, "B1": 4}, lock=False)
    Entry.objects.filter(pk=scored["entry"].pk).update(state=Entry.State.WITHDRAWN)
    ranking = scoring.compute(edition)
    assert [e.entry_id for e in ranking.entries] == [scored["entry2"].pk]


def _three_posts(dki: dict[str, Any]) -> list[Post]:
    return [dki["gambir"], dki["cempaka"], dki["matraman"]]


def test_normalisation_harsh_and_lenient_judge(edition: Edition, dki: dict[str, Any], judge1: Any,
                                               judge2: Any) -> None:  # fmt: skip
    """The lenient judge scores one entry far above the others; normalised, the harsh judge's order holds too."""
    from posyantek.contests.tests.test_result_helpers import small_rubric

    edition.rubric = small_rubric()
    edition.state = Edition.State.PLENARY
    edition.save()
    e1, e2, e3 = (make_entry(edition, p, state=Entry.State.PASSED) for p in _three_posts(dki))
    harsh, lenient = seat(edition, Stage.FIELD, judge1), seat(edition, Stage.FIELD, judge2)
    # harsh: e1 above e2 and e3 on a narrow low band; lenient: e2 far above e1, e3 at the bottom.
    for e, h, ln in ((e1, 2, 2), (e2, 1, 4), (e3, 1, 1)):
        sheet_with(edition, Stage.FIELD, e, harsh, {"A1": h, "A2": h, "B1": h})
        sheet_with(edition, Stage.FIELD, e, lenient, {"A1": ln, "A2": ln, "B1": ln})
    raw = scoring.compute(edition)
    assert raw.entries[0].entry_id == e2.pk  # lenient judge's wide spread decides
    Edition.objects.filter(pk=edition.pk).update(normalise=True)
    edition.refresh_from_db()
    norm = scoring.compute(edition)
    assert norm.normalise
    # raw: e1 (33.3 + 33.3) / 2 = 33.333 < e2 (0 + 100) / 2 = 50. z-scores: harsh e1 +1.414, e2 −0.707; lenient
    # e1 −0.267, e2 +1.336: the harsh judge's clear preference now counts as much as the lenient one's.
    assert [e.entry_id for e in norm.entries] == [e1.pk, e2.pk, e3.pk]
    assert raw.entries[0].final == Decimal("50.000")
    st = norm.stats[(Stage.FIELD, harsh.pk)]
    assert round(st.mean, 3) == 11.111 and round(st.sd, 3) == 15.713


def test_normalised_judge_with_zero_spread_gets_the_stage_mean() -> None:
    judge = scoring.Stat(3, 50.0, 0.0)
    stage = scoring.Stat(6, 60.0, 10.0)
    assert scoring.normalised(20.0, judge, stage) == 60.0
    assert scoring.normalised(100.0, scoring.Stat(3, 10.0, 1.0), stage) == 100.0  # clamped


def test_tie_rule_e_then_d_and_flagged_tie() -> None:
    def es(pk: int, final: str, e: float, d: float) -> scoring.EntryScore:
        return scoring.EntryScore(pk, {}, {"D": d, "E": e}, Decimal(final))

    entries = [es(1, "70.000", 60, 80), es(2, "70.000", 65, 10), es(3, "70.000", 60, 90), es(4, "80.000", 1, 1),
               es(5, "50.000", 5, 5), es(6, "50.000", 5, 5)]  # fmt: skip
    scoring.rank(entries, ["E", "D"])
    assert [(e.entry_id, e.rank, e.tie) for e in entries] == [
        (4, 1, False), (2, 2, False), (3, 3, False), (1, 4, False), (5, 5, True), (6, 5, True)]  # fmt: skip
    assert "E" in entries[2].tie_note  # 2 beat 3 on E
    assert "D" in entries[3].tie_note  # 3 beat 1 on D
    assert entries[4].tie_note == scoring.PLENARY_TIE


def test_tie_codes_keep_only_the_rubric_codes(edition: Edition) -> None:
    edition.tie_rule = " E, X ,D"
    assert scoring.tie_codes(edition, ["A", "D", "E"]) == ["E", "D"]


def test_scoring_of_a_large_edition_stays_in_sql(scored: dict[str, Any], django_assert_max_num_queries: Any) -> None:
    with django_assert_max_num_queries(4):
        scoring.compute(scored["edition"])


def test_breakdown_matches_the_computed_final(scored: dict[str, Any], organiser: Any) -> None:
    from posyantek.contests import result_services

    edition = scored["edition"]
    Edition.objects.filter(pk=edition.pk).update(normalise=True)
    edition.refresh_from_db()
    result_services.compute(actor=organiser, edition=edition)
    for entry in (scored["entry"], scored["entry2"]):
        entry.refresh_from_db()
        b = scoring.breakdown(edition, entry)
        assert scoring.q3(b.final) == entry.result.final_score
        assert len(b.stages[0].sheets) == 2
        assert b.stages[0].sheets[0].criteria[0].normalised is not None
