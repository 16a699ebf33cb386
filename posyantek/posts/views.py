"""Post pages: list, create, detail, edit, status, boards, public profile and directory."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from posyantek.core.exports import Table, export_response
from posyantek.core.htmx import render_page
from posyantek.core.lists import list_context
from posyantek.core.pagecache import cache_page_until_change
from posyantek.core.scoping import Action, get_scoped_object, rank_on_post, rank_on_region, user_grants
from posyantek.core.selectors import history_for
from posyantek.posts import services
from posyantek.posts.filters import PostFilter
from posyantek.posts.forms import BoardTermForm, OfficerForm, PostForm, PostStatusForm
from posyantek.posts.models import BoardTerm, Post
from posyantek.posts.selectors import (
    alerts_for_user,
    board_term_list,
    board_terms_with_officers,
    officer_list,
    post_list,
    post_public_list,
    post_warnings,
)

FILES = ("sk_file", "skt_file", "adart_file")


def _posts_table(qs: Any) -> Table:
    rows = (
        (
            p.name,
            p.get_kind_display(),
            p.region.code,
            p.region.name,
            p.parent.name if p.parent else "",
            p.get_status_display(),
            p.sk_number,
            p.skt_number,
            p.skt_valid_until,
            p.phone,
            p.email,
        )
        for p in qs
    )
    headers = [
        "Nama",
        "Jenis",
        "Kode wilayah",
        "Wilayah",
        "Pos induk",
        "Status",
        "No. SK",
        "No. SKT",
        "SKT berlaku sampai",
        "Telepon",
        "E-mail",
    ]
    return Table(title="Pos Posyantek", headers=headers, rows=rows)


@cache_page_until_change
def post_list_view(request: HttpRequest) -> HttpResponse:
    """List the posts the user may see: filter, search, page, export."""
    f = PostFilter(request.GET, queryset=post_list(user=request.user))
    fmt = request.GET.get("format")
    if fmt in ("csv", "xlsx"):
        return export_response(_posts_table(f.qs), fmt, "pos-posyantek")
    ctx = list_context(request, f)
    ctx["can_create"] = any(g.rank >= Action.OVERSEE for g in user_grants(request.user))
    return render_page(request, "posts/post_list.html", ctx, fragment="results")


def post_create(request: HttpRequest) -> HttpResponse:
    """Create a post in a region the user oversees."""
    if not any(g.rank >= Action.OVERSEE for g in user_grants(request.user)):
        raise PermissionDenied
    form = PostForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        user=request.user,
    )
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k not in FILES and k != "version"}
        files = {k: form.cleaned_data.get(k) for k in FILES}
        try:
            post = services.post_create(actor=request.user, data=data, files=files)
        except ValidationError as exc:
            form.add_error(None, exc)
        except PermissionDenied:
            form.add_error("region", _("Wilayah ini di luar wilayah yang Anda awasi."))
        else:
            messages.success(request, _("Pos %(name)s dicatat.") % {"name": post.name})
            return redirect(post)
    return render_page(request, "posts/post_form.html", {"form": form, "post": None})


def post_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Show a post: profile, legal standing, board, warnings, status history and Riwayat."""
    post = get_scoped_object(post_list(user=request.user), request.user, "view", pk=pk)
    terms = board_terms_with_officers(post)
    rank = rank_on_post(request.user, post)
    ctx = {
        "post": post,
        "terms": terms,
        "warnings": post_warnings(post, terms),
        "status_changes": post.status_changes.select_related("changed_by")[:20],
        "service_area": post.service_area.all(),
        "children": post.children.select_related("region"),
        "history": history_for(post),
        "can_manage": rank >= Action.MANAGE,
        "can_oversee": rank >= Action.OVERSEE,
        "status_form": PostStatusForm(initial={"status": post.status}),
    }
    return render_page(request, "posts/post_detail.html", ctx)


def post_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Edit a post's profile, legal standing and contacts."""
    post = get_scoped_object(post_list(user=request.user), request.user, "manage", pk=pk)
    form = PostForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        instance=post,
        user=request.user,
    )
    if rank_on_region(request.user, post.region_id) < Action.OVERSEE:
        form.fields["region"].disabled = True  # only overseers move a post to another seat
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k not in FILES and k != "version"}
        files = {k: form.cleaned_data.get(k) for k in FILES if k in request.FILES}
        try:
            post = services.post_update(
                actor=request.user, post=post, data=data, files=files, version=form.cleaned_data.get("version")
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Perubahan disimpan."))
            return redirect(post)
    return render_page(request, "posts/post_form.html", {"form": form, "post": post})


@require_POST
def post_status(request: HttpRequest, pk: int) -> HttpResponse:
    """Change a post's status (overseers only)."""
    post = get_scoped_object(post_list(user=request.user), request.user, "oversee", pk=pk)
    form = PostStatusForm(request.POST)
    if form.is_valid():
        try:
            services.post_set_status(actor=request.user, post=post, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Status diubah."))
    else:
        messages.error(request, _("Status tidak valid."))
    return redirect(post)


def post_file(request: HttpRequest, pk: int, field: str) -> HttpResponse:
    """Download one of a post's documents, for those who may see the post."""
    if field not in FILES:
        raise Http404
    post = get_scoped_object(Post, request.user, "view", pk=pk)
    f = getattr(post, field)
    if not f:
        raise Http404
    return FileResponse(f.open("rb"), as_attachment=True, filename=f.name.rsplit("/", 1)[-1])


def board_file(request: HttpRequest, pk: int, term_pk: int) -> HttpResponse:
    """Download a board term's basis document, for those who may see the post."""
    term = get_scoped_object(board_term_list(user=request.user), request.user, "view", pk=term_pk, post_id=pk)
    if not term.basis_file:
        raise Http404
    return FileResponse(
        term.basis_file.open("rb"), as_attachment=True, filename=term.basis_file.name.rsplit("/", 1)[-1]
    )


def board_form(request: HttpRequest, pk: int, term_pk: int | None = None) -> HttpResponse:
    """Create or edit a board term."""
    post = get_scoped_object(Post, request.user, "manage", pk=pk)
    term = get_object_or_404(BoardTerm, pk=term_pk, post=post) if term_pk else None
    form = BoardTermForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        instance=term,
    )
    if request.method == "POST" and form.is_valid():
        data = {k: form.cleaned_data[k] for k in ("starts_on", "ends_on", "basis")}
        upload = request.FILES.get("basis_file")
        try:
            if term:
                term = services.board_term_update(
                    actor=request.user, term=term, data=data, basis_file=upload, version=form.cleaned_data["version"]
                )
            else:
                term = services.board_term_create(actor=request.user, post=post, data=data, basis_file=upload)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Kepengurusan disimpan."))
            return redirect(term)
    return render_page(request, "posts/board_form.html", {"form": form, "post": post, "term": term})


def board_detail(request: HttpRequest, pk: int, term_pk: int) -> HttpResponse:
    """Show a board term with its officers, and add officers to it."""
    term = get_scoped_object(board_term_list(user=request.user), request.user, "view", pk=term_pk, post_id=pk)
    can_manage = rank_on_post(request.user, term.post) >= Action.MANAGE
    form = OfficerForm(request.POST if request.method == "POST" else None, user=request.user)
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.officer_add(actor=request.user, term=term, data=form.cleaned_data)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Pengurus ditambahkan."))
                return redirect(term)
    terms = board_terms_with_officers(term.post)
    current = next(t for t in terms if t.pk == term.pk)
    ctx = {
        "term": current,
        "post": term.post,
        "form": form,
        "can_manage": can_manage,
        "warnings": post_warnings(term.post, [current]),
        "history": history_for(term),
    }
    return render_page(request, "posts/board_detail.html", ctx)


@require_POST
def officer_remove(request: HttpRequest, pk: int, officer_pk: int) -> HttpResponse:
    """Take an officer off a board."""
    officer = get_scoped_object(
        officer_list(user=request.user), request.user, "manage", pk=officer_pk, term__post_id=pk
    )
    term = officer.term
    services.officer_remove(actor=request.user, officer=officer)
    messages.success(request, _("Pengurus dihapus dari kepengurusan."))
    return redirect(term)


def post_alerts(request: HttpRequest) -> HttpResponse:
    """Every SKT and board-term alert of the posts the user can see, most overdue first."""
    page = Paginator(alerts_for_user(user=request.user), 50).get_page(request.GET.get("page"))
    return render_page(request, "posts/post_alerts.html", {"page_obj": page, "querystring_base": ""})


@login_not_required
@cache_page_until_change
def post_public(request: HttpRequest, slug: str) -> HttpResponse:
    """The public profile of a post: name, region, contacts, board, status."""
    post = get_object_or_404(post_public_list(), slug=slug)
    terms = board_terms_with_officers(post)
    today_terms = [t for t in terms if t.officers.all()]
    ctx = {"post": post, "term": today_terms[0] if today_terms else None}
    return render_page(request, "posts/post_public.html", ctx)


@login_not_required
@cache_page_until_change
def post_directory(request: HttpRequest) -> HttpResponse:
    """The public directory of posts, searchable without logging in."""
    f = PostFilter(request.GET, queryset=post_public_list())
    page = Paginator(f.qs, 25).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    base = params.urlencode()
    ctx = {"filter": f, "page_obj": page, "querystring_base": base + "&" if base else ""}
    return render_page(request, "posts/post_directory.html", ctx, fragment="results")
