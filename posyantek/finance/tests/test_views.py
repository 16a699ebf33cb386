"""Pages: access (outsider 404, too-low role 403), the treasurer's day, lists with query budgets, exports, PDF."""

from __future__ import annotations

import datetime as dt
import io

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from conftest import login
from posyantek.finance.models import Asset, Budget, Entry, Grant, MonthClose
from posyantek.finance.tests.conftest import PDF, account, post_entry


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(dt.datetime(2026, 6, 15, 10, 0, tzinfo=dt.UTC), tick=False):
        yield


def _pages(d) -> list[str]:
    p, e, g, a, b = d["post"].pk, d["entry"].pk, d["grant"].pk, d["asset"].pk, d["budget"].pk
    return [
        f"/keuangan/pos/{p}/",
        f"/keuangan/kas/{e}/",
        f"/keuangan/hibah/{g}/",
        f"/keuangan/aset/{a}/",
        f"/keuangan/anggaran/{b}/",
        f"/keuangan/pos/{p}/realisasi",
        f"/keuangan/pos/{p}/buku-kas",
        f"/keuangan/hibah/{g}/lpj.xlsx",
    ]


def _edit_pages(d) -> list[str]:
    p = d["post"].pk
    return [
        f"/keuangan/pos/{p}/kas/baru",
        f"/keuangan/pos/{p}/anggaran/baru",
        f"/keuangan/pos/{p}/hibah/baru",
        f"/keuangan/pos/{p}/aset/baru",
        f"/keuangan/hibah/{d['grant'].pk}/ubah",
        f"/keuangan/aset/{d['asset'].pk}/ubah",
    ]


def _posts(d) -> list[str]:
    p, e, b = d["post"].pk, d["entry"].pk, d["budget"].pk
    return [
        f"/keuangan/pos/{p}/tutup-buku",
        f"/keuangan/pos/{p}/kas-baru",
        f"/keuangan/pos/{p}/akun-baru",
        f"/keuangan/kas/{e}/batal",
        f"/keuangan/kas/{e}/bukti",
        f"/keuangan/anggaran/{b}/setujui",
        f"/keuangan/anggaran/{b}/revisi",
        f"/keuangan/anggaran/{b}/rincian",
        f"/keuangan/hibah/{d['grant'].pk}/lpj-disampaikan",
    ]


def test_outsider_gets_404_everywhere(full, outsider) -> None:
    c = login(outsider)
    for url in _pages(full) + _edit_pages(full):
        assert c.get(url).status_code == 404, url
    for url in _posts(full):
        assert c.post(url).status_code == 404, url
    for url in ("/keuangan/kas/", "/keuangan/hibah/", "/keuangan/aset/", "/keuangan/anggaran/"):
        body = c.get(url).content.decode()
        assert "Mitra Pantura" not in body, url
    # A city's Perda is public law: Jakarta reads it (to learn from it) but cannot change it.
    assert c.get(f"/keuangan/peraturan/{full['reg'].pk}/").status_code == 200
    assert c.get(f"/keuangan/peraturan/{full['reg'].pk}/ubah").status_code == 403


def test_viewer_reads_but_gets_403_on_writes(full, viewer) -> None:
    c = login(viewer)
    for url in _pages(full):
        assert c.get(url).status_code == 200, url
    for url in _edit_pages(full):
        assert c.get(url).status_code == 403, url
    for url in _posts(full):
        assert c.post(url).status_code == 403, url


def test_post_only_views_reject_get(full, treasurer) -> None:
    c = login(treasurer)
    for url in _posts(full):
        assert c.get(url).status_code == 405, url


def test_treasurer_records_reverses_and_cannot_close(full, treasurer) -> None:
    c = login(treasurer)
    post = full["post"]
    r = c.post(
        f"/keuangan/pos/{post.pk}/kas/baru",
        {
            "date": "2026-06-12",
            "kind": "keluar",
            "source": "apbd_kabkota",
            "account": account("5.5").pk,
            "cash_account": post.cash_accounts.get().pk,
            "amount": "1.250.000",
            "description": "Bahan batik",
            "receipt": SimpleUploadedFile("nota.pdf", PDF),
        },
    )
    assert r.status_code == 302
    entry = Entry.objects.get(description="Bahan batik")
    assert entry.amount == 1_250_000 and entry.receipt
    r = c.post(f"/keuangan/kas/{entry.pk}/batal", {"reason": "Dobel"})
    assert r.status_code == 302 and entry.reversed_by
    assert c.post(f"/keuangan/pos/{post.pk}/tutup-buku", {"month": "2026-05"}).status_code == 403
    assert c.post(f"/keuangan/anggaran/{full['budget'].pk}/setujui").status_code == 403


def test_entry_form_shows_the_refusal_next_to_the_field(full, treasurer) -> None:
    c = login(treasurer)
    post = full["post"]
    r = c.post(
        f"/keuangan/pos/{post.pk}/kas/baru",
        {
            "date": "2026-06-12",
            "kind": "keluar",
            "source": "apbn",
            "account": account("5.5").pk,
            "cash_account": post.cash_accounts.get().pk,
            "amount": "1000",
            "description": "X",
        },
    )
    assert r.status_code == 422
    assert "Tidak ada pagu untuk sumber dana APBN" in r.content.decode()
    r = c.post(
        f"/keuangan/pos/{post.pk}/kas/baru",
        {
            "date": "2026-06-12",
            "kind": "masuk",
            "source": "apbn",
            "account": account("4.3").pk,
            "cash_account": post.cash_accounts.get().pk,
            "amount": "-5",
            "description": "X",
        },
    )
    assert r.status_code == 422 and "negatif" in r.content.decode()


def test_manager_closes_a_month_and_approves(full, manager) -> None:
    c = login(manager)
    post = full["post"]
    r = c.post(f"/keuangan/pos/{post.pk}/tutup-buku", {"month": "2026-05"})
    assert r.status_code == 302 and MonthClose.objects.filter(month=dt.date(2026, 5, 1)).exists()
    r = c.post(f"/keuangan/anggaran/{full['budget'].pk}/revisi")
    draft = Budget.objects.get(state="draf")
    assert r.status_code == 302 and r["Location"] == draft.get_absolute_url()
    assert c.post(f"/keuangan/anggaran/{draft.pk}/setujui").status_code == 302
    assert Budget.objects.get(pk=draft.pk).state == "disetujui"


def test_lists_stay_within_query_budgets(full, officer, django_assert_max_num_queries) -> None:
    c = login(officer)
    for url in (
        "/keuangan/",
        "/keuangan/kas/",
        "/keuangan/anggaran/",
        "/keuangan/hibah/",
        "/keuangan/aset/",
        "/keuangan/peraturan/",
        "/keuangan/realisasi/",
        f"/keuangan/pos/{full['post'].pk}/",
    ):
        with django_assert_max_num_queries(25):
            assert c.get(url).status_code == 200, url


def test_cash_book_list_fragment_and_exports(full, officer) -> None:
    c = login(officer)
    r = c.get(f"/keuangan/kas/?post={full['post'].pk}", HTTP_HX_REQUEST="true")
    assert r.status_code == 200 and "<html" not in r.content.decode()
    r = c.get(f"/keuangan/kas/?post={full['post'].pk}&format=xlsx")
    ws = load_workbook(io.BytesIO(r.content)).active
    assert ws["A1"].value == "Nomor" and ws.max_row == 1 + Entry.objects.count()
    r = c.get(f"/keuangan/kas/?post={full['post'].pk}&format=csv")
    assert "Konsumsi Bintek" in r.content.decode("utf-8-sig")


def test_realisation_report_and_cash_book_print(full, officer) -> None:
    c = login(officer)
    post = full["post"]
    r = c.get(f"/keuangan/pos/{post.pk}/realisasi?dari=2026-01-01&sampai=2026-12-31")
    body = r.content.decode()
    assert r.status_code == 200 and "Perda 11/2008" in body and "Rp 9.000.000" in body
    r = c.get(f"/keuangan/pos/{post.pk}/realisasi?dari=2026-01-01&sampai=2026-12-31&format=xlsx")
    ws = load_workbook(io.BytesIO(r.content)).active
    assert ws["A1"].value == "Sumber dana"
    r = c.get(f"/keuangan/pos/{post.pk}/buku-kas?bulan=2026-06&format=xlsx")
    ws = load_workbook(io.BytesIO(r.content)).active
    rows = list(ws.values)
    assert rows[1][2] == "Saldo awal" and rows[1][9] == 40_000_000  # January's income
    assert rows[-1][9] == 40_000_000 - 9_000_000 + 30_000_000
    r = c.get(f"/keuangan/pos/{post.pk}/realisasi?dari=2026-12-31&sampai=2026-01-01")
    assert r.status_code == 422


@pytest.mark.parametrize(
    "url",
    ["/keuangan/pos/{p}/realisasi?format=pdf", "/keuangan/pos/{p}/buku-kas?format=pdf", "/keuangan/hibah/{g}/lpj.pdf"],
)
def test_pdfs_on_the_letterhead(full, officer, url) -> None:
    full["post"].logo.save("logo.png", io.BytesIO(_png()), save=True)
    r = login(officer).get(url.format(p=full["post"].pk, g=full["grant"].pk))
    assert r.status_code in (200, 503)
    if r.status_code == 200:
        assert r.content.startswith(b"%PDF") and b"/Image" in r.content  # the logo on the letterhead
    else:
        assert "belum dapat dibuat" in r.content.decode()


def _png() -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (40, 40), (11, 110, 79)).save(buf, "PNG")
    return buf.getvalue()


def test_lpj_refused_while_a_receipt_is_missing(full, treasurer) -> None:
    grant = full["grant"]
    post_entry(
        treasurer,
        full["post"],
        full["post"].cash_accounts.get(),
        kind="keluar",
        source="csr",
        account=account("5.6"),
        amount=1_000,
        grant=grant,
    )
    r = login(treasurer).get(f"/keuangan/hibah/{grant.pk}/lpj.pdf")
    assert r.status_code == 422 and "belum ada buktinya" in r.content.decode()


def test_rollup_compares_posts_and_counts_regulation_basis(full, officer) -> None:
    r = login(officer).get("/keuangan/realisasi/?wilayah=33.75&tahun=2026")
    body = r.content.decode()
    assert r.status_code == 200 and "Posyantek Mitra Pantura" in body and "Perda 11/2008" in body
    r = login(officer).get("/keuangan/realisasi/?wilayah=33.75&tahun=2026&format=xlsx")
    ws = load_workbook(io.BytesIO(r.content)).active
    assert ws["B2"].value or ws.max_row >= 2


def test_grant_and_asset_forms(full, treasurer) -> None:
    c = login(treasurer)
    post = full["post"]
    r = c.post(
        f"/keuangan/pos/{post.pk}/hibah/baru",
        {
            "giver": "Dinas",
            "source": "apbd_provinsi",
            "amount": "5.000.000",
            "purpose": "Bintek",
            "starts_on": "2026-01-01",
            "ends_on": "2026-03-01",
            "report_due": "2026-04-01",
        },
    )
    assert r.status_code == 302 and Grant.objects.filter(giver="Dinas").exists()
    r = c.post(
        f"/keuangan/pos/{post.pk}/aset/baru",
        {
            "name": "Gerobak",
            "kind": "kendaraan",
            "origin": "buat_sendiri",
            "value": "750.000",
            "acquired_on": "2026-02-02",
            "condition": "baik",
        },
    )
    assert r.status_code == 302
    asset = Asset.objects.get(name="Gerobak")
    r = c.post(
        f"/keuangan/aset/{asset.pk}/ubah",
        {
            "name": "Gerobak",
            "kind": "kendaraan",
            "origin": "buat_sendiri",
            "value": "750.000",
            "acquired_on": "2026-02-02",
            "condition": "rusak_ringan",
            "lent_to": "RW 05",
            "version": asset.version,
        },
    )
    assert r.status_code == 302 and Asset.objects.get(pk=asset.pk).lent_to == "RW 05"
    assert "RW 05" in c.get(f"/keuangan/aset/{asset.pk}/").content.decode()  # the history shows it


def test_regulation_pages(full, officer, treasurer) -> None:
    c = login(officer)
    r = c.post(
        "/keuangan/peraturan/baru",
        {
            "kind": "perwali",
            "number": "7",
            "year": "2015",
            "title": "Posyantek",
            "region": "33.75",
            "status": "berlaku",
        },
    )
    assert r.status_code == 302
    assert login(treasurer).get("/keuangan/peraturan/baru").status_code == 403
    body = login(treasurer).get("/keuangan/peraturan/").content.decode()
    assert "Perda 11/2008" in body and "Perwali 7/2015" in body


def _entry_form(post, **extra):
    return {
        "date": "2026-06-12",
        "kind": "masuk",
        "source": "apbd_kabkota",
        "account": account("4.3").pk,
        "cash_account": post.cash_accounts.get().pk,
        "amount": "1.000",
        "description": "Transfer",
        **extra,
    }


def test_entry_form_refuses_a_fraction_of_a_rupiah(full, treasurer) -> None:
    """ "1.5" is neither Rp 15 nor Rp 1,5: the field says how to write rupiah and nothing is recorded."""
    post, before = full["post"], Entry.objects.count()
    r = login(treasurer).post(f"/keuangan/pos/{post.pk}/kas/baru", _entry_form(post, amount="1.5"))
    body = r.content.decode()
    assert r.status_code == 422 and 'id="id_amount_error"' in body and "rupiah bulat tanpa sen" in body
    assert Entry.objects.count() == before


def test_amount_zero_says_it_must_be_more_than_rp_0(full, treasurer) -> None:
    c, post = login(treasurer), full["post"]
    r = c.post(f"/keuangan/pos/{post.pk}/kas/baru", _entry_form(post, amount="0"))
    assert r.status_code == 422 and "Jumlah harus lebih dari Rp 0." in r.content.decode()
    assert "negatif" not in r.content.decode()
    r = c.post(
        f"/keuangan/pos/{post.pk}/hibah/baru",
        {
            "giver": "Dinas",
            "source": "apbd_provinsi",
            "amount": "0",
            "purpose": "Bintek",
            "starts_on": "2026-01-01",
            "ends_on": "2026-03-01",
            "report_due": "2026-04-01",
        },
    )
    assert r.status_code == 422 and "Jumlah harus lebih dari Rp 0." in r.content.decode()
    draft = c.post(f"/keuangan/pos/{post.pk}/anggaran/baru", {"year": "2027"})
    r = c.post(f"{draft['Location']}rincian", {"source": "csr", "account": account("5.6").pk, "amount": "0"})
    assert r.status_code == 422 and "Jumlah harus lebih dari Rp 0." in r.content.decode()


def test_basis_choices_are_the_rules_in_force_in_the_posts_region(full, treasurer, regions) -> None:
    from posyantek.finance.forms import BudgetLineForm, GrantForm
    from posyantek.finance.models import Regulation

    post, perda = full["post"], full["reg"]
    national = Regulation.objects.create(kind="permendagri", number="20", year=2010, title="Pemberdayaan TTG")
    dki = Regulation.objects.create(kind="pergub", number="78", year=2021, region=regions["31"], title="Posyantek")
    gone = Regulation.objects.create(
        kind="perwali", number="1", year=2010, region=regions["33.75"], title="Lama", status="dicabut"
    )
    village = Regulation.objects.create(
        kind="perdes", number="2", year=2020, region=regions["33.75.01.1001"], title="Desa lain"
    )
    for form in (BudgetLineForm(user=treasurer, post=post), GrantForm(user=treasurer, post=post)):
        field = form.fields["regulation"]
        assert set(field.queryset) == {perda, national}, form
        assert field.label_from_instance(perda) == "Perda 11/2008 · Pemberdayaan masyarakat melalui Posyantek"
    assert {a.regulation for a in BudgetLineForm(user=treasurer, post=post).fields["article"].queryset} == {perda}
    assert dki and gone and village
    # A grant recorded under a rule revoked later still shows it, so the grant can be edited.
    grant = full["grant"]
    Grant.objects.filter(pk=grant.pk).update(regulation=gone)
    grant.refresh_from_db()
    assert gone in GrantForm(user=treasurer, post=post, instance=grant).fields["regulation"].queryset


def test_grant_form_refuses_a_regulation_of_another_region(full, treasurer, regions) -> None:
    from posyantek.finance.models import Regulation

    dki = Regulation.objects.create(kind="pergub", number="78", year=2021, region=regions["31"], title="Posyantek")
    grant = full["grant"]
    r = login(treasurer).post(
        f"/keuangan/hibah/{grant.pk}/ubah",
        {
            "giver": grant.giver,
            "source": grant.source,
            "amount": "30.000.000",
            "purpose": grant.purpose,
            "regulation": dki.pk,
            "starts_on": "2026-01-01",
            "ends_on": "2026-12-31",
            "report_due": "2026-07-01",
            "version": grant.version,
        },
    )
    assert r.status_code == 422 and 'id="id_regulation_error"' in r.content.decode()
    assert Grant.objects.get(pk=grant.pk).regulation is None


def test_links_to_record_a_grant_and_an_asset_for_those_who_may(full, treasurer, viewer, admin) -> None:
    p = full["post"].pk
    grant_link, asset_link = f'href="/keuangan/pos/{p}/hibah/baru"', f'href="/keuangan/pos/{p}/aset/baru"'
    c = login(treasurer)
    body = c.get(f"/keuangan/pos/{p}/").content.decode()
    assert grant_link in body and asset_link in body
    assert grant_link in c.get("/keuangan/hibah/").content.decode()  # the one post the treasurer works for
    assert asset_link in c.get(f"/keuangan/aset/?post={p}").content.decode()
    v = login(viewer)
    for url in (f"/keuangan/pos/{p}/", f"/keuangan/hibah/?post={p}", "/keuangan/aset/"):
        body = v.get(url).content.decode()
        assert "hibah/baru" not in body and "aset/baru" not in body, url
    body = login(admin).get("/keuangan/hibah/").content.decode()  # several posts: one link per post
    assert 'class="create-for"' in body and grant_link in body


def test_entry_page_labels(full, treasurer) -> None:
    entry, c = full["entry"], login(treasurer)
    body = c.get(f"/keuangan/kas/{entry.pk}/").content.decode()
    assert f"#{entry.pk} · 10 Juni 2026 · Pengeluaran Rp 2.000.000" in body  # the breadcrumb
    reversal = entry.reversed_by
    body = c.get(f"/keuangan/kas/{reversal.pk}/").content.decode()
    assert "Pembalikan entri" in body and f"#{entry.pk}</a></h1>" in body


def test_second_reversal_from_another_tab_shows_why(full, treasurer) -> None:
    post = full["post"]
    c = login(treasurer)
    c.post(f"/keuangan/pos/{post.pk}/kas/baru", _entry_form(post, description="Dobel"))
    entry = Entry.objects.get(description="Dobel")
    assert c.post(f"/keuangan/kas/{entry.pk}/batal", {"reason": "Dobel"}).status_code == 302
    r = c.post(f"/keuangan/kas/{entry.pk}/batal", {"reason": "Dobel"})  # the other tab, still showing the form
    body = r.content.decode()
    assert r.status_code == 422 and 'id="batal-gagal"' in body and "sudah dibatalkan sebelumnya" in body
    assert Entry.objects.filter(reverses=entry).count() == 1


def test_budget_of_a_past_year_names_its_year(full, manager, treasurer) -> None:
    post = full["post"]
    c = login(treasurer)
    draft = c.post(f"/keuangan/pos/{post.pk}/anggaran/baru", {"year": "2025"})["Location"]
    c.post(f"{draft}rincian", {"source": "csr", "account": account("5.6").pk, "amount": "1.000"})
    budget = Budget.objects.get(year=2025)
    login(manager).post(f"/keuangan/anggaran/{budget.pk}/setujui", {"version": budget.version})
    body = c.get(f"/keuangan/anggaran/{budget.pk}/").content.decode()
    assert "Realisasi tahun 2025" in body and "tahun ini" not in body


def test_realisation_and_lpj_sheets_keep_each_column_to_its_meaning(full, officer) -> None:
    c = login(officer)
    r = c.get(f"/keuangan/pos/{full['post'].pk}/realisasi?dari=2026-01-01&sampai=2026-12-31&format=xlsx")
    rows = list(load_workbook(io.BytesIO(r.content)).active.values)
    head = list(rows[0])
    kegiatan, income = head.index("Kegiatan"), head.index("Pemasukan (Rp)")
    assert not any("Pemasukan" in str(row[kegiatan] or "") for row in rows[1:])
    total = rows[-1]
    assert total[0] == "Jumlah semua sumber" and total[income] == 70_000_000  # 40 + 30 million came in
    r = c.get(f"/keuangan/hibah/{full['grant'].pk}/lpj.xlsx")
    rows = list(load_workbook(io.BytesIO(r.content)).active.values)
    head = list(rows[0])
    (asset,) = [row for row in rows if row[0] == "Aset"]
    assert asset[head.index("Uraian")] == "Pengering ikan · Alat"
    assert asset[head.index("Akun")] is None and asset[head.index("Pihak")] is None
    grant_row = rows[1]
    assert grant_row[head.index("Pihak")] == "PT Bank Jateng" and grant_row[head.index("Akun")] is None
