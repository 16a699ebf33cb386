"""API for sales figures."""

from ninja import Router

router = Router(tags=["Penjualan"])
