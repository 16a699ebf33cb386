"""Staff pages of technology records: list, record, edit, photos, adoption, stage, publication."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from posyantek.catalog import ttg_services as services
from posyantek.catalog.models import TtgPhoto
from posyantek.catalog.ttg_filters import TtgFilter
from posyantek.catalog.ttg_forms import AdoptionForm, PhotoForm, StageForm, TtgForm
from posyantek.catalog.ttg_selectors import adoption_summary, ttg_list
from posyantek.core.exports import Table, export_response
from posyantek.core.htmx import render_page
from posyantek.core.lists import list_context
from posyantek.core.pagecache import cache_page_until_change
from posyantek.core.scoping import Action, get_scoped_object, rank_on_post, user_grants
from posyantek.core.selectors import history_for

EXPORT_FIELDS = ["name", "sector", "aspect", "kind", "commodities", "problem", "function", "how_it_works", "price",
                 "capacity", "capacity_unit", "readiness", "trl", "ip_status", "producer", "publication"]  # fmt: skip


def _export(qs: object, fmt: str) -> HttpResponse:
    from posyantek.catalog.models import Ttg

    labels = [str(Ttg._meta.get_field(f).verbose_name) for f in EXPORT_FIELDS]
    # The headings are ones the importer reads, so an export can be corrected in Excel and imported again.
    rows = ([t.region_id, t.post.name, "; ".join(str(i) for i in t.innovators.all())]
            + [getattr(t, f"get_{f}_display")() if hasattr(t, f"get_{f}_display") else getattr(t, f)
               for f in EXPORT_FIELDS] for t in qs.prefetch_related("innovators__person"))  # fmt: skip
    return export_response(Table("TTG", ["Kode wilayah", "Pos pembina", "Inovator", *labels], rows), fmt, "ttg")


@cache_page_until_change
def ttg_list_view(request: HttpRequest) -> HttpResponse:
    """List the records the user may see, drafts and approval requests included."""
    f = TtgFilter(request.GET, queryset=ttg_list(user=request.user).order_by("-pk"))
    if request.GET.get("format") in ("csv", "xlsx"):
        return _export(f.qs, request.GET["format"])
    ctx = list_context(request, f)
    ctx["can_create"] = any(g.rank >= Action.EDIT for g in user_grants(request.user))
    return render_page(request, "catalog/ttg_list.html", ctx, fragment="results")


def ttg_form(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """Create or edit a technology record."""
    ttg = get_scoped_object(ttg_list(user=request.user), request.user, "edit", pk=pk) if pk else None
    if ttg is None and not any(g.rank >= Action.EDIT for g in user_grants(request.user)):
        raise PermissionDenied
    form = TtgForm(request.POST if request.method == "POST" else None, instance=ttg, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            if ttg:
                ttg = services.ttg_update(actor=request.user, ttg=ttg, data=data,
                                          version=form.cleaned_data.get("version"))  # fmt: skip
            else:
                ttg = services.ttg_create(actor=request.user, data=data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("TTG %(name)s disimpan.") % {"name": ttg})
            return redirect(ttg)
    return render_page(request, "catalog/ttg_form.html", {"form": form, "ttg": ttg})


def ttg_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Show a record with its photos, adoption, stage history and publication state."""
    ttg = get_scoped_object(ttg_list(user=request.user), request.user, "view", pk=pk)
    rank = rank_on_post(request.user, ttg.post)
    ctx = {
        "ttg": ttg,
        "photos": ttg.photos.all(),
        "adoptions": ttg.adoptions.select_related("region"),
        "summary": adoption_summary(ttg),
        "stages": ttg.stage_changes.all()[:20],
        "innovators": ttg.innovators.select_related("person"),
        "missing": services.missing_for_publication(ttg),
        "can_edit": rank >= Action.EDIT,
        "can_approve": rank >= Action.MANAGE,
        "photo_form": PhotoForm(),
        "adoption_form": AdoptionForm(),
        "stage_form": StageForm(initial={"stage": ttg.stage}),
        "history": history_for(ttg),
    }
    return render_page(request, "catalog/ttg_detail.html", ctx)


def _edit_target(request: HttpRequest, pk: int) -> object:
    return get_scoped_object(ttg_list(user=request.user), request.user, "edit", pk=pk)


@require_POST
def ttg_photo(request: HttpRequest, pk: int) -> HttpResponse:
    """Upload a photo."""
    ttg = _edit_target(request, pk)
    form = PhotoForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.ttg_photo_add(actor=request.user, ttg=ttg, upload=form.cleaned_data["image"],
                                   caption=form.cleaned_data["caption"])  # fmt: skip
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Foto ditambahkan."))
    else:
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
    return redirect(ttg)


@require_POST
def ttg_photo_remove(request: HttpRequest, pk: int, photo_pk: int) -> HttpResponse:
    """Remove a photo."""
    ttg = _edit_target(request, pk)
    photo = TtgPhoto.objects.for_user(request.user, "edit").filter(pk=photo_pk, ttg=ttg).first()
    if photo is None:
        raise Http404
    services.ttg_photo_remove(actor=request.user, photo=photo)
    messages.success(request, _("Foto dihapus."))
    return redirect(ttg)


def ttg_photo_file(request: HttpRequest, pk: int, photo_pk: int, size: str) -> HttpResponse:
    """Stream a photo of a record the user may see (drafts included)."""
    ttg = get_scoped_object(ttg_list(user=request.user), request.user, "view", pk=pk)
    photo = ttg.photos.filter(pk=photo_pk).first()
    if photo is None or size not in ("besar", "kecil"):
        raise Http404
    try:
        return FileResponse((photo.image if size == "besar" else photo.thumbnail).open("rb"))
    except FileNotFoundError as exc:  # the record exists but its file went missing
        raise Http404 from exc


@require_POST
def ttg_adoption(request: HttpRequest, pk: int) -> HttpResponse:
    """Record where the technology is applied."""
    ttg = _edit_target(request, pk)
    form = AdoptionForm(request.POST)
    if form.is_valid():
        try:
            services.adoption_add(actor=request.user, ttg=ttg, data=form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Penerapan dicatat."))
    else:
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
    return redirect(ttg)


@require_POST
def ttg_stage(request: HttpRequest, pk: int) -> HttpResponse:
    """Move the record along the innovation pipeline."""
    ttg = _edit_target(request, pk)
    form = StageForm(request.POST)
    if form.is_valid():
        try:
            services.ttg_set_stage(actor=request.user, ttg=ttg, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Tahap diperbarui."))
    else:
        messages.error(request, _("Tahap tidak valid."))
    return redirect(ttg)


@require_POST
def ttg_publication(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Request publication (editors) or approve / withdraw it (the post's manager and above)."""
    ttg = get_scoped_object(ttg_list(user=request.user), request.user, "view", pk=pk)
    try:
        if action == "ajukan":
            services.ttg_request_publication(actor=request.user, ttg=ttg)
            messages.success(request, _("Diajukan untuk terbit; menunggu persetujuan pengelola pos."))
        elif action in ("terbitkan", "tarik"):
            services.ttg_publish(actor=request.user, ttg=ttg, publish=action == "terbitkan")
            messages.success(request, _("Status publikasi diubah."))
        else:
            raise Http404
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(ttg)
