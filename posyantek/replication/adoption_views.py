"""Staff pages of adoptions, under /replikasi/adopsi/ and /replikasi/saya/: the adoptions one may see, adopting a
kit, the progress page of an adoption (a page of 50 posts, the summary over all, exports of the full matrix), a
post's checklist with ticks and their evidence, and the checklists of one's own posts."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from posyantek.core.exports import export_response
from posyantek.core.htmx import render_page
from posyantek.core.lists import list_context
from posyantek.core.pagecache import cache_page_until_change
from posyantek.core.scoping import get_scoped_object, user_can
from posyantek.core.selectors import history_for
from posyantek.replication import adoption_services as services
from posyantek.replication.filters import AdoptionFilter, ChecklistFilter, ProgressFilter
from posyantek.replication.forms import (
    AddPostsForm,
    AdoptionEditForm,
    AdoptionForm,
    TickForm,
    UntickForm,
    oversee_regions,
)
from posyantek.replication.models import AdoptionPost, ChecklistTick, KitAdoption, KitItem
from posyantek.replication.selectors import (
    adoption_average,
    adoption_get_list,
    adoption_list,
    annotate_rows,
    checklist,
    kit_items,
    kota_choices,
    matrix_table,
    my_checklists,
    percent,
    progress_rows,
    progress_summary,
)
from posyantek.replication.views import add_errors

PAGE_SIZE = 50


def _adoption(request: HttpRequest, pk: int, action: str = "view") -> KitAdoption:
    return get_scoped_object(adoption_get_list(user=request.user), request.user, action, pk=pk)


def _adoption_post(request: HttpRequest, pk: int, post_pk: int, action: str = "view") -> AdoptionPost:
    qs = AdoptionPost.objects.for_user(request.user, "view").select_related("adoption", "adoption__kit", "post",
                                                                             "post__region")  # fmt: skip
    return get_scoped_object(qs, request.user, action, adoption_id=pk, post_id=post_pk)


def _checklist_url(ap: AdoptionPost, anchor: str = "") -> str:
    url = reverse("replication:post_checklist", args=[ap.adoption_id, ap.post_id])
    return url + (f"#{anchor}" if anchor else "")


def adoption_list_view(request: HttpRequest) -> HttpResponse:
    """The adoptions the user may see, with how far their posts have come on average."""
    f = AdoptionFilter(request.GET, queryset=adoption_list(user=request.user), request=request)
    ctx = list_context(request, f)
    for a in ctx["page_obj"]:
        a.average = adoption_average(a)
    ctx["can_create"] = bool(oversee_regions(request.user))
    # Post people reach this page from the menu: point them at their posts' checklists, where they tick.
    ctx["my_count"] = 0 if ctx["can_create"] else my_checklists(user=request.user).count()
    return render_page(request, "replication/adoption_list.html", ctx, fragment="results")


def adoption_create(request: HttpRequest) -> HttpResponse:
    """Adopt a published kit for a region the user oversees, for its posts of one kind."""
    form = AdoptionForm(request.POST or None, user=request.user, initial={"kit": request.GET.get("kit", "")[:20]})
    if not oversee_regions(request.user):
        raise PermissionDenied
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        kind = data.pop("post_kind")
        try:
            adoption = services.adoption_create(actor=request.user, data=data, post_kind=kind)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Kit diadopsi untuk %(n)s pos.") % {"n": adoption.posts.count()})
            return redirect(adoption)
    return render_page(request, "replication/adoption_form.html", {"form": form})


@cache_page_until_change
def adoption_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress page: each post's progress (50 a page), the summary over all posts, filters and exports."""
    adoption = _adoption(request, pk)
    rows = progress_rows(user=request.user, adoption=adoption)
    total = adoption.n_items
    f = ProgressFilter(request.GET, queryset=rows, request=request, total=total, kotas=kota_choices(rows))
    fmt = request.GET.get("format")
    if fmt in ("csv", "xlsx"):
        return export_response(matrix_table(adoption, f.qs), fmt, f"replikasi-{adoption.pk}")
    ctx = list_context(request, f, page_size=PAGE_SIZE)
    annotate_rows(list(ctx["page_obj"].object_list), total, reverse("replication:post_checklist", args=[pk, 0]))
    ctx.update({
        "adoption": adoption, "summary": progress_summary(rows, total), "total": total,
        "can_oversee": user_can(request.user, adoption, "oversee"), "history": history_for(adoption, limit=20),
    })  # fmt: skip
    return render_page(request, "replication/adoption_detail.html", ctx, fragment="results")


def adoption_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change an adoption's name, dates or note."""
    adoption = _adoption(request, pk, "oversee")
    form = AdoptionEditForm(request.POST or None, instance=adoption)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            services.adoption_update(actor=request.user, adoption=adoption, data=data,
                                     version=form.cleaned_data.get("version"))  # fmt: skip
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Adopsi disimpan."))
            return redirect(adoption)
    ctx = {"form": form, "adoption": adoption, "title": _("Ubah adopsi")}
    return render_page(request, "replication/child_form.html", ctx)


def adoption_add_posts(request: HttpRequest, pk: int) -> HttpResponse:
    """Let more posts of the region join the adoption."""
    adoption = _adoption(request, pk, "oversee")
    form = AddPostsForm(request.POST or None, user=request.user, adoption=adoption)
    if request.method == "POST" and form.is_valid():
        try:
            added = services.adoption_add_posts(actor=request.user, adoption=adoption, posts=form.cleaned_data["posts"])
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("%(n)s pos ditambahkan.") % {"n": len(added)})
            return redirect(adoption)
    ctx = {"form": form, "adoption": adoption, "title": _("Tambah pos peserta"), "multipart": False}
    return render_page(request, "replication/child_form.html", ctx)


@require_POST
def adoption_remove_post(request: HttpRequest, pk: int, post_pk: int) -> HttpResponse:
    """Take a post out of the adoption (its ticks go with it; the adoption's history keeps its progress)."""
    adoption = _adoption(request, pk, "oversee")
    ap = _adoption_post(request, pk, post_pk)
    services.adoption_remove_post(actor=request.user, adoption_post=ap)
    messages.success(request, _("%(p)s dikeluarkan dari adopsi.") % {"p": ap.post})
    return redirect(adoption)


# --- A post's checklist ---------------------------------------------------------------------------------------


def post_checklist(request: HttpRequest, pk: int, post_pk: int) -> HttpResponse:
    """A post's checklist: each step, whether reached (when, evidence), what its data shows; tick and untick."""
    return _checklist_page(request, _adoption_post(request, pk, post_pk))


def _checklist_page(request: HttpRequest, ap: AdoptionPost, *, failed: int | None = None,
                    form: TickForm | None = None) -> HttpResponse:  # fmt: skip
    cl = checklist(ap)
    can_edit = user_can(request.user, ap, "edit")
    for row in cl.rows:
        bound = form if failed == row.item.pk else None
        row.form = bound or TickForm(prefix=f"i{row.item.pk}")  # type: ignore[attr-defined]
        row.open = bound is not None  # type: ignore[attr-defined]
    ctx = {"ap": ap, "adoption": ap.adoption, "cl": cl, "can_edit": can_edit, "untick_form": UntickForm(),
           "can_oversee": user_can(request.user, ap.adoption, "oversee"), "history": history_for(ap),
           "can_view_adoption": user_can(request.user, ap.adoption, "view")}  # fmt: skip
    return render_page(request, "replication/checklist.html", ctx, status=422 if form is not None else 200)


def _row_item(ap: AdoptionPost, item_pk: int) -> KitItem:
    item = next((i for i in kit_items(ap.adoption.kit) if i.pk == item_pk), None)
    if item is None:
        raise Http404
    return item


@require_POST
def tick(request: HttpRequest, pk: int, post_pk: int, item_pk: int) -> HttpResponse:
    """Tick a step with its date and evidence (a file, a note, or both)."""
    ap = _adoption_post(request, pk, post_pk, "edit")
    item = _row_item(ap, item_pk)
    form = TickForm(request.POST, request.FILES, prefix=f"i{item.pk}")
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.tick(actor=request.user, adoption_post=ap, item=item, done_on=data["done_on"],
                          evidence_note=data["evidence_note"], upload=data["evidence_file"])  # fmt: skip
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("“%(t)s” dicentang.") % {"t": item.title})
            return redirect(_checklist_url(ap, f"langkah-{item.pk}"))
    return _checklist_page(request, ap, failed=item.pk, form=form)


@require_POST
def tick_from_data(request: HttpRequest, pk: int, post_pk: int, item_pk: int) -> HttpResponse:
    """Tick a step the post's data shows reached, with an automatic evidence note."""
    ap = _adoption_post(request, pk, post_pk, "edit")
    item = _row_item(ap, item_pk)
    try:
        services.tick_from_data(actor=request.user, adoption_post=ap, item=item)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("“%(t)s” dicentang dari data pos.") % {"t": item.title})
    return redirect(_checklist_url(ap, f"langkah-{item.pk}"))


@require_POST
def untick(request: HttpRequest, pk: int, post_pk: int, item_pk: int) -> HttpResponse:
    """Take a tick back, with a reason kept in the history."""
    ap = _adoption_post(request, pk, post_pk, "edit")
    item = _row_item(ap, item_pk)
    form = UntickForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        services.untick(actor=request.user, adoption_post=ap, item=item, reason=reason)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Centang “%(t)s” dibatalkan.") % {"t": item.title})
    return redirect(_checklist_url(ap, f"langkah-{item.pk}"))


def evidence_file(request: HttpRequest, pk: int, post_pk: int, item_pk: int) -> HttpResponse:
    """Download a tick's evidence file, for those who may see the post's checklist."""
    ap = _adoption_post(request, pk, post_pk)
    row = ChecklistTick.objects.for_user(request.user, "view").filter(adoption_post=ap, item_id=item_pk).first()
    if row is None or not row.evidence_file:
        raise Http404
    name = row.evidence_file.name.rsplit("/", 1)[-1]
    return FileResponse(row.evidence_file.open("rb"), as_attachment=True, filename=name)


def my_checklists_view(request: HttpRequest) -> HttpResponse:
    """The checklists of the adoptions the user's posts take part in."""
    f = ChecklistFilter(request.GET, queryset=my_checklists(user=request.user), request=request)
    ctx = list_context(request, f, page_size=PAGE_SIZE)
    for ap in ctx["page_obj"].object_list:
        ap.pct = percent(ap.done_count, ap.n_items)
    return render_page(request, "replication/my_checklists.html", ctx, fragment="results")
