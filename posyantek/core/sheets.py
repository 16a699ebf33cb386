"""Read a register people keep in Excel or CSV: rows with their sheet row numbers, numbers written any way.

Reading is our own (openpyxl, csv) rather than tablib's, so that row numbers stay those of the sheet across
blank lines, a stray cell right of the headings does not reject the whole file, and a CSV saved by Excel in
an Indonesian locale (";" between cells, "2.500.000,00" in them) reads as it looks.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_ROWS = 10_000
#: Headings read from the first row at most: a sheet formatted out to column XFD stays cheap.
MAX_COLUMNS = 200


@dataclass
class Sheet:
    """The heading row and the rows below it that hold anything, each with its row number in the file."""

    headers: list[str]
    rows: list[tuple[int, list[Any]]]


def cell_text(value: Any) -> str:
    """Return a cell as text: NUL bytes stripped, a whole number typed into Excel without its ".0"."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).replace("\x00", "").strip()


def _xlsx_rows(content: bytes) -> Iterator[tuple[Any, ...]]:
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    try:
        sheet = book.active
        sheet.reset_dimensions()  # some writers record a wrong size; read what is there
        head = next(sheet.iter_rows(max_row=1, max_col=MAX_COLUMNS, values_only=True), ())
        yield head
        width = max((i + 1 for i, v in enumerate(head) if cell_text(v)), default=0)
        if width:
            yield from sheet.iter_rows(min_row=2, max_col=width, values_only=True)
    finally:
        book.close()


def _csv_rows(content: bytes) -> Iterator[list[str]]:
    for encoding in ("utf-8-sig", "cp1252", "latin-1"):  # Excel on Windows saves "CSV" as cp1252
        try:
            text = content.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    text = text.replace("\x00", "")
    first = text.split("\n", 1)[0]
    # Excel in an Indonesian locale separates cells with ";", as the decimal comma is taken.
    delimiter = max((",", ";", "\t"), key=first.count) if any(d in first for d in ",;\t") else ","
    yield from csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)


def read_sheet(content: bytes, filename: str, *, max_rows: int = MAX_ROWS) -> Sheet:
    """Read an uploaded XLSX or CSV file: headings from the first row, then the rows that hold anything."""
    name = filename.lower()
    if not name.endswith((".xlsx", ".csv")):
        raise ValidationError(_("Unggah berkas .xlsx atau .csv."))
    try:
        source = _xlsx_rows(content) if name.endswith(".xlsx") else _csv_rows(content)
        headers = [cell_text(h) for h in next(source, ())][:MAX_COLUMNS]
        while headers and not headers[-1]:
            headers.pop()
        width = len(headers)
        rows: list[tuple[int, list[Any]]] = []
        for line, cells in enumerate(source, start=2):
            cells = list(cells[:width]) + [None] * (width - len(cells))
            if not any(cell_text(c) for c in cells):
                continue
            if len(rows) == max_rows:
                raise ValidationError(_("Paling banyak %(n)s baris sekali impor.") % {"n": max_rows})
            rows.append((line, cells))
    except ValidationError:
        raise
    except Exception as exc:  # noqa: BLE001 - any parse failure is the user's file, told plainly
        raise ValidationError(
            _("Berkas tidak dapat dibaca. Simpan ulang sebagai .xlsx atau .csv dari Excel, lalu unggah lagi.")
        ) from exc
    return Sheet(headers, rows)


class CellError(Exception):
    """A cell that cannot be read; the message is shown with its row and column."""


_ID_THOUSANDS = re.compile(r"\d{1,3}(?:\.\d{3})+(?:,\d*)?")  # 2.500.000 or 2.500.000,00
_EN_THOUSANDS = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d*)?")  # 2,500,000.00
_PLAIN = re.compile(r"\d+(?:[.,]\d*)?")  # 2500000, 2500000.0, 12,5
_SCIENTIFIC = re.compile(r"\d+(?:\.\d+)?e[+-]?\d+", re.IGNORECASE)  # 2.5E+06, as Excel writes big numbers
_AMBIGUOUS = re.compile(r"\d{1,3}[.,]\d{3}")  # 1.500: a thousand and a half, or one and a half?


def parse_number(value: Any, *, integer: bool) -> Decimal | None:
    """Read a number written the Indonesian way, the English way, plainly, or stored by Excel as a float.

    "Rp 2.500.000", "2.500.000,-", "2,500,000", "2500000" and 2500000.0 are all 2500000. For a whole
    number "1.500" is 1500; where a fraction is allowed it could be either, and is refused.
    """
    if isinstance(value, bool):
        raise CellError(_("'%(value)s' bukan angka.") % {"value": value})
    if isinstance(value, int | Decimal):
        number = Decimal(value)
    elif isinstance(value, float):
        if not math.isfinite(value):
            raise CellError(_("'%(value)s' bukan angka.") % {"value": value})
        if integer and abs(value - round(value)) < 1e-6:  # 2749999.9999999995 from a formula
            value = float(round(value))
        number = Decimal(repr(value))
    else:
        text = cell_text(value)
        compact = re.sub(r"\s", "", text)
        if not compact:
            return None
        negative = False
        if compact[:1] in ("-", "\u2212"):
            negative, compact = True, compact[1:]
        compact = re.sub(r"^(?:rp\.?|idr)", "", compact, flags=re.IGNORECASE)
        if compact[:1] in ("-", "\u2212"):
            negative, compact = True, compact[1:]
        compact = re.sub(r"[.,]-$", "", compact)  # "2.500.000,-"
        if not integer and _AMBIGUOUS.fullmatch(compact):
            raise CellError(
                _("Angka '%(value)s' meragukan (ribuan atau pecahan?); tulis tanpa pemisah ribuan, mis. 1500 "
                  "atau 1,5.") % {"value": text}
            )  # fmt: skip
        if _ID_THOUSANDS.fullmatch(compact):
            compact = compact.replace(".", "").replace(",", ".")
        elif _EN_THOUSANDS.fullmatch(compact):
            compact = compact.replace(",", "")
        elif _PLAIN.fullmatch(compact):
            compact = compact.replace(",", ".")
        elif not _SCIENTIFIC.fullmatch(compact):
            raise CellError(_("'%(value)s' bukan angka.") % {"value": text})
        number = Decimal(compact.rstrip("."))
        if negative:
            number = -number
    if integer and number != number.to_integral_value():
        raise CellError(_("Harus bilangan bulat."))
    return number
