"""Staff pages of service requests: list with export, intake, the request with its workflow, needs map."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.functional import cached_property
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from posyantek.catalog.models import Ttg
from posyantek.consultations import notify, services, workflow
from posyantek.consultations.filters import RequestFilter
from posyantek.consultations.forms import AssignForm, CheckForm, RequestEditForm, StaffRequestForm, TransitionForm
from posyantek.consultations.models import MonitoringCheck, ServiceRequest
from posyantek.consultations.selectors import needs_map, overdue, request_list, service_stats, ttg_suggestions
from posyantek.core.exports import Table, export_response
from posyantek.core.htmx import render_page
from posyantek.core.lib.phone import display_phone
from posyantek.core.lists import PAGE_SIZE
from posyantek.core.pagecache import cache_page_until_change
from posyantek.core.scoping import Action, get_scoped_object, user_can, user_grants
from posyantek.core.selectors import history_for
from posyantek.core.templatetags.fmt import waktu
from posyantek.posts.models import Post
from posyantek.regions.selectors import region_ancestors, region_get

EXPORT_HEADERS = [
    "Kode", "Diterima", "Saluran", "Pemohon", "Telepon", "Kode wilayah", "Wilayah", "Pos", "Bidang", "Komoditas",
    "Kebutuhan", "Status", "Status sejak", "Target", "Petugas", "Dirujuk ke", "Nilai",
]  # fmt: skip


class CappedPaginator(Paginator):
    """Count at most CAP rows: a filtered count over a million rows costs more than the page itself.

    Past the cap the page says "more than 10.000" and offers the first cap / page-size pages; a narrower filter
    finds the rest. A text search (which reads every row it counts) stops counting at 1.000.
    """

    def __init__(self, *args: Any, cap: int = 10_000, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.cap = cap
        self.capped = False

    @cached_property
    def count(self) -> int:
        # Without ordering and joins: the database counts index entries and sorts nothing.
        n = self.object_list.select_related(None).order_by().values("pk")[: self.cap + 1].count()
        self.capped = n > self.cap
        return min(n, self.cap)


def _list_context(request: HttpRequest, filterset: Any) -> dict[str, Any]:
    """Return the page of the filtered requests, as core.lists.list_context does, with a capped count."""
    cap = 1_000 if request.GET.get("q", "").strip() else 10_000
    page = CappedPaginator(filterset.qs, PAGE_SIZE, cap=cap).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    params.pop("format", None)
    base = params.urlencode()
    return {"filter": filterset, "page_obj": page, "querystring_base": base + "&" if base else "", "query": base,
            "capped": page.paginator.capped}  # fmt: skip


def _post_in_scope(request: HttpRequest) -> int | None:
    """Return the `pos` asked for, or None; a post outside the user's scope is a 404, not an empty page."""
    post_id = request.GET.get("pos", "").strip()
    if not post_id:
        return None
    if not post_id.isdigit() or not Post.objects.for_user(request.user, "view").filter(pk=int(post_id)).exists():
        raise Http404
    return int(post_id)


def _can_create(request: HttpRequest) -> bool:
    return any(g.rank >= Action.EDIT for g in user_grants(request.user))


def _export(qs: Any, fmt: str) -> HttpResponse:
    rows = (
        [r.display_code, waktu(r.received_at), r.get_channel_display(), r.requester_name, r.phone, r.region_id,
         r.region.name, r.post.name if r.post else "", r.get_sector_display(), r.commodity, r.description,
         r.get_state_display(), waktu(r.state_since), waktu(r.due_at) if r.due_at else "",
         str(r.handler) if r.handler else "", r.referral_to, r.rating]
        for r in qs.iterator(chunk_size=2000)
    )  # fmt: skip
    return export_response(Table("Permohonan layanan", EXPORT_HEADERS, rows), fmt, "permohonan-layanan")


@cache_page_until_change
def request_list_view(request: HttpRequest) -> HttpResponse:
    """List the requests the user may see: filter, search, page, export; with the service-time figures."""
    qs = request_list(user=request.user)
    f = RequestFilter(request.GET, queryset=qs.order_by("-received_at", "-id"))
    if request.GET.get("format") in ("csv", "xlsx"):
        return _export(f.qs, request.GET["format"])
    ctx = _list_context(request, f)
    ctx["can_create"] = _can_create(request)
    return render_page(request, "consultations/request_list.html", ctx, fragment="results")


@cache_page_until_change
def service_stats_view(request: HttpRequest) -> HttpResponse:
    """Service times within the user's scope: targets per state, open and overdue, median days to resolve."""
    qs = ServiceRequest.objects.for_user(request.user, "view")
    post_id = _post_in_scope(request)
    if post_id:
        qs = qs.filter(post_id=post_id)
    ctx = {
        "stats": service_stats(qs),
        "targets": [(ServiceRequest.State(s).label, d) for s, d in workflow.target_days().items()],
        "months": workflow.monitoring_months(),
        "late": overdue(request_list(user=request.user)).order_by("due_at")[:50],
    }
    return render_page(request, "consultations/service_stats.html", ctx)


def request_create(request: HttpRequest) -> HttpResponse:
    """Record a request walked in, phoned or sent by WhatsApp."""
    if not _can_create(request):
        raise PermissionDenied
    form = StaffRequestForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k not in ("photos", "region_q")}
        try:
            req = services.request_create(actor=request.user, data=data, photos=form.cleaned_data["photos"])
        except ValidationError as exc:
            errors = exc.message_dict if hasattr(exc, "error_dict") else {None: exc.messages}
            for field, messages_ in errors.items():  # the region is picked through the visible region_q
                form.add_error("region_q" if field == "region" else field, messages_)
        else:
            messages.success(request, gettext("Permohonan %(code)s dicatat.") % {"code": req.display_code})
            return redirect(req)
    return render_page(request, "consultations/request_form.html", {"form": form, "req": None})


def _transition_forms(req: ServiceRequest, suggestions: list[Any]) -> list[tuple[Any, ...]]:
    choices = [(s.ttg.pk, s.ttg.name) for s in suggestions]
    chosen = [r.ttg_id for r in req.recommendations.all()]
    known = {pk for pk, _name in choices}
    choices += [(r.ttg_id, r.ttg.name) for r in req.recommendations.select_related("ttg") if r.ttg_id not in known]
    out = []
    for state in workflow.TRANSITIONS[req.state]:
        initial = {"to_state": state, "version": req.version, "ttgs": chosen}
        form = TransitionForm(initial=initial, request_obj=req, ttg_choices=choices, prefix=state)
        fields = [form[n] for n in ["note", "is_public", *TransitionForm.FIELDS_FOR.get(state, [])]]
        out.append((state, ServiceRequest.State(state).label, form, fields))
    return out


def _recommended(request: HttpRequest, req: ServiceRequest) -> list[tuple[Any, str | None]]:
    """Return the recommended TTGs with a link the user can open: the public catalogue page once published, the
    staff page when the user may see it (a Wartek's staff may not see its parent post's records), else none."""
    visible = set(Ttg.objects.for_user(request.user, "view").filter(
        pk__in=req.recommendations.values("ttg_id")).values_list("pk", flat=True))  # fmt: skip
    out = []
    for r in req.recommendations.select_related("ttg"):
        if r.ttg.publication == Ttg.Publication.PUBLISHED:
            out.append((r.ttg, r.ttg.get_public_url()))
        else:
            out.append((r.ttg, r.ttg.get_absolute_url() if r.ttg_id in visible else None))
    return out


def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Show a request: the need, photos, steps, suggestions from the catalogue, and the next steps."""
    req = get_scoped_object(request_list(user=request.user), request.user, "view", pk=pk)
    can_edit = user_can(request.user, req, "edit")
    suggestions = ttg_suggestions(req) if can_edit and not req.is_final else []
    ctx = {
        "req": req,
        "phone": display_phone(req.phone) if req.phone else "",
        "photos": req.photos.all(),
        "steps": req.steps.select_related("actor"),
        "checks": req.checks.select_related("done_by"),
        "recommended": _recommended(request, req),
        "suggestions": suggestions,
        "can_edit": can_edit,
        "transitions": _transition_forms(req, suggestions) if can_edit else [],
        "assign_form": AssignForm(initial={"version": req.version}, user=request.user) if can_edit else None,
        "check_form": CheckForm(),
        "notice": notify.requester_notice(req) if can_edit else None,
        "history": history_for(req),
    }
    return render_page(request, "consultations/request_detail.html", ctx)


def request_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Correct a request's details; an edit on an old version is refused."""
    req = get_scoped_object(request_list(user=request.user), request.user, "edit", pk=pk)
    initial = {f: getattr(req, f) for f in services.REQUEST_FIELDS} | {"version": req.version}
    form = RequestEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            services.request_update(actor=request.user, request=req, data=data, version=form.cleaned_data["version"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, gettext("Perubahan disimpan."))
            return redirect(req)
    return render_page(request, "consultations/request_form.html", {"form": form, "req": req})


@require_POST
def request_transition(request: HttpRequest, pk: int) -> HttpResponse:
    """Move a request one step along; a skipped step or an old version is refused with a message."""
    req = get_scoped_object(request_list(user=request.user), request.user, "edit", pk=pk)
    state = request.POST.get("state", "")
    choices = [(int(v), v) for v in request.POST.getlist(f"{state}-ttgs") if v.isdigit()]
    form = TransitionForm(request.POST, request_obj=req, ttg_choices=choices, prefix=state)
    if not form.is_valid():
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
        return redirect(req)
    try:
        req = services.request_transition(
            actor=request.user, request=req, to_state=form.cleaned_data["to_state"], note=form.cleaned_data["note"],
            is_public=form.cleaned_data["is_public"], version=form.cleaned_data["version"], **form.details(),
        )  # fmt: skip
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, gettext("Status diubah ke %(state)s.") % {"state": req.get_state_display()})
    return redirect(req)


@require_POST
def request_assign(request: HttpRequest, pk: int) -> HttpResponse:
    """Give a request to a post."""
    req = get_scoped_object(request_list(user=request.user), request.user, "edit", pk=pk)
    form = AssignForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            services.request_assign(actor=request.user, request=req, post=form.cleaned_data["post"],
                                    version=form.cleaned_data["version"])  # fmt: skip
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request, gettext("Permohonan diserahkan ke %(post)s.") % {"post": form.cleaned_data["post"]}
            )
    else:
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
    return redirect(req)


@require_POST
def check_record(request: HttpRequest, pk: int, check_pk: int) -> HttpResponse:
    """Record a monitoring check-in."""
    req = get_scoped_object(request_list(user=request.user), request.user, "edit", pk=pk)
    check = MonitoringCheck.objects.for_user(request.user, "edit").filter(pk=check_pk, request=req).first()
    if check is None:
        raise Http404
    form = CheckForm(request.POST)
    if form.is_valid():
        try:
            services.check_record(actor=request.user, check=check, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, gettext("Pemantauan dicatat."))
    else:
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
    return redirect(req)


def request_photo(request: HttpRequest, pk: int, photo_pk: int, size: str) -> HttpResponse:
    """Stream a request's photo to staff who may see the request."""
    req = get_scoped_object(request_list(user=request.user), request.user, "view", pk=pk)
    photo = req.photos.filter(pk=photo_pk).first()
    if photo is None or size not in ("besar", "kecil"):
        raise Http404
    try:
        return FileResponse((photo.image if size == "besar" else photo.thumbnail).open("rb"))
    except FileNotFoundError as exc:
        raise Http404 from exc


@cache_page_until_change
def needs_map_view(request: HttpRequest) -> HttpResponse:
    """Requests by area, sector and commodity, within the user's scope (a post's, or rolled up)."""
    code = request.GET.get("wilayah", "").strip()
    region = region_get(code) if code else None
    if code and region is None:
        raise Http404
    data = needs_map(user=request.user, region=region, post_id=_post_in_scope(request))
    ctx = {"map": data, "ancestors": region_ancestors(region) if region else [], "code": code}
    return render_page(request, "consultations/needs_map.html", ctx)
