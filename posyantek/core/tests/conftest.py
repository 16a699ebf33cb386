"""Browser-test setup: run pytest-playwright against Debian's Chromium instead of a downloaded build.

`playwright install` cannot download browsers here, so the session fixture `browser_type_launch_args`
points Playwright at /usr/bin/chromium. Tests marked `browser` skip when that binary is absent;
CI installs it, so CI never skips.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from pytest_django.live_server_helper import LiveServer

#: Debian's Chromium (apt package `chromium`).
CHROMIUM = Path("/usr/bin/chromium")

# Playwright's sync API keeps an asyncio event loop running in this thread for the whole session
# (its fixtures are session-scoped), so Django's async-unsafe guard would refuse ORM calls made from
# the test itself. The test and the live server are plain synchronous code, so the guard is off.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",  # CI runs as root, where Chromium's sandbox refuses to start
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    """Launch Debian's Chromium, headless and without background network traffic."""
    args = [*browser_type_launch_args.get("args", []), *CHROMIUM_ARGS]
    return {**browser_type_launch_args, "executable_path": str(CHROMIUM), "args": args}


@pytest.fixture(scope="session")
def base_url(live_server: LiveServer) -> str:
    """Let pages open paths such as `/akun/masuk` on the live server.

    This also replaces pytest-playwright's fallback `base_url` fixture, whose method form pytest 9 warns about.
    """
    return live_server.url


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Skip the tests marked `browser` when Debian's Chromium is not installed."""
    if CHROMIUM.exists():
        return
    skip = pytest.mark.skip(reason=f"{CHROMIUM} is missing: install Debian's `chromium` package to run browser tests")
    for item in items:
        if item.get_closest_marker("browser"):
            item.add_marker(skip)
