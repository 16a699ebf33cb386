"""Grants with their LPJ, and assets."""

# No `from __future__ import annotations` here: django-ninja reads these annotations at runtime.

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Status
from ninja.pagination import paginate

from posyantek.core.api import ERRORS, Pagination
from posyantek.finance import grant_services
from posyantek.finance.api.common import (
    filter_params,
    one_of,
    scoped_asset,
    scoped_grant,
    scoped_post,
)
from posyantek.finance.api.router import router
from posyantek.finance.api.schemas import (
    FinAssetFilterIn,
    FinAssetIn,
    FinAssetOut,
    FinAssetPatch,
    FinGrantFilterIn,
    FinGrantIn,
    FinGrantOut,
    FinGrantPatch,
    FinLpjOut,
)
from posyantek.finance.filters import AssetFilter, GrantFilter
from posyantek.finance.models import (
    Entry,
    Grant,
)
from posyantek.finance.selectors import (
    asset_list,
    grant_list,
    grant_lpj,
    regulation_list,
)

# --- Grants ---------------------------------------------------------------------------------------------------


@router.get("/grants", response={200: list[FinGrantOut], **ERRORS}, url_name="finance-grant-list")
@paginate(Pagination)
def grant_list_api(request: HttpRequest, filters: Query[FinGrantFilterIn]) -> Any:
    """Grants you may see, with what was disbursed and spent."""
    return GrantFilter(filter_params(filters), queryset=grant_list(user=request.user)).qs


@router.post("/grants", response={201: FinGrantOut, **ERRORS}, url_name="finance-grant-create")
def grant_create_api(request: HttpRequest, payload: FinGrantIn) -> Any:
    """Record a grant a post received."""
    post = scoped_post(request, payload.post_id, "edit")
    data = payload.dict()
    data.pop("post_id")
    data["regulation"] = one_of(
        regulation_list(user=request.user), data.pop("regulation_id"), "regulation", _("Peraturan tidak ditemukan.")
    )
    grant = grant_services.grant_create(actor=request.user, data={**data, "post": post})
    return Status(201, scoped_grant(request, grant.pk))


@router.get("/grants/{grant_id}", response={200: FinGrantOut, **ERRORS}, url_name="finance-grant-detail")
def grant_get_api(request: HttpRequest, grant_id: int) -> Any:
    """One grant."""
    return scoped_grant(request, grant_id)


@router.patch("/grants/{grant_id}", response={200: FinGrantOut, **ERRORS}, url_name="finance-grant-update")
def grant_update_api(request: HttpRequest, grant_id: int, payload: FinGrantPatch) -> Any:
    """Change a grant's details; a stale `version` answers 422."""
    grant = scoped_grant(request, grant_id, "edit")
    data = {k: v for k, v in payload.dict(exclude_unset=True).items() if v is not None or k == "version"}
    version = data.pop("version", None)
    grant_services.grant_update(actor=request.user, grant=grant, data=data, version=version)
    return scoped_grant(request, grant_id)


@router.get("/grants/{grant_id}/lpj", response={200: FinLpjOut, **ERRORS}, url_name="finance-grant-lpj")
def grant_lpj_api(request: HttpRequest, grant_id: int) -> Any:
    """The grant's accountability report (LPJ); 422 while any of its spending has no receipt."""
    grant = scoped_grant(request, grant_id)
    lpj = grant_lpj(grant)
    return FinLpjOut(
        grant_id=grant.pk,
        disbursed=lpj.totals.disbursed,
        spent=lpj.totals.spent,
        remaining=lpj.totals.remaining,
        disbursements=lpj.disbursements,
        spending=lpj.spending,
        asset_ids=[a.pk for a in lpj.assets],
    )


@router.post(
    "/grants/{grant_id}/lpj-submitted", response={200: FinGrantOut, **ERRORS}, url_name="finance-grant-lpj-submit"
)
def grant_lpj_submit_api(request: HttpRequest, grant_id: int) -> Any:
    """Mark the LPJ as submitted (post manager); 422 while a receipt is missing."""
    grant = scoped_grant(request, grant_id, "manage")
    grant_services.grant_lpj_submit(actor=request.user, grant=grant)
    return scoped_grant(request, grant_id)


# --- Assets ---------------------------------------------------------------------------------------------------


@router.get("/assets", response={200: list[FinAssetOut], **ERRORS}, url_name="finance-asset-list")
@paginate(Pagination)
def asset_list_api(request: HttpRequest, filters: Query[FinAssetFilterIn]) -> Any:
    """The inventory you may see."""
    return AssetFilter(filter_params(filters), queryset=asset_list(user=request.user)).qs.order_by(
        "post_id", "name", "pk"
    )


@router.post("/assets", response={201: FinAssetOut, **ERRORS}, url_name="finance-asset-create")
def asset_create_api(request: HttpRequest, payload: FinAssetIn) -> Any:
    """Record an asset, linked to the entry or grant that paid for it."""
    post = scoped_post(request, payload.post_id, "edit")
    data = payload.dict()
    data.pop("post_id")
    data["entry"] = one_of(
        Entry.objects.for_user(request.user, "view").filter(post=post),
        data.pop("entry_id"),
        "entry",
        _("Entri kas tidak ditemukan di pos ini."),
    )
    data["grant"] = one_of(
        Grant.objects.for_user(request.user, "view"), data.pop("grant_id"), "grant", _("Hibah tidak ditemukan.")
    )
    asset = grant_services.asset_create(actor=request.user, data={**data, "post": post})
    return Status(201, asset)


@router.get("/assets/{asset_id}", response={200: FinAssetOut, **ERRORS}, url_name="finance-asset-detail")
def asset_get_api(request: HttpRequest, asset_id: int) -> Any:
    """One asset."""
    return scoped_asset(request, asset_id)


@router.patch("/assets/{asset_id}", response={200: FinAssetOut, **ERRORS}, url_name="finance-asset-update")
def asset_update_api(request: HttpRequest, asset_id: int, payload: FinAssetPatch) -> Any:
    """Change an asset: condition, location, who it is lent to."""
    asset = scoped_asset(request, asset_id, "edit")
    data = {k: v for k, v in payload.dict(exclude_unset=True).items() if v is not None or k == "version"}
    version = data.pop("version", None)
    return grant_services.asset_update(actor=request.user, asset=asset, data=data, version=version)
