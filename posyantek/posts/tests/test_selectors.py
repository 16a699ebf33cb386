"""Warnings (Permendesa 23/2017 art. 29) and alerts."""

from __future__ import annotations

import datetime as dt

from conftest import add_board
from posyantek.posts.models import Officer
from posyantek.posts.selectors import alerts_for_user, board_terms_with_officers, post_warnings

TODAY = dt.date(2026, 11, 28)


def codes(post, today=TODAY) -> set[str]:
    return {w.code for w in post_warnings(post, board_terms_with_officers(post), today)}


def test_complete_board_has_no_warnings(posts) -> None:
    add_board(posts["mitra"], start=dt.date(2025, 1, 1))
    assert codes(posts["mitra"]) == set()


def test_missing_board_and_missing_core_positions(posts) -> None:
    assert codes(posts["mitra"]) == {"no_board"}
    add_board(posts["mitra"], start=dt.date(2025, 1, 1), positions=["ketua", "sekretaris"])
    ws = post_warnings(posts["mitra"], board_terms_with_officers(posts["mitra"]), TODAY)
    assert [w.code for w in ws] == ["core_positions"]
    assert "2 dari 5" in ws[0].message and "Bendahara" in ws[0].message


def test_term_longer_than_three_years_and_ended(posts) -> None:
    add_board(posts["mitra"], start=dt.date(2020, 1, 1), years=4)
    assert {"term_too_long", "term_ended"} <= codes(posts["mitra"])


def test_term_ending_within_90_days(posts) -> None:
    add_board(posts["mitra"], start=dt.date(2024, 1, 15))  # ends 14 January 2027
    assert "term_ending" in codes(posts["mitra"])


def test_civil_servant_and_party_official(posts) -> None:
    term = add_board(posts["mitra"], start=dt.date(2025, 1, 1))
    Officer.objects.filter(term=term, position="bendahara").update(is_civil_servant=True)
    Officer.objects.filter(term=term, position="ketua").update(is_party_official=True)
    assert {"civil_servant", "party_official"} <= codes(posts["mitra"])


def test_skt_expiring_and_expired(posts) -> None:
    add_board(posts["mitra"], start=dt.date(2025, 1, 1))
    posts["mitra"].skt_valid_until = TODAY + dt.timedelta(days=30)
    assert "skt_expiring" in codes(posts["mitra"])
    posts["mitra"].skt_valid_until = TODAY - dt.timedelta(days=1)
    assert "skt_expired" in codes(posts["mitra"])


def test_alerts_go_to_everyone_who_sees_the_post_and_no_one_else(officer, outsider, viewer, posts) -> None:
    posts["wartek"].skt_valid_until = TODAY + dt.timedelta(days=20)
    posts["wartek"].save()
    for user in (officer, viewer):
        found = {(a.post.name, a.warning.code) for a in alerts_for_user(user=user, today=TODAY)}
        assert ("Wartek Panjang Wetan", "skt_expiring") in found
    assert {a.post.name for a in alerts_for_user(user=outsider, today=TODAY)} == {"Posyantek Gambir"}
