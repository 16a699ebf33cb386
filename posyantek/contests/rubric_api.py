"""API of the contests app (rubric); mounted by api.py under /api/v1/lomba."""

from ninja import Router

router = Router(tags=["lomba"])
