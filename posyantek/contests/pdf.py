"""The plenary minutes (berita acara) and the winners' decree (SK penetapan juara) as A4 PDFs (WeasyPrint).

Both are printed on the organiser's letterhead (the organiser's name and the edition's region) in Indonesian, from
one dataset (`minutes_data`). Without WeasyPrint's system libraries the views answer 503 with a message, as the
other apps do.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from posyantek.contests.models import Edition, PanelJudge, Prize, Result, Stage
from posyantek.contests.scoring import STAGE_ORDER, stage_weights


@dataclass
class Minutes:
    """What the minutes and the decree print."""

    edition: Edition
    judges: list[PanelJudge]
    results: list[Result]
    stages: list[tuple[str, str, float]]  # stage, label, weight used
    ties: list[Result]
    winners: list[tuple[Result, Prize | None]]
    printed: Any


def minutes_data(edition: Edition) -> Minutes:
    """Return the dataset of both documents (the full ranking, the jury, ties and the winners with prizes)."""
    judges = list(PanelJudge.objects.filter(panel__edition=edition).select_related("user", "panel")
                  .order_by("panel__stage", "-is_chair", "pk"))  # fmt: skip
    results = list(Result.objects.filter(edition=edition).select_related("entry__region").order_by("rank", "pk"))
    used = {s for r in results for s in r.stage_scores}
    weights = stage_weights(edition.rubric, used)
    labels = dict(Stage.choices)
    stages = [(s, str(labels[s]), weights[s]) for s in STAGE_ORDER if s in weights]
    prizes = {p.rank: p for p in Prize.objects.filter(edition=edition)}
    winners = [(r, prizes.get(r.rank)) for r in results if r.award]
    ties = [r for r in results if r.tie or r.tie_note]
    return Minutes(edition, judges, results, stages, ties, winners, timezone.localdate())


class PdfUnavailable(Exception):
    """WeasyPrint's system libraries (pango) are missing on this server."""


def _pdf(html: str) -> bytes:
    """Render HTML to PDF; nothing is fetched from the network."""
    try:
        from weasyprint import HTML  # noqa: PLC0415 - a missing pango raises OSError here
        from weasyprint.urls import URLFetcher  # noqa: PLC0415

        return HTML(string=html, url_fetcher=URLFetcher(allowed_protocols={"data"})).write_pdf()
    except OSError as exc:
        raise PdfUnavailable from exc


DOCUMENTS = {
    "berita-acara": ("contests/pdf_minutes.html", "berita-acara"),
    "sk-juara": ("contests/pdf_decree.html", "sk-juara"),
}


def document_bytes(kind: str, edition: Edition, request: HttpRequest | None = None) -> bytes:
    """Return one document (`berita-acara` or `sk-juara`) as PDF bytes; raise PdfUnavailable without pango."""
    template, _name = DOCUMENTS[kind]
    html = render_to_string(template, {"m": minutes_data(edition), "e": edition}, request=request)
    return _pdf(html)


def document_response(request: HttpRequest, kind: str, edition: Edition) -> HttpResponse:
    """Return the document as PDF, or a 503 page when PDF cannot be made on this server."""
    try:
        pdf = document_bytes(kind, edition, request)
    except PdfUnavailable:
        message = _("Dokumen PDF belum dapat dibuat di server ini (pustaka PDF belum terpasang). Unduh peringkat "
                    "dalam Excel, atau coba lagi nanti.")  # fmt: skip
        return render(request, "error.html", {"code": 503, "title": _("Layanan belum tersedia"), "message": message},
                      status=503)  # fmt: skip
    response = HttpResponse(pdf, content_type="application/pdf")
    name = f"{DOCUMENTS[kind][1]}-{slugify(edition.name)[:60] or edition.pk}.pdf"
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response
