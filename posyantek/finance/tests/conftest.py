"""Fixtures for the money tests: Mitra Pantura's treasurer, its cash box, the Pekalongan Perda and a 2026 budget.

Dates are fixed: "today" is 15 June 2026 (services take `today=`; views run under time-machine).
"""

from __future__ import annotations

import datetime as dt
from importlib import import_module
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from conftest import make_user
from posyantek.finance import budget_services, grant_services, services
from posyantek.finance.models import Account, Asset, Budget, CashAccount, Regulation, RegulationArticle

TODAY = dt.date(2026, 6, 15)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def account(code: str) -> Account:
    ensure_shared_chart()
    return Account.objects.get(post=None, code=code)


def ensure_shared_chart() -> None:
    """Put back the shared chart of accounts (migration 0002) after a transactional test flushed every table."""
    if not Account.objects.filter(post=None).exists():
        from django.apps import apps

        import_module("posyantek.finance.migrations.0002_shared_accounts").add_accounts(apps, None)


@pytest.fixture
def treasurer(posts: dict[str, Any]) -> Any:
    """The treasurer (bendahara) of Mitra Pantura: post staff, records entries."""
    return make_user("bendahara@example.id", ("post_staff", posts["mitra"]))


@pytest.fixture
def perda(regions: dict[str, Any]) -> Regulation:
    """Kota Pekalongan Perda No. 11/2008 with its funding article."""
    reg = Regulation.objects.create(
        kind="perda", number="11", year=2008, region=regions["33.75"], title="Pemberdayaan masyarakat melalui Posyantek"
    )
    RegulationArticle.objects.create(regulation=reg, number="20", summary="Pendanaan dari APBD kota.")
    return reg


@pytest.fixture
def cash(manager: Any, posts: dict[str, Any]) -> CashAccount:
    """Mitra Pantura's petty cash."""
    return services.cash_account_create(actor=manager, post=posts["mitra"], data={"name": "Kas tunai"})


@pytest.fixture
def budget(manager: Any, treasurer: Any, posts: dict[str, Any], perda: Regulation) -> Budget:
    """Mitra Pantura's approved 2026 budget: APBD kota (under the Perda) for Bintek and materials, CSR for tools."""
    b = budget_services.budget_create(actor=treasurer, post=posts["mitra"], year=2026)
    article = perda.articles.get()
    budget_services.budget_line_add(
        actor=treasurer,
        budget=b,
        data={
            "source": "apbd_kabkota",
            "account": account("5.3"),
            "amount": 50_000_000,
            "regulation": perda,
            "article": article,
            "activity": "Bintek kelurahan",
        },
    )
    budget_services.budget_line_add(
        actor=treasurer,
        budget=b,
        data={"source": "apbd_kabkota", "account": account("5.5"), "amount": 20_000_000, "regulation": perda},
    )
    budget_services.budget_line_add(
        actor=treasurer, budget=b, data={"source": "csr", "account": account("5.6"), "amount": 30_000_000}
    )
    return budget_services.budget_approve(actor=manager, budget=b)


def post_entry(actor: Any, post: Any, cash: CashAccount, **extra: Any) -> Any:
    """Post an entry with sensible defaults (income of Rp 10.000.000 from APBD kota on 10 June 2026)."""
    data = {
        "post": post,
        "date": dt.date(2026, 6, 10),
        "kind": "masuk",
        "source": "apbd_kabkota",
        "account": account("4.3"),
        "cash_account": cash,
        "amount": 10_000_000,
        "description": "Transfer APBD",
        **extra,
    }
    return services.entry_post(actor=actor, data=data, today=TODAY)


@pytest.fixture
def funded(treasurer: Any, posts: dict[str, Any], cash: CashAccount, budget: Budget) -> CashAccount:
    """The cash box after Rp 40.000.000 of APBD kota came in on 5 January 2026."""
    post_entry(treasurer, posts["mitra"], cash, date=dt.date(2026, 1, 5), amount=40_000_000)
    return cash


@pytest.fixture
def full(treasurer, posts, funded, perda):
    """Mitra Pantura with a spending, a reversal, a CSR grant (spent with a receipt) and an asset."""
    post = posts["mitra"]
    spent = post_entry(
        treasurer, post, funded, kind="keluar", account=account("5.3"), amount=2_000_000, description="Konsumsi Bintek"
    )
    services.entry_reverse(actor=treasurer, entry=spent, reason="Salah akun", today=TODAY)
    grant = grant_services.grant_create(
        actor=treasurer,
        data={
            "post": post,
            "giver": "PT Bank Jateng",
            "source": "csr",
            "amount": 30_000_000,
            "purpose": "Pengering ikan",
            "starts_on": dt.date(2026, 1, 1),
            "ends_on": dt.date(2026, 12, 31),
            "report_due": dt.date(2026, 7, 1),
        },
    )
    post_entry(treasurer, post, funded, source="csr", account=account("4.4"), amount=30_000_000, grant=grant)
    tool = post_entry(
        treasurer,
        post,
        funded,
        kind="keluar",
        source="csr",
        account=account("5.6"),
        amount=9_000_000,
        grant=grant,
        receipt=SimpleUploadedFile("nota.pdf", PDF),
    )
    grant_services.asset_create(
        actor=treasurer,
        today=TODAY,
        data={
            "post": post,
            "name": "Pengering ikan",
            "kind": "alat",
            "origin": "csr",
            "entry": tool,
            "grant": grant,
            "value": None,
            "acquired_on": TODAY,
        },
    )
    return {
        "post": post,
        "entry": spent,
        "grant": grant,
        "asset": Asset.objects.get(),
        "budget": Budget.objects.get(state="disetujui"),
        "reg": perda,
    }
