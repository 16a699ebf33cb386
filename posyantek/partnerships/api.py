"""API of the partnerships app."""

from ninja import Router

router = Router(tags=["Kemitraan"])
