"""Public contest pages: no ranking before publication, how a score was computed, leaderboard, post history."""

from __future__ import annotations

from typing import Any

from django.test import Client

from posyantek.contests import result_selectors, result_services
from posyantek.contests.models import Edition, Result
from posyantek.contests.tests.conftest import make_edition, make_entry
from posyantek.contests.tests.test_result_helpers import scored_fixture  # noqa: F401 - fixture


def _publish(scored: dict[str, Any], organiser: Any) -> Edition:
    result_services.compute(actor=organiser, edition=scored["edition"])
    result_services.publish(actor=organiser, edition=Edition.objects.get(pk=scored["edition"].pk))
    return Edition.objects.get(pk=scored["edition"].pk)


def test_unpublished_edition_shows_no_ranking(scored: dict[str, Any], organiser: Any) -> None:
    result_services.compute(actor=organiser, edition=scored["edition"])
    pk = scored["edition"].pk
    r = Client().get(f"/lomba/{pk}/")
    html = r.content.decode()
    assert r.status_code == 200 and "belum diumumkan" in html
    assert "Posyantek Cempaka Putih" not in html and "66,667" not in html
    assert Client().get(f"/lomba/{pk}/nilai/{scored['entry'].pk}/").status_code == 404


def test_draft_edition_is_not_public(rubric: Any) -> None:
    draft = make_edition(rubric, state=Edition.State.DRAFT, name="Lomba rahasia")
    assert Client().get(f"/lomba/{draft.pk}/").status_code == 404
    assert "Lomba rahasia" not in Client().get("/lomba/").content.decode()


def test_published_ranking_and_score_explanation(scored: dict[str, Any], organiser: Any,
                                                 django_assert_max_num_queries: Any) -> None:  # fmt: skip
    edition = _publish(scored, organiser)
    with django_assert_max_num_queries(8):
        r = Client().get(f"/lomba/{edition.pk}/")
    html = r.content.decode()
    assert html.index("Posyantek Cempaka Putih") < html.index("Posyantek Gambir")
    assert f"/lomba/{edition.pk}/nilai/{scored['entry'].pk}/" in html
    r = Client().get(f"/lomba/{edition.pk}/nilai/{scored['entry'].pk}/")
    html = r.content.decode()
    assert r.status_code == 200
    for text in ("SK lengkap", "Juri1", "BRIN", "53,333", "66,667", "33,333", "Juara 2", "/lomba/rantai/?lomba="):
        assert text in html, text
    assert Client().get(f"/lomba/{edition.pk}/nilai/999999/").status_code == 404


def test_public_index_filters(scored: dict[str, Any], organiser: Any, rubric: Any) -> None:
    _publish(scored, organiser)
    make_edition(rubric, year=2025, name="Lomba DKI 2025")
    html = Client().get("/lomba/?tahun=2025").content.decode()
    assert "Lomba DKI 2025" in html and "Provinsi DKI Jakarta 2026" not in html
    html = Client().get("/lomba/?tingkat=nasional").content.decode()
    assert "Lomba DKI 2025" not in html
    assert Client().get("/lomba/?tahun=abc&kategori=zzz").status_code == 200
    r = Client().get("/lomba/", HTTP_HX_REQUEST="true")
    assert "<html" not in r.content.decode() and "Provinsi DKI Jakarta 2026" in r.content.decode()


def test_leaderboard_points(scored: dict[str, Any], organiser: Any, template: Any, admin: Any,
                            dki: dict[str, Any]) -> None:  # fmt: skip
    _publish(scored, organiser)
    rows = result_selectors.leaderboard_unscoped()
    assert [(r.name, r.points) for r in rows] == [("Posyantek Cempaka Putih", 15), ("Posyantek Gambir", 12)]
    # a national Juara 1 for Gambir the year after, and a harapan
    nat = make_edition(template, level="nasional", region=None, year=2027, name="Nasional 2027",
                       state=Edition.State.DECIDED)  # fmt: skip
    Edition.objects.filter(pk=nat.pk).update(published_at=scored["edition"].published_at or nat.created)
    e1, e2 = make_entry(nat, dki["gambir"]), make_entry(nat, dki["matraman"])
    Result.objects.create(edition=nat, entry=e1, final_score=90, rank=1, award="Juara 1")
    Result.objects.create(edition=nat, entry=e2, final_score=50, rank=4, award="Harapan I")
    rows = result_selectors.leaderboard_unscoped()
    assert [(r.name, r.points, r.rank) for r in rows][:3] == [
        ("Posyantek Gambir", 42, 1), ("Posyantek Cempaka Putih", 15, 2), ("Posyantek Matraman", 1, 3)]  # fmt: skip
    assert [r.name for r in result_selectors.leaderboard_unscoped(year=2026)] == [
        "Posyantek Cempaka Putih", "Posyantek Gambir"]  # fmt: skip
    assert result_selectors.leaderboard_unscoped(province="33") == []
    html = Client().get("/lomba/peringkat/?provinsi=31").content.decode()
    assert "Peringkat pos di DKI Jakarta" in html and "Posyantek Gambir" in html
    assert Client().get("/lomba/peringkat/?provinsi=xx&tahun=1").status_code == 200


def test_post_history(scored: dict[str, Any], organiser: Any) -> None:
    r = Client().get("/lomba/pos/gambir/")
    assert r.status_code == 200 and "belum diumumkan" in r.content.decode()
    edition = _publish(scored, organiser)
    html = Client().get("/lomba/pos/gambir/").content.decode()
    assert "Juara 2" in html and f"/lomba/{edition.pk}/nilai/{scored['entry'].pk}/" in html
    assert Client().get("/lomba/pos/tidak-ada/").status_code == 404


def test_public_pages_are_cached_until_a_write(scored: dict[str, Any], organiser: Any, settings: Any) -> None:
    settings.PAGE_CACHE_ENABLED = True
    edition = scored["edition"]
    first = Client().get(f"/lomba/{edition.pk}/")
    again = Client().get(f"/lomba/{edition.pk}/")
    assert first.status_code == 200 and again.get("X-Page-Cache") == "hit"
