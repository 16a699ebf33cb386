"""The demo reports: Mitra Pantura's quarters received, quarter III waiting, Panjang Wetan's returned."""

from __future__ import annotations

import random
from typing import Any

import pytest
from django.utils import timezone

from posyantek.reports.demo import load_reports
from posyantek.reports.models import Report, ReportStep
from posyantek.reports.selectors import not_reported

pytestmark = pytest.mark.django_db


def test_load_reports_builds_the_story_once(admin: Any, officer: Any, manager: Any, staff: Any,
                                           posts: dict[str, Any]) -> None:  # fmt: skip
    load_reports(admin, random.Random(1), timezone.localdate())
    # Each step by someone who may take it: the post's own people, the office's officer; never the admin.
    assert not ReportStep.objects.filter(actor=admin).exists()
    for report in Report.objects.filter(post=posts["mitra"]):
        assert report.created_by == manager
        assert {s.actor for s in report.steps.all() if s.to_state in ("diverifikasi", "dikirim")} <= {manager}
        assert report.decided_by in (None, officer)
    states = dict(Report.objects.filter(post=posts["mitra"]).values_list("period", "state").filter(kind="pengelolaan"))
    assert states == {"tw1": "diterima", "tw2": "diterima", "tw3": "dikirim"}
    plans = dict(Report.objects.filter(post=posts["mitra"], kind="rencana_kerja").values_list("year", "state"))
    assert plans == {2026: "diterima", 2027: "draf"}
    returned = Report.objects.get(post=posts["wartek"])
    assert returned.state == "dikembalikan" and returned.decision_note
    # Written by its staff; Panjang Wetan has no chair, so its verify and submit steps name nobody.
    assert returned.created_by == staff and returned.verified_by is None and returned.decided_by == officer
    assert [s.actor for s in returned.steps.order_by("at", "pk")] == [staff, None, None, officer]
    assert returned.steps.order_by("at").first().at.year == 2026
    assert [p.name for p in not_reported(user=officer, kind="pengelolaan", year=2026, period="tw3")] == [
        "Wartek Panjang Wetan"
    ]
    load_reports(admin, random.Random(1), timezone.localdate())
    assert Report.objects.count() == 6
