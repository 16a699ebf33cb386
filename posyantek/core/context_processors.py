"""Template context shared by every page."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from posyantek.core.scoping import Action, user_grants


def csp_nonce(request: HttpRequest) -> dict[str, Any]:
    """Expose the CSP nonce so `{% htmx_script %}` and inline scripts can carry it."""
    return {"csp_nonce": getattr(request, "csp_nonce", "")}


def navigation(request: HttpRequest) -> dict[str, Any]:
    """Tell the layout which menu entries the user's roles open."""
    user = getattr(request, "user", None)
    grants = user_grants(user) if user is not None else []
    top = max((g.rank for g in grants), default=0)
    return {
        "nav_can_oversee": top >= Action.OVERSEE,
        "nav_can_manage": top >= Action.MANAGE,
        "nav_has_grants": bool(grants),
    }
