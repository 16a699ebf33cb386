from __future__ import annotations

import enum
import uuid
from typing import Literal

import pydantic
import pytest

from posyantek.core.lib.api_errors import body_parse_error, field_errors


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


def test_field_errors_list_choices_with_an_indonesian_or() -> None:
    class Method(enum.StrEnum):
        CASH = "tunai"
        COD = "cod"
        OTHER = "lainnya"

    class PaymentIn(pydantic.BaseModel):
        method: Method
        kind: Literal["uang_muka", "cicilan"]

    with pytest.raises(pydantic.ValidationError) as caught:
        PaymentIn.model_validate({"method": "bitcoin", "kind": "hutang"})
    assert field_errors(caught.value.errors()) == {
        "method": ["Pilihan tidak dikenal; pilih salah satu: 'tunai', 'cod' atau 'lainnya'."],
        "kind": ["Pilihan tidak dikenal; pilih salah satu: 'uang_muka' atau 'cicilan'."],
    }


def test_field_errors_never_pass_pydantics_english_through() -> None:
    class Sample(pydantic.BaseModel):
        ratio: float
        count: int = pydantic.Field(gt=0)
        tags: list[int] = pydantic.Field(min_length=2)
        ref: uuid.UUID
        extra: dict[str, int]

    with pytest.raises(pydantic.ValidationError) as caught:
        Sample.model_validate({"ratio": "a", "count": 0, "tags": [1], "ref": "z", "extra": 3})
    messages = field_errors(caught.value.errors())
    assert messages == {
        "ratio": ["Harus angka."],
        "count": ["Harus lebih dari 0."],
        "tags": ["Paling sedikit 2 isian."],
        "ref": ["Bukan UUID yang benar."],
        "extra": ["Jenis isian tidak sesuai."],
    }
    assert field_errors([{"type": "something_new", "loc": ("body", "x"), "msg": "Input should be nice"}]) == {
        "x": ["Isian tidak valid."]
    }


def test_body_parse_error_is_indonesian() -> None:
    assert body_parse_error() == {"__all__": ["Isi permintaan bukan JSON yang benar."]}
