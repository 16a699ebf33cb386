"""Log in and out, reset passwords, the profile with API tokens, and grants."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse_lazy
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from posyantek.accounts import services
from posyantek.accounts.filters import GrantFilter
from posyantek.accounts.forms import InviteForm, ProfileForm, TokenForm
from posyantek.accounts.models import ApiToken
from posyantek.accounts.selectors import grant_list, roles_grantable
from posyantek.core.exports import Table, export_response
from posyantek.core.htmx import render_page
from posyantek.core.lists import list_context

login = login_not_required(auth_views.LoginView.as_view(template_name="accounts/login.html"))
logout = auth_views.LogoutView.as_view()
password_reset = login_not_required(
    auth_views.PasswordResetView.as_view(
        template_name="accounts/password_reset.html",
        email_template_name="accounts/email/password_reset.txt",
        subject_template_name="accounts/email/password_reset_subject.txt",
        success_url=reverse_lazy("accounts:password_reset_done"),
    )
)
password_reset_done = login_not_required(
    auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html")
)
password_reset_confirm = login_not_required(
    auth_views.PasswordResetConfirmView.as_view(
        template_name="accounts/password_reset_confirm.html",
        success_url=reverse_lazy("accounts:password_reset_complete"),
    )
)
password_reset_complete = login_not_required(
    auth_views.PasswordResetCompleteView.as_view(template_name="accounts/password_reset_complete.html")
)


def profile(request: HttpRequest) -> HttpResponse:
    """Show and edit the user's profile; create and revoke API tokens."""
    form = ProfileForm(
        request.POST if request.method == "POST" and "token-name" not in request.POST else None,
        initial={f: getattr(request.user, f) for f in ("full_name", "phone", "language")},
        prefix="profile",
    )
    token_form = TokenForm(prefix="token")
    new_token = None
    if request.method == "POST" and "token-name" in request.POST:
        token_form = TokenForm(request.POST, prefix="token")
        if token_form.is_valid():
            _token, new_token = services.token_create(actor=request.user, name=token_form.cleaned_data["name"])
    elif request.method == "POST" and form.is_valid():
        services.user_profile_update(actor=request.user, data=form.cleaned_data)
        translation.activate(request.user.language)
        response = redirect("accounts:profile")
        response.set_cookie("django_language", request.user.language)
        messages.success(request, _("Profil disimpan."))
        return response
    ctx = {
        "form": form,
        "token_form": token_form,
        "new_token": new_token,
        "tokens": request.user.api_tokens.order_by("-created"),
    }
    return render_page(request, "accounts/profile.html", ctx)


@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    """Revoke one of the user's own API tokens."""
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    services.token_revoke(actor=request.user, token=token)
    messages.success(request, _("Token dicabut."))
    return redirect("accounts:profile")


def grant_list_view(request: HttpRequest) -> HttpResponse:
    """List the grants the user manages, and invite someone with a role."""
    if not roles_grantable(user=request.user):
        raise PermissionDenied
    form = InviteForm(request.POST if request.method == "POST" else None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            user, grant = services.user_invite(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        except PermissionDenied:
            form.add_error(
                None, _("Anda hanya dapat memberi peran setingkat atau di bawah peran Anda, di wilayah Anda.")
            )
        else:
            messages.success(request, _("%(email)s kini %(role)s.") % {"email": user.email, "role": grant})
            return redirect("accounts:grant_list")

    # Prefixed: the invite form beside it has a "role" field too.
    f = GrantFilter(request.GET, queryset=grant_list(user=request.user).order_by("-created"), prefix="cari")
    if request.GET.get("format") in ("csv", "xlsx"):
        rows = ((g.user.full_name, g.user.email, g.get_role_display(), g.scope_label, g.created.date()) for g in f.qs)
        table = Table("Hak akses", ["Nama", "E-mail", "Peran", "Cakupan", "Sejak"], rows)
        return export_response(table, request.GET["format"], "hak-akses")
    ctx = list_context(request, f)
    ctx["form"] = form
    return render_page(request, "accounts/grant_list.html", ctx)


@require_POST
def grant_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    """Take a role away from someone, inside the user's scope."""
    grant = get_object_or_404(grant_list(user=request.user), pk=pk)
    try:
        services.grant_revoke(actor=request.user, grant=grant)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Hak akses dicabut."))
    return redirect("accounts:grant_list")
