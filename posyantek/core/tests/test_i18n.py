"""The English catalog is complete and compiled, so switching to English never shows half Indonesian."""

from __future__ import annotations

import re
from pathlib import Path

from django.conf import settings

PO = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES" / "django.po"


def test_english_catalog_has_no_empty_or_fuzzy_entries() -> None:
    text = PO.read_text()
    entries = text.split("\n\n")[1:]  # the first block is the header
    fuzzy = [e for e in entries if re.search(r"^#, .*fuzzy", e, re.M)]
    empty = [e for e in entries if re.search(r'^msgstr(\[\d\])? ""$', e, re.M) and not e.startswith("#~")]
    assert fuzzy == []
    assert empty == []


def test_compiled_catalog_is_committed() -> None:
    mo = PO.with_suffix(".mo")
    assert mo.exists()
    assert mo.stat().st_size > 1000
