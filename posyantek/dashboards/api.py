"""API for dashboards (same services and scope as the pages)."""

from ninja import Router

router = Router(tags=["Dasbor"])
