"""API for exhibitions and roadshows."""

from ninja import Router

router = Router(tags=["Pameran"])
