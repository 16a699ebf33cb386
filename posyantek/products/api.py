"""API for products (staff) and the public marketplace (browse, checkout)."""

from ninja import Router

router = Router(tags=["Produk"])
public = Router(tags=["Pasar"])
