"""API for service requests: staff endpoints within scope, and the public submit and status-by-code."""

# No `from __future__ import annotations` here: django-ninja reads these annotations at runtime.
from ninja import Router

router = Router(tags=["Permohonan layanan"])
