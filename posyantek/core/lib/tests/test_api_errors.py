from __future__ import annotations

from posyantek.core.lib.api_errors import field_errors


def test_field_errors_are_indonesian_and_keyed_by_field() -> None:
    errors = [
        {"type": "string_too_short", "loc": ("body", "payload", "name"), "msg": "x", "ctx": {"min_length": 2}},
        {"type": "date_from_datetime_parsing", "loc": ("body", "payload", "skt_date"), "msg": "x"},
        {"type": "missing", "loc": ("body", "payload", "kind"), "msg": "x"},
        {"type": "less_than_equal", "loc": ("query", "limit"), "msg": "x", "ctx": {"le": 100}},
    ]
    assert field_errors(errors) == {
        "name": ["Paling sedikit 2 karakter."],
        "skt_date": ["Tanggal tidak valid; pakai bentuk TTTT-BB-HH, mis. 2014-09-10."],
        "kind": ["Wajib diisi."],
        "limit": ["Paling besar 100."],
    }
