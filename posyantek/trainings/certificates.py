"""Certificates: a one-page A4 PDF (WeasyPrint) with a QR code that opens the public verification page."""

from __future__ import annotations

import base64
import io
from typing import Any

import segno
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from posyantek.trainings.models import Participant


def qr_svg(url: str) -> str:
    """Return the QR code of `url` as a plain SVG: no <style>, no script."""
    buf = io.BytesIO()
    segno.make(url, error="m").save(buf, kind="svg", scale=6, border=2, dark="#000", light="#fff",
                                    xmldecl=False, svgclass=None, lineclass=None)  # fmt: skip
    return buf.getvalue().decode()


def _pdf(html: str) -> bytes:
    """Render HTML to PDF; only data: URIs load (the QR code), never the network."""
    from weasyprint import HTML  # noqa: PLC0415 - a missing pango raises OSError here, handled by the caller
    from weasyprint.urls import URLFetcher  # noqa: PLC0415

    return HTML(string=html, url_fetcher=URLFetcher(allowed_protocols={"data"})).write_pdf()


def certificate_response(request: HttpRequest, participant: Participant) -> HttpResponse:
    """Return the certificate PDF of a participant who holds one, or a 503 page when PDF cannot be made here."""
    url = request.build_absolute_uri(participant.get_verification_url())
    bintek = participant.bintek
    ctx: dict[str, Any] = {
        "p": participant,
        "bintek": bintek,
        "verify_url": url,
        "qr_uri": "data:image/svg+xml;base64," + base64.b64encode(qr_svg(url).encode()).decode(),
    }
    html = render_to_string("trainings/certificate.html", ctx, request=request)
    try:
        pdf = _pdf(html)
    except OSError:
        message = _("Sertifikat PDF belum dapat dibuat di server ini. Silakan coba lagi nanti.")
        return render(request, "error.html", {"code": 503, "title": _("Layanan belum tersedia"), "message": message},
                      status=503)  # fmt: skip
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="sertifikat-{participant.certificate_code}.pdf"'
    return response
