"""Accounts: login and lockout, password reset, invitations and grants, API tokens."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from conftest import PASSWORD, login
from posyantek.accounts import services
from posyantek.accounts.models import ApiToken, Grant, User
from posyantek.core.models import AuditEvent


def test_login_with_email_and_password(manager, client: Client) -> None:
    r = client.post("/akun/masuk", {"username": "manager@example.id", "password": PASSWORD})
    assert r.status_code == 302
    assert client.get("/pos/").status_code == 200


def test_login_wrong_password_message_and_lockout(manager, client: Client) -> None:
    r = client.post("/akun/masuk", {"username": "manager@example.id", "password": "salah"})
    assert r.status_code == 200 and "E-mail atau kata sandi salah" in r.content.decode()
    for _ in range(3):
        r = client.post("/akun/masuk", {"username": "manager@example.id", "password": "salah"})
    r = client.post("/akun/masuk", {"username": "manager@example.id", "password": PASSWORD})
    assert r.status_code == 429 and "dikunci sementara" in r.content.decode()


def test_password_reset_sends_mail_with_working_link(manager, client: Client) -> None:
    r = client.post("/akun/lupa-sandi", {"email": "manager@example.id"})
    assert r.status_code == 302
    assert len(mail.outbox) == 1 and "Atur ulang kata sandi" in mail.outbox[0].subject
    link = next(line for line in mail.outbox[0].body.splitlines() if "/akun/sandi/" in line)
    path = link.split("testserver", 1)[1]
    r = client.get(path, follow=True)
    assert r.status_code == 200
    r = client.post(
        r.redirect_chain[-1][0], {"new_password1": "Kata-sandi-baru-99", "new_password2": "Kata-sandi-baru-99"}
    )
    assert r.status_code == 302
    assert User.objects.get(pk=manager.pk).check_password("Kata-sandi-baru-99")


def test_invite_creates_user_grant_and_sends_mail(officer, posts, django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        user, grant = services.user_invite(
            actor=officer, email="Baru@Example.id", full_name="Pengurus Baru", role="post_staff", post=posts["mitra"]
        )
    assert user.email == "baru@example.id" and not user.has_usable_password()
    assert grant.post == posts["mitra"]
    assert len(mail.outbox) == 1 and "/akun/sandi/" in mail.outbox[0].body
    assert AuditEvent.objects.filter(action="grant", post_id=posts["mitra"].pk).exists()


def test_grant_only_inside_scope_and_never_above_own_role(officer, manager, viewer, regions, posts) -> None:
    target = User.objects.create_user(email="t@example.id", password=PASSWORD)
    with pytest.raises(PermissionDenied):  # outside the officer's city
        services.grant_create(actor=officer, user=target, role="viewer", region=regions["31"])
    with pytest.raises(PermissionDenied):  # above the officer's own role
        services.grant_create(actor=officer, user=target, role="province_officer", region=regions["33"])
    with pytest.raises(PermissionDenied):  # a viewer cannot grant at all
        services.grant_create(actor=viewer, user=target, role="viewer", region=regions["33.75"])
    with pytest.raises(PermissionDenied):  # a post manager cannot make someone manage a region
        services.grant_create(actor=manager, user=target, role="kecamatan_coordinator", region=regions["33.75.03"])
    with pytest.raises(ValidationError):  # a city role belongs on a kabupaten/kota
        services.grant_create(actor=officer, user=target, role="city_officer", region=regions["33.75.03"])
    services.grant_create(actor=manager, user=target, role="post_staff", post=posts["mitra"])
    services.grant_create(actor=officer, user=target, role="kecamatan_coordinator", region=regions["33.75.03"])
    assert Grant.objects.filter(user=target).count() == 2


def test_grant_pages(officer, viewer, outsider, posts) -> None:
    c = login(officer)
    r = c.post("/akun/hak-akses", {"email": "x@example.id", "full_name": "X", "role": "viewer", "region": "31"})
    assert "Anda hanya dapat memberi peran" in r.content.decode()
    r = c.post("/akun/hak-akses", {"email": "x@example.id", "full_name": "X", "role": "viewer", "region": "33.75"})
    assert r.status_code == 302
    assert login(viewer).get("/akun/hak-akses").status_code == 403
    grant = Grant.objects.get(user__email="x@example.id")
    assert login(outsider).post(f"/akun/hak-akses/{grant.pk}/cabut").status_code == 404
    assert c.post(f"/akun/hak-akses/{grant.pk}/cabut").status_code == 302
    assert not Grant.objects.filter(pk=grant.pk).exists()


def test_grant_form_offers_only_roles_up_to_own(officer) -> None:
    html = login(officer).get("/akun/hak-akses").content.decode()
    invite_roles = html.split('name="role"', 1)[1].split("</select>", 1)[0]
    assert 'value="city_officer"' in invite_roles
    assert 'value="province_officer"' not in invite_roles


def test_token_create_use_and_revoke(manager, posts) -> None:
    c = login(manager)
    r = c.post("/akun/profil", {"token-name": "skrip"})
    raw = r.context["new_token"]
    assert raw.startswith("pyt_") and not ApiToken.objects.filter(token_hash=raw).exists()
    api = Client()
    r = api.get("/api/v1/posts", headers={"Authorization": f"Bearer {raw}"})
    assert r.status_code == 200 and [p["name"] for p in r.json()["items"]] == [
        "Posyantek Mitra Pantura",
        "Wartek Panjang Wetan",
    ]
    r = api.get(f"/api/v1/posts/{posts['dki'].pk}", headers={"Authorization": f"Bearer {raw}"})
    assert r.status_code == 404
    token = ApiToken.objects.get(user=manager)
    assert c.post(f"/akun/token/{token.pk}/cabut").status_code == 302
    assert api.get("/api/v1/posts", headers={"Authorization": f"Bearer {raw}"}).status_code == 401


def test_token_revoke_someone_elses_is_404(manager, officer) -> None:
    token, _raw = services.token_create(actor=officer, name="milik officer")
    assert login(manager).post(f"/akun/token/{token.pk}/cabut").status_code == 404


def test_profile_language_switch(manager) -> None:
    c = login(manager)
    r = c.post("/akun/profil", {"profile-full_name": "Manajer", "profile-phone": "", "profile-language": "en"})
    assert r.status_code == 302
    assert User.objects.get(pk=manager.pk).language == "en"


def test_token_can_write_without_session_or_csrf(manager, posts) -> None:
    _row, raw = services.token_create(actor=manager, name="skrip")
    api = Client(enforce_csrf_checks=True)
    r = api.patch(
        f"/api/v1/posts/{posts['mitra'].pk}",
        {"phone": "0812-1"},
        content_type="application/json",
        headers={"Authorization": f"Bearer {raw}"},
    )
    assert r.status_code == 200
    assert r.json()["phone"] == "0812-1"


def test_creating_a_token_keeps_the_profile_form_intact(manager) -> None:
    c = login(manager)
    r = c.post("/akun/profil", {"token-name": "skrip"})
    html = r.content.decode()
    assert "Ada yang perlu diperbaiki" not in html
    assert 'value="Manager"' in html


def test_grant_list_search_export_and_query_budget(officer, manager, outsider, django_assert_max_num_queries) -> None:
    c = login(officer)
    with django_assert_max_num_queries(12):
        html = c.get("/akun/hak-akses?cari-q=manager").content.decode()
    assert "manager@example.id" in html
    assert "outsider@example.id" not in html
    text = c.get("/akun/hak-akses?format=csv").content.decode("utf-8-sig")
    assert "manager@example.id" in text
    assert "outsider@example.id" not in text


def test_cached_backend_reuses_the_user_briefly_and_hands_out_copies(manager, settings) -> None:
    from posyantek.accounts.backends import CachedModelBackend, _users

    settings.USER_CACHE_SECONDS = 60
    _users.clear()
    backend = CachedModelBackend()
    first = backend.get_user(manager.pk)
    first._grant_cache = ["set during a request"]
    second = backend.get_user(manager.pk)
    assert second == manager
    assert second is not first
    assert not hasattr(second, "_grant_cache")
    settings.USER_CACHE_SECONDS = 0
    User.objects.filter(pk=manager.pk).update(is_active=False)
    assert backend.get_user(manager.pk) is None
    _users.clear()


def test_nobody_revokes_their_own_grant(officer) -> None:
    grant = Grant.objects.get(user=officer)
    r = login(officer).post(f"/akun/hak-akses/{grant.pk}/cabut", follow=True)
    assert "tidak dapat mencabut hak akses Anda sendiri" in r.content.decode()
    assert Grant.objects.filter(pk=grant.pk).exists()


def test_session_memo_is_dropped_at_logout(manager, settings) -> None:
    from posyantek.accounts import sessions

    settings.SESSION_MEMO_SECONDS = 60
    sessions._memo.clear()
    c = Client()
    c.post("/akun/masuk", {"username": "manager@example.id", "password": PASSWORD})
    key = c.cookies["sessionid"].value
    assert c.get("/pos/").status_code == 200
    assert key in sessions._memo
    c.post("/akun/keluar")
    assert key not in sessions._memo
    stale = Client()
    stale.cookies["sessionid"] = key
    assert stale.get("/pos/").status_code == 302  # the old cookie no longer logs in
    sessions._memo.clear()
