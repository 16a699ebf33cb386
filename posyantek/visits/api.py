"""API for visits: visits and their states, the agenda, the guest book and follow-ups (same services and scope)."""

# No `from __future__ import annotations` here: django-ninja reads these annotations at runtime.

import datetime as dt
from typing import Any, Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from posyantek.core.api import ERRORS, ErrorOut, Pagination
from posyantek.core.scoping import Action, get_scoped_object, rank_on_post
from posyantek.partnerships.models import Agreement, Partner
from posyantek.posts.models import Post
from posyantek.replication.models import KitAdoption
from posyantek.visits import followups, guestbook, services
from posyantek.visits.filters import VisitFilter
from posyantek.visits.models import AgendaItem, GuestEntry, Visit, VisitFollowUp
from posyantek.visits.selectors import visit_list

router = Router(tags=["Kunjungan"])

# Literal choices, not the models' TextChoices: OpenAPI names an enum after its class, and other apps have their
# own `Kind`, `State` and `Direction`, so one would overwrite the other in the schema.
VisitDirection = Literal[tuple(Visit.Direction.values)]  # type: ignore[valid-type]
VisitState = Literal[tuple(Visit.State.values)]  # type: ignore[valid-type]
VisitPurpose = Literal[tuple(Visit.Purpose.values)]  # type: ignore[valid-type]
AgendaKind = Literal[tuple(AgendaItem.Kind.values)]  # type: ignore[valid-type]
FollowUpKind = Literal[tuple(VisitFollowUp.Kind.values)]  # type: ignore[valid-type]
ID = Field(None, ge=1, le=2**62)

# --- Schemas --------------------------------------------------------------------------------------------------


class VisitOut(Schema):
    id: int
    post_id: int
    direction: VisitDirection
    title: str
    institution: str
    institution_region_code: str | None = Field(alias="institution_region_id")
    other_post_id: int | None
    partner_id: int | None
    leader: str
    leader_title: str
    visitors: int
    purposes: list[VisitPurpose]
    purpose_text: str
    starts_on: dt.date
    ends_on: dt.date
    letter_number: str
    letter_date: dt.date | None
    hosts: str
    state: VisitState
    summary: str
    version: int


class VisitIn(Schema):
    post_id: int = Field(ge=1, le=2**62)
    direction: VisitDirection = "masuk"
    title: str = Field(min_length=1, max_length=300)
    institution: str = Field(min_length=1, max_length=300)
    institution_region_code: str | None = Field(None, max_length=13)
    other_post_id: int | None = ID
    partner_id: int | None = ID
    leader: str = Field("", max_length=200)
    leader_title: str = Field("", max_length=200)
    visitors: int = Field(description="At least 1; zero answers 422", ge=-(10**9), le=10**9, strict=True)
    purposes: list[VisitPurpose] = Field(default_factory=list, max_length=10)
    purpose_text: str = Field("", max_length=20_000)
    starts_on: dt.date
    ends_on: dt.date | None = Field(None, description="Default: the start date")
    letter_number: str = Field("", max_length=100)
    letter_date: dt.date | None = None
    hosts: str = Field("", max_length=20_000)
    summary: str = Field("", max_length=20_000)


class VisitPatch(Schema):
    version: int | None = Field(None, description="The version you read; a stale one answers 422")
    direction: VisitDirection | None = None
    title: str | None = Field(None, min_length=1, max_length=300)
    institution: str | None = Field(None, min_length=1, max_length=300)
    institution_region_code: str | None = Field(None, max_length=13)
    other_post_id: int | None = ID
    partner_id: int | None = ID
    leader: str | None = Field(None, max_length=200)
    leader_title: str | None = Field(None, max_length=200)
    visitors: int | None = Field(None, ge=-(10**9), le=10**9, strict=True)
    purposes: list[VisitPurpose] | None = Field(None, max_length=10)
    purpose_text: str | None = Field(None, max_length=20_000)
    starts_on: dt.date | None = None
    ends_on: dt.date | None = None
    letter_number: str | None = Field(None, max_length=100)
    letter_date: dt.date | None = None
    hosts: str | None = Field(None, max_length=20_000)
    summary: str | None = Field(None, max_length=20_000)


class VisitStateIn(Schema):
    state: VisitState = Field(description="One of the next states, or `dibatalkan` before the visit is held")
    note: str = Field("", max_length=300)
    version: int | None = None


class VisitFilterIn(Schema):
    q: str | None = Field(None, max_length=100)
    direction: VisitDirection | None = None
    state: VisitState | None = None
    purpose: VisitPurpose | None = None
    year: int | None = Field(None, ge=1900, le=2200)
    post: int | None = Field(None, ge=1, le=2**62, description="Post id")


class VisitAgendaOut(Schema):
    id: int
    kind: AgendaKind
    title: str
    day: dt.date
    starts_at: dt.time | None
    ends_at: dt.time | None
    place: str
    site_region_code: str | None = Field(alias="site_region_id")
    officials: str


class VisitAgendaIn(Schema):
    kind: AgendaKind
    title: str = Field(min_length=1, max_length=300)
    day: dt.date = Field(description="Within the visit's dates")
    starts_at: dt.time | None = None
    ends_at: dt.time | None = Field(None, description="After starts_at")
    place: str = Field("", max_length=300)
    site_region_code: str | None = Field(None, max_length=13, description="A field site, e.g. 33.75.03.1004")
    officials: str = Field("", max_length=300)


class VisitAgendaPatch(Schema):
    kind: AgendaKind | None = None
    title: str | None = Field(None, min_length=1, max_length=300)
    day: dt.date | None = None
    starts_at: dt.time | None = None
    ends_at: dt.time | None = None
    place: str | None = Field(None, max_length=300)
    site_region_code: str | None = Field(None, max_length=13)
    officials: str | None = Field(None, max_length=300)


class VisitGuestOut(Schema):
    id: int
    name: str
    institution: str
    position: str
    phone: str = Field(description="Indonesian mobile number as 628…, or empty")
    signed_at: dt.datetime
    has_signature: bool
    recorded_by_id: int | None

    @staticmethod
    def resolve_has_signature(obj: GuestEntry) -> bool:
        return bool(obj.signature)


class VisitGuestIn(Schema):
    name: str = Field(min_length=1, max_length=200)
    institution: str = Field("", max_length=300)
    position: str = Field("", max_length=200)
    phone: str = Field("", max_length=20)
    signed_at: dt.date | None = Field(None, description="Day of the visit the guest came (default: now)")
    signature: str | None = Field(None, max_length=600_000, description="A PNG as a data: URL (optional)")


class VisitFollowUpOut(Schema):
    id: int
    kind: FollowUpKind
    description: str
    due_on: dt.date | None
    done_on: dt.date | None
    agreement_id: int | None
    order_id: int | None
    adoption_id: int | None
    return_visit_id: int | None


class VisitFollowUpIn(Schema):
    kind: FollowUpKind
    description: str = Field(min_length=1, max_length=300)
    due_on: dt.date | None = None
    done_on: dt.date | None = None
    agreement_id: int | None = Field(None, ge=1, le=2**62, description="For kerja_sama: an agreement of the post")
    order_code: str | None = Field(None, max_length=20, description="For pesanan: the code of an order of the post")
    adoption_id: int | None = Field(None, ge=1, le=2**62, description="For replikasi: a kit adoption you may see")
    return_visit_id: int | None = Field(None, ge=1, le=2**62, description="For kunjungan_balasan: another visit")


class VisitFollowUpPatch(Schema):
    kind: FollowUpKind | None = None
    description: str | None = Field(None, min_length=1, max_length=300)
    due_on: dt.date | None = None
    done_on: dt.date | None = None
    agreement_id: int | None = Field(None, ge=1, le=2**62)
    order_code: str | None = Field(None, max_length=20)
    adoption_id: int | None = Field(None, ge=1, le=2**62)
    return_visit_id: int | None = Field(None, ge=1, le=2**62)


class VisitReturnIn(Schema):
    starts_on: dt.date
    ends_on: dt.date | None = Field(None, description="Default: the start date")
    visitors: int = Field(ge=-(10**9), le=10**9, strict=True, description="How many people go (or come); at least 1")
    title: str | None = Field(None, min_length=1, max_length=300, description="Default: Kunjungan balasan ke …")
    leader: str = Field("", max_length=200)
    leader_title: str = Field("", max_length=200)


# --- Helpers --------------------------------------------------------------------------------------------------


def _visit(request: HttpRequest, visit_id: int, action: str = "view") -> Visit:
    return get_scoped_object(visit_list(user=request.user), request.user, action, pk=visit_id)


def _child(request: HttpRequest, model: Any, visit: Visit, pk: int) -> Any:
    return get_scoped_object(model.objects.for_user(request.user, "view").filter(visit=visit), request.user, "edit",
                             pk=pk)  # fmt: skip


def _scoped(model: Any, request: HttpRequest, pk: int | None, field: str, **extra: Any) -> Any:
    if pk is None:
        return None
    found = model.objects.for_user(request.user, "view").filter(pk=pk, **extra).first()
    if found is None:
        raise ValidationError({field: [_("Tidak ditemukan atau di luar cakupan Anda.")]})
    return found


def _visit_data(request: HttpRequest, data: dict[str, Any], post: Post | None) -> dict[str, Any]:
    if "post_id" in data:
        data["post"] = _scoped(Post, request, data.pop("post_id"), "post")
        post = data["post"]
    if "institution_region_code" in data:
        data["institution_region"] = (data.pop("institution_region_code") or "").strip() or None
    if "other_post_id" in data:
        data["other_post"] = _scoped(Post, request, data.pop("other_post_id"), "other_post")
    if "partner_id" in data:
        data["partner"] = _scoped(Partner, request, data.pop("partner_id"), "partner", post=post)
    return data


def _follow_up_data(request: HttpRequest, visit: Visit, data: dict[str, Any]) -> dict[str, Any]:
    if "agreement_id" in data:
        data["agreement"] = _scoped(Agreement, request, data.pop("agreement_id"), "agreement", post_id=visit.post_id)
    if "adoption_id" in data:
        data["adoption"] = _scoped(KitAdoption, request, data.pop("adoption_id"), "adoption")
    if "return_visit_id" in data:
        data["return_visit"] = _scoped(Visit, request, data.pop("return_visit_id"), "return_visit")
    return data


# --- Visits ---------------------------------------------------------------------------------------------------


@router.get("", response={200: list[VisitOut], **ERRORS}, url_name="visit-list")
@paginate(Pagination)
def visit_list_api(request: HttpRequest, filters: Query[VisitFilterIn]) -> Any:
    """List the visits you may see (both directions)."""
    params = {k: v for k, v in filters.dict().items() if v is not None and v != ""}
    return VisitFilter(params, queryset=visit_list(user=request.user), request=request).qs


@router.post("", response={201: VisitOut, **ERRORS}, url_name="visit-create")
def visit_create_api(request: HttpRequest, payload: VisitIn) -> Any:
    """Record a visit for a post you work for; zero visitors or an end before the start answers 422."""
    data = _visit_data(request, payload.dict(), None)
    if rank_on_post(request.user, data["post"]) < Action.EDIT:
        raise PermissionDenied
    return Status(201, services.visit_create(actor=request.user, data=data))


@router.get("/{visit_id}", response={200: VisitOut, **ERRORS}, url_name="visit-detail")
def visit_get_api(request: HttpRequest, visit_id: int) -> Any:
    """One visit; 404 outside your scope."""
    return _visit(request, visit_id)


@router.patch("/{visit_id}", response={200: VisitOut, **ERRORS}, url_name="visit-update")
def visit_update_api(request: HttpRequest, visit_id: int, payload: VisitPatch) -> Any:
    """Change a visit; a stale `version` answers 422."""
    visit = _visit(request, visit_id, "edit")
    nullable = ("version", "institution_region_code", "other_post_id", "partner_id", "letter_date")
    data = {k: v for k, v in payload.dict(exclude_unset=True).items() if v is not None or k in nullable}
    version = data.pop("version", None)
    return services.visit_update(actor=request.user, visit=visit, data=_visit_data(request, data, visit.post),
                                 version=version)  # fmt: skip


@router.post("/{visit_id}/state", response={200: VisitOut, **ERRORS}, url_name="visit-advance")
def visit_advance_api(request: HttpRequest, visit_id: int, payload: VisitStateIn) -> Any:
    """Move a visit to a next state (diminta → dijadwalkan → dilaksanakan → ditindaklanjuti, or dibatalkan)."""
    visit = _visit(request, visit_id, "edit")
    return services.visit_advance(actor=request.user, visit=visit, state=payload.state, note=payload.note,
                                  version=payload.version)  # fmt: skip


@router.post("/{visit_id}/return-visit", response={201: VisitOut, **ERRORS}, url_name="visit-return")
def return_visit_api(request: HttpRequest, visit_id: int, payload: VisitReturnIn) -> Any:
    """Plan the return visit of a held visit (the other direction, the same institution) and record it as its
    follow-up, in one call."""
    visit = _visit(request, visit_id, "edit")
    data = {k: v for k, v in payload.dict().items() if v is not None}
    planned, _f = followups.return_visit_create(actor=request.user, visit=visit, data=data)
    return Status(201, planned)


# --- Agenda ---------------------------------------------------------------------------------------------------


def _agenda_data(data: dict[str, Any]) -> dict[str, Any]:
    if "site_region_code" in data:
        data["site_region"] = (data.pop("site_region_code") or "").strip() or None
    return data


@router.get("/{visit_id}/agenda", response={200: list[VisitAgendaOut], **ERRORS}, url_name="visit-agenda")
def agenda_list_api(request: HttpRequest, visit_id: int) -> Any:
    """The agenda of a visit."""
    visit = _visit(request, visit_id)
    return AgendaItem.objects.for_user(request.user, "view").filter(visit=visit)


@router.post("/{visit_id}/agenda", response={201: VisitAgendaOut, **ERRORS}, url_name="visit-agenda-add")
def agenda_add_api(request: HttpRequest, visit_id: int, payload: VisitAgendaIn) -> Any:
    """Add an agenda item; a day outside the visit's dates or an end before the start answers 422."""
    visit = _visit(request, visit_id, "edit")
    return Status(201, services.agenda_add(actor=request.user, visit=visit, data=_agenda_data(payload.dict())))


@router.patch("/{visit_id}/agenda/{item_id}", response={200: VisitAgendaOut, **ERRORS},
              url_name="visit-agenda-update")  # fmt: skip
def agenda_update_api(request: HttpRequest, visit_id: int, item_id: int, payload: VisitAgendaPatch) -> Any:
    """Change an agenda item."""
    visit = _visit(request, visit_id, "edit")
    item = _child(request, AgendaItem, visit, item_id)
    nullable = ("starts_at", "ends_at", "site_region_code")
    data = {k: v for k, v in payload.dict(exclude_unset=True).items() if v is not None or k in nullable}
    return services.agenda_update(actor=request.user, item=item, data=_agenda_data(data))


@router.delete("/{visit_id}/agenda/{item_id}", response={204: None, **ERRORS}, url_name="visit-agenda-delete")
def agenda_delete_api(request: HttpRequest, visit_id: int, item_id: int) -> Any:
    """Take an item off the agenda (a scheduled visit keeps at least one)."""
    visit = _visit(request, visit_id, "edit")
    services.agenda_remove(actor=request.user, item=_child(request, AgendaItem, visit, item_id))
    return Status(204, None)


# --- Guest book -----------------------------------------------------------------------------------------------


@router.get("/{visit_id}/guests", response={200: list[VisitGuestOut], **ERRORS}, url_name="visit-guests")
@paginate(Pagination)
def guest_list_api(request: HttpRequest, visit_id: int) -> Any:
    """The guest book of a visit, in signing order."""
    visit = _visit(request, visit_id)
    return GuestEntry.objects.for_user(request.user, "view").filter(visit=visit).order_by("signed_at", "pk")


@router.post("/{visit_id}/guests", response={201: VisitGuestOut, 400: ErrorOut, **ERRORS}, url_name="visit-guest-add")
def guest_add_api(request: HttpRequest, visit_id: int, payload: VisitGuestIn) -> Any:
    """Write a guest into the book; a closed book (visit followed up or cancelled, or not yet scheduled) is a 400."""
    visit = _visit(request, visit_id, "edit")
    try:
        return Status(201, guestbook.guest_add(actor=request.user, visit=visit, data=payload.dict()))
    except guestbook.GuestbookClosed as exc:
        raise HttpError(400, " ".join(exc.messages)) from exc


@router.delete("/{visit_id}/guests/{guest_id}", response={204: None, 400: ErrorOut, **ERRORS},
               url_name="visit-guest-delete")  # fmt: skip
def guest_delete_api(request: HttpRequest, visit_id: int, guest_id: int) -> Any:
    """Delete a guest-book entry written by mistake; a closed book (visit followed up or cancelled) is a 400."""
    visit = _visit(request, visit_id, "edit")
    entry = _child(request, GuestEntry, visit, guest_id)
    try:
        guestbook.guest_remove(actor=request.user, entry=entry)
    except guestbook.GuestbookClosed as exc:
        raise HttpError(400, " ".join(exc.messages)) from exc
    return Status(204, None)


# --- Follow-ups -----------------------------------------------------------------------------------------------


@router.get("/{visit_id}/follow-ups", response={200: list[VisitFollowUpOut], **ERRORS}, url_name="visit-follow-ups")
def follow_up_list_api(request: HttpRequest, visit_id: int) -> Any:
    """What a visit led to."""
    visit = _visit(request, visit_id)
    return VisitFollowUp.objects.for_user(request.user, "view").filter(visit=visit)


@router.post("/{visit_id}/follow-ups", response={201: VisitFollowUpOut, **ERRORS}, url_name="visit-follow-up-add")
def follow_up_add_api(request: HttpRequest, visit_id: int, payload: VisitFollowUpIn) -> Any:
    """Record a follow-up of a held visit, linked to an agreement, an order, a kit adoption or a return visit."""
    visit = _visit(request, visit_id, "edit")
    data = _follow_up_data(request, visit, payload.dict())
    return Status(201, followups.follow_up_add(actor=request.user, visit=visit, data=data))


@router.patch("/{visit_id}/follow-ups/{follow_up_id}", response={200: VisitFollowUpOut, **ERRORS},
              url_name="visit-follow-up-update")  # fmt: skip
def follow_up_update_api(request: HttpRequest, visit_id: int, follow_up_id: int, payload: VisitFollowUpPatch) -> Any:
    """Change a follow-up: mark it done, move its target, change its link."""
    visit = _visit(request, visit_id, "edit")
    item = _child(request, VisitFollowUp, visit, follow_up_id)
    nullable = ("due_on", "done_on", "agreement_id", "order_code", "adoption_id", "return_visit_id")
    data = {k: v for k, v in payload.dict(exclude_unset=True).items() if v is not None or k in nullable}
    return followups.follow_up_update(actor=request.user, follow_up=item, data=_follow_up_data(request, visit, data))


@router.delete("/{visit_id}/follow-ups/{follow_up_id}", response={204: None, **ERRORS},
               url_name="visit-follow-up-delete")  # fmt: skip
def follow_up_delete_api(request: HttpRequest, visit_id: int, follow_up_id: int) -> Any:
    """Delete a follow-up recorded by mistake."""
    visit = _visit(request, visit_id, "edit")
    followups.follow_up_remove(actor=request.user, follow_up=_child(request, VisitFollowUp, visit, follow_up_id))
    return Status(204, None)
