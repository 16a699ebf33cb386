"""Posts API: the same selectors, services and scoping as the pages."""

# No `from __future__ import annotations` here: django-ninja reads these annotations at runtime.

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import EmailStr

from posyantek.core.api import ERRORS, Pagination
from posyantek.core.scoping import get_scoped_object
from posyantek.posts import services
from posyantek.posts.filters import PostFilter
from posyantek.posts.models import Post
from posyantek.posts.selectors import post_list
from posyantek.regions.models import Region

router = Router(tags=["posts"])


CODE_PATTERN = r"^\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?$"


class PostOut(Schema):
    id: int
    name: str
    slug: str
    kind: str
    status: str
    region_code: str = Field(alias="region_id")
    region_name: str = Field(alias="region.name")
    parent_id: int | None
    founded_on: dt.date | None
    sk_number: str
    sk_date: dt.date | None
    sk_issuer: str
    skt_number: str
    skt_date: dt.date | None
    skt_valid_until: dt.date | None
    skt_issuer: str
    legal_entity_number: str
    address: str
    office_status: str
    phone: str
    email: str
    website: str
    social_media: str
    focus_fields: str
    version: int


class PostIn(Schema):
    name: str = Field(min_length=2, max_length=150)
    kind: Post.Kind
    region_code: str = Field(
        max_length=13, pattern=CODE_PATTERN, description="Seat: a kecamatan for antar_desa, a village otherwise"
    )
    parent_id: int | None = None
    service_area: list[str] = Field(default_factory=list, description="Village codes the post serves")
    founded_on: dt.date | None = None
    sk_number: str = Field("", max_length=100)
    sk_date: dt.date | None = None
    sk_issuer: str = Field("", max_length=150)
    skt_number: str = Field("", max_length=100)
    skt_date: dt.date | None = None
    skt_valid_until: dt.date | None = None
    skt_issuer: str = Field("", max_length=150)
    legal_entity_number: str = Field("", max_length=100)
    address: str = Field("", max_length=2000)
    office_status: Post.Office | None = None
    phone: str = Field("", max_length=30)
    email: EmailStr | None = None
    website: str = Field("", max_length=200)
    social_media: str = Field("", max_length=200)
    focus_fields: str = Field("", max_length=300)


class PostPatch(Schema):
    """Only the fields sent are changed; send `version` to refuse stale edits."""

    version: int | None = None
    name: str | None = Field(None, min_length=2, max_length=150)
    founded_on: dt.date | None = None
    sk_number: str | None = Field(None, max_length=100)
    sk_date: dt.date | None = None
    sk_issuer: str | None = Field(None, max_length=150)
    skt_number: str | None = Field(None, max_length=100)
    skt_date: dt.date | None = None
    skt_valid_until: dt.date | None = None
    skt_issuer: str | None = Field(None, max_length=150)
    legal_entity_number: str | None = Field(None, max_length=100)
    address: str | None = Field(None, max_length=2000)
    office_status: Post.Office | None = None
    phone: str | None = Field(None, max_length=30)
    email: EmailStr | None = None
    website: str | None = Field(None, max_length=200)
    social_media: str | None = Field(None, max_length=200)
    focus_fields: str | None = Field(None, max_length=300)


class PostFilterIn(Schema):
    q: str | None = Field(None, max_length=100)
    kind: Post.Kind | None = None
    status: Post.Status | None = None
    region: str | None = Field(None, max_length=13, description="Region code; includes everything below it")


STR_FIELDS = [
    "name", "sk_number", "sk_issuer", "skt_number", "skt_issuer", "legal_entity_number", "address", "office_status",
    "phone", "email", "website", "social_media", "focus_fields",
]  # fmt: skip


def _resolve_refs(user: Any, data: dict[str, Any]) -> dict[str, Any]:
    from django.core.exceptions import ValidationError

    if "parent_id" in data:
        pid = data.pop("parent_id")
        data["parent"] = Post.objects.for_user(user, "view").filter(pk=pid).first() if pid else None
        if pid and data["parent"] is None:
            raise ValidationError({"parent": _("Pos induk tidak ditemukan.")})
    if "service_area" in data:
        codes = data.pop("service_area") or []
        found = list(Region.objects.filter(code__in=codes))
        if len(found) != len(set(codes)):
            missing = sorted(set(codes) - {r.code for r in found})
            raise ValidationError(
                {"service_area": _("Kode wilayah tidak ada: %(codes)s") % {"codes": ", ".join(missing)}}
            )
        data["service_area"] = found
    if "region_code" in data:
        data["region"] = data.pop("region_code")
    for key in STR_FIELDS:
        if key in data and data[key] is None:
            data[key] = ""
    return data


@router.get("", response={200: list[PostOut], **ERRORS}, url_name="post-list")
@paginate(Pagination)
def post_list_api(request: HttpRequest, filters: Query[PostFilterIn]) -> Any:
    """List the posts you may see."""
    params = {k: v for k, v in filters.dict().items() if v}
    return PostFilter(params, queryset=post_list(user=request.user).order_by("region_id", "pk")).qs


@router.get("/{post_id}", response={200: PostOut, **ERRORS}, url_name="post-detail")
def post_get_api(request: HttpRequest, post_id: int) -> Any:
    """One post; 404 when outside your scope."""
    return get_scoped_object(post_list(user=request.user), request.user, "view", pk=post_id)


@router.post("", response={201: PostOut, **ERRORS}, url_name="post-create")
def post_create_api(request: HttpRequest, payload: PostIn) -> Any:
    """Create a post in a region you oversee (kecamatan coordinator or above)."""
    data = _resolve_refs(request.user, payload.dict())
    post = services.post_create(actor=request.user, data=data)
    return Status(201, post_list(user=request.user).get(pk=post.pk))


@router.patch("/{post_id}", response={200: PostOut, **ERRORS}, url_name="post-update")
def post_update_api(request: HttpRequest, post_id: int, payload: PostPatch) -> Any:
    """Change a post you manage; a stale `version` answers 422 and changes nothing."""
    post = get_scoped_object(post_list(user=request.user), request.user, "manage", pk=post_id)
    data = payload.dict(exclude_unset=True)
    version = data.pop("version", None)
    data = _resolve_refs(request.user, data)
    post = services.post_update(actor=request.user, post=post, data=data, version=version)
    return post_list(user=request.user).get(pk=post.pk)
