"""Innovators, their needs and the potential map: the same selectors, services and scoping as the pages."""

# No `from __future__ import annotations` here: django-ninja reads these annotations at runtime.

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from posyantek.catalog import services
from posyantek.catalog.filters import InnovatorFilter
from posyantek.catalog.models import Innovator, Need, Sector
from posyantek.catalog.selectors import innovator_list, need_list, potential_map
from posyantek.core.api import ERRORS, Pagination
from posyantek.core.scoping import get_scoped_object
from posyantek.people.models import Person
from posyantek.posts.models import Post
from posyantek.regions.selectors import region_get

router = Router(tags=["innovators"])


class InnovatorOut(Schema):
    id: int
    name: str
    kind: str
    person_id: int | None
    group_name: str
    member_ids: list[int]
    post_id: int
    region_code: str = Field(alias="region_id")
    sector: str
    skills: str
    works: str
    open_needs: int = 0
    version: int

    @staticmethod
    def resolve_name(obj: Innovator) -> str:
        return str(obj)

    @staticmethod
    def resolve_member_ids(obj: Innovator) -> list[int]:
        return [m.pk for m in obj.members.all()]


class InnovatorIn(Schema):
    kind: Innovator.Kind = Innovator.Kind.PERSON
    person_id: int | None = None
    group_name: str = Field("", max_length=150)
    member_ids: list[int] = Field(default_factory=list)
    post_id: int
    sector: Sector
    skills: str = Field("", max_length=300)
    works: str = Field("", max_length=5000)
    note: str = Field("", max_length=5000)


class InnovatorPatch(Schema):
    version: int | None = None
    sector: Sector | None = None
    skills: str | None = Field(None, max_length=300)
    works: str | None = Field(None, max_length=5000)
    note: str | None = Field(None, max_length=5000)
    group_name: str | None = Field(None, max_length=150)


class InnovatorFilterIn(Schema):
    q: str | None = Field(None, max_length=100)
    sector: Sector | None = None
    need: Need.Kind | None = Field(None, description="Only innovators with this unmet need")
    region: str | None = Field(None, max_length=13)


class NeedOut(Schema):
    id: int
    innovator_id: int
    kind: str
    description: str
    status: str
    helper: str
    version: int


class NeedIn(Schema):
    kind: Need.Kind
    description: str = Field(min_length=3, max_length=300)
    status: Need.Status = Need.Status.IDENTIFIED
    helper: str = Field("", max_length=200)


class NeedPatch(Schema):
    version: int | None = None
    status: Need.Status | None = None
    helper: str | None = Field(None, max_length=200)
    description: str | None = Field(None, min_length=3, max_length=300)


class MapFilterIn(Schema):
    region: str | None = Field(None, max_length=13, description="Region code; rows are its child areas")
    post_id: int | None = Field(None, ge=1, le=2**62)


class MapRowOut(Schema):
    code: str
    name: str | None
    innovators: int
    unmet: int
    by_kind: dict[str, int]


class MapOut(Schema):
    region_code: str | None
    innovators_total: int
    unmet_total: int
    rows: list[MapRowOut]


def _refs(request: HttpRequest, data: dict[str, Any]) -> dict[str, Any]:
    if "person_id" in data:
        pid = data.pop("person_id")
        data["person"] = Person.objects.for_user(request.user, "view").filter(pk=pid).first() if pid else None
        if pid and data["person"] is None:
            raise ValidationError({"person": _("Orang ini tidak ada dalam cakupan Anda.")})
    if "post_id" in data:
        data["post"] = Post.objects.for_user(request.user, "view").filter(pk=data.pop("post_id")).first()
        if data["post"] is None:
            raise ValidationError({"post": _("Pos tidak ditemukan atau di luar cakupan Anda.")})
    if "member_ids" in data:
        ids = data.pop("member_ids")
        data["members"] = list(Person.objects.for_user(request.user, "view").filter(pk__in=ids))
        if len(data["members"]) != len(set(ids)):
            raise ValidationError({"members": _("Ada anggota di luar cakupan Anda.")})
    return {k: ("" if v is None and k in ("skills", "works", "note", "group_name", "helper") else v)
            for k, v in data.items()}  # fmt: skip


def _one(request: HttpRequest, pk: int) -> Innovator:
    return innovator_list(user=request.user).prefetch_related("members").get(pk=pk)


@router.get("/innovators", response={200: list[InnovatorOut], **ERRORS}, url_name="innovator-list")
@paginate(Pagination)
def innovator_list_api(request: HttpRequest, filters: Query[InnovatorFilterIn]) -> Any:
    """List the innovators you may see."""
    params = {k: v for k, v in filters.dict().items() if v}
    qs = innovator_list(user=request.user).prefetch_related("members").order_by("pk")
    return InnovatorFilter(params, queryset=qs).qs


@router.get("/innovators/{innovator_id}", response={200: InnovatorOut, **ERRORS}, url_name="innovator-detail")
def innovator_get_api(request: HttpRequest, innovator_id: int) -> Any:
    """One innovator; 404 outside your scope."""
    return get_scoped_object(innovator_list(user=request.user), request.user, "view", pk=innovator_id)


@router.post("/innovators", response={201: InnovatorOut, **ERRORS}, url_name="innovator-create")
def innovator_create_api(request: HttpRequest, payload: InnovatorIn) -> Any:
    """Register an innovator under a post you work for."""
    innovator = services.innovator_create(actor=request.user, data=_refs(request, payload.dict()))
    return Status(201, _one(request, innovator.pk))


@router.patch("/innovators/{innovator_id}", response={200: InnovatorOut, **ERRORS}, url_name="innovator-update")
def innovator_update_api(request: HttpRequest, innovator_id: int, payload: InnovatorPatch) -> Any:
    """Change an innovator you may edit; a stale `version` answers 422."""
    innovator = get_scoped_object(innovator_list(user=request.user), request.user, "edit", pk=innovator_id)
    data = payload.dict(exclude_unset=True)
    version = data.pop("version", None)
    services.innovator_update(actor=request.user, innovator=innovator, data=_refs(request, data), version=version)
    return _one(request, innovator_id)


@router.get("/innovators/{innovator_id}/needs", response={200: list[NeedOut], **ERRORS}, url_name="need-list")
def need_list_api(request: HttpRequest, innovator_id: int) -> Any:
    """What an innovator lacks."""
    innovator = get_scoped_object(innovator_list(user=request.user), request.user, "view", pk=innovator_id)
    return list(innovator.needs.all())


@router.post("/innovators/{innovator_id}/needs", response={201: NeedOut, **ERRORS}, url_name="need-create")
def need_create_api(request: HttpRequest, innovator_id: int, payload: NeedIn) -> Any:
    """Record a need of an innovator you may edit."""
    innovator = get_scoped_object(innovator_list(user=request.user), request.user, "edit", pk=innovator_id)
    return Status(201, services.need_add(actor=request.user, innovator=innovator, data=payload.dict()))


@router.patch("/needs/{need_id}", response={200: NeedOut, **ERRORS}, url_name="need-update")
def need_update_api(request: HttpRequest, need_id: int, payload: NeedPatch) -> Any:
    """Move a need along; a stale `version` answers 422."""
    need = get_scoped_object(need_list(user=request.user), request.user, "edit", pk=need_id)
    data = payload.dict(exclude_unset=True)
    version = data.pop("version", None)
    return services.need_update(actor=request.user, need=need, data=data, version=version)


@router.get("/potential-map", response={200: MapOut, **ERRORS}, url_name="potential-map")
def potential_map_api(request: HttpRequest, filters: Query[MapFilterIn]) -> Any:
    """Innovators and unmet needs by the areas one level below `region` (by province without it)."""
    region, post_id = filters.region, filters.post_id
    area = region_get(region) if region else None
    if region and area is None:
        raise ValidationError({"region": _("Kode wilayah %(code)s tidak ada.") % {"code": region}})
    data = potential_map(user=request.user, region=area, post_id=post_id)
    rows = [{"code": r.code, "name": r.region.name if r.region else None, "innovators": r.innovators,
             "unmet": r.unmet, "by_kind": r.by_kind} for r in data.rows]  # fmt: skip
    return {"region_code": area.code if area else None, "innovators_total": data.innovators_total,
            "unmet_total": data.unmet_total, "rows": rows}  # fmt: skip
