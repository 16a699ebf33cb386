"""NUL characters in addresses and query strings never reach PostgreSQL (which refuses them)."""

from __future__ import annotations

from conftest import login


def test_nul_in_query_strings_never_500(officer, posts, client) -> None:
    c = login(officer)
    for url in (
        "/pos/?q=%00a",
        "/orang/?q=%00a",
        "/inovator/?q=%00a",
        "/ttg/?q=%00a",
        "/akun/hak-akses?cari-q=%00a",
        "/wilayah/cari?q=%00ab",
        "/pos/direktori?q=%00a",
    ):
        assert c.get(url).status_code < 500, url
    for url in ("/katalog/?q=%00a", "/katalog/cari-solusi?q=%00air", "/pos/direktori?region=%00"):
        assert client.get(url).status_code < 500, url


def test_nul_in_the_path_is_not_found(client, regions) -> None:
    assert client.get("/wilayah/33%00/").status_code == 404
