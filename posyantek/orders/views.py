"""Staff pages of orders, under /pesanan/: list with exports, entry, the order with its steps, payments, documents."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from posyantek.core.exports import Table, export_response
from posyantek.core.htmx import render_page, wants_fragment
from posyantek.core.lib.phone import display_phone
from posyantek.core.lists import list_context
from posyantek.core.pagecache import cache_page_until_change
from posyantek.core.scoping import Action, get_scoped_object, user_can, user_grants
from posyantek.core.selectors import history_for
from posyantek.core.templatetags.fmt import waktu
from posyantek.orders import services, workflow
from posyantek.orders.filters import OrderFilter, province_choices
from posyantek.orders.forms import (
    AdvanceForm,
    ConfirmForm,
    DocumentForm,
    NewQuoteForm,
    OrderCreateForm,
    OrderEditForm,
    PaymentForm,
    add_errors,
    item_formset,
    item_initial,
    items_from,
)
from posyantek.orders.models import Order, OrderDocument
from posyantek.orders.pdf import document_response
from posyantek.orders.selectors import (
    order_documents,
    order_list,
    order_payments,
    order_progress,
    order_steps,
)
from posyantek.posts.models import Post

State = Order.State
EXPORT_HEADERS = [
    "Kode", "Dipesan", "Pos", "Saluran", "Tahap", "Pembeli", "Instansi", "Telepon", "E-mail", "Kode wilayah pembeli",
    "Wilayah pembeli", "Provinsi pembeli", "Luar daerah", "Luar provinsi", "Barang", "Subtotal (Rp)",
    "Ongkos kirim (Rp)", "Potongan (Rp)", "Total (Rp)", "Dibayar (Rp)", "Sisa (Rp)", "Agen", "Pameran",
    "Tanggal penjualan", "Kurir", "Nomor resi",
]  # fmt: skip


def _order(request: HttpRequest, pk: int, action: str = "view") -> Order:
    return get_scoped_object(order_list(user=request.user), request.user, action, pk=pk)


def _can_create(request: HttpRequest) -> bool:
    return any(g.rank >= Action.EDIT for g in user_grants(request.user))


def _failed(request: HttpRequest) -> int:
    """The status of a form sent back with errors: 200 for htmx (which swaps only 2xx), else 422."""
    return 200 if wants_fragment(request) else 422


def _status(request: HttpRequest, posted: bool) -> int:
    """200 for a page opened; after a POST that came back here, the status of a form with errors."""
    return _failed(request) if posted else 200


def _done(request: HttpRequest, order: Order, message: str) -> HttpResponse:
    """After a successful write: the order's page (htmx follows HX-Location, a plain form a redirect)."""
    messages.success(request, message)
    if wants_fragment(request):
        response = HttpResponse(status=200)
        response["HX-Location"] = order.get_absolute_url()
        return response
    return redirect(order)


def _rows(request: HttpRequest) -> int:
    value = request.GET.get("baris", "")
    return min(int(value), services.MAX_LINES) if value.isdigit() and int(value) > 0 else 3


def _yes(value: bool) -> str:
    return "ya" if value else "tidak"


def _export(qs: Any, fmt: str) -> HttpResponse:
    provinces = dict(province_choices())
    rows = (
        [o.code, waktu(o.ordered_at), o.post.name, o.get_channel_display(), o.get_state_display(), o.buyer_name,
         o.buyer_institution, o.buyer_phone, o.buyer_email, o.buyer_region_id or "",
         o.buyer_region.name if o.buyer_region else "", provinces.get(o.buyer_province_code, ""), _yes(o.out_of_region),
         _yes(o.out_of_province), "; ".join(f"{i.quantity} {i.unit} {i.name}" for i in o.items.all()), o.subtotal,
         o.shipping_cost, o.discount, o.total, o.paid_total, o.balance, o.agent.name if o.agent else "",
         o.exhibition.name if o.exhibition else "", o.sale_date, o.courier, o.tracking_number]
        for o in qs.prefetch_related("items").iterator(chunk_size=2000)
    )  # fmt: skip
    return export_response(Table("Pesanan", EXPORT_HEADERS, rows), fmt, "pesanan")


@cache_page_until_change
def order_list_view(request: HttpRequest) -> HttpResponse:
    """List the orders the user may see: filter, search, page and download (XLSX, CSV)."""
    post_id = request.GET.get("post", "").strip()
    if post_id and not (post_id.isdigit() and Post.objects.for_user(request.user, "view").filter(pk=post_id).exists()):
        raise Http404  # a post outside the user's scope is not an empty list
    f = OrderFilter(request.GET, queryset=order_list(user=request.user).order_by("-ordered_at", "-pk"),
                    request=request)  # fmt: skip
    if request.GET.get("format") in ("csv", "xlsx"):
        return _export(f.qs, request.GET["format"])
    ctx = list_context(request, f)
    ctx["can_create"] = _can_create(request)
    return render_page(request, "orders/order_list.html", ctx, fragment="results")


def _buyer(d: dict[str, Any]) -> dict[str, Any]:
    return {k: d.get(k) for k in ("name", "phone", "email", "institution", "address", "note")} | {
        "region": d.get("region_code")
    }


def order_create(request: HttpRequest) -> HttpResponse:
    """Record an order taken at the post (walk-in, WhatsApp, agent, exhibition…) with its items."""
    if not _can_create(request):
        raise PermissionDenied
    posted = request.method == "POST"
    form = OrderCreateForm(request.POST if posted else None, user=request.user)
    items = item_formset(request.POST if posted else None, user=request.user, rows=_rows(request))
    if posted and all([form.is_valid(), items.is_valid()]):
        d = form.cleaned_data
        try:
            order = services.order_create(
                actor=request.user, post=d["post"], channel=d["channel"], buyer=_buyer(d), items=items_from(items),
                agent=d["agent"], exhibition=d["exhibition"], delivery=d["delivery"],
                internal_note=d["internal_note"], ordered_at=d["ordered_at"],
            )  # fmt: skip
        except ValidationError as exc:
            add_errors(form, exc)
        except PermissionDenied:
            form.add_error("post", _("Anda tidak dapat mencatat pesanan untuk pos ini."))
        else:
            return _done(request, order, _("Pesanan %(code)s dicatat.") % {"code": order.code})
    ctx = {"form": form, "items": items, "order": None}
    return render_page(request, "orders/order_form.html", ctx, fragment="form", status=_status(request, posted))


def order_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Correct the buyer's details, delivery and where the order came from; an old version is refused."""
    order = _order(request, pk, "edit")
    posted = request.method == "POST"
    form = OrderEditForm(request.POST if posted else None, initial=OrderEditForm.initial_for(order), order=order,
                         user=request.user)  # fmt: skip
    if posted and form.is_valid():
        d = form.cleaned_data
        data = _buyer(d) | {k: d[k] for k in ("delivery", "channel", "agent", "exhibition", "internal_note")}
        data["region_code"] = data.pop("region")
        try:
            services.order_update(actor=request.user, order=order, data=data, version=d["version"])
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            return _done(request, order, _("Perubahan disimpan."))
    ctx = {"form": form, "order": order, "history": history_for(order)}
    return render_page(request, "orders/order_edit.html", ctx, fragment="form", status=_status(request, posted))


def order_items(request: HttpRequest, pk: int) -> HttpResponse:
    """Change the items and prices of an order still being quoted."""
    order = _order(request, pk, "edit")
    if order.state not in workflow.EDITABLE:
        messages.error(request, services.items_locked_message())
        return redirect(order)
    posted = request.method == "POST"
    items = item_formset(request.POST if posted else None, user=request.user, post=order.post,
                         initial=item_initial(order), rows=_rows(request) if "baris" in request.GET else 1)  # fmt: skip
    errors: list[str] = []
    if posted and items.is_valid():
        version = request.POST.get("version", "")
        try:
            services.order_set_items(actor=request.user, order=order, items=items_from(items),
                                     version=int(version) if version.isdigit() else None)  # fmt: skip
        except ValidationError as exc:
            errors = exc.messages
        else:
            return _done(request, order, _("Barang pesanan disimpan."))
    ctx = {"items": items, "order": order, "errors": errors}
    return render_page(request, "orders/order_items.html", ctx, fragment="form", status=_status(request, posted))


def _transition_forms(order: Order) -> list[tuple[str, str, AdvanceForm]]:
    out = []
    for state in workflow.allowed_next(order):
        if state == State.CONFIRMED:
            continue  # the confirmation form, with the agreed terms
        form = AdvanceForm(initial={"state": state, "version": order.version}, prefix=state)
        out.append((state, str(State(state).label), form))
    return out


def _detail(request: HttpRequest, order: Order, *, status: int = 200, **bound: Any) -> HttpResponse:
    """Render the order's page; a form that failed comes back bound, with its errors next to its fields."""
    can_edit = user_can(request.user, order, "edit")
    steps = order_steps(order)
    ctx: dict[str, Any] = {
        "order": order,
        "items": list(order.items.all()),
        "steps": steps,
        "progress": order_progress(order, steps),
        "payments": order_payments(order),
        "documents": order_documents(order),
        "history": history_for(order),
        "can_edit": can_edit,
        "counted": order.state in workflow.COUNTED,
        "tracking_url": request.build_absolute_uri(order.get_tracking_url()),
        "phone": display_phone(order.buyer_phone) if order.buyer_phone else "",
    }
    if can_edit:
        ctx.update({
            "confirm_form": ConfirmForm(initial=ConfirmForm.initial_for(order), order=order)
            if order.state == State.REQUESTED else None,
            "transitions": _transition_forms(order),
            "quote_form": NewQuoteForm(initial={"version": order.version})
            if order.state in (State.CONFIRMED, State.IN_PRODUCTION) else None,
            "payment_form": PaymentForm(initial={"kind": _next_payment_kind(order)})
            if order.state in workflow.COUNTED and order.balance > 0 else None,
            "can_quote": order.state == State.REQUESTED,
            "can_invoice": order.state in workflow.COUNTED,
        })  # fmt: skip
    if "advance_form" in bound:
        form = bound.pop("advance_form")
        ctx["transitions"] = [(s, label, form if s == form.prefix else f) for s, label, f in ctx["transitions"]]
        ctx["open_form"] = form.prefix
    ctx.update(bound)
    # Only a failed action answers with its fragment; the page itself (also when htmx follows HX-Location) is whole.
    fragment = "actions" if request.method == "POST" else None
    return render_page(request, "orders/order_detail.html", ctx, fragment=fragment, status=status)


def _next_payment_kind(order: Order) -> str:
    if order.paid_total == 0 and order.down_payment:
        return "uang_muka"
    return "pelunasan" if order.paid_total else "cicilan"


def order_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Show an order: items, totals and balance, its progress and steps, payments, documents and the next steps."""
    return _detail(request, _order(request, pk))


@require_POST
def order_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirm the deal with the agreed prices, shipping, discount, down payment and lead time."""
    order = _order(request, pk, "edit")
    form = ConfirmForm(request.POST, order=order)
    if form.is_valid():
        try:
            order = services.order_confirm(actor=request.user, order=order, version=form.cleaned_data["version"],
                                           **form.terms())  # fmt: skip
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            return _done(request, order, _("Pesanan dikonfirmasi."))
    return _detail(request, order, status=_failed(request), confirm_form=form, open_form="konfirmasi")


@require_POST
def order_advance(request: HttpRequest, pk: int) -> HttpResponse:
    """Move the order one step along; a skipped step or an old version is refused with a message."""
    order = _order(request, pk, "edit")
    state = request.POST.get("state", "")
    if state not in State.values:
        raise Http404
    form = AdvanceForm(request.POST, prefix=state)
    if form.is_valid():
        d = form.cleaned_data
        try:
            order = services.order_advance(actor=request.user, order=order, state=d["state"], note=d["note"],
                                           version=d["version"], **form.details())  # fmt: skip
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            return _done(request, order, _("Tahap diubah ke %(state)s.") % {"state": order.get_state_display()})
    if state not in workflow.allowed_next(order):  # a stale page or a skipped step: say why on top
        return _detail(request, order, status=_failed(request),
                       action_error=" ".join(e for errs in form.errors.values() for e in errs))  # fmt: skip
    return _detail(request, order, status=_failed(request), advance_form=form)


@require_POST
def order_new_quote(request: HttpRequest, pk: int) -> HttpResponse:
    """Reopen a confirmed order for new prices or items, with a reason."""
    order = _order(request, pk, "edit")
    form = NewQuoteForm(request.POST)
    if form.is_valid():
        try:
            order = services.order_new_quote(actor=request.user, order=order, reason=form.cleaned_data["reason"],
                                             version=form.cleaned_data["version"])  # fmt: skip
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            return _done(request, order, _("Penawaran baru dibuka (revisi %(n)s): ubah barang atau harganya.")
                         % {"n": order.quote_revision})  # fmt: skip
    return _detail(request, order, status=_failed(request), quote_form=form, open_form="penawaran-baru")


@require_POST
def payment_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Record a payment: down payment, instalment or settlement, never more than the balance."""
    order = _order(request, pk, "edit")
    form = PaymentForm(request.POST)
    if form.is_valid():
        try:
            payment = services.payment_record(actor=request.user, order=order, **form.cleaned_data)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            return _done(request, order, _("%(kind)s dicatat.") % {"kind": payment.get_kind_display()})
    return _detail(request, order, status=_failed(request), payment_form=form, open_form="pembayaran")


@require_POST
def document_issue(request: HttpRequest, pk: int) -> HttpResponse:
    """Issue a numbered quote or invoice."""
    order = _order(request, pk, "edit")
    form = DocumentForm(request.POST)
    if not form.is_valid():
        raise Http404
    try:
        doc = services.document_issue(actor=request.user, order=order, kind=form.cleaned_data["kind"])
    except ValidationError as exc:  # a button, with nothing typed to lose: say why on top of the actions
        return _detail(request, order, status=_failed(request), action_error=" ".join(exc.messages))
    return _done(request, order, _("%(kind)s %(number)s diterbitkan.") % {"kind": doc.get_kind_display(),
                                                                          "number": doc.number})  # fmt: skip


def document_pdf(request: HttpRequest, pk: int, doc_pk: int) -> HttpResponse:
    """Print a quote or invoice as PDF on the post's letterhead, as it was issued."""
    order = _order(request, pk)
    docs = OrderDocument.objects.for_user(request.user, "view").select_related("post")
    doc = docs.filter(order=order, pk=doc_pk).first()
    if doc is None:
        raise Http404
    return document_response(request, doc)
