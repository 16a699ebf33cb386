"""Quotes and invoices as A4 PDFs (WeasyPrint) on the post's letterhead, from the content frozen at issue."""

from __future__ import annotations

import base64
import datetime as dt
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from posyantek.core.lib.phone import display_phone
from posyantek.core.validators import sniff_type
from posyantek.orders.models import Order, OrderDocument, Payment

MAX_LOGO_BYTES = 2 * 1024 * 1024


class PdfUnavailable(Exception):
    """WeasyPrint's system libraries (pango) are missing on this server."""


def _logo_uri(doc: OrderDocument) -> str | None:
    """Return the post's logo as a data: URI (the PDF loads nothing else), or None."""
    logo = doc.post.logo
    if not logo:
        return None
    try:
        with logo.open("rb") as f:
            data = f.read(MAX_LOGO_BYTES + 1)
    except (FileNotFoundError, OSError, ValueError):
        return None
    mime = sniff_type(data[:16])
    if len(data) > MAX_LOGO_BYTES or mime is None or not mime.startswith("image/"):
        return None
    return f"data:{mime};base64," + base64.b64encode(data).decode()


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def document_context(doc: OrderDocument) -> dict[str, Any]:
    """Return what the template needs: the frozen content, with dates and choice labels ready to print."""
    content = doc.content
    body = content.get("body", {})
    kinds, methods = dict(Payment.Kind.choices), dict(Payment.Method.choices)
    payments = [
        {
            **p,
            "paid_on": _date(p["paid_on"]),
            "kind_label": kinds.get(p["kind"], p["kind"]),
            "method_label": methods.get(p["method"], p["method"]),
        }  # fmt: skip
        for p in body.get("payments", [])
    ]
    return {
        "doc": doc,
        "c": content,
        "body": body,
        "head": content.get("post", {}),
        "buyer": {**body.get("buyer", {}), "phone": display_phone(body.get("buyer", {}).get("phone") or "")},
        "items": body.get("items", []),
        "payments": payments,
        "is_quote": doc.kind == OrderDocument.Kind.QUOTE,
        "issued_on": _date(content.get("issued_on")),
        "valid_until": _date(content.get("valid_until")),
        "delivery_label": dict(Order.Delivery.choices).get(body.get("delivery", ""), ""),
        "logo_uri": _logo_uri(doc),
    }


def document_pdf(doc: OrderDocument, request: HttpRequest | None = None) -> bytes:
    """Return the document as PDF bytes, in the active language; raise PdfUnavailable without pango."""
    html = render_to_string("orders/document_pdf.html", document_context(doc), request=request)
    try:
        from weasyprint import HTML  # noqa: PLC0415 - a missing pango raises OSError here
        from weasyprint.urls import URLFetcher  # noqa: PLC0415

        return HTML(string=html, url_fetcher=URLFetcher(allowed_protocols={"data"})).write_pdf()
    except OSError as exc:
        raise PdfUnavailable from exc


def pdf_filename(doc: OrderDocument) -> str:
    return doc.number.replace("/", "-") + ".pdf"


def document_response(request: HttpRequest, doc: OrderDocument) -> HttpResponse:
    """Return the document's PDF, or a 503 page when PDF cannot be made on this server."""
    try:
        pdf = document_pdf(doc, request)
    except PdfUnavailable:
        message = _("Dokumen PDF belum dapat dibuat di server ini (pustaka pango belum terpasang). Silakan coba "
                    "lagi nanti atau hubungi pengelola server.")  # fmt: skip
        return render(request, "error.html", {"code": 503, "title": _("Layanan belum tersedia"), "message": message},
                      status=503)  # fmt: skip
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{pdf_filename(doc)}"'
    return response
