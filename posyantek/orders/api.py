"""API for orders, their steps, payments and documents."""

from ninja import Router

router = Router(tags=["Pesanan"])
