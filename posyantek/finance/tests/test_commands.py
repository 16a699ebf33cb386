"""The LPJ reminder job."""

from __future__ import annotations

import datetime as dt
import io

from django.core import mail
from django.core.management import call_command

from posyantek.finance import grant_services


def _grant(actor, post, due):
    return grant_services.grant_create(
        actor=actor,
        data={
            "post": post,
            "giver": "PT Bank Jateng",
            "source": "csr",
            "amount": 1_000_000,
            "purpose": "Alat",
            "starts_on": dt.date(2026, 1, 1),
            "ends_on": dt.date(2026, 6, 1),
            "report_due": due,
        },
    )


def test_remind_lpj_due_mails_the_post_managers_on_the_set_days(treasurer, manager, officer, posts) -> None:
    _grant(treasurer, posts["mitra"], dt.date(2026, 6, 29))  # 14 days ahead: reminded
    _grant(treasurer, posts["mitra"], dt.date(2026, 6, 28))  # 13 days: not today
    _grant(officer, posts["wartek"], dt.date(2026, 6, 8))  # late 7 days; no manager: the city officer
    call_command("remind_lpj_due", "--today", "2026-06-15", stdout=io.StringIO())
    to = sorted(m.to[0] for m in mail.outbox)
    assert to == ["manager@example.id", "officer@example.id"]
    assert "14 hari lagi" in mail.outbox[0].subject or "14 hari lagi" in mail.outbox[1].subject
    out = io.StringIO()
    call_command("remind_lpj_due", "--today", "2026-06-15", "--dry-run", stdout=out)
    assert "terlambat 7 hari" in out.getvalue()
