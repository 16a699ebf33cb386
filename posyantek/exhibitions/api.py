"""API for exhibitions and roadshows: events and their states, products taken, costs, leads, offers, the report."""

# No `from __future__ import annotations` here: django-ninja reads these annotations at runtime.

import datetime as dt
from typing import Any, Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from posyantek.core.api import ERRORS, Pagination
from posyantek.core.scoping import Action, get_scoped_object, rank_on_post
from posyantek.exhibitions import services
from posyantek.exhibitions.filters import ExhibitionFilter
from posyantek.exhibitions.models import (
    CooperationOffer,
    Exhibition,
    ExhibitionCost,
    ExhibitionProduct,
    Funding,
    Lead,
)
from posyantek.exhibitions.selectors import exhibition_list, exhibition_report
from posyantek.posts.models import Post
from posyantek.products.models import Product

router = Router(tags=["Pameran"])

# Literal choices, not the models' TextChoices: OpenAPI names an enum after its class, and other apps have their
# own `Kind`, `State` and `Status`, so one would overwrite the other in the schema.
EventKind = Literal[tuple(Exhibition.Kind.values)]  # type: ignore[valid-type]
EventLevel = Literal[tuple(Exhibition.Level.values)]  # type: ignore[valid-type]
EventState = Literal[tuple(Exhibition.State.values)]  # type: ignore[valid-type]
OfferStatus = Literal[tuple(CooperationOffer.Status.values)]  # type: ignore[valid-type]
FundingSource = Literal[tuple(Funding.values)]  # type: ignore[valid-type]


# --- Schemas --------------------------------------------------------------------------------------------------


class ExhibitionOut(Schema):
    id: int
    post_id: int
    name: str
    kind: EventKind
    level: EventLevel
    starts_on: dt.date
    ends_on: dt.date
    venue: str
    venue_region_code: str | None = Field(alias="venue_region_id")
    organiser: str
    state: EventState
    visitors: int
    report_text: str
    version: int


class ExhibitionIn(Schema):
    post_id: int = Field(ge=1, le=2**62)
    name: str = Field(min_length=1, max_length=200)
    kind: EventKind = "pameran"
    level: EventLevel
    starts_on: dt.date
    ends_on: dt.date | None = Field(None, description="Default: the start date")
    venue: str = Field("", max_length=300)
    venue_region_code: str | None = Field(None, max_length=13)
    organiser: str = Field("", max_length=200)


class ExhibitionPatch(Schema):
    version: int | None = Field(None, description="The version you read; a stale one answers 422")
    name: str | None = Field(None, min_length=1, max_length=200)
    kind: EventKind | None = None
    level: EventLevel | None = None
    starts_on: dt.date | None = None
    ends_on: dt.date | None = None
    venue: str | None = Field(None, max_length=300)
    venue_region_code: str | None = Field(None, max_length=13)
    organiser: str | None = Field(None, max_length=200)
    report_text: str | None = Field(None, max_length=20_000)


class ExhibitionStateIn(Schema):
    state: EventState = Field(description="The next state, or `dibatalkan`")
    note: str = Field("", max_length=300)
    version: int | None = None


class ExhibitionVisitorsIn(Schema):
    visitors: int = Field(ge=0, le=10_000_000)
    version: int | None = None


class ExhibitionFilterIn(Schema):
    q: str | None = Field(None, max_length=100)
    level: EventLevel | None = None
    kind: EventKind | None = None
    state: EventState | None = None
    year: int | None = Field(None, ge=1900, le=2200)
    post: int | None = Field(None, ge=1, le=2**62, description="Post id")


class ExhibitionProductOut(Schema):
    id: int
    product_id: int
    product_name: str
    quantity: int
    note: str

    @staticmethod
    def resolve_product_name(obj: ExhibitionProduct) -> str:
        return obj.product.name


class ExhibitionProductIn(Schema):
    product_id: int = Field(ge=1, le=2**62)
    quantity: int = Field(1, ge=1, le=100_000)
    note: str = Field("", max_length=200)


class ExhibitionProductPatch(Schema):
    quantity: int = Field(ge=1, le=100_000)
    note: str | None = Field(None, max_length=200)


class ExhibitionCostOut(Schema):
    id: int
    item: str
    amount: int = Field(description="Rupiah")
    funding_source: str


class ExhibitionCostIn(Schema):
    item: str = Field(min_length=1, max_length=200)
    amount: int = Field(ge=1, le=10**13, description="Whole rupiah")
    funding_source: FundingSource


class ExhibitionLeadOut(Schema):
    id: int
    name: str
    phone: str = Field(description="Indonesian mobile number as 628…, or empty")
    email: str
    institution: str
    region_code: str | None = Field(alias="region_id")
    product_id: int | None
    interest: str
    followed_up: bool
    order_id: int | None
    order_code: str | None

    @staticmethod
    def resolve_order_code(obj: Lead) -> str | None:
        return obj.order.code if obj.order_id else None


class ExhibitionLeadIn(Schema):
    name: str = Field(min_length=1, max_length=200)
    phone: str = Field("", max_length=20)
    email: str = Field("", max_length=254)
    institution: str = Field("", max_length=200)
    region_code: str | None = Field(None, max_length=13)
    product_id: int | None = Field(None, ge=1, le=2**62)
    interest: str = Field("", max_length=300)
    followed_up: bool = False
    order_code: str | None = Field(None, max_length=20, description="Code of an order of the same post")


class ExhibitionLeadPatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=200)
    phone: str | None = Field(None, max_length=20)
    email: str | None = Field(None, max_length=254)
    institution: str | None = Field(None, max_length=200)
    region_code: str | None = Field(None, max_length=13)
    product_id: int | None = Field(None, ge=1, le=2**62)
    interest: str | None = Field(None, max_length=300)
    followed_up: bool | None = None
    order_code: str | None = Field(None, max_length=20, description="Empty string unlinks the order")


class CooperationOfferOut(Schema):
    id: int
    partner: str
    description: str
    value: int = Field(description="Rupiah")
    status: OfferStatus


class CooperationOfferIn(Schema):
    partner: str = Field(min_length=1, max_length=200)
    description: str = Field("", max_length=5000)
    value: int = Field(0, ge=0, le=10**13, description="Whole rupiah")
    status: OfferStatus = "ditawarkan"


class CooperationOfferPatch(Schema):
    partner: str | None = Field(None, min_length=1, max_length=200)
    description: str | None = Field(None, max_length=5000)
    value: int | None = Field(None, ge=0, le=10**13)
    status: OfferStatus | None = None


class ExhibitionCostSumOut(Schema):
    label: str
    amount: int


class ExhibitionLeadCountOut(Schema):
    label: str
    count: int


class ExhibitionReportOut(Schema):
    exhibition_id: int
    visitors: int
    leads: int
    leads_followed: int
    follow_up_rate: int = Field(description="Percent of leads followed up")
    leads_by_province: list[ExhibitionLeadCountOut]
    orders: int = Field(description="Orders taken at the event, every state")
    orders_counted: int = Field(description="Of which confirmed and not cancelled or returned")
    transaction_value: int = Field(description="Sum of the counted orders' totals, rupiah")
    offers: int
    offers_value: int
    offers_agreed: int
    offers_agreed_value: int
    costs_by_source: list[ExhibitionCostSumOut]
    costs_total: int
    net: int = Field(description="Transaction value less costs, rupiah (may be negative)")
    products: list[ExhibitionProductOut]


# --- Helpers --------------------------------------------------------------------------------------------------


def _event(request: HttpRequest, exhibition_id: int, action: str = "view") -> Exhibition:
    return get_scoped_object(exhibition_list(user=request.user), request.user, action, pk=exhibition_id)


def _child(request: HttpRequest, model: Any, ex: Exhibition, pk: int) -> Any:
    return get_scoped_object(model.objects.for_user(request.user, "view").filter(exhibition=ex), request.user, "edit",
                             pk=pk)  # fmt: skip


def _product(request: HttpRequest, ex: Exhibition, product_id: int | None, field: str = "product") -> Any:
    if product_id is None:
        return None
    found = Product.objects.for_user(request.user, "view").filter(pk=product_id, post_id=ex.post_id).first()
    if found is None:
        raise ValidationError({field: [_("Produk tidak ditemukan di pos ini.")]})
    return found


def _event_data(request: HttpRequest, data: dict[str, Any]) -> dict[str, Any]:
    if "post_id" in data:
        data["post"] = Post.objects.for_user(request.user, "view").filter(pk=data.pop("post_id")).first()
        if data["post"] is None:
            raise ValidationError({"post": [_("Pos tidak ditemukan atau di luar cakupan Anda.")]})
    if "venue_region_code" in data:
        data["venue_region"] = (data.pop("venue_region_code") or "").strip() or None
    return data


def _lead_data(request: HttpRequest, ex: Exhibition, data: dict[str, Any]) -> dict[str, Any]:
    if "region_code" in data:
        data["region"] = (data.pop("region_code") or "").strip() or None
    if "product_id" in data:
        data["product"] = _product(request, ex, data.pop("product_id"))
    return data


# --- Events ---------------------------------------------------------------------------------------------------


@router.get("", response={200: list[ExhibitionOut], **ERRORS}, url_name="exhibition-list")
@paginate(Pagination)
def exhibition_list_api(request: HttpRequest, filters: Query[ExhibitionFilterIn]) -> Any:
    """List the exhibitions and roadshows you may see."""
    params = {k: v for k, v in filters.dict().items() if v is not None and v != ""}
    return ExhibitionFilter(params, queryset=exhibition_list(user=request.user), request=request).qs


@router.post("", response={201: ExhibitionOut, **ERRORS}, url_name="exhibition-create")
def exhibition_create_api(request: HttpRequest, payload: ExhibitionIn) -> Any:
    """Plan an event for a post you work for; a post you may only view answers 403."""
    data = _event_data(request, payload.dict())
    if rank_on_post(request.user, data["post"]) < Action.EDIT:
        raise PermissionDenied
    return Status(201, services.exhibition_create(actor=request.user, data=data))


@router.get("/{exhibition_id}", response={200: ExhibitionOut, **ERRORS}, url_name="exhibition-detail")
def exhibition_get_api(request: HttpRequest, exhibition_id: int) -> Any:
    """One event; 404 outside your scope."""
    return _event(request, exhibition_id)


@router.patch("/{exhibition_id}", response={200: ExhibitionOut, **ERRORS}, url_name="exhibition-update")
def exhibition_update_api(request: HttpRequest, exhibition_id: int, payload: ExhibitionPatch) -> Any:
    """Change an event's plan or report text; a stale `version` answers 422."""
    ex = _event(request, exhibition_id, "edit")
    data = {k: v for k, v in payload.dict(exclude_unset=True).items()
            if v is not None or k in ("version", "venue_region_code")}  # fmt: skip
    version = data.pop("version", None)
    return services.exhibition_update(actor=request.user, exhibition=ex, data=_event_data(request, data),
                                      version=version)  # fmt: skip


@router.post("/{exhibition_id}/state", response={200: ExhibitionOut, **ERRORS}, url_name="exhibition-advance")
def exhibition_advance_api(request: HttpRequest, exhibition_id: int, payload: ExhibitionStateIn) -> Any:
    """Move an event to its next state or cancel it; skipping a state or going back answers 422."""
    ex = _event(request, exhibition_id, "edit")
    return services.exhibition_advance(actor=request.user, exhibition=ex, state=payload.state, note=payload.note,
                                       version=payload.version)  # fmt: skip


@router.post("/{exhibition_id}/visitors", response={200: ExhibitionOut, **ERRORS}, url_name="exhibition-visitors")
def exhibition_visitors_api(request: HttpRequest, exhibition_id: int, payload: ExhibitionVisitorsIn) -> Any:
    """Record the stand visitors; before the event runs this answers 422."""
    ex = _event(request, exhibition_id, "edit")
    return services.exhibition_record_visitors(actor=request.user, exhibition=ex, visitors=payload.visitors,
                                               version=payload.version)  # fmt: skip


@router.get("/{exhibition_id}/report", response={200: ExhibitionReportOut, **ERRORS}, url_name="exhibition-report")
def exhibition_report_api(request: HttpRequest, exhibition_id: int) -> Any:
    """The event's report: visitors, leads and follow-up, orders and transaction value, offers, costs, net."""
    r = exhibition_report(user=request.user, exhibition=_event(request, exhibition_id), with_orders=False)
    return {
        "exhibition_id": exhibition_id, "visitors": r.visitors, "leads": r.leads, "leads_followed": r.leads_followed,
        "follow_up_rate": r.follow_up_rate,
        "leads_by_province": [{"label": name, "count": n} for name, n in r.leads_by_province],
        "orders": r.orders, "orders_counted": r.orders_counted, "transaction_value": r.transaction_value,
        "offers": r.offers, "offers_value": r.offers_value, "offers_agreed": r.offers_agreed,
        "offers_agreed_value": r.offers_agreed_value,
        "costs_by_source": [{"label": s, "amount": t} for s, t in r.costs_by_source],
        "costs_total": r.costs_total, "net": r.net, "products": r.products,
    }  # fmt: skip


# --- Products taken -------------------------------------------------------------------------------------------


@router.get(
    "/{exhibition_id}/products", response={200: list[ExhibitionProductOut], **ERRORS}, url_name="exhibition-products"
)
def product_list_api(request: HttpRequest, exhibition_id: int) -> Any:
    """The products taken to an event."""
    ex = _event(request, exhibition_id)
    return ExhibitionProduct.objects.for_user(request.user, "view").filter(exhibition=ex).select_related("product")


@router.post(
    "/{exhibition_id}/products", response={201: ExhibitionProductOut, **ERRORS}, url_name="exhibition-product-add"
)
def product_add_api(request: HttpRequest, exhibition_id: int, payload: ExhibitionProductIn) -> Any:
    """Take one of the post's own products to the event; another post's product answers 422."""
    ex = _event(request, exhibition_id, "edit")
    product = _product(request, ex, payload.product_id)
    return Status(201, services.product_add(actor=request.user, exhibition=ex, product=product,
                                            quantity=payload.quantity, note=payload.note))  # fmt: skip


@router.patch("/{exhibition_id}/products/{item_id}", response={200: ExhibitionProductOut, **ERRORS},
              url_name="exhibition-product-update")  # fmt: skip
def product_update_api(request: HttpRequest, exhibition_id: int, item_id: int, payload: ExhibitionProductPatch) -> Any:
    """Change how many units of a product are taken."""
    ex = _event(request, exhibition_id, "edit")
    item = _child(request, ExhibitionProduct, ex, item_id)
    return services.product_update(actor=request.user, item=item, quantity=payload.quantity, note=payload.note)


@router.delete("/{exhibition_id}/products/{item_id}", response={204: None, **ERRORS},
               url_name="exhibition-product-delete")  # fmt: skip
def product_delete_api(request: HttpRequest, exhibition_id: int, item_id: int) -> Any:
    """Take a product off the list (before the event is done)."""
    ex = _event(request, exhibition_id, "edit")
    services.product_remove(actor=request.user, item=_child(request, ExhibitionProduct, ex, item_id))
    return Status(204, None)


# --- Costs ----------------------------------------------------------------------------------------------------


@router.get("/{exhibition_id}/costs", response={200: list[ExhibitionCostOut], **ERRORS}, url_name="exhibition-costs")
def cost_list_api(request: HttpRequest, exhibition_id: int) -> Any:
    """The costs of an event and who paid them."""
    ex = _event(request, exhibition_id)
    return ExhibitionCost.objects.for_user(request.user, "view").filter(exhibition=ex)


@router.post("/{exhibition_id}/costs", response={201: ExhibitionCostOut, **ERRORS}, url_name="exhibition-cost-add")
def cost_add_api(request: HttpRequest, exhibition_id: int, payload: ExhibitionCostIn) -> Any:
    """Record a cost (whole rupiah) and its funding source."""
    ex = _event(request, exhibition_id, "edit")
    return Status(201, services.cost_add(actor=request.user, exhibition=ex, **payload.dict()))


@router.delete("/{exhibition_id}/costs/{cost_id}", response={204: None, **ERRORS}, url_name="exhibition-cost-delete")
def cost_delete_api(request: HttpRequest, exhibition_id: int, cost_id: int) -> Any:
    """Delete a cost recorded by mistake."""
    ex = _event(request, exhibition_id, "edit")
    services.cost_remove(actor=request.user, cost=_child(request, ExhibitionCost, ex, cost_id))
    return Status(204, None)


# --- Leads ----------------------------------------------------------------------------------------------------


@router.get("/{exhibition_id}/leads", response={200: list[ExhibitionLeadOut], **ERRORS}, url_name="exhibition-leads")
@paginate(Pagination)
def lead_list_api(request: HttpRequest, exhibition_id: int) -> Any:
    """The leads met at an event."""
    ex = _event(request, exhibition_id)
    return Lead.objects.for_user(request.user, "view").filter(exhibition=ex).select_related("order").order_by("pk")


@router.post("/{exhibition_id}/leads", response={201: ExhibitionLeadOut, **ERRORS}, url_name="exhibition-lead-add")
def lead_add_api(request: HttpRequest, exhibition_id: int, payload: ExhibitionLeadIn) -> Any:
    """Record a lead: a phone (Indonesian mobile) or an e-mail is needed; only once the event runs."""
    ex = _event(request, exhibition_id, "edit")
    data = _lead_data(request, ex, payload.dict())
    return Status(201, services.lead_add(actor=request.user, exhibition=ex, data=data))


@router.patch(
    "/{exhibition_id}/leads/{lead_id}", response={200: ExhibitionLeadOut, **ERRORS}, url_name="exhibition-lead-update"
)
def lead_update_api(request: HttpRequest, exhibition_id: int, lead_id: int, payload: ExhibitionLeadPatch) -> Any:
    """Change a lead: mark it followed up, or link the order it became (an order of the same post)."""
    ex = _event(request, exhibition_id, "edit")
    lead = _child(request, Lead, ex, lead_id)
    nullable = ("region_code", "product_id", "order_code")
    data = {k: v for k, v in payload.dict(exclude_unset=True).items() if v is not None or k in nullable}
    return services.lead_update(actor=request.user, lead=lead, data=_lead_data(request, ex, data))


@router.delete("/{exhibition_id}/leads/{lead_id}", response={204: None, **ERRORS}, url_name="exhibition-lead-delete")
def lead_delete_api(request: HttpRequest, exhibition_id: int, lead_id: int) -> Any:
    """Delete a lead recorded by mistake."""
    ex = _event(request, exhibition_id, "edit")
    services.lead_remove(actor=request.user, lead=_child(request, Lead, ex, lead_id))
    return Status(204, None)


# --- Cooperation offers ---------------------------------------------------------------------------------------


@router.get(
    "/{exhibition_id}/offers", response={200: list[CooperationOfferOut], **ERRORS}, url_name="exhibition-offers"
)
def offer_list_api(request: HttpRequest, exhibition_id: int) -> Any:
    """The cooperation offers received at an event."""
    ex = _event(request, exhibition_id)
    return CooperationOffer.objects.for_user(request.user, "view").filter(exhibition=ex)


@router.post("/{exhibition_id}/offers", response={201: CooperationOfferOut, **ERRORS}, url_name="exhibition-offer-add")
def offer_add_api(request: HttpRequest, exhibition_id: int, payload: CooperationOfferIn) -> Any:
    """Record a cooperation offer; only once the event runs."""
    ex = _event(request, exhibition_id, "edit")
    return Status(201, services.offer_add(actor=request.user, exhibition=ex, data=payload.dict()))


@router.patch("/{exhibition_id}/offers/{offer_id}", response={200: CooperationOfferOut, **ERRORS},
              url_name="exhibition-offer-update")  # fmt: skip
def offer_update_api(request: HttpRequest, exhibition_id: int, offer_id: int, payload: CooperationOfferPatch) -> Any:
    """Change an offer's value, description or status."""
    ex = _event(request, exhibition_id, "edit")
    offer = _child(request, CooperationOffer, ex, offer_id)
    data = {k: v for k, v in payload.dict(exclude_unset=True).items() if v is not None}
    return services.offer_update(actor=request.user, offer=offer, data=data)


@router.delete("/{exhibition_id}/offers/{offer_id}", response={204: None, **ERRORS},
               url_name="exhibition-offer-delete")  # fmt: skip
def offer_delete_api(request: HttpRequest, exhibition_id: int, offer_id: int) -> Any:
    """Delete an offer recorded by mistake."""
    ex = _event(request, exhibition_id, "edit")
    services.offer_remove(actor=request.user, offer=_child(request, CooperationOffer, ex, offer_id))
    return Status(204, None)
