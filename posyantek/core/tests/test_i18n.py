"""The English catalog is complete and compiled, so switching to English never shows half Indonesian."""

from __future__ import annotations

import re
from pathlib import Path

from django.conf import settings

PO = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES" / "django.po"
#: An empty translation: `msgstr ""` not followed by a continued line (a long one starts with `msgstr ""` too).
EMPTY = re.compile(r'^msgstr(\[\d\])? ""$(?!\n")', re.M)


def test_english_catalog_has_no_empty_or_fuzzy_entries() -> None:
    text = PO.read_text()
    entries = text.split("\n\n")[1:]  # the first block is the header
    fuzzy = [e for e in entries if re.search(r"^#, .*fuzzy", e, re.M)]
    empty = [e for e in entries if EMPTY.search(e) and not e.startswith("#~")]
    assert fuzzy == []
    assert empty == []


def test_compiled_catalog_is_committed() -> None:
    mo = PO.with_suffix(".mo")
    assert mo.exists()
    assert mo.stat().st_size > 1000


def test_every_string_in_the_code_is_in_the_catalog(tmp_path, settings, monkeypatch) -> None:
    """Extract the strings afresh, in a copy of the tree: nothing may come out untranslated."""
    import shutil

    import pytest
    from django.core.management import call_command

    if shutil.which("xgettext") is None:
        pytest.skip("gettext is not installed (apt-get install gettext); .ci/run installs it")
    base = Path(settings.BASE_DIR)
    for part in ("posyantek", "templates", "config"):
        shutil.copytree(base / part, tmp_path / part, ignore=shutil.ignore_patterns("__pycache__", "tests"))
    catalog = tmp_path / "locale" / "en" / "LC_MESSAGES"
    catalog.mkdir(parents=True)
    shutil.copy(PO, catalog / "django.po")
    settings.LOCALE_PATHS = [tmp_path / "locale"]
    monkeypatch.chdir(tmp_path)  # makemessages writes next to what it scans: keep it away from the real catalog
    call_command("makemessages", locale=["en"], no_obsolete=True, no_wrap=True, verbosity=0)
    entries = (catalog / "django.po").read_text().split("\n\n")[1:]
    missing = [e for e in entries if EMPTY.search(e) or re.search(r"^#, .*fuzzy", e, re.M)]
    assert missing == [], "run makemessages and translate (locale/README.md):\n" + "\n\n".join(missing[:5])
