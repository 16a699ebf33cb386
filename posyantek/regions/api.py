"""Regions API: public reference data."""

# No `from __future__ import annotations` here: django-ninja reads these annotations at runtime.

from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from posyantek.core.api import ErrorOut, Pagination
from posyantek.regions.models import Region
from posyantek.regions.selectors import region_get, region_search

router = Router(tags=["regions"], auth=None)


class RegionOut(Schema):
    code: str
    name: str
    level: str = Field(description="provinsi, kabupaten_kota, kecamatan or desa_kelurahan")
    kind: str = Field(description="provinsi, kabupaten, kota, kecamatan, distrik, kelurahan, desa or desa_adat")
    parent_code: str | None
    postal_code: str | None

    @staticmethod
    def resolve_level(obj: Region) -> str:
        return obj.level_slug

    @staticmethod
    def resolve_parent_code(obj: Region) -> str | None:
        return obj.parent_id

    @staticmethod
    def resolve_postal_code(obj: Region) -> str | None:
        return obj.postal_code or None


class RegionFilter(Schema):
    parent: str | None = Field(None, description="Direct children of this code, e.g. 33.75")
    q: str | None = Field(None, max_length=100, description="A code prefix or words of the name")
    level: int | None = Field(None, ge=1, le=4)


@router.get("", response={200: list[RegionOut], 422: ErrorOut}, url_name="region-list")
@paginate(Pagination)
def region_list(request: HttpRequest, filters: Query[RegionFilter]) -> list[Region]:
    """List regions: the provinces, the children of `parent`, or those matching `q`."""
    if not filters.parent and not filters.q and not filters.level:
        return region_search(level=1)
    return region_search(q=filters.q or "", parent=filters.parent, level=filters.level)


@router.get("/{code}", response={200: RegionOut, 404: ErrorOut, 422: ErrorOut}, url_name="region-detail")
def region_detail(request: HttpRequest, code: str) -> Region:
    """One region by its Kemendagri code, e.g. 33.75.03.1004."""
    region = region_get(code)
    if region is None:
        raise Http404
    return region
