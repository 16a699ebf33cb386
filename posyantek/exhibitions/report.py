"""The report of one event as PDF (WeasyPrint, on the post's letterhead) and as a workbook (openpyxl).

Both read the one dataset of `selectors.exhibition_report`; the view only streams the bytes.
"""

from __future__ import annotations

import base64
import io
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from posyantek.core.templatetags.fmt import tanggal
from posyantek.exhibitions.selectors import Report
from posyantek.orders.workflow import COUNTED


def _filename(report: Report, extension: str) -> str:
    ex = report.exhibition
    return f"laporan-pameran-{slugify(ex.name)[:50] or ex.pk}-{ex.starts_on:%Y%m%d}.{extension}"


def _logo_uri(report: Report) -> str | None:
    """Return the post's logo as a data: URI for the letterhead, or None (no logo, or the file is gone)."""
    logo = report.exhibition.post.logo
    if not logo:
        return None
    try:
        with logo.open("rb") as f:
            data = f.read(2 * 1024 * 1024)
    except (OSError, ValueError):
        return None
    kind = "png" if data[:4] == b"\x89PNG" else "jpeg"
    return f"data:image/{kind};base64,{base64.b64encode(data).decode()}"


def _pdf(html: str) -> bytes:
    """Render HTML to PDF; only data: URIs load (the logo), never the network."""
    from weasyprint import HTML  # noqa: PLC0415 - a missing pango raises OSError here, handled by the caller
    from weasyprint.urls import URLFetcher  # noqa: PLC0415

    return HTML(string=html, url_fetcher=URLFetcher(allowed_protocols={"data"})).write_pdf()


def report_pdf_response(request: HttpRequest, report: Report) -> HttpResponse:
    """Return the report as PDF, or a 503 page saying why when PDF cannot be made on this server."""
    ctx: dict[str, Any] = {"r": report, "ex": report.exhibition, "logo_uri": _logo_uri(report),
                           "printed": timezone.localdate()}  # fmt: skip
    html = render_to_string("exhibitions/report_pdf.html", ctx, request=request)
    try:
        pdf = _pdf(html)
    except OSError:
        message = _("Laporan PDF belum dapat dibuat di server ini (pustaka PDF belum terpasang). Unduh versi "
                    "Excel-nya, atau coba lagi nanti.")  # fmt: skip
        return render(request, "error.html", {"code": 503, "title": _("Layanan belum tersedia"), "message": message},
                      status=503)  # fmt: skip
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{_filename(report, "pdf")}"'
    return response


class ReportXlsx:
    """The report as a workbook: a summary sheet, then products, costs, leads, offers and orders."""

    mime_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    extension = "xlsx"

    def __init__(self, report: Report, leads: list[Any], offers: list[Any]) -> None:
        self.report = report
        self.leads = leads
        self.offers = offers

    def filename(self) -> str:
        return _filename(self.report, self.extension)

    def run(self) -> bytes:
        from openpyxl import Workbook
        from openpyxl.styles import Font

        r, ex = self.report, self.report.exhibition
        wb = Workbook()
        bold = Font(bold=True)

        def sheet(title: str, headers: list[str], rows: list[list[Any]], first: bool = False) -> None:
            ws = wb.active if first else wb.create_sheet()
            ws.title = title[:31]
            ws.append(headers)
            for cell in ws[1]:
                cell.font = bold
            for row in rows:
                ws.append([_plain(v) for v in row])
            ws.freeze_panes = "A2"

        summary = [
            [_("Acara"), ex.name], [_("Jenis"), ex.get_kind_display()], [_("Tingkat"), ex.get_level_display()],
            [_("Pos"), ex.post.name], [_("Tanggal"), _dates(ex)], [_("Tempat"), ex.venue],
            [_("Wilayah tempat"), ex.venue_region.name if ex.venue_region else ""], [_("Penyelenggara"), ex.organiser],
            [_("Tahap"), ex.get_state_display()], [_("Pengunjung stan"), r.visitors], [_("Calon pembeli"), r.leads],
            [_("Calon pembeli ditindaklanjuti"), r.leads_followed], [_("Tingkat tindak lanjut (%)"), r.follow_up_rate],
            [_("Pesanan di acara"), r.orders], [_("Pesanan terhitung"), r.orders_counted],
            [_("Nilai transaksi (Rp)"), r.transaction_value], [_("Tawaran kerja sama"), r.offers],
            [_("Nilai tawaran (Rp)"), r.offers_value], [_("Tawaran disepakati"), r.offers_agreed],
            [_("Nilai kerja sama disepakati (Rp)"), r.offers_agreed_value], [_("Biaya (Rp)"), r.costs_total],
            [_("Bersih: transaksi − biaya (Rp)"), r.net], [_("Unit produk dibawa"), r.units_taken],
        ]  # fmt: skip
        summary += [[_("Biaya dari %(source)s (Rp)") % {"source": s}, t] for s, t in r.costs_by_source]
        sheet(_("Ringkasan"), [_("Uraian"), _("Nilai")], summary, first=True)
        sheet(_("Produk dibawa"), [_("Produk"), _("Jumlah"), _("Satuan"), _("Keterangan")],
              [[p.product.name, p.quantity, p.product.unit, p.note] for p in r.products])  # fmt: skip
        sheet(_("Biaya"), [_("Uraian"), _("Jumlah (Rp)"), _("Sumber dana")],
              [[c.item, c.amount, c.get_funding_source_display()] for c in ex.costs.all()])  # fmt: skip
        sheet(_("Calon pembeli"), [_("Nama"), _("Instansi/usaha"), _("Telepon"), _("E-mail"), _("Kode wilayah"),
                                   _("Asal wilayah"), _("Produk diminati"), _("Minat"), _("Ditindaklanjuti"),
                                   _("Pesanan")],
              [[x.name, x.institution, x.phone_display, x.email, x.region_id or "", x.region.name if x.region else "",
                x.product.name if x.product else "", x.interest, _("ya") if x.followed_up else _("tidak"),
                x.order.code if x.order else ""] for x in self.leads])  # fmt: skip
        sheet(_("Kerja sama"), [_("Calon mitra"), _("Isi tawaran"), _("Nilai (Rp)"), _("Status")],
              [[o.partner, o.description, o.value, o.get_status_display()] for o in self.offers])  # fmt: skip
        sheet(_("Pesanan"), [_("Kode"), _("Pembeli"), _("Tanggal pesan"), _("Tahap"), _("Total (Rp)"),
                             _("Terhitung")],
              [[o.code, o.buyer_name, timezone.localtime(o.ordered_at).date(), o.get_state_display(), o.total,
                _("ya") if o.state in COUNTED else _("tidak")] for o in r.order_rows])  # fmt: skip
        buf = io.BytesIO()
        wb.save(buf)
        return buf.getvalue()


def _dates(ex: Any) -> str:
    return tanggal(ex.starts_on) if ex.ends_on == ex.starts_on else f"{tanggal(ex.starts_on)} – {tanggal(ex.ends_on)}"


def _plain(value: Any) -> Any:
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value  # keep spreadsheet apps from running a cell as a formula
    return value
