#!/usr/bin/env python3
"""Fail when a view or API module reads a model without `for_user(` (style.md §6).

Deliberately unscoped reads live in selectors named `*_unscoped`, or in public reference data
(regions), which this check skips.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PATTERN = re.compile(r"\b([A-Z]\w+)\.objects\.(?!for_user\()")
#: Reference data anyone may read, and models scoped by ownership instead of region.
ALLOWED = {"Region", "ContentType", "User"}


def main() -> int:
    hits = []
    for path in sorted((ROOT / "posyantek").rglob("*.py")):
        parts = path.parts[len(ROOT.parts) + 1 :]
        if "tests" in parts or (not path.name.endswith(("views.py", "api.py")) and "api" not in parts):
            continue
        for no, line in enumerate(path.read_text().splitlines(), 1):
            for m in PATTERN.finditer(line):
                if m.group(1) not in ALLOWED:
                    hits.append(f"{path.relative_to(ROOT)}:{no}: {line.strip()}")
    if hits:
        print("Unscoped model access in views/API (use .objects.for_user(user, ...)):")
        print("\n".join(hits))
        return 1
    print("scoping check: ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
