"""API for service requests: staff endpoints within scope, and the public submit and status-by-code."""

# No `from __future__ import annotations` here: django-ninja reads these annotations at runtime.
import datetime as dt
from typing import Annotated, Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from posyantek.catalog.models import Sector
from posyantek.consultations import notify, services, workflow
from posyantek.consultations.filters import RequestFilter
from posyantek.consultations.models import ServiceRequest
from posyantek.consultations.selectors import (
    needs_map,
    public_recommendations,
    public_steps,
    request_by_code_unscoped,
    request_list,
    service_stats,
    ttg_suggestions,
)
from posyantek.core import ratelimit
from posyantek.core.api import ERRORS, ErrorOut, Pagination
from posyantek.core.scoping import get_scoped_object
from posyantek.posts.models import Post
from posyantek.regions.selectors import region_get

router = Router(tags=["Permohonan layanan"])

Id = Annotated[int, Field(ge=1, le=2**62)]
PUBLIC_ERRORS = {404: ErrorOut, 422: ErrorOut, 429: ErrorOut}


class RequestOut(Schema):
    """A request as staff see it."""

    id: int
    code: str
    received_at: dt.datetime
    channel: str
    post_id: int | None
    region_code: str = Field(alias="region_id")
    requester_name: str
    requester_kind: str
    phone: str = Field(description="Normalised as 628…")
    email: str
    description: str
    sector: str
    commodity: str
    service_type: str
    section: str
    handler_id: int | None
    referral_kind: str
    referral_to: str
    recommended_ttg_ids: list[int]
    state: str
    state_since: dt.datetime
    due_at: dt.datetime | None
    overdue: bool
    result: str
    closed_at: dt.datetime | None
    rating: int | None
    rating_comment: str
    version: int
    whatsapp_url: str | None = Field(description="Click-to-chat link to the requester with the status message")

    @staticmethod
    def resolve_recommended_ttg_ids(obj: ServiceRequest) -> list[int]:
        return [r.ttg_id for r in obj.recommendations.all()]

    @staticmethod
    def resolve_overdue(obj: ServiceRequest) -> bool:
        return bool(obj.due_at and not obj.is_final and obj.due_at < timezone.now())

    @staticmethod
    def resolve_whatsapp_url(obj: ServiceRequest) -> str | None:
        return notify.requester_notice(obj).url


class RequestIn(Schema):
    """A request recorded by staff (walked in, phoned, WhatsApp)."""

    post_id: Id
    channel: ServiceRequest.Channel = Field(
        description="datang_langsung, telepon or whatsapp; online is only the public form's and answers 422"
    )
    received_at: dt.datetime | None = Field(None, description="Now when empty; without an offset, local time (WIB)")
    requester_name: str = Field(min_length=1, max_length=150)
    requester_kind: ServiceRequest.RequesterKind = ServiceRequest.RequesterKind.PERSON
    phone: str = Field("", max_length=30, description="08…, +628… or 628…")
    email: str = Field("", max_length=254)
    region_code: str = Field(max_length=13)
    description: str = Field(max_length=3000)
    sector: Sector | None = None
    commodity: str = Field("", max_length=120)
    note: str = Field("", max_length=2000)


class RequestPatch(Schema):
    version: int | None = None
    requester_name: str | None = Field(None, min_length=1, max_length=150)
    requester_kind: ServiceRequest.RequesterKind | None = None
    phone: str | None = Field(None, max_length=30)
    email: str | None = Field(None, max_length=254)
    description: str | None = Field(None, max_length=3000)
    sector: Sector | None = None
    commodity: str | None = Field(None, max_length=120)


class TransitionIn(Schema):
    to_state: ServiceRequest.State
    version: int | None = Field(None, description="The version you read; a stale one answers 422")
    note: str = Field("", max_length=2000)
    is_public: bool = Field(False, description="Show the note to the requester")
    service_type: ServiceRequest.ServiceType | None = Field(None, description="For ditelaah")
    section: ServiceRequest.Section | None = Field(None, description="For ditelaah")
    handler_id: Id | None = Field(None, description="For ditelaah")
    ttg_ids: list[Id] = Field(default_factory=list, max_length=20, description="For rekomendasi: published TTGs")
    referral_kind: ServiceRequest.ReferralKind | None = Field(None, description="For dirujuk")
    referral_to: str = Field("", max_length=200, description="For dirujuk")
    result: str = Field("", max_length=3000, description="For selesai and ditutup_tanpa_solusi")


class AssignIn(Schema):
    post_id: Id
    version: int | None = None


class StepOut(Schema):
    from_state: str
    to_state: str
    actor_id: int | None
    at: dt.datetime
    note: str
    is_public: bool


class SuggestionOut(Schema):
    ttg_id: int
    name: str
    url: str
    words: int
    score: float
    same_sector: bool


class FilterIn(Schema):
    q: str | None = Field(None, max_length=100)
    state: ServiceRequest.State | None = None
    sector: Sector | None = None
    channel: ServiceRequest.Channel | None = None
    overdue: bool | None = None
    handler: Id | None = None
    post: Id | None = None
    region: str | None = Field(None, max_length=13)


class StatsOut(Schema):
    open: int
    overdue: int
    resolved: int
    median_days: float | None
    rated: int
    mean_rating: float | None
    target_days: dict[str, int]


class NeedsRowOut(Schema):
    code: str
    name: str | None
    total: int
    open: int
    by_sector: dict[str, int]


class NeedsMapOut(Schema):
    region_code: str | None
    total: int
    rows: list[NeedsRowOut]
    commodities: dict[str, int]


class PublicIn(Schema):
    """A request from the public (no login)."""

    requester_name: str = Field(min_length=1, max_length=150)
    phone: str = Field("", max_length=30, description="Indonesian mobile: 08…, +628… or 628…")
    email: str = Field("", max_length=254)
    region_code: str = Field(max_length=13, description="Village or kecamatan code, e.g. 33.75.03.1004")
    description: str = Field(max_length=3000)
    sector: Sector | None = None
    commodity: str = Field("", max_length=120)


class PublicStepOut(Schema):
    state: str
    state_label: str
    at: dt.datetime
    note: str = Field(description="Only notes staff marked public")


class PublicTtgOut(Schema):
    name: str
    url: str


class PublicStatusOut(Schema):
    """What the requester may see: no staff names, no internal notes."""

    code: str
    state: str
    state_label: str
    received_at: dt.datetime
    closed_at: dt.datetime | None
    post_name: str | None
    region_name: str
    referral_to: str
    steps: list[PublicStepOut]
    recommended: list[PublicTtgOut]
    can_rate: bool
    rating: int | None


class SubmitOut(Schema):
    code: str
    tracking_url: str


class RatingIn(Schema):
    rating: int = Field(ge=1, le=5)
    comment: str = Field("", max_length=2000)


def _one(request: HttpRequest, pk: int) -> ServiceRequest:
    return request_list(user=request.user).prefetch_related("recommendations").get(pk=pk)


def _post(request: HttpRequest, post_id: int) -> Post:
    post = Post.objects.for_user(request.user, "view").filter(pk=post_id).first()
    if post is None:
        raise ValidationError({"post": [gettext("Pos tidak ditemukan atau di luar cakupan Anda.")]})
    return post


def _post_or_404(request: HttpRequest, post_id: int) -> Post:
    post = Post.objects.for_user(request.user, "view").filter(pk=post_id).first()
    if post is None:
        raise Http404
    return post


@router.get("/requests", response={200: list[RequestOut], **ERRORS}, url_name="request-list")
@paginate(Pagination)
def request_list_api(request: HttpRequest, filters: Query[FilterIn]) -> Any:
    """List the requests you may see, newest first."""
    params = {k: (str(v).lower() if isinstance(v, bool) else v) for k, v in filters.dict().items() if v is not None}
    qs = request_list(user=request.user).prefetch_related("recommendations").order_by("-received_at", "-id")
    return RequestFilter(params, queryset=qs).qs


@router.get("/requests/{request_id}", response={200: RequestOut, **ERRORS}, url_name="request-detail")
def request_get_api(request: HttpRequest, request_id: int) -> Any:
    """One request; 404 outside your scope."""
    qs = request_list(user=request.user).prefetch_related("recommendations")
    return get_scoped_object(qs, request.user, "view", pk=request_id)


@router.post("/requests", response={201: RequestOut, **ERRORS}, url_name="request-create")
def request_create_api(request: HttpRequest, payload: RequestIn) -> Any:
    """Record a request walked in, phoned or sent by WhatsApp, at a post you work for."""
    data = payload.dict()
    data["post"] = _post(request, data.pop("post_id"))
    data["region"] = region_get(data.pop("region_code")) if payload.region_code.strip() else None
    req = services.request_create(actor=request.user, data=data)
    return Status(201, _one(request, req.pk))


@router.patch("/requests/{request_id}", response={200: RequestOut, **ERRORS}, url_name="request-update")
def request_update_api(request: HttpRequest, request_id: int, payload: RequestPatch) -> Any:
    """Correct a request you may edit; a stale `version` answers 422."""
    req = get_scoped_object(request_list(user=request.user), request.user, "edit", pk=request_id)
    data = {k: ("" if v is None and k in ("phone", "email", "commodity", "sector") else v)
            for k, v in payload.dict(exclude_unset=True).items()}  # fmt: skip
    version = data.pop("version", None)
    services.request_update(actor=request.user, request=req, data=data, version=version)
    return _one(request, request_id)


@router.post("/requests/{request_id}/transitions", response={200: RequestOut, **ERRORS}, url_name="request-transition")
def request_transition_api(request: HttpRequest, request_id: int, payload: TransitionIn) -> Any:
    """Move a request one step along the workflow; a skipped step or a stale version answers 422."""
    req = get_scoped_object(request_list(user=request.user), request.user, "edit", pk=request_id)
    data = payload.dict()
    services.request_transition(
        actor=request.user, request=req, to_state=data["to_state"], note=data["note"], is_public=data["is_public"],
        version=data["version"], service_type=data["service_type"], section=data["section"],
        handler=data["handler_id"], ttgs=data["ttg_ids"], referral_kind=data["referral_kind"],
        referral_to=data["referral_to"], result=data["result"],
    )  # fmt: skip
    return _one(request, request_id)


@router.post("/requests/{request_id}/assign", response={200: RequestOut, **ERRORS}, url_name="request-assign")
def request_assign_api(request: HttpRequest, request_id: int, payload: AssignIn) -> Any:
    """Give a request to a post you work for."""
    req = get_scoped_object(request_list(user=request.user), request.user, "edit", pk=request_id)
    services.request_assign(actor=request.user, request=req, post=_post(request, payload.post_id),
                            version=payload.version)  # fmt: skip
    return _one(request, request_id)


@router.get("/requests/{request_id}/steps", response={200: list[StepOut], **ERRORS}, url_name="request-steps")
def request_steps_api(request: HttpRequest, request_id: int) -> Any:
    """Every step of a request: from, to, who, when, note."""
    req = get_scoped_object(request_list(user=request.user), request.user, "view", pk=request_id)
    return list(req.steps.all())


@router.get("/requests/{request_id}/suggestions", response={200: list[SuggestionOut], **ERRORS},
            url_name="request-suggestions")  # fmt: skip
def request_suggestions_api(request: HttpRequest, request_id: int) -> Any:
    """Published technologies from the catalogue search, ranked for this request's need."""
    req = get_scoped_object(request_list(user=request.user), request.user, "view", pk=request_id)
    return [{"ttg_id": s.ttg.pk, "name": s.ttg.name, "url": s.ttg.get_public_url(), "words": s.words,
             "score": s.score, "same_sector": s.same_sector} for s in ttg_suggestions(req)]  # fmt: skip


@router.get("/stats", response={200: StatsOut, **ERRORS}, url_name="request-stats")
def stats_api(request: HttpRequest, post_id: Id | None = None) -> Any:
    """Service times within your scope (or one post of yours; another post answers 404): open, overdue, median
    days to resolve, rating."""
    qs = ServiceRequest.objects.for_user(request.user, "view")
    if post_id:
        qs = qs.filter(post_id=_post_or_404(request, post_id).pk)
    s = service_stats(qs)
    return {"open": s.open, "overdue": s.overdue, "resolved": s.resolved, "median_days": s.median_days,
            "rated": s.rated, "mean_rating": s.mean_rating, "target_days": workflow.target_days()}  # fmt: skip


class MapFilterIn(Schema):
    region: str | None = Field(None, max_length=13, description="Region code; rows are its child areas")
    post_id: Id | None = None


@router.get("/needs-map", response={200: NeedsMapOut, **ERRORS}, url_name="needs-map")
def needs_map_api(request: HttpRequest, filters: Query[MapFilterIn]) -> Any:
    """Requests by the areas one level below `region` (by province without it), by sector and commodity."""
    region, post_id = filters.region, filters.post_id
    area = region_get(region) if region else None
    if region and area is None:
        raise ValidationError({"region": [gettext("Kode wilayah %(code)s tidak ada.") % {"code": region}]})
    data = needs_map(user=request.user, region=area, post_id=_post_or_404(request, post_id).pk if post_id else None)
    rows = [{"code": r.code, "name": r.region.name if r.region else None, "total": r.total, "open": r.open,
             "by_sector": r.by_sector} for r in data.rows]  # fmt: skip
    return {"region_code": area.code if area else None, "total": data.total, "rows": rows,
            "commodities": dict(data.commodities)}  # fmt: skip


# --- public (no login) ---------------------------------------------------------------------------------------


def _throttle_lookup(request: HttpRequest) -> Any:
    limit, per = workflow.rate_limit("track")
    if not ratelimit.allow(f"layanan:lacak:{ratelimit.client_ip(request)}", limit=limit, per_seconds=per):
        return Status(429, {"detail": gettext("Terlalu banyak pencarian kode dari alamat Anda. Tunggu 10 menit.")})
    return None


def _public_status(req: ServiceRequest) -> dict[str, Any]:
    labels = dict(ServiceRequest.State.choices)
    return {
        "code": req.code,
        "state": req.state,
        "state_label": str(req.get_state_display()),
        "received_at": req.received_at,
        "closed_at": req.closed_at,
        "post_name": req.post.name if req.post else None,
        "region_name": str(req.region),
        "referral_to": req.referral_to,
        "steps": [
            {
                "state": s.to_state,
                "state_label": str(labels[s.to_state]),
                "at": s.at,
                "note": s.note if s.is_public else "",
            }
            for s in public_steps(req)
        ],  # fmt: skip
        "recommended": [{"name": t.name, "url": t.get_public_url()} for t in public_recommendations(req)],
        "can_rate": req.state in ("selesai", "ditutup_tanpa_solusi") and req.rated_at is None,
        "rating": req.rating,
    }


@router.post("/public/requests", auth=None, response={201: SubmitOut, 422: ErrorOut, 429: ErrorOut},
             url_name="public-submit")  # fmt: skip
def public_submit_api(request: HttpRequest, payload: PublicIn) -> Any:
    """Send a request without an account (photos only through the web form); answers the tracking code."""
    data = payload.dict()
    data["region"] = region_get(data.pop("region_code")) if payload.region_code.strip() else None
    try:
        req = services.request_submit(data=data, ip=ratelimit.client_ip(request))
    except services.RateLimited as exc:
        return Status(429, {"detail": exc.message})
    return Status(201, {"code": req.code, "tracking_url": notify.tracking_link(req)})


@router.get("/public/requests/{code}", auth=None, response={200: PublicStatusOut, **PUBLIC_ERRORS},
            url_name="public-status")  # fmt: skip
def public_status_api(request: HttpRequest, code: str) -> Any:
    """A request's state as its requester may see it, by tracking code; a wrong code answers 404."""
    if (limited := _throttle_lookup(request)) is not None:
        return limited
    req = request_by_code_unscoped(code)
    if req is None:
        raise Http404
    return _public_status(req)


@router.post("/public/requests/{code}/rating", auth=None, response={200: PublicStatusOut, **PUBLIC_ERRORS},
             url_name="public-rating")  # fmt: skip
def public_rating_api(request: HttpRequest, code: str, payload: RatingIn) -> Any:
    """Rate the service once, after the request ended (selesai or ditutup tanpa solusi)."""
    if (limited := _throttle_lookup(request)) is not None:
        return limited
    req = request_by_code_unscoped(code)
    if req is None:
        raise Http404
    req = services.request_rate(request=req, rating=payload.rating, comment=payload.comment)
    return _public_status(request_by_code_unscoped(req.code))
