"""API /api/v1/keuangan: scoping (404/403), the integrity rules as 422, no update or delete of entries, reports."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from conftest import login
from posyantek.finance import grant_services, services
from posyantek.finance.models import Entry, MonthClose
from posyantek.finance.tests.conftest import PDF, TODAY, account, post_entry

API = "/api/v1/keuangan"


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(dt.datetime(2026, 6, 15, 10, 0, tzinfo=dt.UTC), tick=False):
        yield


def _entry(post, cash, **extra):
    return {
        "post_id": post.pk,
        "date": "2026-06-10",
        "kind": "keluar",
        "source": "apbd_kabkota",
        "account_id": account("5.3").pk,
        "cash_account_id": cash.pk,
        "amount": 1_500_000,
        "description": "Konsumsi Bintek",
        **extra,
    }


def test_entries_post_reverse_and_refuse(treasurer, posts, funded) -> None:
    c = login(treasurer)
    post = posts["mitra"]
    r = c.post(f"{API}/entries", _entry(post, funded), content_type="application/json")
    assert r.status_code == 201, r.content
    entry_id = r.json()["id"]
    assert r.json()["delta"] == -1_500_000
    for amount, message in ((1500.5, "bilangan bulat"), (-5, "Paling kecil 1"), (0, "Paling kecil 1")):
        r = c.post(f"{API}/entries", _entry(post, funded, amount=amount), content_type="application/json")
        assert r.status_code == 422 and message in str(r.json()["detail"]), amount
    r = c.post(f"{API}/entries", _entry(post, funded, source="apbn"), content_type="application/json")
    assert r.status_code == 422 and "Tidak ada pagu" in str(r.json()["detail"])
    r = c.post(f"{API}/entries/{entry_id}/reverse", {"reason": "Salah"}, content_type="application/json")
    assert r.status_code == 201 and r.json()["reverses_id"] == entry_id
    rev_id = r.json()["id"]
    r = c.post(f"{API}/entries/{rev_id}/reverse", {"reason": "Lagi"}, content_type="application/json")
    assert r.status_code == 422 and "tidak dapat dibalik lagi" in str(r.json()["detail"])
    assert c.get(f"{API}/entries/{entry_id}").json()["reversed_by_id"] == rev_id
    for method in ("put", "patch", "delete"):
        assert getattr(c, method)(f"{API}/entries/{entry_id}", content_type="application/json").status_code == 405


def test_outsider_404_viewer_403(treasurer, outsider, viewer, posts, funded, perda) -> None:
    entry = Entry.objects.get()
    post = posts["mitra"]
    for who, code in ((outsider, 404), (viewer, 403)):
        c = login(who)
        r = c.post(f"{API}/entries", _entry(post, funded), content_type="application/json")
        assert r.status_code == code, who
        r = c.post(f"{API}/entries/{entry.pk}/reverse", {"reason": "x"}, content_type="application/json")
        assert r.status_code == code
        r = c.post(f"{API}/closings", {"post_id": post.pk, "month": "2026-05-01"}, content_type="application/json")
        assert r.status_code == code
    c = login(outsider)
    for url in (
        f"/entries/{entry.pk}",
        f"/reports/posts/{post.pk}/balance",
        f"/reports/posts/{post.pk}/realisation",
    ):
        assert c.get(API + url).status_code == 404, url
    assert c.get(f"{API}/entries").json()["count"] == 0
    # Regulations are public law: Jakarta reads Pekalongan's Perda, but cannot change it.
    assert c.get(f"{API}/regulations/{perda.pk}").status_code == 200
    assert login(viewer).get(f"{API}/entries/{entry.pk}").status_code == 200


def test_closing_locks_the_month(manager, treasurer, posts, funded) -> None:
    post = posts["mitra"]
    r = login(treasurer).post(
        f"{API}/closings", {"post_id": post.pk, "month": "2026-05-01"}, content_type="application/json"
    )
    assert r.status_code == 403
    r = login(manager).post(
        f"{API}/closings", {"post_id": post.pk, "month": "2026-05-20"}, content_type="application/json"
    )
    assert r.status_code == 201 and r.json()["month"] == "2026-05-01"
    assert MonthClose.objects.count() == 1
    r = login(treasurer).post(
        f"{API}/entries", _entry(post, funded, date="2026-05-31"), content_type="application/json"
    )
    assert r.status_code == 422 and "sudah ditutup" in str(r.json()["detail"])
    r = login(manager).post(
        f"{API}/closings", {"post_id": post.pk, "month": "2026-06-01"}, content_type="application/json"
    )
    assert r.status_code == 422 and "belum berakhir" in str(r.json()["detail"])


def test_budget_flow_and_article_check(treasurer, manager, posts, perda) -> None:
    from posyantek.finance.models import RegulationArticle

    other = RegulationArticle.objects.create(regulation=perda, number="99", summary="x")
    c = login(treasurer)
    r = c.post(f"{API}/budgets", {"post_id": posts["mitra"].pk, "year": 2026}, content_type="application/json")
    assert r.status_code == 201
    budget_id = r.json()["id"]
    line = {
        "source": "apbd_kabkota",
        "account_id": account("5.3").pk,
        "amount": 10_000_000,
        "regulation_id": perda.pk,
        "article_id": perda.articles.get(number="20").pk,
    }
    r = c.post(f"{API}/budgets/{budget_id}/lines", line, content_type="application/json")
    assert r.status_code == 201
    other.regulation = perda
    assert c.post(f"{API}/budgets/{budget_id}/approve", {}, content_type="application/json").status_code == 403
    r = login(manager).post(f"{API}/budgets/{budget_id}/approve", {}, content_type="application/json")
    assert r.status_code == 200 and r.json()["state"] == "disetujui" and r.json()["pagu"] == 10_000_000
    r = c.post(f"{API}/budgets/{budget_id}/lines", {**line, "source": "apbn"}, content_type="application/json")
    assert r.status_code == 422 and "buat revisinya" in str(r.json()["detail"])


def test_grant_lpj_refused_without_receipts(treasurer, manager, posts, cash, budget) -> None:
    post = posts["mitra"]
    grant = grant_services.grant_create(
        actor=treasurer,
        data={
            "post": post,
            "giver": "CSR",
            "source": "csr",
            "amount": 10_000_000,
            "purpose": "Alat",
            "starts_on": dt.date(2026, 1, 1),
            "ends_on": dt.date(2026, 12, 31),
            "report_due": dt.date(2026, 7, 1),
        },
    )
    post_entry(treasurer, post, cash, source="csr", account=account("4.4"), amount=10_000_000, grant=grant)
    spent = post_entry(
        treasurer, post, cash, kind="keluar", source="csr", account=account("5.6"), amount=4_000_000, grant=grant
    )
    c = login(manager)
    r = c.get(f"{API}/grants/{grant.pk}/lpj")
    assert r.status_code == 422 and "belum ada buktinya" in str(r.json()["detail"])
    assert c.post(f"{API}/grants/{grant.pk}/lpj-submitted").status_code == 422
    services.entry_attach_receipt(actor=treasurer, entry=spent, upload=SimpleUploadedFile("n.pdf", PDF))
    r = c.get(f"{API}/grants/{grant.pk}/lpj")
    assert r.status_code == 200 and r.json()["remaining"] == 6_000_000
    r = c.post(f"{API}/grants/{grant.pk}/lpj-submitted")
    assert r.status_code == 200 and r.json()["lpj_submitted_on"] == "2026-06-15"
    assert c.get(f"{API}/grants?post={post.pk}").json()["items"][0]["disbursed"] == 10_000_000


def test_assets_and_reports(treasurer, officer, posts, funded) -> None:
    post = posts["mitra"]
    c = login(treasurer)
    r = c.post(
        f"{API}/assets",
        {
            "post_id": post.pk,
            "name": "Oven",
            "kind": "mesin",
            "origin": "buat_sendiri",
            "value": 2_000_000,
            "acquired_on": "2026-03-03",
        },
        content_type="application/json",
    )
    assert r.status_code == 201
    r = c.patch(f"{API}/assets/{r.json()['id']}", {"lent_to": "KUB"}, content_type="application/json")
    assert r.status_code == 200 and r.json()["lent_to"] == "KUB"
    c = login(officer)
    assert c.get(f"{API}/reports/posts/{post.pk}/balance").json()["total"] == 40_000_000
    r = c.get(f"{API}/reports/posts/{post.pk}/realisation?start=2026-01-01&end=2026-12-31")
    body = r.json()
    assert body["pagu"] == 100_000_000 and body["income"] == 40_000_000 and body["regulation_based"] is True
    r = c.get(f"{API}/reports/posts/{post.pk}/realisation?start=2026-12-31&end=2026-01-01")
    assert r.status_code == 422
    r = c.get(f"{API}/reports/rollup?region=33.75&year=2026")
    body = r.json()
    assert r.status_code == 200 and body["total"]["with_basis"] == 1 and body["posts_count"] == 2
    assert c.get(f"{API}/reports/rollup?region=99&year=2026").status_code == 422


def test_schema_lists_the_finance_api(client) -> None:
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert "422" in paths[f"{API}/entries"]["post"]["responses"]
    assert set(paths[f"{API}/entries/{{entry_id}}"]) == {"get"}
    assert f"{API}/reports/rollup" in paths


def test_reverse_via_api_refuses_a_closed_month_date(treasurer, manager, posts, funded) -> None:
    services.month_close(actor=manager, post=posts["mitra"], month=dt.date(2026, 5, 1), today=TODAY)
    entry = Entry.objects.get()
    r = login(treasurer).post(
        f"{API}/entries/{entry.pk}/reverse", {"reason": "x", "date": "2026-03-01"}, content_type="application/json"
    )
    assert r.status_code == 422 and "sudah ditutup" in str(r.json()["detail"])
