"""API of the replication kit: published kits (public), kits and their steps (staff), adoptions, the progress of an
adoption's posts, a post's checklist, ticks. The same services and scoping as the pages: outside your scope 404, a
role too low 403, bad input 422 with messages per field, an edit based on an old `version` 409."""

# No `from __future__ import annotations` here: django-ninja reads these annotations at runtime.

import datetime as dt
from typing import Annotated, Any, Literal

from django.core.exceptions import ValidationError
from django.db.models import IntegerField, Value
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from posyantek.core.api import ERRORS, ErrorOut, Pagination
from posyantek.core.scoping import get_scoped_object
from posyantek.posts.models import Post
from posyantek.regions.models import Region
from posyantek.replication import adoption_services, services
from posyantek.replication.filters import SORTS, ProgressFilter
from posyantek.replication.models import AdoptionPost, Award, Kit, KitAdoption, KitItem
from posyantek.replication.selectors import (
    BANDS,
    adoption_average,
    adoption_list,
    checklist,
    kit_awards,
    kit_items,
    kit_list,
    kit_public_get_unscoped,
    kit_public_list_unscoped,
    kota_choices,
    percent,
    progress_rows,
    progress_summary,
)

router = Router(tags=["Replikasi"])

# Literal choices, not the models' TextChoices: OpenAPI names an enum after its class, and other apps have their
# own `Source`, `Level` and `Kind`, so one would overwrite the other in the schema.
ItemSource = Literal[tuple(KitItem.Source.values)]  # type: ignore[valid-type]
AwardLevel = Literal[tuple(Award.Level.values)]  # type: ignore[valid-type]
AdoptionPostKind = Literal[(*Post.Kind.values, adoption_services.ALL_KINDS)]  # type: ignore[valid-type]
ProgressBand = Literal[tuple(BANDS)]  # type: ignore[valid-type]
ProgressSort = Literal[tuple(SORTS)]  # type: ignore[valid-type]

Id = Annotated[int, Field(ge=1, le=2**62)]
#: Errors of writes that carry a version: a stale one is a conflict.
WRITE_ERRORS = {**ERRORS, 409: ErrorOut}


# --- Schemas --------------------------------------------------------------------------------------------------


class KitItemOut(Schema):
    id: int
    order: int
    title: str
    description: str
    evidence_required: bool
    evidence_hint: str
    source: ItemSource
    version: int


class AwardOut(Schema):
    id: int
    year: int
    title: str
    level: AwardLevel
    issuer: str


class KitOut(Schema):
    id: int
    post_id: int
    post_slug: str
    title: str
    summary: str
    lessons: str
    published: bool
    version: int

    @staticmethod
    def resolve_post_slug(obj: Kit) -> str:
        return obj.post.slug


class KitPublicOut(Schema):
    post_slug: str
    post_name: str
    title: str
    summary: str
    lessons: str
    items: list[KitItemOut]
    awards: list[AwardOut]


class KitPublicListOut(Schema):
    post_slug: str
    post_name: str
    title: str
    summary: str
    items: int

    @staticmethod
    def resolve_post_slug(obj: Kit) -> str:
        return obj.post.slug

    @staticmethod
    def resolve_post_name(obj: Kit) -> str:
        return obj.post.name

    @staticmethod
    def resolve_items(obj: Kit) -> int:
        return obj.n_items


class KitPatch(Schema):
    version: int | None = Field(None, description="The version you read; a stale one answers 409")
    title: str | None = Field(None, min_length=1, max_length=200)
    summary: str | None = Field(None, max_length=20_000)
    lessons: str | None = Field(None, max_length=20_000)
    published: bool | None = None


class KitItemIn(Schema):
    title: str = Field(min_length=1, max_length=200)
    description: str = Field("", max_length=5000)
    evidence_required: bool = False
    evidence_hint: str = Field("", max_length=200)
    source: ItemSource = "manual"
    order: int | None = Field(None, ge=0, le=999, description="Default: after the last step")


class KitItemPatch(Schema):
    version: int | None = Field(None, description="The version you read; a stale one answers 409")
    title: str | None = Field(None, min_length=1, max_length=200)
    description: str | None = Field(None, max_length=5000)
    evidence_required: bool | None = None
    evidence_hint: str | None = Field(None, max_length=200)
    source: ItemSource | None = None
    order: int | None = Field(None, ge=0, le=999)


class AdoptionOut(Schema):
    id: int
    kit_id: int
    region_code: str = Field(alias="region_id")
    name: str
    started_on: dt.date
    target_on: dt.date | None
    note: str
    posts: int
    items: int
    average_percent: int
    version: int

    @staticmethod
    def resolve_posts(obj: KitAdoption) -> int:
        return obj.n_posts

    @staticmethod
    def resolve_items(obj: KitAdoption) -> int:
        return obj.n_items

    @staticmethod
    def resolve_average_percent(obj: KitAdoption) -> int:
        return adoption_average(obj)


class SummaryOut(Schema):
    posts: int
    items: int
    zero: int = Field(description="Posts at 0 %")
    below_half: int = Field(description="Posts above 0 % and under 50 %")
    half_or_more: int = Field(description="Posts at 50 % or more, not done")
    full: int = Field(description="Posts with every step")
    average_percent: int


class AdoptionDetailOut(AdoptionOut):
    summary: SummaryOut


class AdoptionIn(Schema):
    kit_id: Id
    region_code: str = Field(min_length=1, max_length=13, description="The adopting region, e.g. 31 (DKI Jakarta)")
    name: str = Field("", max_length=200, description="Default: “Adopsi <kit> di <region>”")
    started_on: dt.date
    target_on: dt.date | None = None
    note: str = Field("", max_length=5000)
    post_kind: AdoptionPostKind = Field("antar_desa", description="Every active post of this kind joins")
    post_ids: list[Id] | None = Field(None, max_length=5000, description="Instead of post_kind: these posts")


class ProgressFilterIn(Schema):
    q: str | None = Field(None, max_length=100)
    kota: str | None = Field(None, max_length=5, description="Kabupaten/kota code, e.g. 31.71")
    band: ProgressBand | None = None
    sort: ProgressSort | None = None


class ProgressRowOut(Schema):
    post_id: int
    post_name: str
    region_code: str
    done: int = Field(alias="done_count")
    total: int = Field(alias="total_items")
    percent: int
    open: int
    last_done_on: dt.date | None = Field(description="The latest date a step was reached")
    last_ticked_at: dt.datetime | None
    version: int

    @staticmethod
    def resolve_post_name(obj: AdoptionPost) -> str:
        return obj.post.name

    @staticmethod
    def resolve_region_code(obj: AdoptionPost) -> str:
        return obj.post.region_id

    @staticmethod
    def resolve_percent(obj: AdoptionPost) -> int:
        return percent(obj.done_count, obj.total_items)  # type: ignore[attr-defined]

    @staticmethod
    def resolve_open(obj: AdoptionPost) -> int:
        return max(obj.total_items - obj.done_count, 0)  # type: ignore[attr-defined]


class ChecklistItemOut(Schema):
    item_id: int
    order: int
    title: str
    evidence_required: bool
    evidence_hint: str
    source: ItemSource
    detected: bool | None = Field(description="What the post's data shows (null for manual steps)")
    done: bool
    done_on: dt.date | None
    evidence_note: str
    has_file: bool
    from_data: bool


class ChecklistOut(Schema):
    adoption_id: int
    post_id: int
    post_name: str
    done: int
    total: int
    percent: int
    version: int = Field(description="Send it back with a tick or untick to refuse a stale one (409)")
    items: list[ChecklistItemOut]


class TickIn(Schema):
    item_id: Id
    done_on: dt.date | None = Field(None, description="Needed unless from_data")
    evidence_note: str = Field("", max_length=300)
    from_data: bool = Field(False, description="Tick from the post's own data, with an automatic evidence note")
    version: int | None = None


# --- Helpers --------------------------------------------------------------------------------------------------


def _stale_or_raise(exc: ValidationError) -> Any:
    """Answer 409 for an edit based on an old version; any other refusal stays a 422."""
    if getattr(exc, "code", None) == "stale":
        return Status(409, {"detail": exc.messages[0]})
    raise exc


def _kit(request: HttpRequest, kit_id: int, action: str = "view") -> Kit:
    return get_scoped_object(kit_list(user=request.user), request.user, action, pk=kit_id)


def _item(request: HttpRequest, kit: Kit, item_id: int) -> KitItem:
    qs = KitItem.objects.for_user(request.user, "view").filter(kit=kit)
    return get_scoped_object(qs, request.user, "manage", pk=item_id)


def _adoption(request: HttpRequest, adoption_id: int) -> KitAdoption:
    return get_scoped_object(adoption_list(user=request.user), request.user, "view", pk=adoption_id)


def _ap(request: HttpRequest, adoption_id: int, post_id: int, action: str = "view") -> AdoptionPost:
    qs = AdoptionPost.objects.for_user(request.user, "view").select_related("adoption", "adoption__kit", "post")
    return get_scoped_object(qs, request.user, action, adoption_id=adoption_id, post_id=post_id)


def _checklist_out(ap: AdoptionPost) -> dict[str, Any]:
    cl = checklist(ap)
    items = [
        {"item_id": r.item.pk, "order": r.item.order, "title": r.item.title,
         "evidence_required": r.item.evidence_required, "evidence_hint": r.item.evidence_hint,
         "source": r.item.source, "detected": r.detected, "done": r.done,
         "done_on": r.tick.done_on if r.tick else None, "evidence_note": r.tick.evidence_note if r.tick else "",
         "has_file": bool(r.tick and r.tick.evidence_file), "from_data": bool(r.tick and r.tick.from_data)}
        for r in cl.rows
    ]  # fmt: skip
    return {"adoption_id": ap.adoption_id, "post_id": ap.post_id, "post_name": ap.post.name, "done": cl.done,
            "total": cl.total, "percent": cl.pct, "version": ap.version, "items": items}  # fmt: skip


# --- Public ---------------------------------------------------------------------------------------------------


@router.get("/public/kits", response={200: list[KitPublicListOut], 422: ErrorOut}, auth=None,
            url_name="kit-public-list")  # fmt: skip
@paginate(Pagination)
def kit_public_list_api(request: HttpRequest) -> Any:
    """The published kits (no login)."""
    return kit_public_list_unscoped()


@router.get("/public/kits/{slug}", response={200: KitPublicOut, 404: ErrorOut, 422: ErrorOut}, auth=None,
            url_name="kit-public-detail")  # fmt: skip
def kit_public_get_api(request: HttpRequest, slug: Annotated[str, Field(max_length=160)]) -> Any:
    """A published kit by its post's slug, with its steps and the post's awards; a draft answers 404."""
    kit = kit_public_get_unscoped(slug)
    if kit is None:
        raise Http404
    return {"post_slug": kit.post.slug, "post_name": kit.post.name, "title": kit.title, "summary": kit.summary,
            "lessons": kit.lessons, "items": kit_items(kit), "awards": kit_awards(kit)}  # fmt: skip


# --- Kits and their steps -------------------------------------------------------------------------------------


@router.get("/kits", response={200: list[KitOut], **ERRORS}, url_name="kit-list")
@paginate(Pagination)
def kit_list_api(request: HttpRequest) -> Any:
    """The kits you may see (published or not)."""
    return kit_list(user=request.user)


@router.get("/kits/{kit_id}", response={200: KitOut, **ERRORS}, url_name="kit-detail")
def kit_get_api(request: HttpRequest, kit_id: Id) -> Any:
    """One kit; 404 outside your scope."""
    return _kit(request, kit_id)


@router.patch("/kits/{kit_id}", response={200: KitOut, **WRITE_ERRORS}, url_name="kit-update")
def kit_update_api(request: HttpRequest, kit_id: Id, payload: KitPatch) -> Any:
    """Change a kit's text or publish it (the post's manager); a stale `version` answers 409."""
    kit = _kit(request, kit_id, "manage")
    data = {k: v for k, v in payload.dict(exclude_unset=True).items() if v is not None}
    version = data.pop("version", None)
    try:
        services.kit_update(actor=request.user, kit=kit, data=data, version=version)
    except ValidationError as exc:
        return _stale_or_raise(exc)
    return _kit(request, kit_id)


@router.get("/kits/{kit_id}/items", response={200: list[KitItemOut], **ERRORS}, url_name="kit-items")
def kit_items_api(request: HttpRequest, kit_id: Id) -> Any:
    """A kit's steps in order."""
    return kit_items(_kit(request, kit_id))


@router.post("/kits/{kit_id}/items", response={201: KitItemOut, **ERRORS}, url_name="kit-item-add")
def kit_item_add_api(request: HttpRequest, kit_id: Id, payload: KitItemIn) -> Any:
    """Add a step (at the end unless `order` is given)."""
    kit = _kit(request, kit_id, "manage")
    return Status(201, services.item_add(actor=request.user, kit=kit, data=payload.dict()))


@router.patch("/kits/{kit_id}/items/{item_id}", response={200: KitItemOut, **WRITE_ERRORS},
              url_name="kit-item-update")  # fmt: skip
def kit_item_update_api(request: HttpRequest, kit_id: Id, item_id: Id, payload: KitItemPatch) -> Any:
    """Change a step; a stale `version` answers 409."""
    item = _item(request, _kit(request, kit_id, "manage"), item_id)
    data = {k: v for k, v in payload.dict(exclude_unset=True).items() if v is not None}
    version = data.pop("version", None)
    try:
        return services.item_update(actor=request.user, item=item, data=data, version=version)
    except ValidationError as exc:
        return _stale_or_raise(exc)


@router.delete("/kits/{kit_id}/items/{item_id}", response={204: None, **ERRORS}, url_name="kit-item-delete")
def kit_item_delete_api(request: HttpRequest, kit_id: Id, item_id: Id) -> Any:
    """Remove a step; posts that reached it lose that tick."""
    item = _item(request, _kit(request, kit_id, "manage"), item_id)
    services.item_remove(actor=request.user, item=item)
    return Status(204, None)


# --- Adoptions and progress -----------------------------------------------------------------------------------


@router.get("/adoptions", response={200: list[AdoptionOut], **ERRORS}, url_name="adoption-list")
@paginate(Pagination)
def adoption_list_api(request: HttpRequest) -> Any:
    """The adoptions you may see, with their average progress."""
    return adoption_list(user=request.user)


@router.post("/adoptions", response={201: AdoptionDetailOut, **ERRORS}, url_name="adoption-create")
def adoption_create_api(request: HttpRequest, payload: AdoptionIn) -> Any:
    """Adopt a published kit for a region you oversee (403 otherwise), for its posts of one kind or those listed."""
    region = Region.objects.filter(code=payload.region_code.strip()).first()
    if region is None:
        raise ValidationError({"region_code": [_("Kode wilayah %(code)s tidak ada.") % {"code": payload.region_code}]})
    kit = kit_public_list_unscoped().filter(pk=payload.kit_id).first()
    posts = None
    if payload.post_ids is not None:
        posts = list(Post.objects.for_user(request.user, "view").filter(pk__in=payload.post_ids))
        if len(posts) != len(set(payload.post_ids)):
            raise ValidationError({"post_ids": [_("Ada pos yang tidak ditemukan atau di luar cakupan Anda.")]})
    data = {"kit": kit, "region": region, "name": payload.name, "started_on": payload.started_on,
            "target_on": payload.target_on, "note": payload.note}  # fmt: skip
    adoption = adoption_services.adoption_create(actor=request.user, data=data, posts=posts,
                                                 post_kind=payload.post_kind)  # fmt: skip
    return Status(201, _adoption_out(request, adoption.pk))


def _adoption_out(request: HttpRequest, adoption_id: int) -> KitAdoption:
    adoption = _adoption(request, adoption_id)
    s = progress_summary(progress_rows(user=request.user, adoption=adoption), adoption.n_items)
    adoption.summary = {"posts": s.posts, "items": s.items, "zero": s.zero, "below_half": s.low,  # type: ignore[attr-defined]
                        "half_or_more": s.high, "full": s.full, "average_percent": s.average}  # fmt: skip
    return adoption


@router.get("/adoptions/{adoption_id}", response={200: AdoptionDetailOut, **ERRORS}, url_name="adoption-detail")
def adoption_get_api(request: HttpRequest, adoption_id: Id) -> Any:
    """One adoption with the summary of its posts' progress (bands and average, over all its posts)."""
    return _adoption_out(request, adoption_id)


@router.get("/adoptions/{adoption_id}/posts", response={200: list[ProgressRowOut], **ERRORS},
            url_name="adoption-progress")  # fmt: skip
@paginate(Pagination)
def adoption_progress_api(request: HttpRequest, adoption_id: Id, filters: Query[ProgressFilterIn]) -> Any:
    """Each post's progress: search, kabupaten/kota, band, sort; paginated."""
    adoption = _adoption(request, adoption_id)
    rows = progress_rows(user=request.user, adoption=adoption)
    params = {k: v for k, v in filters.dict().items() if v not in (None, "")}
    f = ProgressFilter(params, queryset=rows, request=request, total=adoption.n_items, kotas=kota_choices(rows))
    if not f.is_valid():
        raise ValidationError({k: list(v) for k, v in f.errors.items()})
    return f.qs.annotate(total_items=Value(adoption.n_items, output_field=IntegerField()))


# --- A post's checklist ---------------------------------------------------------------------------------------


@router.get("/adoptions/{adoption_id}/posts/{post_id}", response={200: ChecklistOut, **ERRORS},
            url_name="checklist-detail")  # fmt: skip
def checklist_get_api(request: HttpRequest, adoption_id: Id, post_id: Id) -> Any:
    """A post's checklist: each step, whether reached (when, evidence) and what the post's data shows."""
    return _checklist_out(_ap(request, adoption_id, post_id))


@router.post("/adoptions/{adoption_id}/posts/{post_id}/ticks", response={201: ChecklistOut, **WRITE_ERRORS},
             url_name="checklist-tick")  # fmt: skip
def checklist_tick_api(request: HttpRequest, adoption_id: Id, post_id: Id, payload: TickIn) -> Any:
    """Tick a step: a date and, where the step asks for it, an evidence note (files are uploaded on the page)."""
    ap = _ap(request, adoption_id, post_id, "edit")
    item = next((i for i in kit_items(ap.adoption.kit) if i.pk == payload.item_id), None)
    if item is None:
        raise ValidationError({"item_id": [_("Langkah ini bukan bagian dari kit adopsi ini.")]})
    try:
        if payload.from_data:
            adoption_services.tick_from_data(actor=request.user, adoption_post=ap, item=item, version=payload.version)
        else:
            adoption_services.tick(actor=request.user, adoption_post=ap, item=item, done_on=payload.done_on,
                                   evidence_note=payload.evidence_note, version=payload.version)  # fmt: skip
    except ValidationError as exc:
        return _stale_or_raise(exc)
    return Status(201, _checklist_out(_ap(request, adoption_id, post_id)))


@router.delete("/adoptions/{adoption_id}/posts/{post_id}/ticks/{item_id}", response={200: ChecklistOut, **WRITE_ERRORS},
               url_name="checklist-untick")  # fmt: skip
def checklist_untick_api(request: HttpRequest, adoption_id: Id, post_id: Id, item_id: Id,
                         reason: Annotated[str, Field(max_length=300)] = "",
                         version: Annotated[int | None, Field(ge=1, le=2**31)] = None) -> Any:  # fmt: skip
    """Take a tick back, with a reason kept in the history; a stale `version` answers 409."""
    ap = _ap(request, adoption_id, post_id, "edit")
    item = next((i for i in kit_items(ap.adoption.kit) if i.pk == item_id), None)
    if item is None:
        raise Http404
    try:
        adoption_services.untick(actor=request.user, adoption_post=ap, item=item, reason=reason, version=version)
    except ValidationError as exc:
        return _stale_or_raise(exc)
    return _checklist_out(_ap(request, adoption_id, post_id))
