"""API of the replication app."""

from ninja import Router

router = Router(tags=["Replikasi"])
