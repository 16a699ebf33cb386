"""Read the numbers a dashboard page shows: every cell with `data-key`, its `data-of` and its text."""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any


@dataclass
class Cell:
    of: str  # "self", "r:<code>", "p:<post id>", "y:<year>"
    key: str
    raw: str  # data-value
    text: str  # what the reader sees
    source: str = ""  # funding source code

    @property
    def shown(self) -> Any:
        """Return the number read back from the text: `Rp 1.250.000` → 1250000, `4,5 hari` → 4.5, `Ya` → 1."""
        return read_number(self.text)


def read_number(text: str) -> Any:
    text = text.strip()
    if text in ("–", ""):
        return None
    if text in ("Ya", "Tidak"):
        return int(text == "Ya")
    cleaned = re.sub(r"^-?Rp\s*", lambda m: "-" if m.group(0).startswith("-") else "", text)
    cleaned = re.sub(r"\s*(hari|%)$", "", cleaned).replace(".", "").replace(",", ".")
    return float(cleaned) if "." in cleaned else int(cleaned)


class _Cells(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.cells: list[Cell] = []
        self.links: dict[str, str] = {}
        self._open: Cell | None = None
        self._href: str | None = None
        self._link_text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if "data-key" in a and "data-of" in a:
            self._open = Cell(a["data-of"], a["data-key"], a.get("data-value", ""), "", a.get("data-source", ""))
        if tag == "a" and "href" in a:
            self._href, self._link_text = a["href"], ""

    def handle_data(self, data: str) -> None:
        if self._open is not None:
            self._open.text += data
        if self._href is not None:
            self._link_text += data

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "dd") and self._open is not None:
            self.cells.append(self._open)
            self._open = None
        if tag == "a" and self._href is not None:
            self.links.setdefault(self._link_text.strip(), self._href)
            self._href = None


def page_cells(html: str) -> tuple[list[Cell], dict[str, str]]:
    """Return the figure cells of a page and its links by text."""
    parser = _Cells()
    parser.feed(html)
    return parser.cells, parser.links
