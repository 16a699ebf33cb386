"""API for products (staff, within scope) and the public marketplace (browse, checkout; no login)."""

# No `from __future__ import annotations` here: django-ninja reads these annotations at runtime.

import datetime as dt
from collections.abc import Sequence
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from posyantek.catalog.models import Sector, Ttg
from posyantek.core import ratelimit
from posyantek.core.api import ERRORS, ErrorOut, Pagination
from posyantek.core.lib.rupiah import format_rupiah
from posyantek.core.scoping import get_scoped_object
from posyantek.posts.models import Post
from posyantek.products import market, services
from posyantek.products.filters import MarketFilter, ProductFilter
from posyantek.products.models import Product
from posyantek.products.selectors import (
    add_places,
    maker_choices,
    market_product,
    market_products,
    product_list,
    ttg_choices,
    with_photos,
)

router = Router(tags=["Produk"])
public = Router(tags=["Pasar"], auth=None)

Id = int


# --- staff ---------------------------------------------------------------------------------------------------


class ProductOut(Schema):
    id: int
    post_id: int
    post_name: str
    region_code: str = Field(alias="region_id")
    kind: str
    ttg_id: int | None
    maker_id: int | None
    maker_name: str
    name: str
    description: str
    sector: str
    price: int = Field(description="Whole rupiah")
    unit: str
    made_to_order: bool
    stock: int = Field(description="Units on hand (0 and unused for made-to-order products)")
    lead_time_days: int | None
    capacity_per_month: int | None
    min_order: int
    weight_grams: int | None
    active: bool = Field(description="On sale in the public marketplace")
    version: int = Field(description="Send it back with a change; a stale one answers 409")
    created: dt.datetime
    updated: dt.datetime

    @staticmethod
    def resolve_post_name(obj: Product) -> str:
        return obj.post.name


class ProductIn(Schema):
    post_id: Id = Field(ge=1, le=2**62)
    name: str = Field(min_length=1, max_length=200)
    kind: Product.Kind = Product.Kind.TTG
    sector: Sector | None = None
    ttg_id: Id | None = Field(None, ge=1, le=2**62, description="A TTG of the post's catalogue, or a published one")
    maker_id: Id | None = Field(None, ge=1, le=2**62, description="A person of a post you work for")
    maker_name: str = Field("", max_length=200)
    description: str = Field("", max_length=5000)
    price: int = Field(ge=1, le=10**12, description="Whole rupiah, at least 1")
    unit: str = Field("unit", min_length=1, max_length=30)
    made_to_order: bool = False
    stock: int = Field(0, ge=0, le=services.MAX_STOCK, description="Initial stock of a stocked product")
    lead_time_days: int | None = Field(None, ge=1, le=services.MAX_LEAD_DAYS,
                                       description="Required for a made-to-order product")  # fmt: skip
    capacity_per_month: int | None = Field(None, ge=1, le=services.MAX_CAPACITY)
    min_order: int = Field(1, ge=1, le=services.MAX_MIN_ORDER)
    weight_grams: int | None = Field(None, ge=1, le=services.MAX_WEIGHT_GRAMS)
    active: bool = True


class ProductPatch(Schema):
    version: int | None = Field(None, description="The version you read; a stale one answers 409")
    post_id: Id | None = Field(None, ge=1, le=2**62)
    name: str | None = Field(None, min_length=1, max_length=200)
    kind: Product.Kind | None = None
    sector: Sector | None = None
    ttg_id: Id | None = Field(None, ge=1, le=2**62)
    maker_id: Id | None = Field(None, ge=1, le=2**62)
    maker_name: str | None = Field(None, max_length=200)
    description: str | None = Field(None, max_length=5000)
    price: int | None = Field(None, ge=1, le=10**12)
    unit: str | None = Field(None, min_length=1, max_length=30)
    made_to_order: bool | None = None
    lead_time_days: int | None = Field(None, ge=1, le=services.MAX_LEAD_DAYS)
    capacity_per_month: int | None = Field(None, ge=1, le=services.MAX_CAPACITY)
    min_order: int | None = Field(None, ge=1, le=services.MAX_MIN_ORDER)
    weight_grams: int | None = Field(None, ge=1, le=services.MAX_WEIGHT_GRAMS)
    active: bool | None = None


class StockIn(Schema):
    kind: services.StockKind = Field(description="tambah: units that came in; koreksi: the stock counted")
    quantity: int = Field(ge=0, le=services.MAX_STOCK)
    reason: str = Field(max_length=200, description="Why (at least 3 characters); kept in the history")


class StaffFilterIn(Schema):
    q: str | None = Field(None, max_length=100, description="Words of the name, description or maker")
    post_id: Id | None = Field(None, ge=1, le=2**62, description="A post you may see; another answers 404")
    kind: Product.Kind | None = None
    sector: Sector | None = None
    active: bool | None = None
    made_to_order: bool | None = None
    in_stock: bool | None = Field(None, description="true: made to order or stock > 0; false: stocked and at 0")


def _refs(request: HttpRequest, data: dict[str, Any], product: Product | None = None) -> dict[str, Any]:
    """Turn ids into objects the user may use (the service re-checks them)."""
    if "post_id" in data:
        data["post"] = Post.objects.for_user(request.user, "view").filter(pk=data.pop("post_id")).first()
        if data["post"] is None:
            raise ValidationError({"post": [_("Pos tidak ditemukan atau di luar cakupan Anda.")]})
    if "ttg_id" in data:
        ttg_id = data.pop("ttg_id")
        data["ttg"] = ttg_choices(request.user, keep=product.ttg_id if product else None).filter(pk=ttg_id).first() \
            if ttg_id else None  # fmt: skip
        if ttg_id and data["ttg"] is None:
            raise ValidationError({"ttg": [_("TTG tidak ditemukan di katalog pos Anda atau katalog publik.")]})
    if "maker_id" in data:
        maker_id = data.pop("maker_id")
        keep = product.maker_id if product else None
        data["maker"] = maker_choices(request.user, keep=keep).filter(pk=maker_id).first() if maker_id else None
        if maker_id and data["maker"] is None:
            raise ValidationError({"maker": [_("Pembuat ini di luar cakupan Anda.")]})
    if "sector" in data:
        data["sector"] = data["sector"] or ""
    return data


def _one(request: HttpRequest, pk: int) -> Product:
    return product_list(user=request.user).get(pk=pk)


def _bool(value: bool | None) -> str | None:
    return None if value is None else ("true" if value else "false")


@router.get("", response={200: list[ProductOut], **ERRORS}, url_name="product-list")
@paginate(Pagination)
def product_list_api(request: HttpRequest, filters: Query[StaffFilterIn]) -> Any:
    """List the products you may see, on sale or not."""
    f = filters
    params = {"q": f.q, "post": f.post_id, "kind": f.kind, "sector": f.sector, "active": _bool(f.active),
              "made_to_order": _bool(f.made_to_order), "in_stock": _bool(f.in_stock)}  # fmt: skip
    fs = ProductFilter({k: v for k, v in params.items() if v is not None},
                       queryset=product_list(user=request.user).order_by("pk"), request=request)  # fmt: skip
    if not fs.is_valid():
        if "post" in fs.errors:
            raise Http404
        raise ValidationError(fs.errors)
    return fs.qs


@router.get("/{product_id}", response={200: ProductOut, **ERRORS}, url_name="product-detail")
def product_get_api(request: HttpRequest, product_id: Id) -> Any:
    """One product; 404 outside your scope."""
    return get_scoped_object(product_list(user=request.user), request.user, pk=product_id)


@router.post("", response={201: ProductOut, **ERRORS}, url_name="product-create")
def product_create_api(request: HttpRequest, payload: ProductIn) -> Any:
    """Record a product of a post you work for (post staff and above)."""
    product = services.product_create(actor=request.user, data=_refs(request, payload.dict()))
    return Status(201, _one(request, product.pk))


@router.patch("/{product_id}", response={200: ProductOut, 409: ErrorOut, **ERRORS}, url_name="product-update")
def product_update_api(request: HttpRequest, product_id: Id, payload: ProductPatch) -> Any:
    """Change a product you may edit (not its stock: see /stock); a stale `version` answers 409."""
    product = get_scoped_object(product_list(user=request.user), request.user, "edit", pk=product_id)
    data = payload.dict(exclude_unset=True)
    version = data.pop("version", None)
    for text in ("maker_name", "description"):
        if text in data and data[text] is None:
            data[text] = ""
    try:
        services.product_update(actor=request.user, product=product, data=_refs(request, data, product),
                                version=version)  # fmt: skip
    except ValidationError as exc:
        if getattr(exc, "code", None) == "stale":
            return Status(409, {"detail": exc.messages[0]})
        raise
    return _one(request, product_id)


@router.post("/{product_id}/stock", response={200: ProductOut, **ERRORS}, url_name="product-stock")
def product_stock_api(request: HttpRequest, product_id: Id, payload: StockIn) -> Any:
    """Add units that came in (`tambah`) or set the counted stock (`koreksi`), with a reason; never below zero."""
    product = get_scoped_object(product_list(user=request.user), request.user, "edit", pk=product_id)
    services.product_stock_adjust(actor=request.user, product=product, kind=payload.kind,
                                  quantity=payload.quantity, reason=payload.reason)  # fmt: skip
    return _one(request, product_id)


# --- public: the marketplace ---------------------------------------------------------------------------------


class PublicPostOut(Schema):
    name: str
    slug: str
    city: str = Field(description="Its kabupaten/kota")
    province: str
    profile_url: str


class PhotoOut(Schema):
    url: str
    thumbnail_url: str
    caption: str


class PublicProductOut(Schema):
    """A product on sale, as the marketplace shows it: no internal ids, stock history, capacity or version."""

    id: int
    name: str
    description: str
    kind: str
    sector: str
    price: int = Field(description="Whole rupiah")
    price_text: str = Field(description="e.g. Rp 1.250.000")
    unit: str
    made_to_order: bool
    lead_time_days: int | None = Field(description="Made to order: about how many days")
    stock: int | None = Field(description="Units on hand; null for made-to-order products")
    available: bool = Field(description="Can be ordered now (made to order, or stock ≥ minimum order)")
    min_order: int
    weight_grams: int | None
    maker_name: str
    post: PublicPostOut
    ttg_url: str | None = Field(description="Its record in the public TTG catalogue, if any")
    photos: list[PhotoOut]
    url: str

    @staticmethod
    def resolve_price_text(obj: Product) -> str:
        return format_rupiah(obj.price)

    @staticmethod
    def resolve_stock(obj: Product) -> int | None:
        return None if obj.made_to_order else obj.stock

    @staticmethod
    def resolve_post(obj: Product) -> dict[str, Any]:
        p = obj.post
        return {"name": p.name, "slug": p.slug, "city": getattr(obj, "city", ""),
                "province": getattr(obj, "province", ""), "profile_url": p.get_public_url()}  # fmt: skip

    @staticmethod
    def resolve_ttg_url(obj: Product) -> str | None:
        ttg = obj.ttg if obj.ttg_id else None
        return ttg.get_public_url() if ttg is not None and ttg.publication == Ttg.Publication.PUBLISHED else None

    @staticmethod
    def resolve_photos(obj: Product) -> list[dict[str, Any]]:
        return [{"url": reverse("pasar:photo", args=[ph.pk, "besar"]),
                 "thumbnail_url": reverse("pasar:photo", args=[ph.pk, "kecil"]), "caption": ph.caption}
                for ph in obj.photos.all()]  # fmt: skip

    @staticmethod
    def resolve_url(obj: Product) -> str:
        return obj.get_public_url()


class MarketFilterIn(Schema):
    q: str | None = Field(None, max_length=200, description="Words of the name, description, maker or post")
    sector: Sector | None = None
    province: str | None = Field(None, max_length=2, description="Province code of the post, e.g. 33")
    post: str | None = Field(None, max_length=160, description="The post's slug")
    sort: Literal["harga", "-harga", "terbaru"] | None = Field(None, description="Default: by name")


class WithPlaces(Sequence[Product]):
    """A page of products with their post's kabupaten/kota and province named (one query per page)."""

    def __init__(self, qs: QuerySet[Product]) -> None:
        self.qs = qs

    def __len__(self) -> int:
        return self.qs.count()

    def __getitem__(self, index: Any) -> Any:
        rows = list(self.qs[index]) if isinstance(index, slice) else [self.qs[index]]
        add_places(rows)
        return rows if isinstance(index, slice) else rows[0]


@public.get("", response={200: list[PublicProductOut], 422: ErrorOut}, url_name="pasar-list")
@paginate(Pagination)
def market_list_api(request: HttpRequest, filters: Query[MarketFilterIn]) -> Any:
    """Products on sale, of every post: search, filter by sector, province or post, sort by price."""
    params = {k: v for k, v in filters.dict().items() if v}
    fs = MarketFilter(params, queryset=with_photos(market_products().select_related("ttg")))
    if not fs.is_valid():
        raise ValidationError(fs.errors)
    return WithPlaces(fs.qs)


class CheckoutItemIn(Schema):
    product_id: Id = Field(ge=1, le=2**62)
    quantity: int = Field(ge=1, le=market.MAX_QUANTITY)


class CheckoutIn(Schema):
    items: list[CheckoutItemIn] = Field(min_length=1, max_length=market.MAX_LINES)
    name: str = Field("", max_length=200)
    phone: str = Field("", max_length=30, description="Indonesian mobile number (WhatsApp), e.g. 0812-3456-7890")
    email: str = Field("", max_length=254)
    institution: str = Field("", max_length=200)
    address: str = Field("", max_length=1000)
    region_code: str = Field("", max_length=13, description="Kabupaten/kota (or kecamatan/desa) code, e.g. 73.71")
    note: str = Field("", max_length=2000)


class PlacedItemOut(Schema):
    name: str
    unit: str
    quantity: int
    unit_price: int
    line_total: int


class PlacedOrderOut(Schema):
    code: str
    post_name: str
    post_slug: str
    total: int = Field(description="Whole rupiah, without shipping")
    total_text: str
    items: list[PlacedItemOut]
    tracking_url: str
    out_of_region: bool = Field(description="luar daerah: the buyer is outside the post's kabupaten/kota")
    out_of_province: bool = Field(description="luar provinsi")
    whatsapp_url: str | None = Field(description="Click-to-chat with the post, when it has a mobile number")


class CheckoutOut(Schema):
    orders: list[PlacedOrderOut]
    total: int


@public.post("/checkout", response={201: CheckoutOut, 409: ErrorOut, 422: ErrorOut, 429: ErrorOut},
             url_name="pasar-checkout")  # fmt: skip
def checkout_api(request: HttpRequest, payload: CheckoutIn) -> Any:
    """Order products of one or more posts: one order per post. 409 when a product is out of stock (nothing is
    ordered then), 422 with field errors, 429 after too many checkouts from one address."""
    data = payload.dict()
    lines = [(i["product_id"], i["quantity"]) for i in data.pop("items")]
    try:
        orders = market.checkout(ip=ratelimit.client_ip(request), lines=lines, buyer=data)
    except market.RateLimited as exc:
        return Status(429, {"detail": exc.message})
    except ValidationError as exc:
        if getattr(exc, "code", None) == "out_of_stock":
            return Status(409, {"detail": " ".join(exc.messages)})
        return Status(422, {"detail": exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}})
    out = []
    for p in market.placed(orders, request.build_absolute_uri):
        o = p.order
        out.append({"code": o.code, "post_name": o.post.name, "post_slug": o.post.slug, "total": o.total,
                    "total_text": format_rupiah(o.total), "tracking_url": p.tracking_url,
                    "out_of_region": o.out_of_region, "out_of_province": o.out_of_province,
                    "whatsapp_url": p.whatsapp_url,
                    "items": [{"name": i.name, "unit": i.unit, "quantity": i.quantity, "unit_price": i.unit_price,
                               "line_total": i.line_total} for i in p.items]})  # fmt: skip
    return Status(201, {"orders": out, "total": sum(o.total for o in orders)})


# After /checkout: Django tries the paths in order, and `{product_id}` would take "checkout" (405 on POST).
@public.get("/{product_id}", response={200: PublicProductOut, 404: ErrorOut, 422: ErrorOut},
            url_name="pasar-detail")  # fmt: skip
def market_detail_api(request: HttpRequest, product_id: Id) -> Any:
    """One product on sale; 404 when it is not (or no longer) sold."""
    product = market_product(product_id)
    if product is None:
        raise Http404
    add_places([product])
    return product
