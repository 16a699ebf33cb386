"""Expiry reminders with a fixed clock: 90 and 30 days before the end, once each, the most urgent one when late."""

from __future__ import annotations

import datetime as dt
import io

import time_machine
from django.core import mail
from django.core.management import call_command

from conftest import make_user
from posyantek.accounts.models import Grant
from posyantek.core.models import AuditEvent
from posyantek.partnerships import agreement_services
from posyantek.partnerships.models import AgreementReminder
from posyantek.partnerships.reminders import agreements_remind_expiring, due_reminders_unscoped, upcoming_reminders
from posyantek.partnerships.tests.conftest import add_partner, explore, sign

END = dt.date(2027, 6, 30)


def _running(manager, posts, **extra):
    partner = add_partner(manager, posts["mitra"])
    ag = explore(manager, posts["mitra"], title="Kerja sama pengering ikan", number="07/PKS/MP/2025",
                 starts_on=dt.date(2025, 7, 1), ends_on=END, **extra)  # fmt: skip
    ag = sign(manager, ag, partner, signed_on=dt.date(2025, 6, 20))
    return agreement_services.agreement_advance(actor=manager, agreement=ag, state="berjalan")


def test_reminders_go_90_then_30_days_before_and_never_twice(manager, posts) -> None:
    ag = _running(manager, posts)
    assert agreements_remind_expiring(today=END - dt.timedelta(days=91)) == []
    sent = agreements_remind_expiring(today=END - dt.timedelta(days=90))
    assert [(d.agreement, d.days_before, d.recipients) for d in sent] == [(ag, 90, ["manager@example.id"])]
    msg = mail.outbox[0]
    assert msg.to == ["manager@example.id"] and "Kerja sama pengering ikan berakhir 30 Juni 2027" in msg.subject
    assert msg.body.startswith("Kerja sama Kerja sama pengering ikan (nomor 07/PKS/MP/2025) milik Posyantek Mitra "
                               "Pantura berakhir pada 30 Juni 2027, 90 hari lagi.")  # fmt: skip
    assert "Universitas Pekalongan (UNIKAL)" in msg.body and f"/kemitraan/{ag.pk}/" in msg.body
    # A rerun the same day, and the days after, send nothing more until 30 days before.
    assert agreements_remind_expiring(today=END - dt.timedelta(days=90)) == []
    assert agreements_remind_expiring(today=END - dt.timedelta(days=45)) == []
    assert [d.days_before for d in agreements_remind_expiring(today=END - dt.timedelta(days=30))] == [30]
    assert agreements_remind_expiring(today=END - dt.timedelta(days=29)) == []
    assert agreements_remind_expiring(today=END) == []
    assert len(mail.outbox) == 2 and "30 hari lagi" in mail.outbox[1].body
    assert list(AgreementReminder.objects.values_list("days_before", flat=True).order_by("days_before")) == [30, 90]
    history = [
        e.changes["pengingat"][1] for e in AuditEvent.objects.for_object(ag).filter(changes__has_key="pengingat")
    ]
    assert sorted(history) == ["H-30 → manager@example.id", "H-90 → manager@example.id"]


def test_a_late_run_sends_only_the_most_urgent_reminder(manager, posts) -> None:
    _running(manager, posts)
    sent = agreements_remind_expiring(today=END - dt.timedelta(days=20))
    assert [d.days_before for d in sent] == [30] and len(mail.outbox) == 1
    assert agreements_remind_expiring(today=END - dt.timedelta(days=10)) == []
    assert not AgreementReminder.objects.filter(days_before=90).exists()


def test_only_agreements_in_force_are_reminded(manager, posts) -> None:
    ag = _running(manager, posts)
    draft = explore(manager, posts["mitra"], title="Masih draf", ends_on=END)
    ag = agreement_services.agreement_advance(actor=manager, agreement=ag, state="dievaluasi", evaluation="Baik")
    assert [d.agreement for d in due_reminders_unscoped(today=END - dt.timedelta(days=5))] == [ag]
    agreement_services.agreement_advance(actor=manager, agreement=ag, state="berakhir")
    assert due_reminders_unscoped(today=END - dt.timedelta(days=5)) == []
    assert draft.reminders.count() == 0


def test_a_new_end_date_arms_the_reminders_again(manager, posts) -> None:
    ag = _running(manager, posts)
    agreements_remind_expiring(today=END - dt.timedelta(days=30))
    ag = agreement_services.agreement_update(actor=manager, agreement=ag, data={"ends_on": END + dt.timedelta(days=60)})
    assert [d.days_before for d in agreements_remind_expiring(today=END)] == [90]


def test_without_a_manager_the_post_managers_are_reminded(manager, officer, posts) -> None:
    ag = _running(manager, posts)
    second = make_user("kedua@example.id", ("post_manager", posts["mitra"]))
    manager.is_active = False
    manager.save()
    assert Grant.objects.filter(post=posts["mitra"], role="post_manager").count() == 2
    sent = agreements_remind_expiring(today=END - dt.timedelta(days=60))
    assert sent[0].recipients == [second.email] and mail.outbox[0].to == [second.email]
    assert ag.reminders.get().recipients == second.email


def test_a_manager_who_lost_the_post_is_not_reminded(manager, officer, posts) -> None:
    ag = _running(manager, posts)
    ag = agreement_services.agreement_update(actor=manager, agreement=ag, data={"manager": officer})
    Grant.objects.filter(user=officer).delete()  # moved to another office: still active, no longer on the post
    sent = agreements_remind_expiring(today=END - dt.timedelta(days=60))
    assert sent[0].recipients == [manager.email] and ag.reminders.get().recipients == manager.email


def test_the_command_with_a_fixed_clock_and_a_dry_run(manager, posts) -> None:
    _running(manager, posts)
    out = io.StringIO()
    call_command("remind_agreements_expiring", "--today", "2027-03-01", "--dry-run", stdout=out)
    # Nothing due: it says so, and when the next one falls due.
    assert out.getvalue().splitlines() == [
        "Uji coba untuk 1 Maret 2027: tidak ada yang dikirim atau dicatat.",
        "Tidak ada pengingat kerja sama yang jatuh pada 1 Maret 2027.",
        "Berikutnya: 1 April 2027, H-90 · Kerja sama pengering ikan (Posyantek Mitra Pantura), berakhir 30 Juni 2027.",
    ]
    out = io.StringIO()
    call_command("remind_agreements_expiring", "--today", "2027-05-01", "--dry-run", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[1] == ("  H-90 · Kerja sama pengering ikan (Posyantek Mitra Pantura) · berakhir 30 Juni 2027, 60 hari "
                        "lagi → manager@example.id")  # fmt: skip
    assert lines[2] == "1 pengingat akan dikirim." and not mail.outbox
    with time_machine.travel(dt.datetime(2027, 6, 1, 8, 0, tzinfo=dt.UTC), tick=False):
        out = io.StringIO()
        call_command("remind_agreements_expiring", stdout=out)
        assert "H-30 · Kerja sama pengering ikan" in out.getvalue() and "1 pengingat terkirim." in out.getvalue()
        out = io.StringIO()
        call_command("remind_agreements_expiring", stdout=out)
        assert out.getvalue().strip() == "0 pengingat terkirim."  # nothing twice, and nothing left to come
    assert len(mail.outbox) == 1 and "29 hari lagi" in mail.outbox[0].body
    reminder = AgreementReminder.objects.get()
    assert reminder.days_before == 30 and reminder.sent_at == dt.datetime(2027, 6, 1, 8, 0, tzinfo=dt.UTC)


def test_the_command_names_a_reminder_no_one_can_get(manager, posts) -> None:
    ag = _running(manager, posts)
    Grant.objects.filter(user=manager).delete()  # the manager left the post, and it has no other manager
    assert due_reminders_unscoped(today=END - dt.timedelta(days=20))[0].recipients == []
    out, err = io.StringIO(), io.StringIO()
    call_command("remind_agreements_expiring", "--today", (END - dt.timedelta(days=20)).isoformat(), stdout=out,
                 stderr=err)  # fmt: skip
    assert "0 pengingat terkirim." in out.getvalue() and not mail.outbox
    assert f"Tidak terkirim: H-30 · {ag.title}" in err.getvalue() and "tidak ada penerima" in err.getvalue()


def test_the_page_tells_which_reminder_comes_next(manager, posts) -> None:
    ag = _running(manager, posts)
    assert upcoming_reminders(ag, [], today=END - dt.timedelta(days=200)) == [(90, dt.date(2027, 4, 1)),
                                                                             (30, dt.date(2027, 5, 31))]  # fmt: skip
    late = END - dt.timedelta(days=20)  # found late: only the most urgent goes out, on the next run
    assert upcoming_reminders(ag, [], today=late) == [(30, late)]
    agreements_remind_expiring(today=END - dt.timedelta(days=90))
    assert upcoming_reminders(ag, list(ag.reminders.all()), today=END - dt.timedelta(days=89)) == [
        (30, dt.date(2027, 5, 31))
    ]
    agreements_remind_expiring(today=END - dt.timedelta(days=30))
    assert upcoming_reminders(ag, list(ag.reminders.all()), today=END - dt.timedelta(days=29)) == []
    assert upcoming_reminders(ag, [], today=END + dt.timedelta(days=1)) == []  # past its end
