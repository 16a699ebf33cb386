"""Helpers of the money API: the scoped fetches and turning ids into rows the user may see."""

# No `from __future__ import annotations` here: django-ninja reads these annotations at runtime.

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Schema

from posyantek.core.scoping import get_scoped_object
from posyantek.exhibitions.models import Exhibition
from posyantek.finance.api.schemas import (
    FinEntryIn,
)
from posyantek.finance.models import (
    Account,
    Asset,
    Budget,
    CashAccount,
    Entry,
    Grant,
    Regulation,
)
from posyantek.finance.selectors import (
    asset_list,
    budget_list,
    entry_list,
    grant_list,
    regulation_list,
)
from posyantek.orders.models import Order
from posyantek.posts.models import Post
from posyantek.regions.models import Region
from posyantek.trainings.models import Bintek

# --- Helpers --------------------------------------------------------------------------------------------------


def scoped_post(request: HttpRequest, post_id: int, action: str = "view") -> Post:
    return get_scoped_object(Post.objects.for_user(request.user, "view"), request.user, action, pk=post_id)


def filter_params(filters: Schema) -> dict[str, Any]:
    return {k: v for k, v in filters.dict().items() if v is not None and v != ""}


def one_of(qs: Any, pk: int | None, field: str, message: str) -> Any:
    if not pk:
        return None
    obj = qs.filter(pk=pk).first()
    if obj is None:
        raise ValidationError({field: [message]})
    return obj


def entry_data(request: HttpRequest, post: Post, payload: FinEntryIn) -> dict[str, Any]:
    data = payload.dict()
    user = request.user
    data["account"] = Account.objects.for_user(user, "view").filter(pk=data.pop("account_id")).first()
    if data["account"] is None:
        raise ValidationError({"account": [_("Akun tidak ditemukan.")]})
    data["cash_account"] = one_of(
        CashAccount.objects.for_user(user, "view"),
        data.pop("cash_account_id"),
        "cash_account",
        _("Kas/rekening tidak ditemukan."),
    )
    data["bintek"] = one_of(
        Bintek.objects.for_user(user, "view"), data.pop("bintek_id"), "bintek", _("Bintek tidak ditemukan.")
    )
    data["exhibition"] = one_of(
        Exhibition.objects.for_user(user, "view"),
        data.pop("exhibition_id"),
        "exhibition",
        _("Pameran tidak ditemukan."),
    )
    data["grant"] = one_of(
        Grant.objects.for_user(user, "view"), data.pop("grant_id"), "grant", _("Hibah tidak ditemukan.")
    )
    code = (data.pop("order_code") or "").strip().upper()
    data["order"] = Order.objects.for_user(user, "view").filter(post=post, code=code).first() if code else None
    if code and data["order"] is None:
        raise ValidationError({"order_code": [_("Pesanan %(c)s tidak ada di pos ini.") % {"c": code}]})
    data.pop("post_id")
    data["post"] = post
    return data


def scoped_entry(request: HttpRequest, entry_id: int, action: str = "view") -> Entry:
    return get_scoped_object(entry_list(user=request.user), request.user, action, pk=entry_id)


def scoped_budget(request: HttpRequest, budget_id: int, action: str = "view") -> Budget:
    return get_scoped_object(budget_list(user=request.user), request.user, action, pk=budget_id)


def scoped_grant(request: HttpRequest, grant_id: int, action: str = "view") -> Grant:
    return get_scoped_object(grant_list(user=request.user), request.user, action, pk=grant_id)


def scoped_asset(request: HttpRequest, asset_id: int, action: str = "view") -> Asset:
    return get_scoped_object(asset_list(user=request.user), request.user, action, pk=asset_id)


def scoped_regulation(request: HttpRequest, regulation_id: int) -> Regulation:
    return get_scoped_object(
        regulation_list(user=request.user).prefetch_related("articles"), request.user, pk=regulation_id
    )


def region_or_422(code: str | None) -> Region | None:
    if not code:
        return None
    region = Region.objects.filter(code=code).first()
    if region is None:
        raise ValidationError({"region_code": [_("Kode wilayah %(c)s tidak ada.") % {"c": code}]})
    return region
