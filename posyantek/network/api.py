"""API for the marketing network (agents)."""

from ninja import Router

router = Router(tags=["Jejaring"])
