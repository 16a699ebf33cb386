"""The demo reports: Mitra Pantura's quarters received, quarter III waiting, Panjang Wetan's returned."""

from __future__ import annotations

import random
from typing import Any

import pytest
from django.utils import timezone

from posyantek.reports.demo import load_reports
from posyantek.reports.models import Report
from posyantek.reports.selectors import not_reported

pytestmark = pytest.mark.django_db


def test_load_reports_builds_the_story_once(admin: Any, officer: Any, posts: dict[str, Any]) -> None:
    load_reports(admin, random.Random(1), timezone.localdate())
    states = dict(Report.objects.filter(post=posts["mitra"]).values_list("period", "state").filter(kind="pengelolaan"))
    assert states == {"tw1": "diterima", "tw2": "diterima", "tw3": "dikirim"}
    plans = dict(Report.objects.filter(post=posts["mitra"], kind="rencana_kerja").values_list("year", "state"))
    assert plans == {2026: "diterima", 2027: "draf"}
    returned = Report.objects.get(post=posts["wartek"])
    assert returned.state == "dikembalikan" and returned.decision_note
    assert returned.steps.order_by("at").first().at.year == 2026
    assert [p.name for p in not_reported(user=officer, kind="pengelolaan", year=2026, period="tw3")] == [
        "Wartek Panjang Wetan"
    ]
    load_reports(admin, random.Random(1), timezone.localdate())
    assert Report.objects.count() == 6
