"""Rupiah formatting outside templates (exports, e-mails)."""

from __future__ import annotations


def format_rupiah(amount: int | None) -> str:
    """Return `Rp 1.250.000` for 1250000."""
    if amount is None:
        return "–"
    sign = "-" if amount < 0 else ""
    return f"{sign}Rp {abs(int(amount)):,}".replace(",", ".")
