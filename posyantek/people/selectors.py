"""Reads of the person registry."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from posyantek.core.scoping import Action, rank_on_post, rank_on_region
from posyantek.people.models import Person


def person_list(*, user: Any) -> QuerySet[Person]:
    """Return the people the user may see."""
    return Person.objects.for_user(user, "view").select_related("region", "post")


def person_can_see_nik(*, user: Any, person: Person) -> bool:
    """Return whether the user's role needs the NIK: post manager or above over this person."""
    if rank_on_region(user, person.region_id) >= Action.MANAGE:
        return True
    return bool(person.post_id and rank_on_post(user, person.post) >= Action.MANAGE)


def person_nik_role(*, user: Any) -> bool:
    """Return whether the user holds any role that may see NIKs at all."""
    from posyantek.core.scoping import user_grants

    return any(g.rank >= Action.MANAGE for g in user_grants(user))
