"""The caller's own account and grants."""

# No `from __future__ import annotations` here: django-ninja reads these annotations at runtime.

from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from posyantek.core.api import ERRORS

router = Router(tags=["me"])


class GrantOut(Schema):
    role: str
    region_code: str | None
    post_id: int | None


class MeOut(Schema):
    id: int
    email: str
    full_name: str
    grants: list[GrantOut]


@router.get("", response={200: MeOut, **ERRORS}, url_name="me")
def me(request: HttpRequest) -> Any:
    """Who you are and what you may do."""
    user = request.user
    grants = [{"role": g.role, "region_code": g.region_id, "post_id": g.post_id} for g in user.grants.all()]
    return {"id": user.pk, "email": user.email, "full_name": user.full_name, "grants": grants}
