"""Invitations, grants and API tokens. An officer acts only inside their scope, never above their role."""

from __future__ import annotations

import secrets
from typing import Any

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from posyantek.accounts.models import ApiToken, Grant, User
from posyantek.core import audit
from posyantek.core.scoping import Action, forget_grants, rank_on_post, rank_on_region, user_grants


def _actor_rank(actor: Any, *, region: Any = None, post: Any = None) -> int:
    if post is not None:
        return rank_on_post(actor, post)
    if region is not None:
        return rank_on_region(actor, region.code)
    return max((g.rank for g in user_grants(actor) if g.is_national), default=0)


def grant_check(*, actor: Any, role: str, region: Any = None, post: Any = None) -> None:
    """Raise unless `actor` may give `role` on that scope; shape errors become field errors."""
    if role not in Grant.RANK:
        raise ValidationError({"role": _("Peran tidak dikenal.")})
    if role == "national_admin":
        if region is not None or post is not None:
            raise ValidationError({"role": _("Admin nasional tidak terikat wilayah atau pos.")})
    elif role in Grant.POST_ROLES:
        if post is None or region is not None:
            raise ValidationError({"post": _("Peran ini diberikan pada satu pos; pilih posnya.")})
    else:
        if region is None or post is not None:
            raise ValidationError({"region": _("Peran ini diberikan pada wilayah; pilih wilayahnya.")})
        need = Grant.REGION_LEVEL.get(role)
        if need and region.level != need:
            raise ValidationError(
                {"region": _("Peran %(role)s diberikan pada tingkat %(level)s.")
                 % {"role": Grant.Role(role).label, "level": region.Level(need).label.lower()}}
            )  # fmt: skip
    rank = _actor_rank(actor, region=region, post=post)
    if rank < Action.MANAGE or rank < Grant.RANK[role]:
        raise PermissionDenied


@transaction.atomic
def grant_create(*, actor: Any, user: User, role: str, region: Any = None, post: Any = None) -> Grant:
    """Give `user` a role on a region, a post or nationally."""
    grant_check(actor=actor, role=role, region=region, post=post)
    grant, created = Grant.objects.get_or_create(
        user=user, role=role, region=region, post=post, defaults={"granted_by": actor}
    )
    if created:
        audit.record(
            actor,
            "grant",
            user,
            {"role": [None, role], "scope": [None, grant.scope_label]},
            region_id=region.code if region else (post.region_id if post else None),
            post_id=post.pk if post else None,
        )
        forget_grants(user)
    return grant


@transaction.atomic
def grant_revoke(*, actor: Any, grant: Grant) -> None:
    """Take a role away; the actor must be allowed to give it, and may not lock themselves out."""
    if grant.user_id == actor.pk:
        raise ValidationError(_("Anda tidak dapat mencabut hak akses Anda sendiri; minta petugas di atas Anda."))
    grant_check(actor=actor, role=grant.role, region=grant.region, post=grant.post)
    audit.record(
        actor,
        "revoke",
        grant.user,
        {"role": [grant.role, None], "scope": [grant.scope_label, None]},
        region_id=grant.region_id or (grant.post.region_id if grant.post_id else None),
        post_id=grant.post_id,
    )
    grant.delete()
    forget_grants(grant.user)


def _send_set_password(user: User, *, subject: str, template: str, inviter: Any = None) -> None:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    link = settings.SITE_URL.rstrip("/") + reverse("accounts:password_reset_confirm", args=[uid, token])
    ctx = {"user": user, "link": link, "inviter": inviter}
    with translation.override(user.language or "id"):
        body = render_to_string(template, ctx)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])


@transaction.atomic
def user_invite(
    *, actor: Any, email: str, full_name: str, role: str, region: Any = None, post: Any = None
) -> tuple[User, Grant]:
    """Invite someone by e-mail with a role; a new account gets a link to set its password."""
    grant_check(actor=actor, role=role, region=region, post=post)
    email = email.strip().lower()
    user = User.objects.filter(email=email).first()
    is_new = user is None
    if is_new:
        user = User.objects.create_user(email=email, password=None, full_name=full_name)
        audit.record(
            actor,
            "invite",
            user,
            {"email": [None, email]},
            region_id=region.code if region else (post.region_id if post else None),
            post_id=post.pk if post else None,
        )
    grant = grant_create(actor=actor, user=user, role=role, region=region, post=post)
    if is_new:
        transaction.on_commit(
            lambda: _send_set_password(
                user,
                subject=_("Undangan ke Posyantek / Invitation to Posyantek"),
                template="accounts/email/invite.txt",
                inviter=actor,
            )
        )
    return user, grant


@transaction.atomic
def user_profile_update(*, actor: User, data: dict[str, Any]) -> User:
    """Change the actor's own name, phone and language."""
    fields = [f for f in ("full_name", "phone", "language") if f in data]
    before = audit.snapshot(actor, fields)
    for f in fields:
        setattr(actor, f, data[f])
    actor.save(update_fields=fields)
    changes = audit.diff(before, audit.snapshot(actor, fields))
    if changes:
        audit.record(actor, "update", actor, changes)
    return actor


@transaction.atomic
def token_create(*, actor: User, name: str) -> tuple[ApiToken, str]:
    """Make an API token for the actor; the raw value is shown once and never stored."""
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Beri nama token, mis. 'skrip laporan'.")})
    raw = "pyt_" + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(user=actor, name=name[:80], prefix=raw[:10], token_hash=ApiToken.hash(raw))
    audit.record(actor, "token", actor, {"token": [None, f"{token.name} ({token.prefix}…)"]})
    return token, raw


@transaction.atomic
def token_revoke(*, actor: User, token: ApiToken) -> None:
    """Revoke one of the actor's own tokens."""
    if token.user_id != actor.pk:
        raise PermissionDenied
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit.record(actor, "token", actor, {"token": [f"{token.name} ({token.prefix}…)", None]})
