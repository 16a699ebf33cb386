"""Organiser result pages: access, compute, ties, publish with confirmation, forwarding, exports and PDFs."""

from __future__ import annotations

import io
from typing import Any

import pytest

from conftest import login
from posyantek.contests import pdf, result_services
from posyantek.contests.models import Edition, Entry, Result, ScoreSheet, Stage
from posyantek.contests.tests.test_result_helpers import scored_fixture, sheet_with  # noqa: F401 - fixture


def _base(scored: dict[str, Any]) -> str:
    return f"/lomba/kelola/{scored['edition'].pk}/hasil/"


def _pages(scored: dict[str, Any]) -> list[str]:
    base = _base(scored)
    return [base, f"{base}?format=csv", f"{base}umumkan", f"{base}berita-acara.pdf", f"{base}{scored['entry'].pk}/"]


def test_result_pages_refuse_outsiders_and_low_roles(scored: dict[str, Any], organiser: Any, officer: Any,
                                                      gambir_manager: Any, judge1: Any) -> None:  # fmt: skip
    result_services.compute(actor=organiser, edition=scored["edition"])
    for url in _pages(scored):
        assert login(officer).get(url).status_code == 404, url
        assert login(gambir_manager).get(url).status_code == 403, url
        assert login(judge1).get(url).status_code == 403, url
    base = _base(scored)
    for url in (f"{base}hitung", f"{base}pleno/1", f"{base}teruskan", f"{base}tertunda", f"{base}umumkan"):
        assert login(officer).post(url).status_code == 404, url
        assert login(gambir_manager).post(url).status_code == 403, url
    assert Edition.objects.get(pk=scored["edition"].pk).published_at is None


def test_result_list_compute_and_ranking(scored: dict[str, Any], organiser: Any,
                                         django_assert_max_num_queries: Any) -> None:  # fmt: skip
    c = login(organiser)
    r = c.get(_base(scored))
    assert r.status_code == 200 and "Belum ada hasil" in r.content.decode()
    assert c.get(f"{_base(scored)}hitung").status_code == 405
    r = c.post(f"{_base(scored)}hitung", follow=True)
    html = r.content.decode()
    assert "Peringkat 2 peserta dihitung" in html
    assert html.index("Posyantek Cempaka Putih") < html.index("66,667") < html.index("Posyantek Gambir")
    assert "Umumkan hasil" in html  # ready: plenary state, no ties, all sheets locked
    with django_assert_max_num_queries(25):
        assert c.get(_base(scored)).status_code == 200
    r = c.get(_base(scored), HTTP_HX_REQUEST="true")
    assert "<html" not in r.content.decode() and 'id="ranking"' in r.content.decode()


def test_result_export_xlsx_and_csv(scored: dict[str, Any], organiser: Any) -> None:
    from openpyxl import load_workbook

    result_services.compute(actor=organiser, edition=scored["edition"])
    c = login(organiser)
    wb = load_workbook(io.BytesIO(c.get(f"{_base(scored)}?format=xlsx").content))
    rows = list(wb.active.iter_rows(values_only=True))
    assert rows[0][0] == "Peringkat" and rows[1][:2] == (1, "Posyantek Cempaka Putih")
    assert 66.667 in rows[1]
    csv = c.get(f"{_base(scored)}?format=csv").content.decode("utf-8-sig")
    assert "Posyantek Gambir" in csv and "53.333" in csv


def test_tie_form_and_publish_confirmation(scored: dict[str, Any], organiser: Any) -> None:
    edition = scored["edition"]
    ScoreSheet.objects.filter(entry=scored["entry"]).delete()
    sheet_with(edition, Stage.FIELD, scored["entry"], scored["j1"], {"A1": 4, "A2": 4, "B1": 4})
    sheet_with(edition, Stage.FIELD, scored["entry"], scored["j2"], {"A1": 2, "A2": 2, "B1": 2})
    c = login(organiser)
    c.post(f"{_base(scored)}hitung")
    html = c.get(_base(scored)).content.decode()
    assert "Nilai sama untuk rapat pleno" in html and "Belum dapat diumumkan" in html
    g, k = scored["entry"].pk, scored["entry2"].pk
    r = c.post(f"{_base(scored)}pleno/1", {f"t1-pos_{g}": 1, f"t1-pos_{k}": 1, "t1-note": "x"}, follow=True)
    assert "urutan yang berbeda" in r.content.decode()
    r = c.post(f"{_base(scored)}pleno/1", {f"t1-pos_{g}": 2, f"t1-pos_{k}": 1, "t1-note": "Lebih berdampak"},
               follow=True)  # fmt: skip
    assert "Keputusan pleno" in r.content.decode()
    assert Result.objects.get(entry_id=k).rank == 1
    # publish needs the confirmation box
    r = c.post(f"{_base(scored)}umumkan", {"decree_number": "9/2026"})
    assert r.status_code == 200 and Edition.objects.get(pk=edition.pk).published_at is None
    r = c.post(f"{_base(scored)}umumkan", {"decree_number": "9/2026", "confirm": "on"}, follow=True)
    assert "Hasil diumumkan" in r.content.decode()
    edition.refresh_from_db()
    assert edition.decree_number == "9/2026" and edition.state == Edition.State.DECIDED
    assert Entry.objects.get(pk=k).state == Entry.State.WINNER
    assert "menunggu lomba tingkat berikutnya" in c.get(_base(scored)).content.decode()


def test_publish_page_shows_why_not_yet(scored: dict[str, Any], organiser: Any) -> None:
    r = login(organiser).get(f"{_base(scored)}umumkan")
    assert r.status_code == 200 and "Hasil belum dihitung" in r.content.decode()


def test_forward_by_hand_refuses_more_than_allowed(scored: dict[str, Any], organiser: Any, national: Any,
                                                   admin: Any) -> None:  # fmt: skip
    c = login(organiser)
    c.post(f"{_base(scored)}hitung")
    c.post(f"{_base(scored)}umumkan", {"confirm": "on"})
    assert Entry.objects.filter(edition=national, forwarded_from=scored["entry2"]).exists()
    r = c.post(f"{_base(scored)}teruskan", {"entry": [scored["entry"].pk]}, follow=True)
    assert "melebihi ketentuan lomba (1)" in r.content.decode()


def test_result_pdfs(scored: dict[str, Any], organiser: Any, monkeypatch: Any) -> None:
    c = login(organiser)
    assert c.get(f"{_base(scored)}berita-acara.pdf").status_code == 404  # nothing computed yet
    c.post(f"{_base(scored)}hitung")
    for kind in ("berita-acara", "sk-juara"):
        r = c.get(f"{_base(scored)}{kind}.pdf")
        assert r.status_code == 200 and r["Content-Type"] == "application/pdf" and r.content.startswith(b"%PDF")
    assert c.get(f"{_base(scored)}lain.pdf").status_code == 404

    def broken(html: str) -> bytes:
        raise pdf.PdfUnavailable

    monkeypatch.setattr(pdf, "_pdf", broken)
    r = c.get(f"{_base(scored)}sk-juara.pdf")
    assert r.status_code == 503 and "belum dapat dibuat" in r.content.decode()


def test_minutes_dataset(scored: dict[str, Any], organiser: Any) -> None:
    result_services.compute(actor=organiser, edition=scored["edition"])
    m = pdf.minutes_data(Edition.objects.get(pk=scored["edition"].pk))
    assert [j.user for j in m.judges] == [scored["j1"].user, scored["j2"].user]
    assert [r.rank for r in m.results] == [1, 2] and m.stages[0][2] == 100.0
    html = pdf.render_to_string("contests/pdf_minutes.html", {"m": m, "e": m.edition})
    assert "Berita acara rapat pleno" in html and "Juri1" in html and "53,333" in html


def test_entry_breakdown_for_the_organiser(scored: dict[str, Any], organiser: Any) -> None:
    result_services.compute(actor=organiser, edition=scored["edition"])
    r = login(organiser).get(f"{_base(scored)}{scored['entry'].pk}/")
    html = r.content.decode()
    assert r.status_code == 200 and "SK lengkap" in html and "53,333" in html
    assert login(organiser).get(f"{_base(scored)}999999/").status_code == 404


@pytest.mark.parametrize("state", [Edition.State.REGISTRATION, Edition.State.ADMIN])
def test_compute_refusal_is_shown(scored: dict[str, Any], organiser: Any, state: str) -> None:
    Edition.objects.filter(pk=scored["edition"].pk).update(state=state)
    r = login(organiser).post(f"{_base(scored)}hitung", follow=True)
    assert r.status_code == 200 and "Hasil dapat dihitung saat" in r.content.decode()
    assert not Result.objects.exists()
