"""Fixtures for the report tests: figures counted by a stand-in (the counting itself is tested with the
dashboards), and Mitra Pantura's 2026 quarter III management report at each step up the chain."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from posyantek.reports import figures, services
from posyantek.reports.models import Report

FAKE = {"requests_received": 7, "requests_resolved": 5, "median_days": 3.5, "sales_in_region": 1_250_000,
        "funding": {"APBDes": 2_000_000}, "is_active": True}  # fmt: skip


@pytest.fixture(autouse=True)
def fake_counts(monkeypatch: pytest.MonkeyPatch) -> list[tuple[Any, dt.date, dt.date]]:
    """Count with a stand-in that remembers what it was asked for."""
    calls: list[tuple[Any, dt.date, dt.date]] = []

    def counts(post: Any, start: dt.date, end: dt.date) -> dict[str, Any]:
        calls.append((post, start, end))
        return {**FAKE, "bintek_held": len(calls)}

    monkeypatch.setattr(figures, "_post_counts", counts)
    return calls


def make_report(actor: Any, post: Any, **extra: Any) -> Report:
    data = {"kind": "pengelolaan", "year": 2026, "period": "tw3", **extra}
    return services.report_create(actor=actor, post=post, **data)


@pytest.fixture
def draft(manager: Any, posts: dict[str, Any]) -> Report:
    """Mitra Pantura's management report for 2026 quarter III, as a draft with a summary."""
    report = make_report(manager, posts["mitra"], narrative={"ringkasan": "Triwulan yang sibuk."})
    return report


@pytest.fixture
def verified(draft: Report, manager: Any) -> Report:
    return services.report_verify(actor=manager, report=draft)


@pytest.fixture
def submitted(verified: Report, manager: Any) -> Report:
    return services.report_submit(actor=manager, report=verified)
