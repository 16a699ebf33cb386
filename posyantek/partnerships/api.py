"""API of partnerships: partners and their contacts here; agreements, parties, steps and results in agreement_api.

The same services and scoping as the pages: out of scope → 404, role too low → 403, bad input → 422 with Indonesian
messages per field, an edit based on an old `version` → 409.
"""

# No `from __future__ import annotations` here: django-ninja reads these annotations at runtime.

from typing import Any, Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from posyantek.core.api import ERRORS, ErrorOut, Pagination
from posyantek.core.scoping import Action, get_scoped_object, rank_on_post
from posyantek.partnerships import services
from posyantek.partnerships.agreement_api import router as agreement_router
from posyantek.partnerships.filters import PartnerFilter
from posyantek.partnerships.models import Partner, PartnerContact
from posyantek.partnerships.selectors import partner_list, partner_posts_unscoped
from posyantek.posts.models import Post

router = Router(tags=["Kemitraan"])

# Literal choices, not the models' TextChoices: OpenAPI names an enum after its class, and other apps have their
# own `Kind`, so one would overwrite the other in the schema.
PartnerKind = Literal[tuple(Partner.Kind.values)]  # type: ignore[valid-type]
#: Errors of writes that carry a version: a stale one is a conflict.
WRITE_ERRORS = {**ERRORS, 409: ErrorOut}


def stale_or_raise(exc: ValidationError) -> Any:
    """Answer 409 for an edit based on an old version; any other refusal stays a 422."""
    if getattr(exc, "code", None) == "stale":
        return Status(409, {"detail": exc.messages[0]})
    raise exc


class PartnerOut(Schema):
    id: int
    post_id: int
    name: str
    kind: PartnerKind
    home_region_code: str | None = Field(alias="home_region_id")
    other_post_id: int | None
    address: str
    phone: str = Field(description="A mobile number as 628…, a landline as written, or empty")
    email: str
    website: str
    notes: str
    version: int


class PartnerIn(Schema):
    post_id: int = Field(ge=1, le=2**62)
    name: str = Field(min_length=1, max_length=200)
    kind: PartnerKind
    home_region_code: str | None = Field(None, max_length=13, description="Kemendagri code, e.g. 33.26")
    other_post_id: int | None = Field(None, ge=1, le=2**62, description="Only for kind `posyantek_lain`")
    address: str = Field("", max_length=2000)
    phone: str = Field("", max_length=20)
    email: str = Field("", max_length=254)
    website: str = Field("", max_length=200)
    notes: str = Field("", max_length=5000)


class PartnerPatch(Schema):
    version: int | None = Field(None, description="The version you read; a stale one answers 409")
    name: str | None = Field(None, min_length=1, max_length=200)
    kind: PartnerKind | None = None
    home_region_code: str | None = Field(None, max_length=13)
    other_post_id: int | None = Field(None, ge=1, le=2**62)
    address: str | None = Field(None, max_length=2000)
    phone: str | None = Field(None, max_length=20)
    email: str | None = Field(None, max_length=254)
    website: str | None = Field(None, max_length=200)
    notes: str | None = Field(None, max_length=5000)


class PartnerFilterIn(Schema):
    q: str | None = Field(None, max_length=100)
    kind: PartnerKind | None = None
    post: int | None = Field(None, ge=1, le=2**62, description="Post id")


class ContactOut(Schema):
    id: int
    name: str
    position: str
    phone: str
    email: str


class ContactIn(Schema):
    name: str = Field(min_length=1, max_length=200)
    position: str = Field("", max_length=200)
    phone: str = Field("", max_length=20)
    email: str = Field("", max_length=254)


class ContactPatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=200)
    position: str | None = Field(None, max_length=200)
    phone: str | None = Field(None, max_length=20)
    email: str | None = Field(None, max_length=254)


def _partner(request: HttpRequest, partner_id: int, action: str = "view") -> Partner:
    return get_scoped_object(partner_list(user=request.user), request.user, action, pk=partner_id)


def _contact(request: HttpRequest, partner: Partner, contact_id: int) -> PartnerContact:
    qs = PartnerContact.objects.for_user(request.user, "view").filter(partner=partner).select_related("partner")
    return get_scoped_object(qs, request.user, "edit", pk=contact_id)


def _partner_data(request: HttpRequest, data: dict[str, Any]) -> dict[str, Any]:
    if "post_id" in data:
        data["post"] = Post.objects.for_user(request.user, "view").filter(pk=data.pop("post_id")).first()
        if data["post"] is None:
            raise ValidationError({"post": [_("Pos tidak ditemukan atau di luar cakupan Anda.")]})
    if "home_region_code" in data:
        data["home_region"] = (data.pop("home_region_code") or "").strip() or None
    if "other_post_id" in data:
        other = data.pop("other_post_id")
        data["other_post"] = partner_posts_unscoped().filter(pk=other).first() if other else None
        if other and data["other_post"] is None:
            raise ValidationError({"other_post": [_("Pos tidak ditemukan.")]})
    return data


@router.get("/partners", response={200: list[PartnerOut], **ERRORS}, url_name="partner-list")
@paginate(Pagination)
def partner_list_api(request: HttpRequest, filters: Query[PartnerFilterIn]) -> Any:
    """List the partners you may see; filter by kind and post, search by name."""
    params = {k: v for k, v in filters.dict().items() if v is not None and v != ""}
    return PartnerFilter(params, queryset=partner_list(user=request.user), request=request).qs


@router.post("/partners", response={201: PartnerOut, **ERRORS}, url_name="partner-create")
def partner_create_api(request: HttpRequest, payload: PartnerIn) -> Any:
    """Record a partner of a post you work for; a post you may only view answers 403."""
    data = _partner_data(request, payload.dict())
    if rank_on_post(request.user, data["post"]) < Action.EDIT:
        raise PermissionDenied
    return Status(201, services.partner_create(actor=request.user, data=data))


@router.get("/partners/{partner_id}", response={200: PartnerOut, **ERRORS}, url_name="partner-detail")
def partner_get_api(request: HttpRequest, partner_id: int) -> Any:
    """One partner; 404 outside your scope."""
    return _partner(request, partner_id)


@router.patch("/partners/{partner_id}", response={200: PartnerOut, **WRITE_ERRORS}, url_name="partner-update")
def partner_update_api(request: HttpRequest, partner_id: int, payload: PartnerPatch) -> Any:
    """Change a partner's details; a stale `version` answers 409."""
    partner = _partner(request, partner_id, "edit")
    nullable = ("version", "home_region_code", "other_post_id")
    data = {k: v for k, v in payload.dict(exclude_unset=True).items() if v is not None or k in nullable}
    version = data.pop("version", None)
    try:
        return services.partner_update(actor=request.user, partner=partner, data=_partner_data(request, data),
                                       version=version)  # fmt: skip
    except ValidationError as exc:
        return stale_or_raise(exc)


@router.get("/partners/{partner_id}/contacts", response={200: list[ContactOut], **ERRORS},
            url_name="partner-contacts")  # fmt: skip
def contact_list_api(request: HttpRequest, partner_id: int) -> Any:
    """The people at a partner."""
    partner = _partner(request, partner_id)
    return PartnerContact.objects.for_user(request.user, "view").filter(partner=partner)


@router.post("/partners/{partner_id}/contacts", response={201: ContactOut, **ERRORS},
             url_name="partner-contact-add")  # fmt: skip
def contact_add_api(request: HttpRequest, partner_id: int, payload: ContactIn) -> Any:
    """Add a person at the partner."""
    partner = _partner(request, partner_id, "edit")
    return Status(201, services.contact_add(actor=request.user, partner=partner, data=payload.dict()))


@router.patch("/partners/{partner_id}/contacts/{contact_id}", response={200: ContactOut, **ERRORS},
              url_name="partner-contact-update")  # fmt: skip
def contact_update_api(request: HttpRequest, partner_id: int, contact_id: int, payload: ContactPatch) -> Any:
    """Change a contact."""
    partner = _partner(request, partner_id, "edit")
    data = {k: v for k, v in payload.dict(exclude_unset=True).items() if v is not None}
    return services.contact_update(actor=request.user, contact=_contact(request, partner, contact_id), data=data)


@router.delete("/partners/{partner_id}/contacts/{contact_id}", response={204: None, **ERRORS},
               url_name="partner-contact-delete")  # fmt: skip
def contact_delete_api(request: HttpRequest, partner_id: int, contact_id: int) -> Any:
    """Remove a contact."""
    partner = _partner(request, partner_id, "edit")
    services.contact_remove(actor=request.user, contact=_contact(request, partner, contact_id))
    return Status(204, None)


router.add_router("", agreement_router)
