"""Fixtures of the dashboard tests (part B's page/API fixtures live in `fixtures.py`)."""

from .fixtures import dash, judge  # noqa: F401
