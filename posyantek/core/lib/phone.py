"""Indonesian mobile numbers: read the ways people write them, keep one form (628…). Framework-free."""

from __future__ import annotations

import re

#: After the country code: the mobile prefix 8 and 8 to 11 more digits (0812-345-678 up to 0812-3456-78901).
_MOBILE = re.compile(r"^628\d{8,11}$")
_SEPARATORS = re.compile(r"[\s\-.()/]")


def normalize_phone(text: str) -> str | None:
    """Return an Indonesian mobile number as 628…, or None when it is not one.

    Accepts 08…, +628…, 628… and 8… with spaces, dashes, dots or brackets between the digits.
    """
    raw = _SEPARATORS.sub("", text or "")
    if raw.startswith("+"):
        raw = raw[1:]
    if raw.startswith("0062"):
        raw = raw[2:]
    if raw.startswith("08"):
        raw = "62" + raw[1:]
    elif raw.startswith("8"):
        raw = "62" + raw
    return raw if _MOBILE.match(raw) else None


def display_phone(number: str) -> str:
    """Return 6281234567890 as 0812-3456-7890, the way people read it."""
    if not number.startswith("62"):
        return number
    local = "0" + number[2:]
    return "-".join([local[:4], local[4:8], local[8:]]).rstrip("-")
