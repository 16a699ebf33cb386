"""The printed reports: totals printed once, no near-empty last page, the chair's name under the report, LPJ
receipts attached under their own file names, one sign convention for spending."""

from __future__ import annotations

import datetime as dt
import re
import zlib
from typing import Any

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.loader import render_to_string
from django.utils import timezone

from conftest import login
from posyantek.finance import exports, services
from posyantek.finance.models import Account, Entry
from posyantek.finance.selectors import CashBook, CashBookRow
from posyantek.finance.tests.conftest import PDF, TODAY, account, post_entry
from posyantek.people.models import Person
from posyantek.posts.models import BoardTerm, Officer, Post
from posyantek.regions.models import Region


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(dt.datetime(2026, 6, 15, 10, 0, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture
def printed(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """Catch what would go to WeasyPrint: the HTML and the attachments of each PDF."""
    calls: list[dict[str, Any]] = []

    def fake_pdf(html: str, attachments: Any = None) -> bytes:
        calls.append({"html": html, "attachments": attachments or []})
        return b"%PDF-1.7 fake"

    monkeypatch.setattr(exports, "_pdf", fake_pdf)
    return calls


def _board(post: Post, **names: str) -> None:
    term = BoardTerm.objects.create(post=post, starts_on=dt.date(2025, 1, 1), ends_on=dt.date(2029, 12, 31))
    for position, name in names.items():
        person = Person.objects.create(post=post, region_id=post.region_id, name=name)
        Officer.objects.create(term=term, person=person, position=position)


def test_realisation_pdf_is_signed_by_the_chair_when_known(full, officer, printed) -> None:
    post = full["post"]
    c = login(officer)
    assert c.get(f"/keuangan/pos/{post.pk}/realisasi?format=pdf").status_code == 200
    assert "(................................)" in printed[-1]["html"]  # no board on record: the dotted line
    _board(post, ketua="Hj. Siti Aminah", bendahara="Bambang Sutejo")
    assert c.get(f"/keuangan/pos/{post.pk}/realisasi?format=pdf").status_code == 200
    html = printed[-1]["html"]
    assert "Hj. Siti Aminah" in html and "(................................)" not in html
    assert "<tfoot" not in html and html.count('class="total"') == 1
    assert c.get(f"/keuangan/pos/{post.pk}/buku-kas?format=pdf").status_code == 200
    assert "Bambang Sutejo" in printed[-1]["html"]  # the treasurer signs the cash book


def test_cash_book_pdf_has_its_totals_in_the_last_row_not_a_repeated_footer(full, officer, printed) -> None:
    r = login(officer).get(f"/keuangan/pos/{full['post'].pk}/buku-kas?dari=2026-01-01&sampai=2026-12-31&format=pdf")
    html = printed[-1]["html"]
    assert r.status_code == 200 and "<tfoot" not in html
    assert html.count("Jumlah / saldo akhir") == 1
    assert html.rindex("<tr") == html.index('<tr class="total">')  # the table's last row


def _texts(page: Any) -> str:
    out: list[str] = []

    def walk(box: Any) -> None:
        if isinstance(getattr(box, "text", None), str):
            out.append(box.text)
        for child in getattr(box, "children", None) or []:
            walk(child)

    walk(page._page_box)
    return " ".join(out)


def _book(n: int) -> tuple[Post, CashBook]:
    post = Post(name="Posyantek Uji", region_id="33.75", address="Jl. Uji 1")
    post.region = Region(code="33.75", name="Kota Uji")
    acc = Account(code="5.3", name="Belanja bahan", kind="belanja")
    rows, balance = [], 10**9
    for i in range(n):
        e = Entry(
            pk=i + 1,
            date=dt.date(2026, 6, 1),
            kind="keluar",
            source="apbd_kabkota",
            account=acc,
            amount=1000,
            delta=-1000,
            description=f"Baris {i + 1}",
        )
        balance -= 1000
        rows.append(CashBookRow(e, balance))
    return post, CashBook(post, dt.date(2026, 6, 1), dt.date(2026, 6, 30), None, 10**9, rows)


@pytest.mark.parametrize("n", [15, 38])  # sizes where the old footer left a last page with no row on it
def test_cash_book_pdf_prints_the_totals_once_and_never_alone_on_the_last_page(n: int) -> None:
    try:
        from weasyprint import HTML
    except OSError:
        pytest.skip("WeasyPrint's system libraries are missing")
    post, book = _book(n)
    html = render_to_string(
        "finance/pdf/cash_book.html", {"post": post, "book": book, "printed_at": timezone.now(), "logo": ""}
    )
    pages = [_texts(p) for p in HTML(string=html).render().pages]
    assert len(pages) >= 2
    assert [i for i, t in enumerate(pages) if "saldo akhir" in t] == [len(pages) - 1]
    assert "Baris " in pages[-1] and "Bendahara" in pages[-1]


def _streams(pdf: bytes) -> bytes:
    """Return the PDF with its compressed streams inflated, to look for names inside it."""
    out = [pdf]
    for m in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            out.append(zlib.decompress(m.group(1)))
        except zlib.error:
            continue
    return b"\n".join(out)


def test_lpj_pdf_attaches_receipts_under_their_own_names(full, officer, printed, treasurer) -> None:
    grant = full["grant"]
    spent = Entry.objects.get(grant=grant, kind="keluar")
    r = login(officer).get(f"/keuangan/hibah/{grant.pk}/lpj.pdf")
    assert r.status_code == 200
    (call,) = printed
    name = spent.receipt.name.rsplit("/", 1)[-1]  # as stored, as the receipt's download gives it
    assert name.startswith(f"bukti-{spent.pk}") and name.endswith(".pdf")
    assert [(n, data) for n, data, _desc in call["attachments"]] == [(name, PDF)]
    assert 'rel="attachment"' not in call["html"]  # a link to a data: URI would be named attachment.bin


def test_lpj_pdf_bytes_name_the_attachment() -> None:
    try:
        pdf = exports._pdf("<p>LPJ</p>", [("bukti-7.pdf", PDF, "Bukti entri #7")])
    except OSError:
        pytest.skip("WeasyPrint's system libraries are missing")
    body = _streams(pdf)
    assert b"bukti-7.pdf" in body and b"attachment.bin" not in body


def test_lpj_spending_rows_and_total_share_one_sign(full, officer, printed, treasurer) -> None:
    grant, post = full["grant"], full["post"]
    wrong = post_entry(
        treasurer,
        post,
        post.cash_accounts.get(),
        kind="keluar",
        source="csr",
        account=account("5.6"),
        amount=1_000_000,
        grant=grant,
        receipt=SimpleUploadedFile("nota.pdf", PDF),
    )
    services.entry_reverse(actor=treasurer, entry=wrong, reason="Dobel", today=TODAY)
    assert login(officer).get(f"/keuangan/hibah/{grant.pk}/lpj.pdf").status_code == 200
    html = printed[-1]["html"]
    spending = html[html.index("Penggunaan") : html.index("Jumlah penggunaan")]
    assert "Rp 9.000.000" in spending and "-Rp 9.000.000" not in spending  # spending: positive, as its total
    assert "Rp 1.000.000" in spending and "-Rp 1.000.000" in spending  # its reversal gives money back
    total = html[html.index("Jumlah penggunaan") :]
    assert "Rp 9.000.000" in total.split("</tr>")[0]
