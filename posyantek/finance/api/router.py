"""The one router of the money API; the endpoint modules register on it."""

from ninja import Router

router = Router(tags=["Keuangan"])
