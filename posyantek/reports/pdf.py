"""A report as an A4 PDF (WeasyPrint) on the post's letterhead, in Indonesian, from the stored figures and narrative.

Without WeasyPrint's system libraries the view answers 503 with a message, as the other apps do.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from posyantek.core.pdf import PdfUnavailable, html_to_pdf, logo_data_uri, pdf_unavailable_response
from posyantek.regions.models import Region
from posyantek.reports.figures import figure_rows, grouped
from posyantek.reports.models import Report


def letterhead(post: Any) -> dict[str, Any]:
    """Return the post's letterhead: name, address, kab/kota, province, contacts, founding decree."""
    code = post.region_id
    names = dict(Region.objects.filter(pk__in=[code[:2], code[:5]]).values_list("pk", "name"))
    return {"name": post.name, "address": post.address, "city": names.get(code[:5], ""),
            "province": names.get(code[:2], ""), "phone": post.phone, "email": post.email,
            "website": post.website, "sk_number": post.sk_number, "logo_uri": logo_data_uri(post)}  # fmt: skip


def report_context(report: Report) -> dict[str, Any]:
    """Return what the PDF prints."""
    return {
        "r": report,
        "head": letterhead(report.post),
        "groups": grouped(figure_rows(report.figures or {})),
        "steps": list(report.steps.select_related("actor")),
        "printed": timezone.localdate(),
    }


def report_pdf(report: Report, request: HttpRequest | None = None) -> bytes:
    """Return the report as PDF bytes, in Indonesian; raise PdfUnavailable without pango."""
    with translation.override("id"):
        html = render_to_string("reports/report_pdf.html", report_context(report), request=request)
    return html_to_pdf(html)


def pdf_filename(report: Report) -> str:
    return f"laporan-{report.kind}-{report.year}-{report.period}-{report.post.slug}.pdf"


def report_pdf_response(request: HttpRequest, report: Report) -> HttpResponse:
    """Return the report's PDF, or a 503 page when PDF cannot be made on this server."""
    try:
        pdf = report_pdf(report, request)
    except PdfUnavailable:
        message = _("Dokumen PDF belum dapat dibuat di server ini (pustaka pango belum terpasang). Silakan coba "
                    "lagi nanti atau hubungi pengelola server.")  # fmt: skip
        return pdf_unavailable_response(request, message)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{pdf_filename(report)}"'
    return response
