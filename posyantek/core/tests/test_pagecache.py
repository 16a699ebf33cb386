"""Cached pages: served again until any write, per user, never with stale tokens or messages."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client, override_settings

from conftest import login
from posyantek.posts import services
from posyantek.posts.models import Post


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    with override_settings(PAGE_CACHE_ENABLED=True):
        yield
    cache.clear()


def test_public_page_is_cached_until_a_write(
    officer, posts, client: Client, django_capture_on_commit_callbacks
) -> None:
    first = client.get("/wilayah/33.75.03/")
    assert "X-Page-Cache" not in first
    again = client.get("/wilayah/33.75.03/")
    assert again["X-Page-Cache"] == "hit"
    assert again.content == first.content
    assert "csrfmiddlewaretoken" not in first.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        services.post_update(actor=officer, post=posts["mitra"], data={"name": "Mitra Pantura Baru"})
    fresh = client.get("/wilayah/33.75.03/")
    assert "X-Page-Cache" not in fresh
    assert "Mitra Pantura Baru" in fresh.content.decode()


def test_user_pages_are_cached_per_user(officer, outsider, posts) -> None:
    a, b = login(officer), login(outsider)
    a.get("/pos/")  # sets the CSRF cookie: a response that sets a cookie is never cached
    a.get("/pos/")
    assert a.get("/pos/")["X-Page-Cache"] == "hit"
    r = b.get("/pos/")
    assert "X-Page-Cache" not in r
    assert "Mitra Pantura" not in r.content.decode()


def test_a_waiting_message_is_shown_not_a_cached_page(officer, posts) -> None:
    c = login(officer)
    c.get("/pos/")
    c.get("/pos/")
    assert c.get("/pos/")["X-Page-Cache"] == "hit"
    c.post(f"/pos/{posts['mitra'].pk}/status", {"status": "bukan-status"})  # an error message, no write
    r = c.get("/pos/")
    assert "X-Page-Cache" not in r
    assert "Status tidak valid" in r.content.decode()


def test_only_audited_writes_refresh_cached_pages(officer, posts) -> None:
    c = login(officer)
    c.get("/pos/")
    c.get("/pos/")
    Post.objects.filter(pk=posts["mitra"].pk).update(name="Diam-diam")  # skips the services: not audited
    assert c.get("/pos/")["X-Page-Cache"] == "hit"


def test_exports_and_htmx_are_keyed_apart(officer, posts) -> None:
    c = login(officer)
    c.get("/pos/")
    c.get("/pos/")
    r = c.get("/pos/", headers={"HX-Request": "true"})
    assert "X-Page-Cache" not in r
    assert b"<html" not in r.content
    assert c.get("/pos/?format=csv")["Content-Type"].startswith("text/csv")


def test_the_writer_reads_the_version_at_once_after_a_write(officer, posts, settings) -> None:
    from posyantek.core import pagecache
    from posyantek.core.models import DataVersion

    settings.PAGE_CACHE_VERSION_SECONDS = 60  # another worker would trust its version for a minute
    c = login(officer)
    c.get("/pos/")
    c.get("/pos/")
    DataVersion.bump()  # a write committed by another worker
    assert c.get("/pos/")["X-Page-Cache"] == "hit"  # this worker has not noticed yet
    r = c.post(f"/pos/{posts['mitra'].pk}/status", {"status": "dibekukan"})
    assert r.cookies[pagecache.FRESH_COOKIE].value
    assert "X-Page-Cache" not in c.get("/pos/")
    pagecache.forget_data_version()


def test_back_button_gets_the_page_not_the_fragment(officer, posts) -> None:
    c = login(officer)
    c.get("/pos/")
    fragment = c.get("/pos/?q=mitra", headers={"HX-Request": "true"})
    assert "HX-Request" in fragment["Vary"]
    restore = c.get("/pos/?q=mitra", headers={"HX-Request": "true", "HX-History-Restore-Request": "true"})
    assert b"<html" in restore.content
