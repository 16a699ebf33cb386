"""Technology records: staff CRUD within scope, and the public catalogue (published records) with search."""

# No `from __future__ import annotations` here: django-ninja reads these annotations at runtime.

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from posyantek.catalog import ttg_services as services
from posyantek.catalog.models import Aspect, Innovator, Sector, Ttg
from posyantek.catalog.search import catalog_search, filter_from
from posyantek.catalog.ttg_filters import TtgFilter
from posyantek.catalog.ttg_selectors import public_adoptions, public_ttgs, published, ttg_list, with_cards
from posyantek.core.api import ERRORS, ErrorOut, Pagination
from posyantek.core.scoping import get_scoped_object
from posyantek.posts.models import Post

router = Router(tags=["ttg"])
public = Router(tags=["katalog"], auth=None)


class TtgOut(Schema):
    id: int
    slug: str
    name: str
    other_names: str
    post_id: int
    region_code: str = Field(alias="region_id")
    innovator_ids: list[int]
    year_made: int | None
    source: str
    sector: str
    aspect: str
    kind: str
    commodities: str
    problem: str
    function: str
    benefits: str
    target_users: str
    dimensions: str
    materials: str
    power_source: str
    power_watt: int | None
    capacity: Decimal | None
    capacity_unit: str
    how_it_works: str
    food_grade: bool
    price: int | None
    production_cost: int | None
    readiness: str
    trl: int | None
    ip_status: str
    ip_number: str
    producer: str
    stage: str
    publication: str
    published_at: dt.datetime | None
    version: int

    @staticmethod
    def resolve_innovator_ids(obj: Ttg) -> list[int]:
        return [i.pk for i in obj.innovators.all()]


class PublicTtgOut(Schema):
    """A published record as the catalogue shows it: no internal ids, pipeline stage, publication state or version."""

    slug: str
    name: str
    other_names: str
    post_name: str = Field(description="The post that mentors it")
    region_code: str = Field(alias="region_id", description="Origin region (Kemendagri code)")
    region_name: str
    innovators: list[str] = Field(description="Names of the innovators credited on it")
    year_made: int | None
    source: str
    sector: str
    aspect: str
    kind: str
    commodities: str
    problem: str
    function: str
    benefits: str
    target_users: str
    dimensions: str
    materials: str
    local_materials: str
    power_source: str
    power_watt: int | None
    capacity: Decimal | None
    capacity_unit: str
    how_it_works: str
    operation: str
    maintenance: str
    safety: str
    food_grade: bool
    price: int | None = Field(description="Rupiah")
    production_cost: int | None = Field(description="Rupiah")
    operating_cost: str
    value_added: str
    factory_comparison: str
    payback_months: int | None
    readiness: str
    trl: int | None
    ip_status: str
    ip_number: str
    producer: str
    producer_contact: str
    lead_time_days: int | None
    recognition: str
    video_url: str
    published_at: dt.datetime | None
    adopted_units: int = Field(description="Units applied, over all adoption records")
    adopted_places: int = Field(description="Distinct regions where it is applied")

    @staticmethod
    def resolve_post_name(obj: Ttg) -> str:
        return obj.post.name

    @staticmethod
    def resolve_region_name(obj: Ttg) -> str:
        return obj.region.name

    @staticmethod
    def resolve_innovators(obj: Ttg) -> list[str]:
        return [str(i) for i in obj.innovators.all()]

    @staticmethod
    def resolve_adopted_units(obj: Ttg) -> int:
        return getattr(obj, "adopted_units", None) or 0

    @staticmethod
    def resolve_adopted_places(obj: Ttg) -> int:
        return getattr(obj, "adopted_places", None) or 0


class TtgIn(Schema):
    name: str = Field(min_length=2, max_length=200)
    post_id: int = Field(ge=1, le=2**62)
    sector: Sector
    aspect: Aspect
    kind: Ttg.Kind = Ttg.Kind.MACHINE
    innovator_ids: list[int] = Field(default_factory=list)
    other_names: str = Field("", max_length=200)
    year_made: int | None = Field(None, ge=1900, le=2100)
    commodities: str = Field("", max_length=200)
    problem: str = Field("", max_length=5000)
    function: str = Field("", max_length=5000)
    benefits: str = Field("", max_length=5000)
    how_it_works: str = Field("", max_length=5000)
    price: int | None = Field(None, ge=0, le=10**12)
    capacity: Decimal | None = Field(None, ge=0, le=10**9, decimal_places=2)
    capacity_unit: str = Field("", max_length=40)
    trl: int | None = Field(None, ge=1, le=9)


class TtgPatch(Schema):
    version: int | None = None
    name: str | None = Field(None, min_length=2, max_length=200)
    problem: str | None = Field(None, max_length=5000)
    function: str | None = Field(None, max_length=5000)
    benefits: str | None = Field(None, max_length=5000)
    how_it_works: str | None = Field(None, max_length=5000)
    price: int | None = Field(None, ge=0, le=10**12)
    trl: int | None = Field(None, ge=1, le=9)
    readiness: Ttg.Readiness | None = None
    ip_status: Ttg.IpStatus | None = None
    ip_number: str | None = Field(None, max_length=100)


class AdoptionIn(Schema):
    region_code: str = Field(max_length=13)
    applied_on: dt.date
    units: int = Field(1, ge=1, le=100000)
    users: str = Field("", max_length=200)
    result: str = Field("", max_length=5000)


class AdoptionOut(Schema):
    id: int
    region_code: str = Field(alias="region_id")
    applied_on: dt.date
    units: int
    users: str
    result: str


class StaffFilterIn(Schema):
    q: str | None = Field(None, max_length=100)
    sector: Sector | None = None
    aspect: Aspect | None = None
    publication: Ttg.Publication | None = None
    region: str | None = Field(None, max_length=13)


class PublicFilterIn(Schema):
    q: str | None = Field(
        None,
        max_length=200,
        description="Search in Indonesian; stemmed, prefix on the last word; the best 200 matches, by relevance",
    )
    sector: Sector | None = None
    aspect: Aspect | None = None
    region: str | None = Field(None, max_length=13, description="Origin region code, with everything below it")
    readiness: Ttg.Readiness | None = None
    ip_status: Ttg.IpStatus | None = None
    price_min: int | None = Field(None, ge=0, le=10**12)
    price_max: int | None = Field(None, ge=0, le=10**12)


def _refs(request: HttpRequest, data: dict[str, Any]) -> dict[str, Any]:
    from django.core.exceptions import ValidationError
    from django.utils.translation import gettext as _

    if "post_id" in data:
        data["post"] = Post.objects.for_user(request.user, "view").filter(pk=data.pop("post_id")).first()
        if data["post"] is None:
            raise ValidationError({"post": _("Pos tidak ditemukan atau di luar cakupan Anda.")})
    if "innovator_ids" in data:
        ids = data.pop("innovator_ids")
        data["innovators"] = list(Innovator.objects.for_user(request.user, "view").filter(pk__in=ids))
        if len(data["innovators"]) != len(set(ids)):
            raise ValidationError({"innovators": _("Ada inovator di luar cakupan Anda.")})
    return data


def _one(request: HttpRequest, pk: int) -> Ttg:
    return ttg_list(user=request.user).prefetch_related("innovators").get(pk=pk)


@router.get("", response={200: list[TtgOut], **ERRORS}, url_name="ttg-list")
@paginate(Pagination)
def ttg_list_api(request: HttpRequest, filters: Query[StaffFilterIn]) -> Any:
    """List the records you may see, drafts included."""
    params = {k: v for k, v in filters.dict().items() if v}
    return TtgFilter(params, queryset=ttg_list(user=request.user).prefetch_related("innovators").order_by("pk")).qs


@router.get("/{ttg_id}", response={200: TtgOut, **ERRORS}, url_name="ttg-detail")
def ttg_get_api(request: HttpRequest, ttg_id: int) -> Any:
    """One record; 404 outside your scope."""
    return get_scoped_object(ttg_list(user=request.user).prefetch_related("innovators"), request.user, pk=ttg_id)


@router.post("", response={201: TtgOut, **ERRORS}, url_name="ttg-create")
def ttg_create_api(request: HttpRequest, payload: TtgIn) -> Any:
    """Record a technology under a post you work for."""
    ttg = services.ttg_create(actor=request.user, data=_refs(request, payload.dict()))
    return Status(201, _one(request, ttg.pk))


@router.patch("/{ttg_id}", response={200: TtgOut, **ERRORS}, url_name="ttg-update")
def ttg_update_api(request: HttpRequest, ttg_id: int, payload: TtgPatch) -> Any:
    """Change a record you may edit; a stale `version` answers 422."""
    ttg = get_scoped_object(ttg_list(user=request.user), request.user, "edit", pk=ttg_id)
    data = {k: ("" if v is None and k in ("problem", "function", "benefits", "how_it_works", "ip_number") else v)
            for k, v in payload.dict(exclude_unset=True).items()}  # fmt: skip
    version = data.pop("version", None)
    services.ttg_update(actor=request.user, ttg=ttg, data=data, version=version)
    return _one(request, ttg_id)


@router.post("/{ttg_id}/adoptions", response={201: AdoptionOut, **ERRORS}, url_name="ttg-adoption-create")
def adoption_create_api(request: HttpRequest, ttg_id: int, payload: AdoptionIn) -> Any:
    """Record where a technology you may edit is applied."""
    ttg = get_scoped_object(ttg_list(user=request.user), request.user, "edit", pk=ttg_id)
    data = payload.dict()
    data["region"] = data.pop("region_code")
    return Status(201, services.adoption_add(actor=request.user, ttg=ttg, data=data))


@public.get("", response={200: list[PublicTtgOut], 422: ErrorOut}, url_name="katalog-list")
@paginate(Pagination)
def catalog_api(request: HttpRequest, filters: Query[PublicFilterIn]) -> Any:
    """The public catalogue: published records, filtered; with `q`, ranked by relevance."""
    chosen = filter_from(filters.dict())
    qs = with_cards(chosen.apply(published())).prefetch_related("innovators__person")
    if filters.q:
        return RankedRecords(catalog_search(filters.q, chosen).ids, qs)
    return qs.order_by("-published_at", "-pk")


class RankedRecords(Sequence[Ttg]):
    """Search hits in rank order, loaded a page at a time (the paginator slices and takes len())."""

    def __init__(self, ids: list[int], qs: QuerySet[Ttg]) -> None:
        self.ids, self.qs = ids, qs

    def __len__(self) -> int:
        return len(self.ids)

    def __getitem__(self, index: Any) -> Any:
        ids = self.ids[index] if isinstance(index, slice) else [self.ids[index]]
        found = {t.pk: t for t in self.qs.filter(pk__in=ids)}
        rows = [found[pk] for pk in ids if pk in found]
        return rows if isinstance(index, slice) else rows[0]


@public.get("/{slug}", response={200: PublicTtgOut, 404: ErrorOut, 422: ErrorOut}, url_name="katalog-detail")
def catalog_detail_api(request: HttpRequest, slug: str) -> Any:
    """One published record."""
    ttg = public_ttgs().prefetch_related("innovators__person").filter(slug=slug).first()
    if ttg is None:
        raise Http404
    return ttg


@public.get("/{slug}/adoptions", response={200: list[AdoptionOut], 404: ErrorOut, 422: ErrorOut},
            url_name="katalog-adoptions")  # fmt: skip
def catalog_adoptions_api(request: HttpRequest, slug: str) -> Any:
    """Where a published record is applied."""
    ttg = public_ttgs().filter(slug=slug).first()
    if ttg is None:
        raise Http404
    return public_adoptions(ttg)
