"""The skeleton holds together: templates build valid rubrics, fixtures load, the chain links and verifies."""

from __future__ import annotations

from typing import Any

from posyantek.contests import chain
from posyantek.contests.models import ContestLog, Score


def test_template_weights_sum_to_100(rubric: Any) -> None:
    crits = list(rubric.criteria.prefetch_related("indicators"))
    assert sum(c.weight for c in crits) == 100
    for c in crits:
        assert sum(i.weight for i in c.indicators.all()) == 100
    assert rubric.weight_admin + rubric.weight_field + rubric.weight_presentation == 100


def test_chain_detects_direct_score_change(sheets: Any, judge1: Any) -> None:
    sheet = sheets[0]
    ind = sheet.edition.rubric.criteria.first().indicators.first()
    score = Score.objects.create(sheet=sheet, indicator=ind, value=3)
    chain.log_score(actor=judge1, score=score, edition=sheet.edition)
    assert chain.verify().ok
    Score.objects.filter(pk=score.pk).update(value=4)
    report = chain.verify()
    assert not report.ok
    assert "berbeda" in report.problems[0].message


def test_chain_detects_rewritten_link(sheets: Any, judge1: Any) -> None:
    for n in range(3):
        chain.append(actor=judge1, kind=ContestLog.Kind.EDITION, object_key="x", payload={"n": n})
    ContestLog.objects.filter(seq=2).update(payload={"n": 99})
    report = chain.verify()
    assert report.first_broken == 2


def test_access_roles(edition: Any, national: Any, organiser: Any, officer: Any, gambir_manager: Any, admin: Any,
                      panel: Any, judge1: Any, entry: Any) -> None:  # fmt: skip
    from posyantek.contests import access

    assert access.can_organise(organiser, edition)
    assert not access.can_organise(organiser, national)
    assert access.can_organise(admin, national)
    assert not access.can_organise(officer, edition)
    assert edition in access.visible_editions(gambir_manager)
    assert national in access.visible_editions(gambir_manager)
    assert edition not in access.visible_editions(officer)
    assert edition in access.visible_editions(judge1)
    assert access.get_entry(organiser, entry.pk, "organise") == entry
