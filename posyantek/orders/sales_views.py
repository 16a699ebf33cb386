"""The sales analysis page (/penjualan/) and its exports: a post's sales, or rolled up for an overseer."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable, Sequence
from typing import Any

from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import formats, timezone
from django.utils.dates import MONTHS
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from posyantek.core.exports import CsvExporter, Table, XlsxExporter
from posyantek.core.htmx import render_page
from posyantek.core.pagecache import cache_page_until_change
from posyantek.orders.sales_selectors import (
    FIRST_YEAR,
    PAGE_ROWS,
    Line,
    SalesAnalysis,
    default_year,
    last_year,
    oversees_regions,
    sales_analysis,
    sales_post,
    sales_post_choices,
    sales_region,
    sales_region_choices,
)

MONTH_CHOICES = [(m, name) for m, name in MONTHS.items()]
BASIS = _(
    "Nilai adalah nilai barang: jumlah × harga satuan yang disepakati (tanpa ongkos kirim dan potongan), dari "
    "pesanan yang sudah dikonfirmasi dan tidak dibatalkan atau diretur, menurut bulan tanggal penjualannya."
)


class SalesFilterForm(forms.Form):
    """The year and months of the analysis (the post and region are checked against the user's scope apart)."""

    tahun = forms.TypedChoiceField(label=_("Tahun"), coerce=int, required=False, empty_value=None)
    dari = forms.TypedChoiceField(label=_("Dari bulan"), coerce=int, choices=MONTH_CHOICES, initial=1,
                                  required=False, empty_value=None)  # fmt: skip
    sampai = forms.TypedChoiceField(label=_("Sampai bulan"), coerce=int, choices=MONTH_CHOICES, initial=12,
                                    required=False, empty_value=None)  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        years = range(last_year(), FIRST_YEAR - 1, -1)
        self.fields["tahun"].choices = [(y, str(y)) for y in years]
        self.fields["tahun"].initial = default_year()
        self.fields["tahun"].error_messages["invalid_choice"] = _(
            "Pilih tahun %(first)s sampai %(last)s."
        ) % {"first": FIRST_YEAR, "last": last_year()}  # fmt: skip

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("dari") and data.get("sampai") and data["dari"] > data["sampai"]:
            self.add_error("sampai", gettext("Bulan akhir tidak boleh sebelum bulan awal."))
        return data

    def values(self) -> tuple[int, int, int]:
        """Return (year, first month, last month): the valid choices, the defaults for the rest."""
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        if self.is_bound and not data:
            # Keep what was valid (a bad month need not lose the year).
            data = {k: v for k, v in getattr(self, "cleaned_data", {}).items() if k not in self.errors}
            if "sampai" in self.errors and "dari" in data:
                del data["dari"]
        return data.get("tahun") or default_year(), data.get("dari") or 1, data.get("sampai") or 12


def _scope(request: HttpRequest) -> tuple[Any, Any]:
    """Return the post and region asked for; one the user may not see is a 404, not an empty page."""
    post = region = None
    post_id = request.GET.get("pos", "").strip()
    if post_id:
        if not post_id.isdigit() or len(post_id) > 18:
            raise Http404
        post = sales_post(user=request.user, post_id=int(post_id))
        if post is None:
            raise Http404
    code = request.GET.get("wilayah", "").strip()
    if code:
        region = sales_region(user=request.user, code=code) if len(code) <= 13 else None
        if region is None:
            raise Http404
    return post, region


@cache_page_until_change
def sales_analysis_view(request: HttpRequest) -> HttpResponse:
    """Sales of a year by product, buyer province, in/out of region, channel, month and post; XLSX and CSV."""
    post, region = _scope(request)
    asked = {k: request.GET.get(k, "") for k in ("tahun", "dari", "sampai")}
    defaults = {"tahun": default_year(), "dari": 1, "sampai": 12}
    form = SalesFilterForm({k: v or defaults[k] for k, v in asked.items()} if any(asked.values()) else None)
    year, first, last = form.values()
    fmt = request.GET.get("format")
    data = sales_analysis(user=request.user, year=year, month_from=first, month_to=last, post=post, region=region,
                          limit=None if fmt in ("csv", "xlsx") else PAGE_ROWS)  # fmt: skip
    if fmt == "xlsx":
        return _download(XlsxWorkbook(sales_sheets(data)), data)
    if fmt == "csv":
        return _download(CsvExporter(sales_long_table(data)), data)
    posts, more_posts = sales_post_choices(user=request.user, region=region)
    params = request.GET.copy()
    params.pop("format", None)
    ctx = {
        "form": form, "data": data, "post": post, "region": region, "posts": posts, "more_posts": more_posts,
        "only_post": posts[0] if post is None and region is None and len(posts) == 1 else None,
        "regions": sales_region_choices(user=request.user) if oversees_regions(request.user) else [],
        "chart": month_chart(data.by_month), "query": params.urlencode(), "basis": BASIS,
    }  # fmt: skip
    return render_page(request, "orders/sales_analysis.html", ctx)


def month_chart(lines: Sequence[Line]) -> dict[str, Any]:
    """Return the geometry of the month bar chart (an inline SVG, no script and no style attribute)."""
    slot, top, height = 30, 14, 100
    bars = []
    for i, line in enumerate(lines):
        h = line.bar
        month = int(line.key[-2:])
        bars.append({"x": i * slot + 5, "y": top + height - h, "h": h, "w": slot - 10, "cx": i * slot + slot // 2,
                     "short": formats.date_format(dt.date(2000, month, 1), "M"), "line": line})  # fmt: skip
    return {"bars": bars, "width": max(len(lines), 1) * slot, "height": top + height + 18, "base": top + height,
            "label_y": top + height + 14}  # fmt: skip


# --- exports: one dataset, a workbook with a sheet per breakdown or one long CSV table ----------------------------


def _scope_label(data: SalesAnalysis) -> str:
    if data.post is not None:
        return data.post.name
    if data.region is not None:
        return str(data.region)
    return gettext("Semua pos dalam cakupan Anda")


def _period(data: SalesAnalysis) -> str:
    if (data.month_from, data.month_to) == (1, 12):
        return str(data.year)
    return f"{MONTHS[data.month_from]}–{MONTHS[data.month_to]} {data.year}"


def _rows(lines: Iterable[Line], *, post: bool = False, code: bool = False) -> list[list[Any]]:
    out = []
    for line in lines:
        row: list[Any] = [line.key] if code else []
        row.append(line.label)
        if post:
            row.append(line.post_name)
        out.append([*row, line.orders, line.quantity, line.amount, line.share])
    return out


def sales_sheets(data: SalesAnalysis) -> list[Table]:
    """Return one table per breakdown, the summary first."""
    nums = [gettext("Pesanan"), gettext("Jumlah unit"), gettext("Nilai barang (Rp)"), gettext("Porsi nilai (%)")]
    summary = [
        [gettext("Cakupan"), _scope_label(data)],
        [gettext("Periode"), _period(data)],
        [gettext("Pesanan"), data.totals.orders],
        [gettext("Jumlah unit"), data.totals.quantity],
        [gettext("Nilai barang (Rp)"), data.totals.amount],
        [gettext("Dasar nilai"), str(BASIS)],
        [gettext("Dibuat"), timezone.localtime().strftime("%Y-%m-%d %H:%M")],
    ]
    sheets = [
        Table(gettext("Ringkasan"), [gettext("Keterangan"), gettext("Isi")], summary),
        Table(gettext("Per bulan"), [gettext("Bulan"), *nums], _rows(data.by_month)),
        Table(gettext("Per produk"), [gettext("Produk"), gettext("Pos"), *nums], _rows(data.by_product, post=True)),
        Table(
            gettext("Per provinsi pembeli"),
            [gettext("Kode provinsi"), gettext("Provinsi"), *nums],
            _rows(data.by_province, code=True),
        ),  # fmt: skip
        Table(gettext("Dalam-luar daerah"), [gettext("Jangkauan"), *nums], _rows(data.by_reach)),
        Table(gettext("Per saluran"), [gettext("Saluran"), *nums], _rows(data.by_channel)),
    ]
    if data.by_post:
        rows = [[line.label, line.region_code, line.orders, line.quantity, line.amount, line.out_amount, line.share]
                for line in data.by_post]  # fmt: skip
        headers = [gettext("Pos"), gettext("Kode wilayah"), gettext("Pesanan"), gettext("Jumlah unit"),
                   gettext("Nilai barang (Rp)"), gettext("Nilai luar daerah (Rp)"),
                   gettext("Porsi nilai (%)")]  # fmt: skip
        sheets.append(Table(gettext("Per pos"), headers, rows))
    return sheets


def sales_long_table(data: SalesAnalysis) -> Table:
    """Return every breakdown in one long table: breakdown, key, name, post, orders, units, value, share."""
    parts = [
        (gettext("Jumlah"), [data.totals]),
        (gettext("Per bulan"), data.by_month),
        (gettext("Per produk"), data.by_product),
        (gettext("Per provinsi pembeli"), data.by_province),
        (gettext("Dalam-luar daerah"), data.by_reach),
        (gettext("Per saluran"), data.by_channel),
        (gettext("Per pos"), data.by_post),
    ]
    rows = [[part, line.key, line.label, line.post_name, line.orders, line.quantity, line.amount, line.share]
            for part, lines in parts for line in lines]  # fmt: skip
    headers = [gettext("Rincian"), gettext("Kode"), gettext("Nama"), gettext("Pos"), gettext("Pesanan"),
               gettext("Jumlah unit"), gettext("Nilai barang (Rp)"), gettext("Porsi nilai (%)")]  # fmt: skip
    return Table(gettext("Penjualan") + f" {_period(data)}", headers, rows)


class XlsxWorkbook:
    """A workbook with one sheet per table: bold header, first row frozen, as core.exports writes one sheet."""

    mime_type = XlsxExporter.mime_type
    extension = XlsxExporter.extension

    def __init__(self, tables: list[Table]) -> None:
        self.tables = tables

    def run(self) -> bytes:
        from openpyxl import Workbook
        from openpyxl.styles import Font

        book = Workbook()
        book.remove(book.active)
        for table in self.tables:
            sheet = book.create_sheet(table.title[:31])
            sheet.append(list(table.headers))
            for cell in sheet[1]:
                cell.font = Font(bold=True)
            for row in table.rows:
                sheet.append([_safe(v) for v in row])
            sheet.freeze_panes = "A2"
        buf = io.BytesIO()
        book.save(buf)
        return buf.getvalue()


def _safe(value: Any) -> Any:
    # Keep spreadsheet apps from running a product or buyer-typed name as a formula.
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def _download(exporter: Any, data: SalesAnalysis) -> HttpResponse:
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    scope = f"-pos{data.post.pk}" if data.post else (f"-{data.region.code}" if data.region else "")
    response = HttpResponse(exporter.run(), content_type=exporter.mime_type)
    response["Content-Disposition"] = (
        f'attachment; filename="penjualan-{data.year}{scope}-{stamp}.{exporter.extension}"'
    )
    return response
