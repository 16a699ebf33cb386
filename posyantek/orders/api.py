"""API for orders, their steps, payments and documents; and a public status by order code.

The same services and scoping as the pages: out of scope → 404, role too low → 403, bad input → 422 with Indonesian
messages per field, an edit based on an old `version` → 409.
"""

# No `from __future__ import annotations` here: django-ninja reads these annotations at runtime.
import datetime as dt
from typing import Annotated, Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from posyantek.core import ratelimit
from posyantek.core.api import ERRORS, ErrorOut, Pagination
from posyantek.core.scoping import get_scoped_object
from posyantek.exhibitions.models import Exhibition
from posyantek.network.models import Agent
from posyantek.orders import services, workflow
from posyantek.orders.filters import OrderFilter
from posyantek.orders.models import Order, OrderDocument, Payment
from posyantek.orders.pdf import PdfUnavailable, document_pdf, pdf_filename
from posyantek.orders.public_views import TRACK_LIMIT, TRACK_SECONDS
from posyantek.orders.selectors import order_by_code_unscoped, order_list, order_progress, public_steps
from posyantek.posts.models import Post

router = Router(tags=["Pesanan"])

Id = Annotated[int, Field(ge=1, le=2**62)]
Money = Annotated[int, Field(ge=0, le=10**13)]
#: Errors of writes that carry a version: a stale one is a conflict.
WRITE_ERRORS = {**ERRORS, 409: ErrorOut}
PUBLIC_ERRORS = {404: ErrorOut, 422: ErrorOut, 429: ErrorOut}


class ItemOut(Schema):
    id: int
    product_id: int | None
    name: str
    unit: str
    quantity: int
    unit_price: int
    line_total: int
    made_to_order: bool


class OrderOut(Schema):
    """An order as staff see it. Money in whole rupiah."""

    id: int
    code: str
    post_id: int
    state: str
    allowed_next: list[str] = Field(description="The states this order may move to next")
    channel: str
    agent_id: int | None
    exhibition_id: int | None
    buyer_name: str
    buyer_phone: str = Field(description="Normalised as 628…")
    buyer_email: str
    buyer_institution: str
    buyer_address: str
    buyer_region_code: str | None = Field(alias="buyer_region_id")
    buyer_province_code: str
    out_of_region: bool = Field(description="Buyer outside the post's kabupaten/kota (luar daerah)")
    out_of_province: bool
    buyer_note: str
    ordered_at: dt.datetime
    confirmed_at: dt.datetime | None
    sale_date: dt.date | None
    subtotal: int
    shipping_cost: int
    discount: int
    total: int
    down_payment: int
    paid_total: int
    balance: int
    lead_time_days: int | None
    commission: int
    quote_revision: int
    delivery: str
    courier: str
    tracking_number: str
    shipped_at: dt.datetime | None
    internal_note: str
    version: int
    tracking_url: str
    items: list[ItemOut]

    @staticmethod
    def resolve_allowed_next(obj: Order) -> list[str]:
        return list(workflow.allowed_next(obj))

    @staticmethod
    def resolve_tracking_url(obj: Order) -> str:
        return obj.get_tracking_url()

    @staticmethod
    def resolve_items(obj: Order) -> list[Any]:
        return list(obj.items.all())


class BuyerIn(Schema):
    name: str = Field(max_length=200)
    phone: str = Field("", max_length=30, description="08…, +628… or 628…")
    email: str = Field("", max_length=254)
    institution: str = Field("", max_length=200)
    address: str = Field("", max_length=2000)
    region_code: str = Field(max_length=13, description="Kabupaten/kota or finer, e.g. 73.71")
    note: str = Field("", max_length=2000)


class ItemIn(Schema):
    product_id: Id | None = Field(None, description="A product of the order's post; or leave empty and give a name")
    name: str = Field("", max_length=200)
    quantity: int = Field(ge=-(10**9), le=10**9, description="1 to 10.000")
    unit_price: Money | None = Field(None, description="Empty: the product's price")
    unit: str = Field("", max_length=30)
    made_to_order: bool = False


class OrderIn(Schema):
    """An order taken at a post you work for (walk-in, WhatsApp, agent, exhibition…)."""

    post_id: Id
    channel: Order.Channel = Field(description="Any channel but `pasar` (the public checkout's)")
    buyer: BuyerIn
    items: list[ItemIn] = Field(max_length=50)
    agent_id: Id | None = None
    exhibition_id: Id | None = None
    delivery: Order.Delivery = Order.Delivery.SHIP
    internal_note: str = Field("", max_length=2000)
    ordered_at: dt.datetime | None = Field(None, description="Now when empty; without an offset, local time (WIB)")


class OrderPatch(Schema):
    version: int | None = Field(None, description="The version you read; a stale one answers 409")
    name: str | None = Field(None, max_length=200)
    phone: str | None = Field(None, max_length=30)
    email: str | None = Field(None, max_length=254)
    institution: str | None = Field(None, max_length=200)
    address: str | None = Field(None, max_length=2000)
    region_code: str | None = Field(None, max_length=13)
    note: str | None = Field(None, max_length=2000)
    delivery: Order.Delivery | None = None
    channel: Order.Channel | None = None
    agent_id: Id | None = None
    exhibition_id: Id | None = None
    internal_note: str | None = Field(None, max_length=2000)


class ItemsIn(Schema):
    version: int | None = Field(None, description="The version you read; a stale one answers 409")
    items: list[ItemIn] = Field(max_length=50)


class PriceIn(Schema):
    item_id: Id
    unit_price: Money


class ConfirmIn(Schema):
    version: int | None = Field(None, description="The version you read; a stale one answers 409")
    prices: list[PriceIn] = Field(default_factory=list, max_length=50, description="Agreed prices; others stay")
    shipping_cost: Money = 0
    discount: Money = 0
    down_payment: Money = Field(0, description="At most the total")
    lead_time_days: int | None = Field(None, ge=0, le=730, description="Needed with made-to-order items")
    note: str = Field("", max_length=300)


class TransitionIn(Schema):
    state: Order.State
    version: int | None = Field(None, description="The version you read; a stale one answers 409")
    note: str = Field("", max_length=300, description="Needed to cancel, return or record a warranty service")
    courier: str = Field("", max_length=100, description="For dikirim (delivery to an address)")
    tracking_number: str = Field("", max_length=100, description="For dikirim (delivery to an address)")
    address: str = Field("", max_length=2000, description="For dikirim, when the order has no address yet")


class NewQuoteIn(Schema):
    version: int | None = Field(None, description="The version you read; a stale one answers 409")
    reason: str = Field(max_length=250)


class StepOut(Schema):
    from_state: str
    state: str
    at: dt.datetime
    actor_id: int | None
    note: str


class PaymentIn(Schema):
    amount: int = Field(ge=-(10**13), le=10**13, description="Whole rupiah, 1 to the balance")
    kind: Payment.Kind
    method: Payment.Method
    paid_on: dt.date | None = Field(None, description="Today when empty")
    reference: str = Field("", max_length=100)


class PaymentOut(Schema):
    id: int
    kind: str
    method: str
    amount: int
    paid_on: dt.date
    reference: str
    recorded_by_id: int | None
    created: dt.datetime


class DocumentIn(Schema):
    kind: OrderDocument.Kind = Field(description="penawaran (while quoting) or faktur (once confirmed)")


class DocumentOut(Schema):
    id: int
    kind: str
    number: str
    year: int
    seq: int
    issued_at: dt.datetime
    issued_by_id: int | None
    total: int
    content: dict[str, Any] = Field(description="What the document says, frozen when issued")
    pdf_url: str

    @staticmethod
    def resolve_pdf_url(obj: OrderDocument) -> str:
        return reverse("api:order-document-pdf", args=[obj.order_id, obj.pk])


class FilterIn(Schema):
    q: str | None = Field(None, max_length=100)
    state: Order.State | None = None
    channel: Order.Channel | None = None
    post: Id | None = None
    out_of_region: bool | None = None
    out_of_province: bool | None = None
    province: str | None = Field(None, max_length=2, description="Two-digit province code of the buyer")
    ordered_from: dt.date | None = None
    ordered_to: dt.date | None = None


class PublicItemOut(Schema):
    name: str
    unit: str
    quantity: int
    unit_price: int
    line_total: int


class StageOut(Schema):
    state: str
    label: str
    at: dt.datetime | None
    done: bool
    current: bool


class PublicOrderOut(Schema):
    """What anyone holding the code may see: no buyer's phone or address, no internal notes."""

    code: str
    post_name: str
    state: str
    state_label: str
    ordered_at: dt.datetime
    items: list[PublicItemOut]
    subtotal: int
    shipping_cost: int
    discount: int
    total: int
    paid_total: int
    balance: int
    delivery: str
    courier: str
    tracking_number: str
    shipped_at: dt.datetime | None
    progress: list[StageOut]


def _one(request: HttpRequest, pk: int) -> Order:
    return order_list(user=request.user).prefetch_related("items").get(pk=pk)


def _edit(request: HttpRequest, order_id: int) -> Order:
    return get_scoped_object(order_list(user=request.user), request.user, "edit", pk=order_id)


def _stale_or_raise(exc: ValidationError) -> Any:
    """Answer 409 for an edit based on an old version; any other refusal stays a 422."""
    if getattr(exc, "code", None) == "stale":
        return Status(409, {"detail": exc.messages[0]})
    raise exc


def _pick(request: HttpRequest, model: Any, pk: int | None, field: str) -> Any:
    """Return an agent or exhibition you may see, or a field error (the service checks it is the post's own)."""
    if pk is None:
        return None
    found = model.objects.for_user(request.user, "view").filter(pk=pk).first()
    if found is None:
        raise ValidationError({field: [gettext("Tidak ditemukan atau di luar cakupan Anda.")]})
    return found


def _items(payload_items: list[ItemIn]) -> list[dict[str, Any]]:
    return [{"product": i.product_id, "name": i.name, "quantity": i.quantity, "unit_price": i.unit_price,
             "unit": i.unit, "made_to_order": i.made_to_order} for i in payload_items]  # fmt: skip


@router.get("/orders", response={200: list[OrderOut], **ERRORS}, url_name="order-list")
@paginate(Pagination)
def order_list_api(request: HttpRequest, filters: Query[FilterIn]) -> Any:
    """List the orders you may see, newest first; the same filters as the page."""
    params = {k: (str(v).lower() if isinstance(v, bool) else v) for k, v in filters.dict().items() if v is not None}
    if "post" in params and not Post.objects.for_user(request.user, "view").filter(pk=params["post"]).exists():
        raise Http404
    qs = order_list(user=request.user).prefetch_related("items").order_by("-ordered_at", "-pk")
    return OrderFilter(params, queryset=qs, request=request).qs


@router.get("/orders/{order_id}", response={200: OrderOut, **ERRORS}, url_name="order-detail")
def order_get_api(request: HttpRequest, order_id: Id) -> Any:
    """One order with its items; 404 outside your scope."""
    return get_scoped_object(order_list(user=request.user).prefetch_related("items"), request.user, "view",
                             pk=order_id)  # fmt: skip


@router.post("/orders", response={201: OrderOut, **ERRORS}, url_name="order-create")
def order_create_api(request: HttpRequest, payload: OrderIn) -> Any:
    """Record an order at a post you work for; products must be the post's own. Stock is taken."""
    post = get_scoped_object(Post.objects.for_user(request.user, "view"), request.user, "edit", pk=payload.post_id)
    order = services.order_create(
        actor=request.user, post=post, channel=payload.channel, buyer=payload.buyer.dict(),
        items=_items(payload.items), agent=_pick(request, Agent, payload.agent_id, "agent"),
        exhibition=_pick(request, Exhibition, payload.exhibition_id, "exhibition"), delivery=payload.delivery,
        internal_note=payload.internal_note, ordered_at=payload.ordered_at,
    )  # fmt: skip
    return Status(201, _one(request, order.pk))


@router.patch("/orders/{order_id}", response={200: OrderOut, **WRITE_ERRORS}, url_name="order-update")
def order_update_api(request: HttpRequest, order_id: Id, payload: OrderPatch) -> Any:
    """Correct the buyer, delivery, channel, agent or exhibition; a stale `version` answers 409."""
    order = _edit(request, order_id)
    data = payload.dict(exclude_unset=True)
    version = data.pop("version", None)
    if "agent_id" in data:
        data["agent"] = _pick(request, Agent, data.pop("agent_id"), "agent")
    if "exhibition_id" in data:
        data["exhibition"] = _pick(request, Exhibition, data.pop("exhibition_id"), "exhibition")
    for key in ("channel", "delivery"):  # null means "leave as it is"
        if data.get(key, "") is None:
            del data[key]
    for key in ("name", "phone", "email", "institution", "address", "region_code", "note", "internal_note"):
        if key in data and data[key] is None:
            data[key] = ""  # null empties a text (the service says when it may not be empty)
    try:
        services.order_update(actor=request.user, order=order, data=data, version=version)
    except ValidationError as exc:
        return _stale_or_raise(exc)
    return _one(request, order_id)


@router.put("/orders/{order_id}/items", response={200: OrderOut, **WRITE_ERRORS}, url_name="order-items")
def order_items_api(request: HttpRequest, order_id: Id, payload: ItemsIn) -> Any:
    """Replace the items of an order still being quoted; after confirmation this answers 422 (make a new quote)."""
    order = _edit(request, order_id)
    try:
        services.order_set_items(actor=request.user, order=order, items=_items(payload.items),
                                 version=payload.version)  # fmt: skip
    except ValidationError as exc:
        return _stale_or_raise(exc)
    return _one(request, order_id)


@router.post("/orders/{order_id}/confirm", response={200: OrderOut, **WRITE_ERRORS}, url_name="order-confirm")
def order_confirm_api(request: HttpRequest, order_id: Id, payload: ConfirmIn) -> Any:
    """Confirm the deal: agreed prices, shipping, discount, down payment (at most the total) and lead time."""
    order = _edit(request, order_id)
    try:
        services.order_confirm(
            actor=request.user, order=order, version=payload.version, shipping_cost=payload.shipping_cost,
            discount=payload.discount, down_payment=payload.down_payment, lead_time_days=payload.lead_time_days,
            prices={p.item_id: p.unit_price for p in payload.prices}, note=payload.note,
        )  # fmt: skip
    except ValidationError as exc:
        return _stale_or_raise(exc)
    return _one(request, order_id)


@router.post("/orders/{order_id}/transitions", response={200: OrderOut, **WRITE_ERRORS}, url_name="order-transition")
def order_transition_api(request: HttpRequest, order_id: Id, payload: TransitionIn) -> Any:
    """Move an order one step along; a skipped step answers 422 naming the allowed ones, a stale version 409."""
    order = _edit(request, order_id)
    details = (
        {}
        if payload.state == Order.State.CONFIRMED
        else {"courier": payload.courier, "tracking_number": payload.tracking_number, "address": payload.address}
    )
    try:
        services.order_advance(actor=request.user, order=order, state=payload.state, note=payload.note,
                               version=payload.version, **details)  # fmt: skip
    except ValidationError as exc:
        return _stale_or_raise(exc)
    return _one(request, order_id)


@router.post("/orders/{order_id}/new-quote", response={200: OrderOut, **WRITE_ERRORS}, url_name="order-new-quote")
def order_new_quote_api(request: HttpRequest, order_id: Id, payload: NewQuoteIn) -> Any:
    """Reopen a confirmed order (not yet ready) for new prices or items, with a reason."""
    order = _edit(request, order_id)
    try:
        services.order_new_quote(actor=request.user, order=order, reason=payload.reason, version=payload.version)
    except ValidationError as exc:
        return _stale_or_raise(exc)
    return _one(request, order_id)


@router.get("/orders/{order_id}/steps", response={200: list[StepOut], **ERRORS}, url_name="order-steps")
def order_steps_api(request: HttpRequest, order_id: Id) -> Any:
    """Every step of an order: from, to, who, when, note."""
    order = get_scoped_object(order_list(user=request.user), request.user, "view", pk=order_id)
    return list(order.steps.all())


@router.get("/orders/{order_id}/payments", response={200: list[PaymentOut], **ERRORS}, url_name="order-payment-list")
def payment_list_api(request: HttpRequest, order_id: Id) -> Any:
    """The payments of an order, oldest first."""
    order = get_scoped_object(order_list(user=request.user), request.user, "view", pk=order_id)
    return list(Payment.objects.for_user(request.user, "view").filter(order=order))


@router.post("/orders/{order_id}/payments", response={201: PaymentOut, **ERRORS}, url_name="order-payment-create")
def payment_create_api(request: HttpRequest, order_id: Id, payload: PaymentIn) -> Any:
    """Record a payment of a confirmed order: at least Rp 1, at most the balance (else 422)."""
    order = _edit(request, order_id)
    payment = services.payment_record(actor=request.user, order=order, **payload.dict())
    return Status(201, payment)


@router.get("/orders/{order_id}/documents", response={200: list[DocumentOut], **ERRORS}, url_name="order-document-list")
def document_list_api(request: HttpRequest, order_id: Id) -> Any:
    """The quotes and invoices of an order, with their numbers and frozen content."""
    order = get_scoped_object(order_list(user=request.user), request.user, "view", pk=order_id)
    return list(OrderDocument.objects.for_user(request.user, "view").filter(order=order))


@router.post("/orders/{order_id}/documents", response={201: DocumentOut, **ERRORS}, url_name="order-document-issue")
def document_issue_api(request: HttpRequest, order_id: Id, payload: DocumentIn) -> Any:
    """Issue a quote (while quoting) or an invoice (once confirmed) with the next number of the post and year."""
    order = _edit(request, order_id)
    return Status(201, services.document_issue(actor=request.user, order=order, kind=payload.kind))


PDF_RESPONSE = {"responses": {200: {"description": "The document as PDF", "content": {
    "application/pdf": {"schema": {"type": "string", "format": "binary"}}}}}}  # fmt: skip


@router.get("/orders/{order_id}/documents/{document_id}/pdf", response={200: None, 503: ErrorOut, **ERRORS},
            url_name="order-document-pdf", openapi_extra=PDF_RESPONSE)  # fmt: skip
def document_pdf_api(request: HttpRequest, order_id: Id, document_id: Id) -> Any:
    """The document as PDF on the post's letterhead, as issued; 503 when this server cannot make PDFs."""
    order = get_scoped_object(order_list(user=request.user), request.user, "view", pk=order_id)
    doc = OrderDocument.objects.for_user(request.user, "view").select_related("post").filter(
        order=order, pk=document_id).first()  # fmt: skip
    if doc is None:
        raise Http404
    try:
        pdf = document_pdf(doc, request)
    except PdfUnavailable:
        return Status(503, {"detail": gettext("Dokumen PDF belum dapat dibuat di server ini.")})
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{pdf_filename(doc)}"'
    return response


# --- public (no login) ---------------------------------------------------------------------------------------


@router.get("/lacak/{code}", auth=None, response={200: PublicOrderOut, **PUBLIC_ERRORS}, url_name="order-track")
def order_track_api(request: HttpRequest, code: Annotated[str, Field(max_length=20)]) -> Any:
    """An order as its buyer may see it, by its code (no login); a wrong code answers 404."""
    if not ratelimit.allow(f"lacak:ip:{ratelimit.client_ip(request)}", limit=TRACK_LIMIT, per_seconds=TRACK_SECONDS):
        return Status(429, {"detail": gettext("Terlalu banyak pencarian kode pesanan dari alamat Anda. Tunggu 10 "
                                              "menit.")})  # fmt: skip
    order = order_by_code_unscoped(code)
    if order is None:
        raise Http404
    return {
        "code": order.code, "post_name": order.post.name, "state": order.state,
        "state_label": str(order.get_state_display()), "ordered_at": order.ordered_at,
        "items": [{"name": i.name, "unit": i.unit, "quantity": i.quantity, "unit_price": i.unit_price,
                   "line_total": i.line_total} for i in order.items.all()],
        "subtotal": order.subtotal, "shipping_cost": order.shipping_cost, "discount": order.discount,
        "total": order.total, "paid_total": order.paid_total, "balance": order.balance, "delivery": order.delivery,
        "courier": order.courier, "tracking_number": order.tracking_number, "shipped_at": order.shipped_at,
        "progress": [vars(s) for s in order_progress(order, public_steps(order))],
    }  # fmt: skip
