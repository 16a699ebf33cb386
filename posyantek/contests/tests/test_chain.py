"""The chain check: the page /lomba/rantai/ and `manage.py verify_contest_chain` find a score altered in the database,
a rewritten log row (the first broken link) and a deleted one; access to the page and its edition filter."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from conftest import login
from posyantek.contests import chain
from posyantek.contests.models import ContestLog, Edition, Score, ScoreSheet

PAGE = "/lomba/rantai/"


def _score(sheet: ScoreSheet, judge: Any, value: int = 3, n: int = 0) -> Score:
    ind = sheet.edition.rubric.criteria.first().indicators.all()[n]
    score = Score.objects.create(sheet=sheet, indicator=ind, value=value, note="Bukti lengkap")
    chain.log_score(actor=judge, score=score, edition=sheet.edition)
    return score


def _command(*args: str) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("verify_contest_chain", *args, stdout=out, stderr=err)
    except SystemExit as exc:
        return int(exc.code), out.getvalue() + err.getvalue()
    return 0, out.getvalue()


def test_a_score_altered_in_the_database_is_found_by_page_and_command(sheets: list[ScoreSheet], judge1: Any,
                                                                     organiser: Any) -> None:  # fmt: skip
    score = _score(sheets[0], judge1)
    _score(sheets[0], judge1, value=4, n=1)
    c = login(organiser)
    page = c.get(PAGE).content.decode()
    assert 'id="chain-ok"' in page and 'id="n-scores">2<' in page
    code, out = _command()
    assert code == 0 and "Rantai utuh" in out and "Skor diperiksa: 2" in out
    Score.objects.filter(pk=score.pk).update(value=1)
    page = c.get(PAGE).content.decode()
    assert 'id="chain-broken"' in page
    assert "Skor di basis data (1) berbeda dari yang tercatat di log (3)." in page
    assert f"score:{score.sheet_id}:{score.indicator_id}" in page
    code, out = _command()
    assert code == 1 and "Skor di basis data (1) berbeda dari yang tercatat di log (3)." in out and "RUSAK" in out
    edition = sheets[0].edition
    code, out = _command("--edition", str(edition.pk))
    assert code == 1 and edition.name in out
    page = c.get(PAGE, {"lomba": edition.pk}).content.decode()
    assert "berbeda dari yang tercatat" in page and edition.name in page


def test_a_rewritten_link_is_the_first_broken_one(sheets: list[ScoreSheet], judge1: Any, organiser: Any) -> None:
    for n in range(3):
        _score(sheets[0], judge1, n=n)
    target = ContestLog.objects.order_by("-seq")[1].seq
    ContestLog.objects.filter(seq=target).update(payload={"value": 4, "note": "x", "seen": False})
    page = login(organiser).get(PAGE).content.decode()
    assert f"Mata rantai pertama yang rusak: #{target}." in page
    assert f"Isi mata rantai #{target} diubah: hash-nya tidak cocok lagi." in page
    code, out = _command()
    assert code == 1 and f"Mata rantai pertama yang rusak: #{target}" in out


def test_a_deleted_link_is_found(sheets: list[ScoreSheet], judge1: Any, organiser: Any) -> None:
    for n in range(3):
        _score(sheets[0], judge1, n=n)
    last = ContestLog.objects.order_by("-seq").first().seq
    with connection.cursor() as cur:
        cur.execute(f"DELETE FROM {ContestLog._meta.db_table} WHERE seq = %s", [last - 1])  # noqa: S608
    page = login(organiser).get(PAGE).content.decode()
    assert f"Mata rantai pertama yang rusak: #{last}." in page
    assert f"Nomor urut loncat dari {last - 2} ke {last}: ada mata rantai yang dihapus." in page
    code, out = _command()
    assert code == 1 and "dihapus" in out
    with connection.cursor() as cur:  # and the newest link, which leaves no gap behind
        cur.execute(f"DELETE FROM {ContestLog._meta.db_table} WHERE seq = %s", [last])  # noqa: S608
    assert "ada yang dihapus dari ujung" in login(organiser).get(PAGE).content.decode()


def test_a_locked_sheet_changed_afterwards_is_found(sheets: list[ScoreSheet], judge1: Any, organiser: Any) -> None:
    sheet = sheets[0]
    score = _score(sheet, judge1)
    ScoreSheet.objects.filter(pk=sheet.pk).update(state=ScoreSheet.State.LOCKED, locked_at=timezone.now())
    chain.log_lock(actor=judge1, sheet=sheet)
    c = login(organiser)
    assert 'id="n-sheets">1<' in c.get(PAGE).content.decode()
    Score.objects.filter(pk=score.pk).update(note="Ditulis ulang")
    page = c.get(PAGE).content.decode()
    assert "Isi lembar nilai berubah setelah dikunci." in page


def test_page_access_and_links(sheets: list[ScoreSheet], judge1: Any, organiser: Any, officer: Any, viewer: Any,
                               client: Any, django_assert_max_num_queries: Any) -> None:  # fmt: skip
    edition = sheets[0].edition
    for n in range(3):
        _score(sheets[0], judge1, n=n)
    for n in range(55):
        chain.append(actor=organiser, kind=ContestLog.Kind.EDITION, object_key=f"edition:{edition.pk}",
                     payload={"n": n}, edition=edition)  # fmt: skip
    assert client.get(PAGE).status_code == 302  # signed-in users only
    c = login(organiser)
    with django_assert_max_num_queries(20):
        page = c.get(PAGE).content.decode()
    total = ContestLog.objects.count()
    assert page.count("<tr>") + page.count("<tr class") == 51  # the header and the newest 50 links
    assert f"#{total}<" in page and "Halaman 1 dari 2" in page and "Panitia" in page
    page2 = c.get(PAGE, {"page": 2}).content.decode()
    assert "#1<" in page2
    o = login(officer)
    assert o.get(PAGE, {"lomba": edition.pk}).status_code == 404  # DKI's edition is not the officer's
    assert o.get(PAGE, {"lomba": "x"}).status_code == 404
    page = o.get(PAGE).content.decode()
    assert 'id="chain-ok"' in page and f"edition:{edition.pk}" not in page  # others' links are not listed
    Edition.objects.filter(pk=edition.pk).update(published_at=timezone.now())
    chain.log_publish(actor=organiser, edition=edition)
    page = login(viewer).get(PAGE, {"lomba": edition.pk}).content.decode()
    assert 'id="chain-ok"' in page and 'id="n-editions">1<' in page and f"edition:{edition.pk}" in page


@pytest.mark.parametrize("edition_arg", ["999999"])
def test_command_refuses_an_unknown_edition(db: Any, edition_arg: str) -> None:
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("verify_contest_chain", "--edition", edition_arg, stdout=io.StringIO())
