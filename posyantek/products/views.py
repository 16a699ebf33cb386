"""Staff pages of products, under /produk/: list, record, edit, photos, stock, on/off sale."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from posyantek.core.exports import Table, export_response
from posyantek.core.htmx import render_page, wants_fragment
from posyantek.core.lists import list_context
from posyantek.core.pagecache import cache_page_until_change
from posyantek.core.scoping import Action, get_scoped_object, rank_on_post, user_grants
from posyantek.core.selectors import history_for
from posyantek.products import services
from posyantek.products.filters import ProductFilter
from posyantek.products.forms import PhotoForm, ProductForm, StockForm
from posyantek.products.importers import export_row, template_headers
from posyantek.products.models import Product, ProductPhoto
from posyantek.products.selectors import product_list, product_recent_items


def _can_create(request: HttpRequest) -> bool:
    return any(g.rank >= Action.EDIT for g in user_grants(request.user))


def _product(request: HttpRequest, pk: int, action: str = "view") -> Product:
    return get_scoped_object(product_list(user=request.user), request.user, action, pk=pk)


def _add_errors(form: Any, exc: ValidationError) -> None:
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for name, errs in exc.message_dict.items():
        form.add_error(name if name in form.fields else None, errs)


def _export(qs: QuerySet[Product], fmt: str) -> HttpResponse:
    # The headings are the importer's, so an export can be corrected in Excel and imported again.
    return export_response(Table(_("Produk"), template_headers(), (export_row(p) for p in qs)), fmt, "produk")


@cache_page_until_change
def product_list_view(request: HttpRequest) -> HttpResponse:
    """List the products the user may see; filter, search, page and download."""
    f = ProductFilter(request.GET, queryset=product_list(user=request.user).order_by("name", "pk"), request=request)
    if request.GET.get("format") in ("csv", "xlsx"):
        return _export(f.qs, request.GET["format"])
    ctx = list_context(request, f)
    ctx["can_create"] = _can_create(request)
    return render_page(request, "products/product_list.html", ctx, fragment="results")


def product_form(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """Record a product, or change it (the form carries the version it was read at)."""
    product = _product(request, pk, "edit") if pk else None
    if product is None and not _can_create(request):
        raise PermissionDenied
    form = ProductForm(request.POST if request.method == "POST" else None, instance=product, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            if product:
                product = services.product_update(actor=request.user, product=product, data=data,
                                                  version=form.cleaned_data.get("version"))  # fmt: skip
            else:
                product = services.product_create(actor=request.user, data=data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Produk %(name)s disimpan.") % {"name": product})
            return redirect(product)
    status = 422 if form.is_bound and form.errors else 200
    return render_page(request, "products/product_form.html", {"form": form, "product": product}, status=status)


def product_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Show a product: price, stock or lead time, photos, recent orders, and its history."""
    return _detail(request, _product(request, pk))


def _detail(request: HttpRequest, product: Product, *, status: int = 200, **extra: Any) -> HttpResponse:
    """Render the product's page; a form that failed comes back bound, with its errors next to its fields.

    The stock box is also a fragment: an htmx stock change answers with it (status 200, so htmx swaps it).
    """
    ctx = {
        "product": product,
        "photos": product.photos.all(),
        "items": product_recent_items(user=request.user, product=product),
        "can_edit": rank_on_post(request.user, product.post) >= Action.EDIT,
        "photo_form": PhotoForm(),
        "stock_form": StockForm(),
        "history": history_for(product),
    }
    ctx.update(extra)
    if wants_fragment(request):
        return render_page(request, "products/product_detail.html", ctx, fragment="stock")
    return render_page(request, "products/product_detail.html", ctx, status=status)


@require_POST
def product_photo(request: HttpRequest, pk: int) -> HttpResponse:
    """Upload a photo."""
    product = _product(request, pk, "edit")
    form = PhotoForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.product_photo_add(actor=request.user, product=product, upload=form.cleaned_data["image"],
                                       caption=form.cleaned_data["caption"])  # fmt: skip
        except ValidationError as exc:
            _add_errors(form, exc)
    if form.errors:
        return _detail(request, product, status=422, photo_form=form)
    messages.success(request, _("Foto ditambahkan."))
    return redirect(product)


@require_POST
def product_photo_remove(request: HttpRequest, pk: int, photo_pk: int) -> HttpResponse:
    """Remove a photo."""
    product = _product(request, pk, "edit")
    photo = ProductPhoto.objects.for_user(request.user, "edit").filter(pk=photo_pk, product=product).first()
    if photo is None:
        raise Http404
    services.product_photo_remove(actor=request.user, photo=photo)
    messages.success(request, _("Foto dihapus."))
    return redirect(product)


def product_photo_file(request: HttpRequest, pk: int, photo_pk: int, size: str) -> HttpResponse:
    """Stream a photo of a product the user may see (also one off sale)."""
    product = _product(request, pk)
    photo = ProductPhoto.objects.for_user(request.user, "view").filter(pk=photo_pk, product=product).first()
    if photo is None or size not in ("besar", "kecil"):
        raise Http404
    try:
        return FileResponse((photo.image if size == "besar" else photo.thumbnail).open("rb"))
    except FileNotFoundError as exc:
        raise Http404 from exc


@require_POST
def product_stock(request: HttpRequest, pk: int) -> HttpResponse:
    """Add units that came in, or correct the stock to what was counted; the page's stock box answers htmx."""
    product = _product(request, pk, "edit")
    form = StockForm(request.POST)
    if form.is_valid():
        try:
            product = services.product_stock_adjust(actor=request.user, product=product, **form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
    if form.errors:
        return _detail(request, product, status=422, stock_form=form)
    note = _("Stok %(name)s sekarang %(n)s %(unit)s.") % {
        "name": product.name,
        "n": product.stock,
        "unit": product.unit,
    }
    if wants_fragment(request):
        return _detail(request, product, stock_note=note)
    messages.success(request, note)
    return redirect(product)


@require_POST
def product_active(request: HttpRequest, pk: int) -> HttpResponse:
    """Put the product on sale in the marketplace, or take it off."""
    product = _product(request, pk, "edit")
    active = request.POST.get("active") == "1"
    services.product_set_active(actor=request.user, product=product, active=active)
    messages.success(request, _("Produk dijual di Pasar Posyantek.") if active
                     else _("Produk tidak dijual lagi di Pasar Posyantek."))  # fmt: skip
    return redirect(product)
