"""API for Bintek, participants, attendance and follow-ups."""

# No `from __future__ import annotations` here: django-ninja reads these annotations at runtime.
from ninja import Router

router = Router(tags=["Bintek"])
