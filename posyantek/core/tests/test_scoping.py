"""The one scoping mechanism: subtrees, post grants, ranks."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404

from conftest import make_user
from posyantek.core.scoping import get_scoped_object, rank_on_post, rank_on_region, user_can
from posyantek.posts.models import Post


def names(qs: object) -> set[str]:
    return {p.name for p in qs}  # type: ignore[attr-defined]


def test_region_grant_covers_the_subtree_only(officer, posts) -> None:
    assert names(Post.objects.for_user(officer)) == {"Posyantek Mitra Pantura", "Wartek Panjang Wetan"}


def test_province_officer_sees_own_province_not_others(posts) -> None:
    jateng = make_user("jateng@example.id", ("province_officer", "33"))
    assert "Posyantek Gambir" not in names(Post.objects.for_user(jateng))
    assert "Posyantek Mitra Pantura" in names(Post.objects.for_user(jateng))


def test_post_grant_covers_the_post_and_lets_it_view_child_posts(manager, posts) -> None:
    assert names(Post.objects.for_user(manager, "manage")) == {"Posyantek Mitra Pantura"}
    assert names(Post.objects.for_user(manager, "view")) == {"Posyantek Mitra Pantura", "Wartek Panjang Wetan"}
    assert not user_can(manager, posts["wartek"], "edit")


def test_viewer_can_view_but_not_edit(viewer, posts) -> None:
    assert user_can(viewer, posts["mitra"], "view")
    assert not user_can(viewer, posts["mitra"], "edit")


def test_anonymous_and_inactive_see_nothing(posts, officer) -> None:
    assert not Post.objects.for_user(AnonymousUser()).exists()
    officer.is_active = False
    assert not Post.objects.for_user(officer).exists()


def test_national_admin_sees_everything(admin, posts) -> None:
    assert Post.objects.for_user(admin, "oversee").count() == 3


def test_code_prefix_does_not_leak_to_sibling_codes(regions, posts) -> None:
    # A grant on 33.7 must not cover 33.75: subtrees are dotted paths, not string prefixes.
    from posyantek.regions.models import Region

    Region.objects.create(code="33.7", name="Fiktif", level=2, kind="kota", parent_id="33")
    user = make_user("x@example.id", ("city_officer", "33.7"))
    assert not Post.objects.for_user(user).exists()


def test_get_scoped_object_404_outside_and_403_when_role_too_low(viewer, outsider, posts) -> None:
    with pytest.raises(Http404):
        get_scoped_object(Post, outsider, "view", pk=posts["mitra"].pk)
    with pytest.raises(PermissionDenied):
        get_scoped_object(Post, viewer, "manage", pk=posts["mitra"].pk)
    assert get_scoped_object(Post, viewer, "view", pk=posts["mitra"].pk) == posts["mitra"]


def test_ranks(officer, manager, posts) -> None:
    assert rank_on_region(officer, "33.75.03.1004") == 50
    assert rank_on_region(officer, "31") == 0
    assert rank_on_post(manager, posts["mitra"]) == 30
    assert rank_on_post(manager, posts["dki"]) == 0


def test_grants_are_cached_per_request(officer, posts, django_assert_num_queries) -> None:
    list(Post.objects.for_user(officer))
    with django_assert_num_queries(1):
        list(Post.objects.for_user(officer))
