"""The public marketplace, under /pasar/: browse the products of every post, a cart, checkout. No login.

Only products on sale (`active`) are shown. The cart lives in the buyer's session and may hold products of
several posts; checkout makes one order per post (orders.services.order_checkout). Pages that show the cart or
carry a form are not kept in the page cache: they differ per buyer.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from posyantek.catalog.models import Ttg
from posyantek.core import ratelimit
from posyantek.core.htmx import render_page, wants_fragment
from posyantek.core.lists import list_context
from posyantek.products import market
from posyantek.products.filters import MarketFilter
from posyantek.products.forms import CartForm, CheckoutForm
from posyantek.products.selectors import add_places, market_photo, market_product, market_products, with_photos

PAGE_SIZE = 24
#: Where checkout's field errors are shown on the form.
CHECKOUT_FIELDS = {"name": "name", "phone": "phone", "email": "email", "institution": "institution",
                   "address": "address", "region_code": "regency", "note": "note"}  # fmt: skip


def _no_store(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "private, no-store"
    return response


@login_not_required
def market_list(request: HttpRequest) -> HttpResponse:
    """Browse the products on sale: search, filter by sector, province and post, sort by price."""
    f = MarketFilter(request.GET, queryset=with_photos(market_products()))
    ctx = list_context(request, f, page_size=PAGE_SIZE)
    add_places(ctx["page_obj"].object_list)
    ctx["cart_count"] = market.cart_count(request.session)
    return _no_store(render_page(request, "products/pasar/market.html", ctx, fragment="results"))


def _public(pk: Any) -> Any:
    product = market_product(pk)
    if product is None:
        raise Http404
    return product


def _weight(grams: int | None) -> str:
    if not grams:
        return ""
    if grams < 1000:
        return f"{grams} gram"
    return f"{grams / 1000:.3f}".rstrip("0").rstrip(".").replace(".", ",") + " kg"


@login_not_required
def product_page(request: HttpRequest, pk: int) -> HttpResponse:
    """One product: photos, price, stock or lead time, the post and where it is, and a form to put it in the cart."""
    product = _public(pk)
    add_places([product])
    in_cart = market.cart_read(request.session).get(product.pk, 0)
    ctx = {
        "product": product,
        "photos": list(product.photos.all()),
        "form": CartForm(initial={"product": product.pk, "quantity": product.min_order}),
        "in_cart": in_cart,
        "cart_count": market.cart_count(request.session),
        "weight": _weight(product.weight_grams),
        "ttg_url": product.ttg.get_public_url()
        if product.ttg and product.ttg.publication == Ttg.Publication.PUBLISHED
        else None,
    }
    return _no_store(render_page(request, "products/pasar/product.html", ctx))


@login_not_required
def photo(request: HttpRequest, photo_id: int, size: str) -> HttpResponse:
    """Stream a photo of a product on sale."""
    found = market_photo(photo_id)
    if found is None or size not in ("besar", "kecil"):
        raise Http404
    try:
        response = FileResponse((found.image if size == "besar" else found.thumbnail).open("rb"))
    except FileNotFoundError as exc:
        raise Http404 from exc
    response["Cache-Control"] = "public, max-age=3600"
    return response


def _form_error(form: CartForm) -> str:
    return " ".join(e for errs in form.errors.values() for e in errs)


@login_not_required
@require_POST
def cart_add(request: HttpRequest) -> HttpResponse:
    """Put a product in the cart; htmx gets a line saying so, a plain form goes to the cart."""
    form = CartForm(request.POST)
    product = _public(form.data.get("product"))
    error = market.cart_set(request.session, product, form.cleaned_data["quantity"], add=True) \
        if form.is_valid() else _form_error(form)  # fmt: skip
    if wants_fragment(request):
        ctx = {"error": error, "product": product, "cart_count": market.cart_count(request.session),
               "in_cart": market.cart_read(request.session).get(product.pk, 0)}  # fmt: skip
        return _no_store(render(request, "products/pasar/_added.html", ctx))
    if error:
        messages.error(request, error)
        return redirect(product.get_public_url())
    messages.success(request, _("%(name)s masuk keranjang.") % {"name": product.name})
    return redirect("pasar:cart")


def _cart_page(request: HttpRequest, *, error: str | None = None, status: int = 200) -> HttpResponse:
    cart = market.cart_get(request.session)
    ctx = {"cart": cart, "error": error, "cart_count": cart.count}
    return _no_store(render_page(request, "products/pasar/cart.html", ctx, fragment="cart", status=status))


@login_not_required
def cart(request: HttpRequest) -> HttpResponse:
    """The cart, grouped by post: each post's lines become one order, with their subtotal."""
    return _cart_page(request)


@login_not_required
@require_POST
def cart_update(request: HttpRequest) -> HttpResponse:
    """Change a line's quantity (0 or "Hapus" takes it out); htmx gets the cart back, a plain form is redirected."""
    form = CartForm(request.POST)
    raw = str(form.data.get("product") or "")
    product = market_product(raw)
    error = None
    if product is None or request.POST.get("remove"):
        market.cart_remove(request.session, int(raw) if raw.isdigit() else 0)
    elif form.is_valid():
        error = market.cart_set(request.session, product, form.cleaned_data["quantity"])
    else:
        error = _form_error(form)
    if wants_fragment(request):
        return _cart_page(request, error=error)
    if error:
        messages.error(request, error)
    return redirect("pasar:cart")


def _checkout_page(request: HttpRequest, form: CheckoutForm, cart: market.Cart, status: int = 200) -> HttpResponse:
    ctx = {"form": form, "cart": cart, "cart_count": cart.count}
    return _no_store(render_page(request, "products/pasar/checkout.html", ctx, status=status))


@login_not_required
def checkout(request: HttpRequest) -> HttpResponse:
    """The buyer's details and delivery region; sends one order per post and keeps the cart when anything fails."""
    cart_now = market.cart_get(request.session)
    if not cart_now.groups:
        messages.error(request, _("Keranjang Anda kosong. Pilih produk dulu."))
        return redirect("pasar:cart")
    if request.method != "POST":
        return _checkout_page(request, CheckoutForm(), cart_now)
    if request.POST.get("action") == "wilayah":  # without JavaScript: show the next level of regions
        return _checkout_page(request, CheckoutForm(initial=request.POST.dict()), cart_now)
    form = CheckoutForm(request.POST)
    if form.is_spam:
        form.add_error(None, _("Pesanan tidak dapat diterima. Jika Anda bukan mesin, kosongkan kolom 'Jangan diisi' "
                               "lalu kirim lagi."))  # fmt: skip
        return _checkout_page(request, form, cart_now, status=400)
    if not form.is_valid():
        return _checkout_page(request, form, cart_now, status=422)
    try:
        orders = market.checkout(ip=ratelimit.client_ip(request), lines=cart_now.lines(), buyer=form.buyer())
    except market.RateLimited as exc:
        form.add_error(None, exc.message)
        response = _checkout_page(request, form, cart_now, status=429)
        response["Retry-After"] = "3600"
        return response
    except ValidationError as exc:
        stock = getattr(exc, "code", None) == "out_of_stock"
        if hasattr(exc, "error_dict"):
            for key, errs in exc.message_dict.items():
                form.add_error(CHECKOUT_FIELDS.get(key), errs)
        else:
            form.add_error(None, exc.messages)
        return _checkout_page(request, form, market.cart_get(request.session), status=409 if stock else 422)
    market.remember_placed(request.session, orders)
    market.cart_clear(request.session)
    return redirect("pasar:checkout_done")


@login_not_required
def region_options(request: HttpRequest) -> HttpResponse:
    """The delivery-region choices for the province and kabupaten/kota picked so far (an htmx fragment)."""
    initial = {k: request.GET.get(k, "")[:13] for k in ("province", "regency", "district")}
    return render(request, "products/pasar/checkout.html#region", {"form": CheckoutForm(initial=initial)})


@login_not_required
def checkout_done(request: HttpRequest) -> HttpResponse:
    """The orders just placed: one per post, each with its tracking link and a WhatsApp link to the post."""
    placed = market.placed_from_session(request.session, request.build_absolute_uri)
    if not placed:
        return redirect("pasar:market")
    ctx = {"placed": placed, "total": sum(p.order.total for p in placed), "cart_count": 0}
    response = _no_store(render_page(request, "products/pasar/done.html", ctx))
    response["X-Robots-Tag"] = "noindex"
    return response
