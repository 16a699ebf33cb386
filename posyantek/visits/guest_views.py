"""The guest book: the public page guests sign on their phones (/kunjungan/buku-tamu/<token>/, no login, rate
limited), and the staff side on the visit page (entries, signatures, QR code, export and a printable page)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from posyantek.core import ratelimit
from posyantek.core.exports import Table, export_response
from posyantek.core.lib.phone import display_phone
from posyantek.trainings.certificates import qr_svg
from posyantek.visits import guestbook
from posyantek.visits.forms import GuestForm, PublicGuestForm
from posyantek.visits.models import GuestEntry
from posyantek.visits.selectors import guest_list, visit_by_token_unscoped
from posyantek.visits.views import add_errors, detail, visit_get

#: Entries one address may send per minute on the public page (a delegation may share one connection).
GUEST_POSTS_PER_MINUTE = 30


def _too_many(request: HttpRequest, seconds: int) -> HttpResponse:
    message = _("Terlalu banyak permintaan dari alamat Anda. Tunggu sebentar, lalu coba lagi.")
    response = render(request, "error.html", {"code": 429, "title": _("Terlalu banyak permintaan"),
                                              "message": message}, status=429)  # fmt: skip
    response["Retry-After"] = str(seconds)
    return response


@login_not_required
def guestbook_public(request: HttpRequest, token: str) -> HttpResponse:
    """Let a guest write their name and sign with a finger (or tick "Saya hadir") while the book is open."""
    visit = visit_by_token_unscoped(token)
    if visit is None:
        raise Http404
    posted = request.method == "POST"
    form = PublicGuestForm(request.POST if posted else None)
    done = None
    if posted:
        if not ratelimit.allow(f"buku-tamu:{ratelimit.client_ip(request)}", limit=GUEST_POSTS_PER_MINUTE,
                               per_seconds=60):  # fmt: skip
            return _too_many(request, 60)
        if form.is_valid():
            if form.cleaned_data["website"]:  # the honeypot: answer as if it worked, save nothing
                done = GuestEntry(name=form.cleaned_data["name"], signed_at=timezone.now())
            else:
                try:
                    done = guestbook.guest_add(actor=None, visit=visit, data=form.cleaned_data, public=True)
                except ValidationError as exc:
                    add_errors(form, exc)
        if form.errors and "signature" in form.errors:
            # A signature that could not be read is not sent back; a good one is, and the pad redraws it.
            form.data = form.data.copy()
            form.data["signature"] = ""
    closed = guestbook.closed_message(visit)
    ctx = {"visit": visit, "form": form, "done": done, "closed": closed}
    status = 422 if posted and form.errors else 200
    return render(request, "visits/public/guestbook.html", ctx, status=status)


@require_POST
def guest_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Write a guest into the book from the visit page (staff; e.g. copied from the paper guest book)."""
    visit = visit_get(request, pk, "edit")
    form = GuestForm(request.POST)
    if form.is_valid():
        try:
            guestbook.guest_add(actor=request.user, visit=visit, data=form.cleaned_data)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Tamu dicatat di buku tamu."))
            return redirect(f"{visit.get_absolute_url()}#buku-tamu")
    return detail(request, visit, guest_form=form)


@require_POST
def guest_remove(request: HttpRequest, pk: int, gpk: int) -> HttpResponse:
    """Delete a guest-book entry written by mistake."""
    visit = visit_get(request, pk, "edit")
    entry = GuestEntry.objects.for_user(request.user, "edit").filter(visit=visit, pk=gpk).first()
    if entry is None:
        raise Http404
    try:
        guestbook.guest_remove(actor=request.user, entry=entry)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Dihapus."))
    return redirect(f"{visit.get_absolute_url()}#buku-tamu")


def guest_signature(request: HttpRequest, pk: int, gpk: int) -> HttpResponse:
    """Stream a guest's drawn signature (PNG) for a visit the user may see."""
    visit = visit_get(request, pk)
    entry = GuestEntry.objects.for_user(request.user, "view").filter(visit=visit, pk=gpk).first()
    if entry is None or not entry.signature:
        raise Http404
    try:
        return FileResponse(entry.signature.open("rb"), content_type="image/png")
    except FileNotFoundError as exc:
        raise Http404 from exc


def guestbook_qr(request: HttpRequest, pk: int) -> HttpResponse:
    """The QR code of the visit's public guest-book page, as SVG (to show on a screen or print at the door)."""
    visit = visit_get(request, pk)
    url = request.build_absolute_uri(reverse("visits:guestbook_public", args=[visit.guestbook_token]))
    return HttpResponse(qr_svg(url), content_type="image/svg+xml")


def guestbook_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """Download the guest book as XLSX or CSV."""
    visit = visit_get(request, pk)
    if fmt not in ("xlsx", "csv"):
        raise Http404
    headers = ["No.", "Nama", "Instansi", "Jabatan", "Telepon/WhatsApp", "Waktu hadir", "Tanda tangan", "Dicatat oleh"]
    rows = (
        [i, g.name, g.institution, g.position, display_phone(g.phone) if g.phone else "",
         timezone.localtime(g.signed_at).replace(tzinfo=None),
         "digores" if g.signature else "ketuk hadir" if g.recorded_by_id is None else "dicatat petugas",
         g.recorded_by.full_name if g.recorded_by else "tamu sendiri"]
        for i, g in enumerate(guest_list(user=request.user, visit=visit), 1)
    )  # fmt: skip
    return export_response(Table("Buku tamu", headers, rows), fmt, f"buku-tamu-{visit.pk}")


def guestbook_print(request: HttpRequest, pk: int) -> HttpResponse:
    """A printable page of the guest book, with the signatures."""
    visit = visit_get(request, pk)
    ctx = {"visit": visit, "guests": guest_list(user=request.user, visit=visit),
           "agenda": visit.agenda.select_related("site_region")}  # fmt: skip
    return render(request, "visits/guestbook_print.html", ctx)
