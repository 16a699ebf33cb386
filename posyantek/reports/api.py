"""API for reports (same services and scope as the pages)."""

from ninja import Router

router = Router(tags=["Laporan berkala"])
