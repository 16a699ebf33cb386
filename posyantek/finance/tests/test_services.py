"""Services: the integrity rules of the money, each refused with a clear Indonesian message; audit; scope."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from conftest import make_user
from posyantek.core.models import AuditEvent
from posyantek.finance import budget_services, grant_services, services
from posyantek.finance.models import Budget, Entry, EntryMonth, MonthClose, Regulation, RegulationArticle
from posyantek.finance.selectors import entry_month_rebuild, grant_lpj, post_balances
from posyantek.finance.tests.conftest import PDF, PNG, TODAY, account, post_entry


def _messages(exc: ValidationError) -> str:
    return " ".join(exc.messages)


# --- Amounts --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        (-5000, "tidak boleh negatif"),
        (0, "lebih dari nol"),
        (Decimal("1500.50"), "rupiah bulat"),
        (1500.5, "rupiah bulat"),
        ("1500", "angka rupiah bulat"),
        (10**14, "terlalu besar"),
        (None, "wajib diisi"),
    ],
)
def test_entry_post_rejects_bad_amounts(treasurer, posts, cash, budget, amount, message) -> None:
    with pytest.raises(ValidationError) as exc:
        post_entry(treasurer, posts["mitra"], cash, amount=amount)
    assert message in _messages(exc.value)
    assert not Entry.objects.exists()


def test_entry_post_accepts_whole_decimal(treasurer, posts, cash, budget) -> None:
    entry = post_entry(treasurer, posts["mitra"], cash, amount=Decimal("2500000"))
    assert entry.amount == 2_500_000 and entry.delta == 2_500_000


# --- Posting --------------------------------------------------------------------------------------------------


def test_entry_post_income_and_spending_move_the_balance(treasurer, posts, funded) -> None:
    post_entry(
        treasurer,
        posts["mitra"],
        funded,
        kind="keluar",
        account=account("5.3"),
        amount=7_500_000,
        description="Konsumsi Bintek",
        counterparty="Warung Bu Sri",
    )
    balances = post_balances(posts["mitra"])
    assert balances.total == 32_500_000
    assert services.cash_balance(funded.pk) == 32_500_000
    assert AuditEvent.objects.filter(action="create", content_type__model="entry").count() == 2


def test_entry_post_refuses_spending_from_a_source_without_budget_line(treasurer, posts, funded) -> None:
    with pytest.raises(ValidationError) as exc:
        post_entry(
            treasurer, posts["mitra"], funded, kind="keluar", source="apbn", account=account("5.3"), amount=1_000
        )
    assert "Tidak ada pagu untuk sumber dana APBN" in _messages(exc.value)


def test_entry_post_refuses_spending_without_an_approved_budget(treasurer, posts, cash) -> None:
    post_entry(treasurer, posts["mitra"], cash, amount=5_000_000)
    with pytest.raises(ValidationError) as exc:
        post_entry(treasurer, posts["mitra"], cash, kind="keluar", account=account("5.3"), amount=1_000)
    assert "belum punya anggaran tahun 2026 yang disetujui" in _messages(exc.value)


def test_entry_post_refuses_more_than_the_cash_holds(treasurer, posts, funded) -> None:
    with pytest.raises(ValidationError) as exc:
        post_entry(treasurer, posts["mitra"], funded, kind="keluar", account=account("5.3"), amount=40_000_001)
    assert "tidak cukup" in _messages(exc.value)


def test_entry_post_refuses_the_wrong_kind_of_account(treasurer, posts, funded) -> None:
    with pytest.raises(ValidationError) as exc:
        post_entry(treasurer, posts["mitra"], funded, kind="keluar", account=account("4.3"), amount=1_000)
    assert "akun pendapatan" in _messages(exc.value)


def test_entry_post_refuses_a_future_date_and_another_posts_cash(treasurer, officer, posts, cash, budget) -> None:
    with pytest.raises(ValidationError) as exc:
        post_entry(treasurer, posts["mitra"], cash, date=TODAY + dt.timedelta(days=1))
    assert "masa depan" in _messages(exc.value)
    other = services.cash_account_create(actor=officer, post=posts["wartek"], data={"name": "Kas Wartek"})
    with pytest.raises(ValidationError) as exc:
        post_entry(treasurer, posts["mitra"], other)
    assert "kas/rekening milik pos ini" in _messages(exc.value)


def test_entry_post_needs_edit_rank(viewer, outsider, posts, cash, budget) -> None:
    for who in (viewer, outsider):
        with pytest.raises(PermissionDenied):
            post_entry(who, posts["mitra"], cash)
    assert not Entry.objects.exists()


def test_entry_post_links_an_activity_of_the_same_post_only(treasurer, posts, funded, staff) -> None:
    from posyantek.trainings import services as training_services

    own = training_services.bintek_create(
        actor=treasurer,
        data={
            "title": "Bintek Batik",
            "post": posts["mitra"],
            "starts_on": dt.date(2026, 5, 1),
            "ends_on": dt.date(2026, 5, 1),
        },
    )
    entry = post_entry(
        treasurer, posts["mitra"], funded, kind="keluar", account=account("5.3"), amount=1_000, bintek=own
    )
    assert entry.activity == "Bintek Batik"
    theirs = training_services.bintek_create(
        actor=staff,
        data={
            "title": "Bintek Wartek",
            "post": posts["wartek"],
            "starts_on": dt.date(2026, 5, 1),
            "ends_on": dt.date(2026, 5, 1),
        },
    )
    with pytest.raises(ValidationError) as exc:
        post_entry(
            treasurer, posts["mitra"], funded, kind="keluar", account=account("5.3"), amount=1_000, bintek=theirs
        )
    assert "bukan milik pos yang sama" in _messages(exc.value)


def test_entries_are_never_edited_or_deleted(treasurer, posts, funded) -> None:
    entry = Entry.objects.get()
    entry.amount = 1
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()


# --- Receipts -------------------------------------------------------------------------------------------------


def test_receipt_must_be_pdf_jpg_or_png_and_small(treasurer, posts, cash, budget, settings) -> None:
    with pytest.raises(ValidationError) as exc:
        post_entry(treasurer, posts["mitra"], cash, receipt=SimpleUploadedFile("nota.exe", b"MZ\x90\x00"))
    assert "PDF, JPG atau PNG" in _messages(exc.value)
    with pytest.raises(ValidationError):  # a PDF named .png is still checked by its bytes, and the other way round
        post_entry(treasurer, posts["mitra"], cash, receipt=SimpleUploadedFile("nota.pdf", PNG[:8] + b"x" * 8))
    settings.MAX_UPLOAD_MB = 0
    with pytest.raises(ValidationError) as exc:
        post_entry(treasurer, posts["mitra"], cash, receipt=SimpleUploadedFile("nota.pdf", PDF))
    assert "terlalu besar" in _messages(exc.value)
    settings.MAX_UPLOAD_MB = 10
    entry = post_entry(treasurer, posts["mitra"], cash, receipt=SimpleUploadedFile("nota.png", PNG))
    assert entry.receipt.name.endswith(f"bukti-{entry.pk}.png")


def test_receipt_attached_later_but_not_replaced_in_a_closed_month(treasurer, manager, posts, funded) -> None:
    entry = Entry.objects.get()
    services.entry_attach_receipt(actor=treasurer, entry=entry, upload=SimpleUploadedFile("a.pdf", PDF))
    services.month_close(actor=manager, post=posts["mitra"], month=dt.date(2026, 1, 1), today=TODAY)
    with pytest.raises(ValidationError) as exc:
        services.entry_attach_receipt(actor=treasurer, entry=entry, upload=SimpleUploadedFile("b.pdf", PDF))
    assert "sudah ditutup" in _messages(exc.value)


# --- Reversals ------------------------------------------------------------------------------------------------


def test_entry_reverse_cancels_the_entry_and_links_it(treasurer, posts, funded) -> None:
    wrong = post_entry(treasurer, posts["mitra"], funded, kind="keluar", account=account("5.5"), amount=900_000)
    reversal = services.entry_reverse(actor=treasurer, entry=wrong, reason="Salah ketik", today=TODAY)
    assert reversal.reverses == wrong and reversal.delta == 900_000 and reversal.kind == "keluar"
    assert reversal.date == TODAY
    assert post_balances(posts["mitra"]).total == 40_000_000
    assert "Pembatalan entri" in reversal.description


def test_entry_reverse_refuses_a_reversal_of_a_reversal_and_a_second_reversal(treasurer, posts, funded) -> None:
    entry = Entry.objects.get()
    reversal = services.entry_reverse(actor=treasurer, entry=entry, reason="Salah", today=TODAY)
    with pytest.raises(ValidationError) as exc:
        services.entry_reverse(actor=treasurer, entry=reversal, reason="Lagi", today=TODAY)
    assert "entri pembalik tidak dapat dibalik lagi" in _messages(exc.value)
    with pytest.raises(ValidationError) as exc:
        services.entry_reverse(actor=treasurer, entry=entry, reason="Lagi", today=TODAY)
    assert "sudah dibatalkan" in _messages(exc.value)


def test_entry_reverse_dates_the_reversal_in_an_open_month(treasurer, manager, posts, funded) -> None:
    entry = Entry.objects.get()  # 5 January 2026
    services.month_close(actor=manager, post=posts["mitra"], month=dt.date(2026, 1, 1), today=TODAY)
    with pytest.raises(ValidationError) as exc:
        services.entry_reverse(actor=treasurer, entry=entry, reason="Salah", date=dt.date(2026, 1, 20), today=TODAY)
    assert "sudah ditutup" in _messages(exc.value)
    reversal = services.entry_reverse(
        actor=treasurer, entry=entry, reason="Salah", date=dt.date(2026, 2, 2), today=TODAY
    )
    assert reversal.date == dt.date(2026, 2, 2)
    # January, closed, is unchanged: its income stays; February carries the reversal.
    jan = EntryMonth.objects.get(month=dt.date(2026, 1, 1))
    assert jan.total == 40_000_000
    assert MonthClose.objects.get().totals[str(funded.pk)] == {
        "income": 40_000_000,
        "spending": 0,
        "balance": 40_000_000,
    }


# --- Monthly closing ------------------------------------------------------------------------------------------


def test_month_close_locks_the_month(treasurer, manager, posts, funded) -> None:
    services.month_close(actor=manager, post=posts["mitra"], month=dt.date(2026, 1, 17), today=TODAY)
    with pytest.raises(ValidationError) as exc:
        post_entry(treasurer, posts["mitra"], funded, date=dt.date(2026, 1, 31))
    assert "sudah ditutup sampai bulan Januari 2026" in _messages(exc.value)
    post_entry(treasurer, posts["mitra"], funded, date=dt.date(2026, 2, 1))


def test_month_close_rules(treasurer, manager, posts, funded) -> None:
    with pytest.raises(PermissionDenied):
        services.month_close(actor=treasurer, post=posts["mitra"], month=dt.date(2026, 1, 1), today=TODAY)
    with pytest.raises(ValidationError) as exc:
        services.month_close(actor=manager, post=posts["mitra"], month=dt.date(2026, 6, 1), today=TODAY)
    assert "belum berakhir" in _messages(exc.value)
    services.month_close(actor=manager, post=posts["mitra"], month=dt.date(2026, 3, 1), today=TODAY)
    for month in (dt.date(2026, 3, 1), dt.date(2026, 2, 1)):  # closing March locked February too
        with pytest.raises(ValidationError) as exc:
            services.month_close(actor=manager, post=posts["mitra"], month=month, today=TODAY)
        assert "sudah ditutup sampai bulan Maret 2026" in _messages(exc.value)
    with pytest.raises(ValidationError):
        post_entry(treasurer, posts["mitra"], funded, date=dt.date(2026, 2, 10))
    assert AuditEvent.objects.filter(action="status", content_type__model="monthclose").count() == 1


# --- Budgets and regulations ----------------------------------------------------------------------------------


def test_budget_line_article_must_belong_to_the_regulation(treasurer, posts, perda, regions) -> None:
    other = Regulation.objects.create(kind="permendagri", number="20", year=2010, title="Pemberdayaan TTG")
    foreign = RegulationArticle.objects.create(regulation=other, number="35", summary="Delegasi ke daerah")
    b = budget_services.budget_create(actor=treasurer, post=posts["mitra"], year=2026)
    with pytest.raises(ValidationError) as exc:
        budget_services.budget_line_add(
            actor=treasurer,
            budget=b,
            data={
                "source": "apbd_kabkota",
                "account": account("5.3"),
                "amount": 1_000,
                "regulation": perda,
                "article": foreign,
            },
        )
    assert "Pasal 35 tidak ada di Perda 11/2008" in _messages(exc.value)
    # An article alone brings its regulation.
    line = budget_services.budget_line_add(
        actor=treasurer,
        budget=b,
        data={"source": "apbd_kabkota", "account": account("5.3"), "amount": 1_000, "article": foreign},
    )
    assert line.regulation == other


def test_budget_line_refuses_a_regulation_of_another_region_or_revoked(treasurer, posts, regions) -> None:
    dki = Regulation.objects.create(kind="pergub", number="78", year=2021, region=regions["31"], title="Posyantek")
    gone = Regulation.objects.create(
        kind="perwali", number="1", year=2010, region=regions["33.75"], title="Lama", status="dicabut"
    )
    b = budget_services.budget_create(actor=treasurer, post=posts["mitra"], year=2026)
    for reg, message in ((dki, "tidak berlaku di wilayah pos ini"), (gone, "sudah dicabut")):
        with pytest.raises(ValidationError) as exc:
            budget_services.budget_line_add(
                actor=treasurer,
                budget=b,
                data={"source": "apbd_kabkota", "account": account("5.3"), "amount": 1_000, "regulation": reg},
            )
        assert message in _messages(exc.value)


def test_budget_approve_needs_the_manager_and_revisions_keep_history(treasurer, manager, posts, budget) -> None:
    assert budget.state == "disetujui" and budget.approved_by == manager
    draft = budget_services.budget_revise(actor=treasurer, budget=budget, note="Tambah pagu CSR")
    assert draft.revision == 1 and draft.lines.count() == 3
    line = draft.lines.get(source="csr")
    budget_services.budget_line_remove(actor=treasurer, line=line)
    budget_services.budget_line_add(
        actor=treasurer, budget=draft, data={"source": "csr", "account": account("5.6"), "amount": 45_000_000}
    )
    with pytest.raises(PermissionDenied):
        budget_services.budget_approve(actor=treasurer, budget=draft)
    budget_services.budget_approve(actor=manager, budget=draft)
    states = dict(Budget.objects.filter(post=posts["mitra"], year=2026).values_list("revision", "state"))
    assert states == {0: "diganti", 1: "disetujui"}
    with pytest.raises(ValidationError) as exc:
        budget_services.budget_line_add(
            actor=treasurer,
            budget=Budget.objects.get(revision=1),
            data={"source": "apbn", "account": account("5.3"), "amount": 1},
        )
    assert "buat revisinya" in _messages(exc.value)


def test_budget_line_refuses_duplicate_and_income_account(treasurer, posts, budget) -> None:
    b = budget_services.budget_revise(actor=treasurer, budget=budget)
    with pytest.raises(ValidationError) as exc:
        budget_services.budget_line_add(
            actor=treasurer, budget=b, data={"source": "csr", "account": account("5.6"), "amount": 1}
        )
    assert "Sudah ada pagu" in _messages(exc.value)
    with pytest.raises(ValidationError) as exc:
        budget_services.budget_line_add(
            actor=treasurer, budget=b, data={"source": "csr", "account": account("4.4"), "amount": 1}
        )
    assert "akun belanja" in _messages(exc.value)


def test_regulation_create_scope(officer, manager, admin, regions) -> None:
    reg = budget_services.regulation_create(
        actor=officer,
        data={"kind": "perwali", "number": "5", "year": 2012, "title": "Pedoman", "region": regions["33.75"]},
    )
    assert reg.pk and AuditEvent.objects.filter(object_id=str(reg.pk), content_type__model="regulation").exists()
    with pytest.raises(PermissionDenied):  # a post manager does not make the city's rules
        budget_services.regulation_create(
            actor=manager,
            data={"kind": "perwali", "number": "6", "year": 2012, "title": "X", "region": regions["33.75"]},
        )
    with pytest.raises(PermissionDenied):  # national rules need a national role
        budget_services.regulation_create(
            actor=officer, data={"kind": "permendagri", "number": "20", "year": 2010, "title": "X", "region": None}
        )
    with pytest.raises(ValidationError) as exc:
        budget_services.regulation_create(
            actor=officer,
            data={"kind": "perwali", "number": "5", "year": 2012, "title": "Dua kali", "region": regions["33.75"]},
        )
    assert "sudah tercatat" in _messages(exc.value)
    national = budget_services.regulation_create(
        actor=admin, data={"kind": "permendagri", "number": "20", "year": 2010, "title": "TTG", "region": None}
    )
    with pytest.raises(ValidationError) as exc:  # "amended" needs what amended it
        budget_services.regulation_update(actor=admin, regulation=national, data={"status": "diubah"})
    assert "mengubahnya" in _messages(exc.value)
    newer = budget_services.regulation_create(
        actor=admin, data={"kind": "permendesa", "number": "23", "year": 2017, "title": "TTG desa", "region": None}
    )
    national = budget_services.regulation_update(
        actor=admin, regulation=national, data={"status": "diubah", "amended_by": newer}
    )
    assert national.amended_by == newer


# --- Grants ---------------------------------------------------------------------------------------------------


def _grant(actor, post, **extra):
    data = {
        "post": post,
        "giver": "PT Bank Jateng (CSR)",
        "source": "csr",
        "amount": 30_000_000,
        "purpose": "Alat pengering ikan",
        "starts_on": dt.date(2026, 1, 1),
        "ends_on": dt.date(2026, 12, 31),
        "report_due": dt.date(2027, 1, 31),
        **extra,
    }
    return grant_services.grant_create(actor=actor, data=data)


def test_grant_disbursement_and_spending_limits(treasurer, posts, cash, budget) -> None:
    grant = _grant(treasurer, posts["mitra"])
    with pytest.raises(ValidationError) as exc:
        post_entry(
            treasurer, posts["mitra"], cash, source="csr", account=account("4.4"), amount=30_000_001, grant=grant
        )
    assert "melebihi nilai hibah" in _messages(exc.value)
    post_entry(treasurer, posts["mitra"], cash, source="csr", account=account("4.4"), amount=20_000_000, grant=grant)
    with pytest.raises(ValidationError) as exc:
        post_entry(
            treasurer,
            posts["mitra"],
            cash,
            kind="keluar",
            source="csr",
            account=account("5.6"),
            amount=20_000_001,
            grant=grant,
        )
    assert "melebihi dana yang sudah cair" in _messages(exc.value)
    with pytest.raises(ValidationError) as exc:
        post_entry(treasurer, posts["mitra"], cash, source="apbd_kabkota", amount=1_000, grant=grant)
    assert "sumber hibah" in _messages(exc.value)


def test_grant_refuses_a_regulation_of_another_region_or_revoked(treasurer, posts, regions, perda) -> None:
    """The same check as a budget line's: the basis applies in the post's region and is not revoked."""
    dki = Regulation.objects.create(kind="pergub", number="78", year=2021, region=regions["31"], title="Posyantek")
    gone = Regulation.objects.create(
        kind="perwali", number="1", year=2010, region=regions["33.75"], title="Lama", status="dicabut"
    )
    for reg, message in ((dki, "Pergub 78/2021 tidak berlaku di wilayah pos ini"), (gone, "sudah dicabut")):
        with pytest.raises(ValidationError) as exc:
            _grant(treasurer, posts["mitra"], regulation=reg)
        assert message in exc.value.message_dict["regulation"][0]
    assert not posts["mitra"].finance_grants.exists()
    grant = _grant(treasurer, posts["mitra"], regulation=perda)  # the city's Perda covers the post
    with pytest.raises(ValidationError) as exc:
        grant_services.grant_update(actor=treasurer, grant=grant, data={"regulation": dki})
    assert "tidak berlaku di wilayah pos ini" in _messages(exc.value)


def test_grant_keeps_a_basis_revoked_after_it_was_recorded(treasurer, posts, perda) -> None:
    grant = _grant(treasurer, posts["mitra"], regulation=perda)
    Regulation.objects.filter(pk=perda.pk).update(status="dicabut")
    grant.refresh_from_db()
    updated = grant_services.grant_update(
        actor=treasurer, grant=grant, data={"regulation": grant.regulation, "purpose": "Alat pengering ikan 2"}
    )
    assert updated.regulation_id == perda.pk and updated.purpose == "Alat pengering ikan 2"


def test_lpj_refused_while_grant_spending_has_no_receipt(treasurer, manager, posts, cash, budget) -> None:
    grant = _grant(treasurer, posts["mitra"])
    post_entry(treasurer, posts["mitra"], cash, source="csr", account=account("4.4"), amount=30_000_000, grant=grant)
    spent = post_entry(
        treasurer,
        posts["mitra"],
        cash,
        kind="keluar",
        source="csr",
        account=account("5.6"),
        amount=12_000_000,
        grant=grant,
    )
    with pytest.raises(ValidationError) as exc:
        grant_lpj(grant)
    assert f"#{spent.pk}" in _messages(exc.value) and "belum ada buktinya" in _messages(exc.value)
    with pytest.raises(ValidationError):
        grant_services.grant_lpj_submit(actor=manager, grant=grant)
    services.entry_attach_receipt(actor=treasurer, entry=spent, upload=SimpleUploadedFile("nota.pdf", PDF))
    lpj = grant_lpj(grant)
    assert lpj.totals.disbursed == 30_000_000 and lpj.totals.spent == 12_000_000 and lpj.totals.remaining == 18_000_000
    grant_services.grant_lpj_submit(actor=manager, grant=grant)
    with pytest.raises(ValidationError) as exc:
        post_entry(
            treasurer, posts["mitra"], cash, kind="keluar", source="csr", account=account("5.6"), amount=1, grant=grant
        )
    assert "LPJ hibah ini sudah disampaikan" in _messages(exc.value)


def test_reversed_grant_spending_needs_no_receipt(treasurer, posts, cash, budget) -> None:
    grant = _grant(treasurer, posts["mitra"])
    post_entry(treasurer, posts["mitra"], cash, source="csr", account=account("4.4"), amount=5_000_000, grant=grant)
    spent = post_entry(
        treasurer,
        posts["mitra"],
        cash,
        kind="keluar",
        source="csr",
        account=account("5.6"),
        amount=1_000_000,
        grant=grant,
    )
    services.entry_reverse(actor=treasurer, entry=spent, reason="Batal beli", today=TODAY)
    assert grant_lpj(grant).totals.spent == 0


# --- Assets ---------------------------------------------------------------------------------------------------


def test_asset_links_the_entry_that_paid_for_it(treasurer, posts, funded) -> None:
    bought = post_entry(treasurer, posts["mitra"], funded, kind="keluar", account=account("5.5"), amount=4_500_000)
    asset = grant_services.asset_create(
        actor=treasurer,
        today=TODAY,
        data={
            "post": posts["mitra"],
            "name": "Mesin pres batik",
            "kind": "mesin",
            "origin": "beli",
            "entry": bought,
            "value": None,
            "acquired_on": dt.date(2026, 6, 10),
            "location": "Bengkel",
        },
    )
    assert asset.value == 4_500_000
    income = Entry.objects.filter(kind="masuk").first()
    with pytest.raises(ValidationError) as exc:
        grant_services.asset_create(
            actor=treasurer,
            today=TODAY,
            data={
                "post": posts["mitra"],
                "name": "X",
                "kind": "alat",
                "origin": "beli",
                "entry": income,
                "value": 1,
                "acquired_on": dt.date(2026, 6, 10),
            },
        )
    assert "entri pengeluaran" in _messages(exc.value)
    grant_services.asset_update(
        actor=treasurer, asset=asset, data={"lent_to": "KUB Mina Sejahtera", "condition": "rusak_ringan"}
    )
    assert AuditEvent.objects.filter(content_type__model="asset", action="update").exists()


# --- Monthly sums ---------------------------------------------------------------------------------------------


def test_monthly_sums_equal_the_entries(treasurer, posts, funded) -> None:
    e = post_entry(treasurer, posts["mitra"], funded, kind="keluar", account=account("5.3"), amount=3_000_000)
    services.entry_reverse(actor=treasurer, entry=e, reason="x", today=TODAY)
    kept = {(r.month, r.cash_account_id, r.kind, r.source, r.account_id): r.total for r in EntryMonth.objects.all()}
    assert kept == entry_month_rebuild(posts["mitra"])


def test_a_second_user_cannot_see_a_post_outside_scope(posts) -> None:
    stranger = make_user("x@example.id", ("post_staff", posts["dki"]))
    assert not Entry.objects.for_user(stranger).exists()
