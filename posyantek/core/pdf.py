"""Shared pieces of the A4 PDFs (WeasyPrint): the post's logo for a letterhead, HTML → PDF, the 503 page.

The PDFs load nothing from the network or the disk: images come in as data: URIs. Without WeasyPrint's system
libraries (pango) `html_to_pdf` raises `PdfUnavailable` and the views answer 503 with a message.
"""

from __future__ import annotations

import base64
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from posyantek.core.validators import sniff_type

MAX_LOGO_BYTES = 2 * 1024 * 1024


class PdfUnavailable(Exception):
    """WeasyPrint's system libraries (pango) are missing on this server."""


def logo_data_uri(post: Any) -> str | None:
    """Return the post's logo as a data: URI for a letterhead, or None (no logo, unreadable, too big, not an image)."""
    if not post.logo:
        return None
    try:
        with post.logo.open("rb") as f:
            data = f.read(MAX_LOGO_BYTES + 1)
    except (OSError, ValueError):
        return None
    mime = sniff_type(data[:16])
    if len(data) > MAX_LOGO_BYTES or mime is None or not mime.startswith("image/"):
        return None
    return f"data:{mime};base64," + base64.b64encode(data).decode()


def html_to_pdf(html: str) -> bytes:
    """Return the HTML as PDF bytes, fetching only data: URIs; raise PdfUnavailable without pango."""
    try:
        from weasyprint import HTML  # noqa: PLC0415 - a missing pango raises OSError here
        from weasyprint.urls import URLFetcher  # noqa: PLC0415

        return HTML(string=html, url_fetcher=URLFetcher(allowed_protocols={"data"})).write_pdf()
    except OSError as exc:
        raise PdfUnavailable from exc


def pdf_unavailable_response(request: HttpRequest, message: str) -> HttpResponse:
    """Return the 503 page shown when this server cannot make PDFs."""
    return render(request, "error.html", {"code": 503, "title": _("Layanan belum tersedia"), "message": message},
                  status=503)  # fmt: skip
