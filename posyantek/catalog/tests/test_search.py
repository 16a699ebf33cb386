"""The catalogue search at scale: the bounded reads rank like the exact ones, filters are index terms, counts hold."""

from __future__ import annotations

import random

import pytest

from conftest import make_user
from posyantek.catalog import search
from posyantek.catalog import ttg_services as services
from posyantek.catalog.demo_ttg import load_ttgs
from posyantek.catalog.models import Ttg, TtgTerm, TtgTermStat
from posyantek.catalog.search import CatalogFilter, catalog_search
from posyantek.catalog.tests.test_demo_ttg import demo_tree  # noqa: F401 - the fixture
from posyantek.catalog.tests.test_search_parity import QUERIES
from posyantek.catalog.ttg_selectors import region_facets

TYPED = ["peng", "kel", "ikan", "pengeringan ik", "kompos sampah org"]


@pytest.fixture
def demo(demo_tree):  # noqa: F811 - pytest injects the imported fixture
    admin = make_user("admin@example.id", ("national_admin", None))
    load_ttgs(admin, random.Random(2014))
    return admin


def small_limits(monkeypatch, *, exact=1, batch=3, scan=10**6, hits=500, join=0) -> None:  # noqa: ANN001
    monkeypatch.setattr(search, "EXACT_LIMIT", exact)
    monkeypatch.setattr(search, "WINDOW", batch)
    monkeypatch.setattr(search, "MAX_SCAN", scan)
    monkeypatch.setattr(search, "MAX_HITS", hits)
    monkeypatch.setattr(search, "JOIN_LIMIT", join)


def test_reading_best_rows_first_ranks_like_reading_all(demo, monkeypatch) -> None:
    exact = {q: catalog_search(q) for q in QUERIES + TYPED}
    assert all(r.complete for r in exact.values())
    small_limits(monkeypatch)
    for q, want in exact.items():
        got = catalog_search(q)
        assert got.ids == want.ids, q
        assert got.complete, q


def test_a_common_word_stops_early_and_keeps_exact_scores(demo, monkeypatch) -> None:
    want = catalog_search("ikan")
    assert len(want.ids) > 4
    small_limits(monkeypatch, hits=3, batch=2)
    got = catalog_search("ikan")
    assert not got.complete
    assert 1 <= len(got.ids) <= 3
    assert all(got.scores[pk] == want.scores[pk] for pk in got.ids)
    # The rows are read best first: the records that have "ikan" in their name come before the rest.
    names = dict(Ttg.objects.filter(pk__in=got.ids).values_list("pk", "name"))
    assert all("ikan" in names[pk].lower() for pk in got.ids)


def test_a_scan_limit_bounds_the_work(demo, monkeypatch) -> None:
    small_limits(monkeypatch, batch=2, scan=4)
    got = catalog_search("ikan")
    assert not got.complete and len(got.ids) <= 4


@pytest.mark.parametrize("how", ["exact", "window", "join"])
def test_filters_are_index_terms_and_match_the_queryset(demo, monkeypatch, how) -> None:
    if how != "exact":
        small_limits(monkeypatch, join=10**6 if how == "join" else 0)
    published = Ttg.objects.filter(publication=Ttg.Publication.PUBLISHED)
    cases = [
        ("ikan", CatalogFilter(region="33.75")),
        ("ikan", CatalogFilter(region="33.75.03.1004")),
        ("alat", CatalogFilter(sector="perikanan")),
        ("kelapa", CatalogFilter(readiness="diproduksi", price_max=5_000_000)),
        ("air", CatalogFilter(aspect="energi", price_min=1_000_000)),
        ("ikan", CatalogFilter(region="31")),
    ]
    for q, chosen in cases:
        allowed = set(chosen.apply(published).values_list("pk", flat=True))
        want = [pk for pk in catalog_search(q, CatalogFilter()).ids if pk in allowed]
        assert catalog_search(q, chosen).ids == want, (q, chosen)


def test_unknown_filter_values_find_nothing(demo) -> None:
    assert catalog_search("ikan", CatalogFilter(region="99")).ids == []
    assert catalog_search("ikan", CatalogFilter(sector="tidak-ada")).ids == []
    assert catalog_search("zzzqqq").ids == []


def stats() -> dict[str, int]:
    return dict(TtgTermStat.objects.filter(df__gt=0).values_list("term", "df"))


def counted() -> dict[str, int]:
    found: dict[str, int] = {}
    for term in TtgTerm.objects.values_list("term", flat=True):
        found[term] = found.get(term, 0) + 1
    return found


def test_term_counts_follow_publish_edit_and_withdraw(demo) -> None:
    assert stats() == counted()
    ttg = Ttg.objects.filter(publication=Ttg.Publication.PUBLISHED).order_by("pk").first()
    services.ttg_update(actor=demo, ttg=ttg, data={"name": "Alat unik zebrakuda"}, version=ttg.version)
    assert stats() == counted()
    assert stats()["w:zebrakuda"] == 1
    assert catalog_search("zebrakuda").ids == [ttg.pk]
    ttg.refresh_from_db()
    services.ttg_publish(actor=demo, ttg=ttg, publish=False)
    assert stats() == counted()
    assert "w:zebrakuda" not in stats()
    assert catalog_search("zebrakuda").ids == []
    # A rebuild from scratch gives the same counts as the running ones.
    before = stats()
    assert search.rebuild() == Ttg.objects.filter(publication=Ttg.Publication.PUBLISHED).count()
    assert stats() == before


def test_region_facets_list_every_level_with_counts(demo) -> None:
    published = Ttg.objects.filter(publication=Ttg.Publication.PUBLISHED)
    assert set(region_facets()) == {"31", "33"}
    facets = region_facets(province="33")
    assert facets["33"] == published.filter(region__code__startswith="33").count()
    assert facets["33.75"] == published.filter(region__code__startswith="33.75").count()
    assert all(len(code) == 2 or code.startswith("33.") for code in facets)
    villages = set(published.values_list("region_id", flat=True))
    assert set(region_facets(villages)) == villages


def test_renaming_a_post_renames_it_in_the_search(demo) -> None:
    from posyantek.posts import services as post_services

    ttg = Ttg.objects.filter(publication=Ttg.Publication.PUBLISHED).select_related("post").order_by("pk").first()
    post = ttg.post
    post_services.post_update(actor=demo, post=post, data={"name": "Posyantek Zamrud Khatulistiwa"},
                              version=post.version)  # fmt: skip
    found = catalog_search("zamrud khatulistiwa").ids
    assert ttg.pk in found
    assert set(found) == set(Ttg.objects.filter(post=post, publication="terbit").values_list("pk", flat=True))
    assert stats() == counted()


def test_a_phrase_is_read_first_when_both_words_are_common(demo, monkeypatch) -> None:
    from posyantek.core.lib import textsearch

    assert "b:kering ikan" in textsearch.pair_terms("Alat Pengering Ikan Tenaga Surya")
    assert textsearch.query_pairs(textsearch.query_terms("pengeringan ik")) == [("b:kering ik", "b:kering ik")]
    assert textsearch.query_pairs(textsearch.query_terms("alat pengering")) == [("b:alat kering", "b:alat pengering")]
    # Rows of one word alone, read best first, would need more than these limits to meet the other word.
    small_limits(monkeypatch, hits=2, batch=1, scan=2)
    got = catalog_search("alat pengering ")
    names = dict(Ttg.objects.filter(pk__in=got.ids).values_list("pk", "name"))
    assert got.ids and all("alat pengering" in names[pk].lower() for pk in got.ids)
    got = catalog_search("pengeringan ik")
    assert got.ids
