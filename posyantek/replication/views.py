"""Staff pages of replication kits, under /replikasi/kelola/: the kits one may see, and the kit editor (the kit's
text, its checklist steps, the post's awards, history) for the post's manager."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from posyantek.core.htmx import render_page
from posyantek.core.lists import list_context
from posyantek.core.scoping import get_scoped_object
from posyantek.core.selectors import history_for
from posyantek.posts.models import Post
from posyantek.replication import services
from posyantek.replication.filters import KitFilter
from posyantek.replication.forms import AwardForm, ItemForm, KitCreateForm, KitForm
from posyantek.replication.models import Award, Kit, KitItem
from posyantek.replication.selectors import kit_items, kit_list


def _kit(request: HttpRequest, pk: int, action: str = "manage") -> Kit:
    return get_scoped_object(kit_list(user=request.user), request.user, action, pk=pk)


def _editor_url(kit: Kit, anchor: str = "") -> str:
    return reverse("replication:kit_edit", args=[kit.pk]) + (f"#{anchor}" if anchor else "")


def add_errors(form: Any, exc: ValidationError) -> None:
    """Put a service's errors next to the form's fields (the rest above the form)."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for field, errs in exc.message_dict.items():
        form.add_error(field if field in form.fields else None, errs)


def _without_version(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if k != "version"}


def kit_list_view(request: HttpRequest) -> HttpResponse:
    """The kits the user may see; a post manager starts their post's kit here."""
    f = KitFilter(request.GET, queryset=kit_list(user=request.user), request=request)
    ctx = list_context(request, f)
    ctx["can_create"] = Post.objects.for_user(request.user, "manage").filter(kit__isnull=True).exists()
    ctx["managed"] = set(kit_list(user=request.user, action="manage").values_list("pk", flat=True))
    return render_page(request, "replication/kit_list.html", ctx, fragment="results")


def kit_create(request: HttpRequest) -> HttpResponse:
    """Start the kit of a post the user manages."""
    form = KitCreateForm(request.POST or None, user=request.user)
    if not form.fields["post"].queryset.exists():
        raise PermissionDenied
    if request.method == "POST" and form.is_valid():
        data = _without_version(form.cleaned_data)
        try:
            kit = services.kit_create(actor=request.user, post=data.pop("post"), data=data)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Kit dibuat. Tambahkan langkah-langkahnya, atau pakai daftar bawaan."))
            return redirect(_editor_url(kit))
    return render_page(request, "replication/kit_form.html", {"form": form})


def kit_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The kit editor: its text, steps, the post's awards and the history; saving the text posts here."""
    kit = _kit(request, pk)
    form = KitForm(request.POST or None, instance=kit)
    if request.method == "POST" and form.is_valid():
        try:
            services.kit_update(actor=request.user, kit=kit, data=_without_version(form.cleaned_data),
                                version=form.cleaned_data.get("version"))  # fmt: skip
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Kit disimpan."))
            return redirect(_editor_url(kit))
    return _editor(request, kit, kit_form=form)


def _editor(request: HttpRequest, kit: Kit, **bound: Any) -> HttpResponse:
    ctx: dict[str, Any] = {
        "kit": kit,
        "items": kit_items(kit, with_ticks=True),
        "awards": list(Award.objects.for_user(request.user, "view").filter(post_id=kit.post_id)),
        "kit_form": KitForm(instance=kit),
        "item_form": ItemForm(prefix="item"),
        "award_form": AwardForm(prefix="award"),
        "history": history_for(kit),
    }
    ctx.update(bound)
    failed = any(getattr(f, "errors", None) for f in bound.values())
    return render_page(request, "replication/kit_edit.html", ctx, status=422 if failed else 200)


@require_POST
def item_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Add a step to the kit's checklist."""
    kit = _kit(request, pk)
    form = ItemForm(request.POST, prefix="item")
    if form.is_valid():
        try:
            services.item_add(actor=request.user, kit=kit, data=_without_version(form.cleaned_data))
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Langkah ditambahkan."))
            return redirect(_editor_url(kit, "langkah"))
    return _editor(request, kit, item_form=form, item_open=True)


def _item(request: HttpRequest, kit: Kit, item_pk: int) -> KitItem:
    return get_scoped_object(KitItem.objects.for_user(request.user, "view").filter(kit=kit), request.user, "manage",
                             pk=item_pk)  # fmt: skip


def item_edit(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    """Change a step."""
    kit = _kit(request, pk)
    item = _item(request, kit, item_pk)
    form = ItemForm(request.POST or None, instance=item)
    if request.method == "POST" and form.is_valid():
        try:
            services.item_update(actor=request.user, item=item, data=_without_version(form.cleaned_data),
                                 version=form.cleaned_data.get("version"))  # fmt: skip
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Langkah disimpan."))
            return redirect(_editor_url(kit, "langkah"))
    ctx = {"form": form, "kit": kit, "title": _("Ubah langkah")}
    return render_page(request, "replication/child_form.html", ctx)


@require_POST
def item_remove(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    """Remove a step (posts that reached it lose that tick)."""
    kit = _kit(request, pk)
    services.item_remove(actor=request.user, item=_item(request, kit, item_pk))
    messages.success(request, _("Langkah dihapus."))
    return redirect(_editor_url(kit, "langkah"))


@require_POST
def item_move(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    """Move a step one place up or down."""
    kit = _kit(request, pk)
    try:
        item = _item(request, kit, item_pk)
        services.item_move(actor=request.user, item=item, up=request.POST.get("arah") != "turun")
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(_editor_url(kit, "langkah"))


@require_POST
def kit_defaults(request: HttpRequest, pk: int) -> HttpResponse:
    """Add the default checklist (the steps the kit does not have yet)."""
    kit = _kit(request, pk)
    try:
        added = services.kit_use_default_items(actor=request.user, kit=kit)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if added:
            messages.success(request, _("%(n)s langkah bawaan ditambahkan.") % {"n": len(added)})
        else:
            messages.success(request, _("Semua langkah bawaan sudah ada di kit ini."))
    return redirect(_editor_url(kit, "langkah"))


@require_POST
def award_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Record an award of the kit's post."""
    kit = _kit(request, pk)
    form = AwardForm(request.POST, prefix="award")
    if form.is_valid():
        try:
            services.award_add(actor=request.user, kit=kit, data=_without_version(form.cleaned_data))
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Penghargaan dicatat."))
            return redirect(_editor_url(kit, "penghargaan"))
    return _editor(request, kit, award_form=form, award_open=True)


def _award(request: HttpRequest, kit: Kit, award_pk: int) -> Award:
    return get_scoped_object(Award.objects.for_user(request.user, "view").filter(post_id=kit.post_id), request.user,
                             "manage", pk=award_pk)  # fmt: skip


def award_edit(request: HttpRequest, pk: int, award_pk: int) -> HttpResponse:
    """Change an award."""
    kit = _kit(request, pk)
    award = _award(request, kit, award_pk)
    form = AwardForm(request.POST or None, instance=award)
    if request.method == "POST" and form.is_valid():
        try:
            services.award_update(actor=request.user, award=award, data=_without_version(form.cleaned_data),
                                  version=form.cleaned_data.get("version"))  # fmt: skip
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Penghargaan disimpan."))
            return redirect(_editor_url(kit, "penghargaan"))
    ctx = {"form": form, "kit": kit, "title": _("Ubah penghargaan")}
    return render_page(request, "replication/child_form.html", ctx)


@require_POST
def award_remove(request: HttpRequest, pk: int, award_pk: int) -> HttpResponse:
    """Delete an award recorded by mistake."""
    kit = _kit(request, pk)
    services.award_remove(actor=request.user, award=_award(request, kit, award_pk))
    messages.success(request, _("Penghargaan dihapus."))
    return redirect(_editor_url(kit, "penghargaan"))
