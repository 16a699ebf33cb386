"""Rupiah outside templates: formatting (exports, e-mails) and reading what people type in forms."""

from __future__ import annotations

import re


def format_rupiah(amount: int | None) -> str:
    """Return `Rp 1.250.000` for 1250000."""
    if amount is None:
        return "–"
    sign = "-" if amount < 0 else ""
    return f"{sign}Rp {abs(int(amount)):,}".replace(",", ".")


#: Digits, or digits grouped by thousands with dots ("1.250.000"); a leading minus is kept for the range check.
_PLAIN = re.compile(r"^-?\d+$")
_GROUPED = re.compile(r"^-?\d{1,3}(?:\.\d{3})+$")


def parse_rupiah(text: str) -> int:
    """Return whole rupiah from how people type them: `1250000`, `1.250.000`, `Rp 1.250.000`.

    In Indonesian a dot groups thousands and a comma starts the cents, so "1.5" and "1,5" are not amounts of
    whole rupiah: they raise ValueError rather than becoming Rp 15.
    """
    cleaned = re.sub(r"(?i)^\s*-?\s*rp\.?", lambda m: "-" if "-" in m.group(0) else "", text.strip())
    cleaned = re.sub(r"\s", "", cleaned)
    if _PLAIN.match(cleaned):
        return int(cleaned)
    if _GROUPED.match(cleaned):
        return int(cleaned.replace(".", ""))
    raise ValueError(text)
