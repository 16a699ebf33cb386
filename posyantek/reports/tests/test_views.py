"""Pages of reports: scope (outsider 404, too-low role 403), the steps by role, the inbox, exports and the PDF."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.template.loader import render_to_string
from openpyxl import load_workbook

from conftest import login, make_user
from posyantek.reports import services
from posyantek.reports.models import Report
from posyantek.reports.pdf import report_context
from posyantek.reports.tests.conftest import make_report

pytestmark = pytest.mark.django_db


def test_report_list_shows_only_reports_in_scope(draft: Report, officer: Any, outsider: Any, manager: Any,
                                                 django_assert_max_num_queries: Any) -> None:  # fmt: skip
    client = login(officer)
    with django_assert_max_num_queries(8):
        r = client.get("/laporan/")
    assert r.status_code == 200 and "Triwulan III 2026" in r.content.decode()
    assert "Triwulan III 2026" not in login(outsider).get("/laporan/").content.decode()
    r = login(manager).get("/laporan/?kind=pengelolaan&year=2026&period=tw3&state=draf&q=Mitra")
    assert "Triwulan III 2026" in r.content.decode()
    assert "Triwulan III 2026" not in login(manager).get("/laporan/?state=dikirim").content.decode()


def test_report_list_fragment_and_exports(draft: Report, officer: Any) -> None:
    client = login(officer)
    r = client.get("/laporan/", headers={"HX-Request": "true"})
    assert r.status_code == 200 and "<html" not in r.content.decode()
    r = client.get("/laporan/?format=csv")
    assert r["Content-Type"].startswith("text/csv") and "Posyantek Mitra Pantura" in r.content.decode("utf-8-sig")
    wb = load_workbook(io.BytesIO(client.get("/laporan/?format=xlsx").content))
    assert wb.active["A2"].value == "Posyantek Mitra Pantura" and wb.active["F2"].value == "Draf"
    headers = [c.value for c in wb.active[1]]
    assert len(set(headers)) == len(headers)


def test_report_create_page_makes_a_report_and_links_an_existing_one(manager: Any, posts: dict[str, Any]) -> None:
    client = login(manager)
    assert client.get("/laporan/baru/").status_code == 200
    data = {"post": posts["mitra"].pk, "kind": "pengelolaan", "year": 2026, "period": "tw3"}
    r = client.post("/laporan/baru/", data)
    report = Report.objects.get()
    assert r.status_code == 302 and r["Location"] == f"/laporan/{report.pk}/"
    r = client.post("/laporan/baru/", data)
    assert r.status_code == 422
    assert f'href="/laporan/{report.pk}/"' in r.content.decode() and "sudah ada" in r.content.decode()
    assert '<p class="msg error" role="alert" id="existing-report">' in r.content.decode()


def test_report_create_page_radios_and_a_yearly_work_plan(manager: Any, posts: dict[str, Any]) -> None:
    client = login(manager)
    page = client.get("/laporan/baru/").content.decode()
    assert '<fieldset class="choices" id="id_kind"' in page and "<legend>Jenis laporan" in page
    assert '<label for="id_kind_1"><input type="radio" name="kind" value="rencana_kerja"' in page
    assert 'for=""' not in page and "rencana kerja selalu tahunan" in page
    r = client.post("/laporan/baru/", {"post": posts["mitra"].pk, "kind": "rencana_kerja", "year": 2027,
                                       "period": "tw3"})  # fmt: skip
    assert r.status_code == 302
    assert Report.objects.get().period == "tahunan"


def test_report_create_page_offers_only_the_users_posts(manager: Any, viewer: Any, posts: dict[str, Any]) -> None:
    r = login(manager).get("/laporan/baru/")
    assert "Posyantek Mitra Pantura" in r.content.decode() and "Posyantek Gambir" not in r.content.decode()
    r = login(manager).post("/laporan/baru/", {"post": posts["dki"].pk, "kind": "pengelolaan", "year": 2026,
                                                "period": "tw3"})  # fmt: skip
    assert r.status_code == 422 and not Report.objects.exists()
    assert login(viewer).get("/laporan/baru/").status_code == 403


def test_officers_do_not_write_a_posts_report(draft: Report, officer: Any, admin: Any, manager: Any,
                                              posts: dict[str, Any]) -> None:  # fmt: skip
    """Region grants see the report and receive it, but neither start, edit, verify nor send it."""
    assert "+ Buat laporan" in login(manager).get("/laporan/").content.decode()
    for user in (officer, admin):
        client = login(user)
        assert "+ Buat laporan" not in client.get("/laporan/").content.decode()
        assert client.get("/laporan/baru/").status_code == 403
        assert client.post("/laporan/baru/", {"post": posts["mitra"].pk, "kind": "pengelolaan", "year": 2026,
                                              "period": "tw2"}).status_code == 403  # fmt: skip
        page = client.get(f"/laporan/{draft.pk}/").content.decode()
        assert "step-" not in page and "Ubah uraian" not in page and 'name="note"' not in page
        assert client.get(f"/laporan/{draft.pk}/ubah/").status_code == 403
        assert client.post(f"/laporan/{draft.pk}/verify/", {"version": 1}).status_code == 403
        assert client.post(f"/laporan/{draft.pk}/refresh/", {"version": 1}).status_code == 403
    assert Report.objects.get().state == "draf" and Report.objects.count() == 1


def test_report_detail_scope(draft: Report, outsider: Any, viewer: Any, manager: Any) -> None:
    assert login(outsider).get(f"/laporan/{draft.pk}/").status_code == 404
    r = login(viewer).get(f"/laporan/{draft.pk}/")
    assert r.status_code == 200 and "step-verify" not in r.content.decode()
    page = login(manager).get(f"/laporan/{draft.pk}/").content.decode()
    assert 'id="step-verify"' in page and "Triwulan yang sibuk." in page and "Rp 1.250.000" in page
    assert "Riwayat" in page


def test_report_detail_warns_while_its_period_is_still_running(manager: Any, posts: dict[str, Any]) -> None:
    import datetime as dt

    from django.utils import timezone

    year = timezone.localdate().year
    running = make_report(manager, posts["mitra"], year=year + 1, period="tw1")
    page = login(manager).get(f"/laporan/{running.pk}/").content.decode()
    assert 'id="period-open"' in page and f"31 Maret {year + 1}" in page
    past = make_report(manager, posts["mitra"], year=year - 1, period="tw4")
    assert past.ends_on < timezone.localdate() - dt.timedelta(days=1)
    assert 'id="period-open"' not in login(manager).get(f"/laporan/{past.pk}/").content.decode()


def test_report_edit_page(draft: Report, manager: Any, viewer: Any, outsider: Any) -> None:
    assert login(outsider).get(f"/laporan/{draft.pk}/ubah/").status_code == 404
    assert login(viewer).get(f"/laporan/{draft.pk}/ubah/").status_code == 403
    client = login(manager)
    assert client.get(f"/laporan/{draft.pk}/ubah/").status_code == 200
    r = client.post(f"/laporan/{draft.pk}/ubah/", {"version": 1, "ringkasan": "Baru.", "kendala": "Hujan."})
    assert r.status_code == 302
    assert Report.objects.get().narrative["kendala"] == "Hujan."
    r = client.post(f"/laporan/{draft.pk}/ubah/", {"version": 1, "ringkasan": "Lama."})
    assert r.status_code == 422 and "sudah diubah orang lain" in r.content.decode()


def test_report_steps_by_role(draft: Report, manager: Any, officer: Any, viewer: Any, outsider: Any) -> None:
    assert login(outsider).post(f"/laporan/{draft.pk}/verify/", {"version": 1}).status_code == 404
    assert login(viewer).post(f"/laporan/{draft.pk}/verify/", {"version": 1}).status_code == 403
    assert login(manager).get(f"/laporan/{draft.pk}/verify/").status_code == 405
    assert login(manager).post(f"/laporan/{draft.pk}/verify/", {"version": 1}).status_code == 302
    assert login(manager).post(f"/laporan/{draft.pk}/submit/", {"version": 2}).status_code == 302
    assert login(manager).post(f"/laporan/{draft.pk}/receive/", {"version": 3}).status_code == 403
    r = login(officer).post(f"/laporan/{draft.pk}/return/", {"version": 3, "note": "  "})
    page = r.content.decode()
    assert r.status_code == 422 and page.count('name="note"') == 2  # the receive and return forms, no third one
    form = page[page.index('id="form-return"') : page.index("</form>", page.index('id="form-return"'))]
    assert "Tulis apa yang perlu diperbaiki" in form and 'id="step-return"' in form
    r = login(officer).post(f"/laporan/{draft.pk}/return/", {"version": 3, "note": "Kurang angka. " + "x" * 2000})
    form = r.content.decode().split('id="form-return"')[1].split("</form>")[0]
    assert r.status_code == 422 and "Kurang angka. xxx" in form and 'aria-invalid="true"' in form
    assert login(officer).post(f"/laporan/{draft.pk}/return/", {"version": 3, "note": "Kurang."}).status_code == 302
    assert Report.objects.get().state == "dikembalikan"
    page = login(manager).get(f"/laporan/{draft.pk}/").content.decode()
    assert 'id="return-note"' in page and "Kurang." in page
    assert login(manager).post(f"/laporan/{draft.pk}/unknown/", {"version": 4}).status_code == 404


def test_report_step_on_a_stale_version_goes_back_to_the_report(draft: Report, manager: Any) -> None:
    services.report_update(actor=manager, report=draft, narrative={"kendala": "x"})
    r = login(manager).post(f"/laporan/{draft.pk}/verify/", {"version": 1}, follow=True)
    assert r.redirect_chain == [(f"/laporan/{draft.pk}/", 302)]
    assert "Laporan ini sudah berubah sejak Anda membukanya (langkah lain sudah diambil)" in r.content.decode()
    assert Report.objects.get().state == "draf"


def test_report_step_no_longer_open_says_why(draft: Report, manager: Any) -> None:
    r = login(manager).post(f"/laporan/{draft.pk}/submit/", {"version": 1}, follow=True)
    assert r.redirect_chain == [(f"/laporan/{draft.pk}/", 302)]
    assert "diverifikasi ketua dulu" in r.content.decode() and Report.objects.get().state == "draf"


def test_report_pdf(submitted: Report, manager: Any, outsider: Any) -> None:
    assert login(outsider).get(f"/laporan/{submitted.pk}/pdf/").status_code == 404
    r = login(manager).get(f"/laporan/{submitted.pk}/pdf/")
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    assert r.content.startswith(b"%PDF")


def test_report_pdf_without_pango_answers_503_with_a_message(submitted: Report, manager: Any, monkeypatch) -> None:
    from posyantek.core.pdf import PdfUnavailable

    def unavailable(html: str) -> bytes:
        raise PdfUnavailable

    monkeypatch.setattr("posyantek.reports.pdf.html_to_pdf", unavailable)
    r = login(manager).get(f"/laporan/{submitted.pk}/pdf/")
    assert r.status_code == 503 and "pango" in r.content.decode()


def test_a_logo_that_is_not_an_image_is_left_off_the_letterhead(submitted: Report) -> None:
    from django.core.files.base import ContentFile

    from posyantek.core.pdf import logo_data_uri

    post = submitted.post
    post.logo.save("logo.png", ContentFile(b"<script>not an image</script>"), save=False)
    assert logo_data_uri(post) is None
    post.logo.save("logo.png", ContentFile(b"\x89PNG\r\n\x1a\n" + b"\0" * 32), save=False)
    assert logo_data_uri(post).startswith("data:image/png;base64,")


def test_report_pdf_is_addressed_to_the_government_and_has_a_page_footer(submitted: Report) -> None:
    html = render_to_string("reports/report_pdf.html", report_context(submitted))
    assert "Yth. Pemerintah Kota Pekalongan" in html and "perangkat daerah pembina Posyantek" in html
    assert "Perihal" in html and "Laporan pengelolaan Triwulan III 2026" in html
    # The "printed from" line is the page footer (an @page box), not a last paragraph that may spill onto a page.
    assert html.index('class="printed"') < html.index("<h1>") and "string(printed)" in html


def test_report_inbox_for_the_office(submitted: Report, officer: Any, manager: Any, viewer: Any, outsider: Any,
                                     staff: Any, posts: dict[str, Any],
                                     django_assert_max_num_queries: Any) -> None:  # fmt: skip
    make_report(staff, posts["wartek"])
    assert login(manager).get("/laporan/masuk/").status_code == 403
    assert login(viewer).get("/laporan/masuk/").status_code == 403
    client = login(officer)
    with django_assert_max_num_queries(10):
        r = client.get("/laporan/masuk/?kind=pengelolaan&year=2026&period=tw3")
    page = r.content.decode()
    assert r.status_code == 200
    assert f'href="/laporan/{submitted.pk}/"' in page
    assert "Wartek Panjang Wetan" in page and "sedang disusun" in page and "2 pos berstatus aktif" not in page
    assert "1 pos berstatus aktif belum mengirim" in page
    r = login(officer).get("/laporan/masuk/?kind=pengelolaan&year=2026&period=tw3&format=xlsx")
    ws = load_workbook(io.BytesIO(r.content)).active
    assert [c.value for c in ws["A"]] == ["Pos", "Wartek Panjang Wetan"] and ws["G2"].value == "ya"
    headers = [c.value for c in ws[1]]
    assert len(set(headers)) == len(headers)
    services.report_return(actor=officer, report=submitted, note="Perbaiki.")
    page = client.get("/laporan/masuk/?kind=pengelolaan&year=2026&period=tw3").content.decode()
    row = page.split('id="missing"')[1].split("Posyantek Mitra Pantura</a>")[1].split("</tr>")[0]
    assert "dikembalikan " in row and str(submitted.year) in row
    page = login(outsider).get("/laporan/masuk/?kind=pengelolaan&year=2026&period=tw3").content.decode()
    assert "Posyantek Gambir" in page and "Mitra Pantura" not in page


def test_kecamatan_coordinator_receives_village_reports(staff: Any, posts: dict[str, Any]) -> None:
    coordinator = make_user("camat@example.id", ("kecamatan_coordinator", "33.75.03"))
    wartek_manager = make_user("wm@example.id", ("post_manager", posts["wartek"]))
    report = make_report(staff, posts["wartek"])
    report = services.report_submit(actor=wartek_manager,
                                    report=services.report_verify(actor=wartek_manager, report=report))  # fmt: skip
    page = login(coordinator).get("/laporan/masuk/").content.decode()
    assert f'href="/laporan/{report.pk}/"' in page
    assert login(coordinator).post(f"/laporan/{report.pk}/receive/", {"version": 3}).status_code == 302
