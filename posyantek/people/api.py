"""People API: scoped like the pages; the NIK only when a manager asks for it."""

# No `from __future__ import annotations` here: django-ninja reads these annotations at runtime.

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import EmailStr

from posyantek.core.api import ERRORS, Pagination
from posyantek.core.scoping import get_scoped_object
from posyantek.people import services
from posyantek.people.filters import PersonFilter
from posyantek.people.models import Person
from posyantek.people.selectors import person_can_see_nik, person_list
from posyantek.posts.models import Post

router = Router(tags=["people"])


class PersonOut(Schema):
    id: int
    name: str
    sex: str
    region_code: str = Field(alias="region_id")
    address: str
    phone: str
    email: str
    occupation: str
    skills: str
    post_id: int | None
    version: int
    nik: str | None = Field(None, description="Only with include_nik=true, and only for post managers and above")

    @staticmethod
    def resolve_nik(obj: Person, context: dict[str, Any]) -> str | None:
        request = context["request"]
        if getattr(request, "include_nik", False) and person_can_see_nik(user=request.user, person=obj):
            return obj.nik
        return None


class PersonIn(Schema):
    name: str = Field(min_length=2, max_length=150)
    sex: Person.Sex | None = None
    nik: str | None = Field(None, pattern=r"^\d{16}$")
    region_code: str = Field(max_length=13)
    address: str = Field("", max_length=300)
    phone: str = Field("", max_length=30)
    email: EmailStr | None = None
    occupation: str = Field("", max_length=120)
    skills: str = Field("", max_length=300)
    post_id: int | None = None


class PersonPatch(Schema):
    version: int | None = None
    name: str | None = Field(None, min_length=2, max_length=150)
    sex: Person.Sex | None = None
    nik: str | None = Field(None, pattern=r"^(\d{16})?$")
    region_code: str | None = Field(None, max_length=13)
    address: str | None = Field(None, max_length=300)
    phone: str | None = Field(None, max_length=30)
    email: EmailStr | None = None
    occupation: str | None = Field(None, max_length=120)
    skills: str | None = Field(None, max_length=300)


class PersonFilterIn(Schema):
    q: str | None = Field(None, max_length=100)
    sex: Person.Sex | None = None
    region: str | None = Field(None, max_length=13)
    include_nik: bool = Field(False, description="Post managers and above only; others get 403")


def _data(request: HttpRequest, payload: dict[str, Any]) -> dict[str, Any]:
    from django.core.exceptions import ValidationError

    if "region_code" in payload:
        payload["region"] = payload.pop("region_code")
    if "post_id" in payload:
        pid = payload.pop("post_id")
        payload["post"] = Post.objects.for_user(request.user, "edit").filter(pk=pid).first() if pid else None
        if pid and payload["post"] is None:
            raise ValidationError({"post": _("Pos tidak ditemukan atau di luar cakupan Anda.")})
    for key in ("sex", "nik", "email", "name", "address", "phone", "occupation", "skills"):
        if key in payload and payload[key] is None:
            payload[key] = ""
    return payload


@router.get("", response={200: list[PersonOut], **ERRORS}, url_name="person-list")
@paginate(Pagination)
def person_list_api(request: HttpRequest, filters: Query[PersonFilterIn]) -> Any:
    """List the people you may see."""
    from posyantek.people.selectors import person_nik_role

    if filters.include_nik and not person_nik_role(user=request.user):
        raise PermissionDenied
    params = {k: v for k, v in filters.dict().items() if v and k != "include_nik"}
    request.include_nik = filters.include_nik  # type: ignore[attr-defined]
    return PersonFilter(params, queryset=person_list(user=request.user).order_by("pk")).qs


@router.get("/{person_id}", response={200: PersonOut, **ERRORS}, url_name="person-detail")
def person_get_api(request: HttpRequest, person_id: int, include_nik: bool = False) -> Any:
    """One person; 404 when outside your scope."""
    person = get_scoped_object(person_list(user=request.user), request.user, "view", pk=person_id)
    if include_nik and not person_can_see_nik(user=request.user, person=person):
        raise PermissionDenied
    request.include_nik = include_nik  # type: ignore[attr-defined]
    return person


@router.post("", response={201: PersonOut, **ERRORS}, url_name="person-create")
def person_create_api(request: HttpRequest, payload: PersonIn) -> Any:
    """Add a person in a region or post you may edit."""
    person = services.person_create(actor=request.user, data=_data(request, payload.dict()))
    return Status(201, person_list(user=request.user).get(pk=person.pk))


@router.patch("/{person_id}", response={200: PersonOut, **ERRORS}, url_name="person-update")
def person_update_api(request: HttpRequest, person_id: int, payload: PersonPatch) -> Any:
    """Change a person you may edit; a stale `version` answers 422."""
    person = get_scoped_object(person_list(user=request.user), request.user, "edit", pk=person_id)
    data = payload.dict(exclude_unset=True)
    version = data.pop("version", None)
    person = services.person_update(actor=request.user, person=person, data=_data(request, data), version=version)
    return person_list(user=request.user).get(pk=person.pk)
