"""One dataset, several formats: the cash book, realisation reports and the LPJ as XLSX/CSV tables or as PDF
on the post's letterhead (WeasyPrint, as trainings/certificates.py; a missing pango gives a 503 page)."""

from __future__ import annotations

import base64
import io
import mimetypes
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from posyantek.core.exports import Table, export_response
from posyantek.finance.models import Entry
from posyantek.finance.selectors import CashBook, Lpj, Realisation, Rollup


def _kind(e: Entry) -> str:
    label = e.get_kind_display()
    return f"{label} ({_('pembatalan')} #{e.reverses_id})" if e.reverses_id else label


def entries_table(qs: Any) -> Table:
    headers = [
        "Nomor",
        "Tanggal",
        "Pos",
        "Jenis",
        "Sumber dana",
        "Kode akun",
        "Akun",
        "Kas/rekening",
        "Uraian",
        "Kegiatan",
        "Pihak",
        "Nomor bukti",
        "Jumlah (Rp)",
        "Pengaruh saldo (Rp)",
        "Membatalkan",
        "Dibatalkan oleh",
        "Hibah",
        "Ada bukti",
    ]
    rows = (
        [
            e.pk,
            e.date,
            e.post.name,
            e.get_kind_display(),
            e.get_source_display(),
            e.account.code,
            e.account.name,
            e.cash_account.name,
            e.description,
            e.activity,
            e.counterparty,
            e.reference,
            e.amount,
            e.delta,
            e.reverses_id or "",
            getattr(getattr(e, "reversed_by", None), "pk", "") or "",
            e.grant_id or "",
            "ya" if e.receipt else "tidak",
        ]
        for e in qs.iterator(chunk_size=2000)
    )
    return Table("Buku kas", headers, rows)


def cash_book_table(book: CashBook) -> Table:
    headers = [
        "Tanggal",
        "Nomor",
        "Uraian",
        "Sumber dana",
        "Akun",
        "Kas/rekening",
        "Nomor bukti",
        "Masuk (Rp)",
        "Keluar (Rp)",
        "Saldo (Rp)",
    ]
    rows: list[list[Any]] = [[book.start, "", _("Saldo awal"), "", "", "", "", "", "", book.opening]]
    for r in book.rows:
        e = r.entry
        rows.append(
            [
                e.date,
                e.pk,
                f"{e.description}" + (f" ({_kind(e)})" if e.reverses_id else ""),
                e.get_source_display(),
                f"{e.account.code} {e.account.name}",
                e.cash_account.name,
                e.reference,
                e.delta if e.delta > 0 else "",
                -e.delta if e.delta < 0 else "",
                r.balance,
            ]
        )
    rows.append([book.end, "", _("Jumlah / saldo akhir"), "", "", "", "", book.income, book.spending, book.closing])
    return Table("Buku kas umum", headers, rows)


def realisation_table(rep: Realisation) -> Table:
    headers = [
        "Sumber dana",
        "Kode akun",
        "Akun",
        "Kegiatan",
        "Dasar hukum",
        "Pagu (Rp)",
        "Pemasukan (Rp)",
        "Realisasi (Rp)",
        "Sisa (Rp)",
        "Serapan (%)",
        "Catatan",
    ]
    rows: list[list[Any]] = []
    for line in rep.lines:
        basis = ""
        if line.regulation:
            basis = line.regulation.short + (f" Pasal {line.article.number}" if line.article else "")
        note = _("di luar rincian") if not line.planned else (_("melewati pagu") if line.over else "")
        rows.append(
            [
                line.source_label,
                line.account.code if line.account else "",
                line.account.name if line.account else "",
                line.activity,
                basis,
                line.pagu,
                "",  # income is booked per source, not per spending account
                line.spent,
                line.remaining,
                line.absorption,
                note,
            ]
        )
    for s in rep.sources:
        rows.append(
            [f"{_('Jumlah')} {s.label}", "", "", "", "", s.pagu, s.income, s.spent, s.pagu - s.spent, s.absorption, ""]
        )
    rows.append(
        [
            _("Jumlah semua sumber"),
            "",
            "",
            "",
            "",
            rep.pagu,
            rep.income,
            rep.spent,
            rep.pagu - rep.spent,
            rep.absorption,
            "",
        ]
    )
    return Table("Realisasi anggaran", headers, rows)


def rollup_table(data: Rollup) -> Table:
    headers = [
        "Kode wilayah",
        "Pos",
        "Pagu (Rp)",
        "Pemasukan (Rp)",
        "Realisasi (Rp)",
        "Serapan (%)",
        "Dasar pendanaan peraturan daerah",
    ]
    rows: list[list[Any]] = [
        [r.region_id, r.name, r.pagu, r.income, r.spent, r.absorption, ", ".join(r.bases)] for r in data.posts
    ]
    return Table(f"Realisasi {data.year}", headers, rows)


def lpj_table(lpj: Lpj) -> Table:
    """Return the LPJ as one table: the grant, its disbursements and spending (both positive, as their totals; a
    reversal negative), the totals, then the assets it bought (described in Uraian, not in Akun/Pihak)."""
    g = lpj.grant
    headers = ["Bagian", "Tanggal", "Nomor", "Uraian", "Akun", "Pihak", "Nomor bukti", "Jumlah (Rp)", "Bukti"]
    rows: list[list[Any]] = [
        [
            "Hibah",
            g.starts_on,
            "",
            f"{g.purpose} ({g.get_source_display()})",
            "",
            g.giver,
            g.agreement_number,
            g.amount,
            "",
        ],
    ]
    for section, entries in ((_("Pencairan"), lpj.disbursements), (_("Penggunaan"), lpj.spending)):
        for e in entries:
            rows.append(
                [
                    section,
                    e.date,
                    e.pk,
                    e.description,
                    f"{e.account.code} {e.account.name}",
                    e.counterparty,
                    e.reference,
                    e.delta if e.kind == Entry.Kind.INCOME else -e.delta,
                    e.receipt.name.rsplit("/", 1)[-1] if e.receipt else "",
                ]
            )
    rows += [
        [_("Jumlah pencairan"), "", "", "", "", "", "", lpj.totals.disbursed, ""],
        [_("Jumlah penggunaan"), "", "", "", "", "", "", lpj.totals.spent, ""],
        [_("Sisa dana"), "", "", "", "", "", "", lpj.totals.remaining, ""],
    ]
    for a in lpj.assets:
        about = " · ".join(x for x in (a.name, a.get_kind_display(), a.location) if x)
        rows.append([_("Aset"), a.acquired_on, a.entry_id or "", about, "", "", "", a.value, ""])
    return Table("LPJ hibah", headers, rows)


def table_response(table: Table, fmt: str, basename: str) -> HttpResponse:
    return export_response(table, fmt, basename)


# --- PDF ------------------------------------------------------------------------------------------------------


def _read(field: Any, limit: int = 2 * 1024 * 1024) -> bytes:
    if not field:
        return b""
    try:
        with field.open("rb") as f:
            return f.read(limit)
    except (FileNotFoundError, OSError, ValueError):
        return b""


def _data_uri(field: Any) -> str:
    data = _read(field)
    if not data:
        return ""
    mime = mimetypes.guess_type(field.name)[0] or "application/octet-stream"
    return f"data:{mime};base64,{base64.b64encode(data).decode()}"


def _pdf(html: str, attachments: list[tuple[str, bytes, str]] | None = None) -> bytes:
    """Render HTML to PDF; only data: URIs load (the logo, the receipts), never the network or the disk.

    `attachments` are (file name, bytes, description): embedded files keep their names (a `<link rel=attachment>`
    to a data: URI would be called attachment.bin).
    """
    from weasyprint import HTML, Attachment  # noqa: PLC0415 - a missing pango raises OSError here, handled by caller
    from weasyprint.urls import URLFetcher  # noqa: PLC0415

    fetcher = URLFetcher(allowed_protocols={"data"})
    files = [
        Attachment(file_obj=io.BytesIO(data), name=name, description=description, url_fetcher=fetcher)
        for name, data, description in attachments or []
    ]
    return HTML(string=html, url_fetcher=fetcher).write_pdf(attachments=files)


#: The most receipt bytes one LPJ carries (the rest are listed, not embedded).
RECEIPTS_MAX_BYTES = 25 * 1024 * 1024


def receipt_attachments(lpj: Lpj) -> list[dict[str, Any]]:
    """Return the spending receipts of an LPJ: images are shown in the PDF, every receipt is attached to it."""
    out, total = [], 0
    for e in lpj.spending:
        if not e.receipt or e.reverses_id:
            continue
        data = _read(e.receipt) if total < RECEIPTS_MAX_BYTES else b""
        total += len(data)
        name = e.receipt.name.rsplit("/", 1)[-1]
        mime = mimetypes.guess_type(name)[0] or "application/octet-stream"
        uri = f"data:{mime};base64,{base64.b64encode(data).decode()}" if data else ""
        image = bool(uri) and mime.startswith("image/")
        out.append({"entry": e, "uri": uri, "name": name, "data": data, "image": image})
    return out


def lpj_attachments(receipts: list[dict[str, Any]]) -> list[tuple[str, bytes, str]]:
    """Return the receipts to embed in the LPJ PDF, each under its own file name."""
    return [
        (r["name"], r["data"], _("Bukti entri #%(n)s: %(what)s") % {"n": r["entry"].pk, "what": r["entry"].description})
        for r in receipts
        if r["data"]
    ]


def pdf_response(
    request: HttpRequest,
    template: str,
    ctx: dict[str, Any],
    basename: str,
    attachments: list[tuple[str, bytes, str]] | None = None,
) -> HttpResponse:
    """Return a report as PDF on the post's letterhead, or a 503 page when PDF cannot be made on this server."""
    post = ctx["post"]
    ctx = {**ctx, "logo": _data_uri(post.logo), "printed_at": timezone.now()}
    html = render_to_string(template, ctx, request=request)
    try:
        pdf = _pdf(html, attachments)
    except OSError:
        message = _(
            "Laporan PDF belum dapat dibuat di server ini (pustaka PDF belum terpasang). Unduh versi XLSX, "
            "atau coba lagi nanti."
        )
        return render(
            request, "error.html", {"code": 503, "title": _("Layanan belum tersedia"), "message": message}, status=503
        )
    response = HttpResponse(pdf, content_type="application/pdf")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'inline; filename="{slugify(basename)[:80] or "laporan"}-{stamp}.pdf"'
    return response
