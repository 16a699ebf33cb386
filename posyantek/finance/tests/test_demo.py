"""The demo loads: Mitra Pantura under the Perda with a year of entries, a grant due soon, assets; DKI without Perda."""

from __future__ import annotations

import datetime as dt
import random

from django.core.management import call_command

from posyantek.finance.demo import load_finance
from posyantek.finance.models import Asset, Budget, Entry, EntryMonth, Grant, MonthClose, Regulation
from posyantek.finance.selectors import entry_month_rebuild, grant_lpj, post_balances, rollup

TODAY = dt.date(2026, 6, 15)


def test_load_regulations_is_idempotent(regions) -> None:
    call_command("load_regulations")
    n = Regulation.objects.count()
    call_command("load_regulations")
    assert Regulation.objects.count() == n >= 10
    assert Regulation.objects.get(kind="kepmendagri", number="4", year=2001).amended_by.short == "Permendagri 20/2010"
    assert Regulation.objects.get(kind="permendesa", number="23").articles.count() == 4
    assert Regulation.objects.filter(kind="perda", number="11", year=2008, region_id="33.75").exists()


def test_load_regulations_replaces_the_old_internal_note_once(regions) -> None:
    old = (
        "Pendanaan Posyantek Kota Pekalongan disebut 'sudah diatur Perda' (kunjungan DKI, 2014). Teks, judul dan "
        "pasal Perda 11/2008 belum ditemukan di sumber publik (domain.md §7.4); lengkapi dari Lembaran Daerah."
    )
    perda = Regulation.objects.create(
        kind="perda", number="11", year=2008, region=regions["33.75"], title="Perda 11/2008", note=old
    )
    call_command("load_regulations")
    perda.refresh_from_db()
    assert "domain.md" not in perda.note and "§" not in perda.note
    assert "Judul dan pasal belum diverifikasi dari naskah resmi; lengkapi dari JDIH Kota Pekalongan." in perda.note
    assert not perda.articles.exists()  # no article is made up
    version = perda.version
    call_command("load_regulations")
    perda.refresh_from_db()
    assert perda.version == version  # idempotent
    Regulation.objects.filter(pk=perda.pk).update(note="Catatan pengguna")
    call_command("load_regulations")
    perda.refresh_from_db()
    assert perda.note == "Catatan pengguna"  # a note someone wrote is left alone


def test_demo_loads_pekalongan_and_jakarta(admin, posts) -> None:
    load_finance(admin, random.Random(2014), TODAY)
    mitra = posts["mitra"]
    entries = Entry.objects.filter(post=mitra)
    assert entries.count() > 40 and entries.filter(reverses__isnull=False).count() == 1
    assert MonthClose.objects.filter(post=mitra).count() >= 9
    kept = {
        (r.month, r.cash_account_id, r.kind, r.source, r.account_id): r.total
        for r in EntryMonth.objects.filter(post=mitra)
    }
    assert kept == entry_month_rebuild(mitra)
    assert all(b.balance >= 0 for b in post_balances(mitra).rows)
    grant = Grant.objects.get(post=mitra)
    assert 0 < (grant.report_due - TODAY).days <= 30
    assert grant_lpj(grant).totals.spent == 42_000_000
    assert Asset.objects.filter(post=mitra).count() == 5
    dki_budget = Budget.objects.get(post=posts["dki"], state="disetujui")
    assert not dki_budget.lines.filter(regulation__isnull=False).exists()
    national = rollup(user=admin, region=None, year=TODAY.year)
    by_code = {g.code: g for g in national.groups}
    assert by_code["33"].basis_share == 100.0 and by_code["31"].basis_share == 0.0
