"""The API answers bad input in Indonesian, also when ninja itself refuses it (a body that is not JSON)."""

from __future__ import annotations

from typing import Any

import pytest
from ninja.errors import HttpError

from conftest import login
from posyantek.core.api import http_error_answer

JSON = "application/json"


def test_body_that_is_not_json_is_a_422_in_indonesian(manager: Any, posts: Any) -> None:
    r = login(manager).post("/api/v1/posts", "{name: tidak json", content_type=JSON)
    assert r.status_code == 422
    assert r.json() == {"detail": {"__all__": ["Isi permintaan bukan JSON yang benar."]}}


def test_every_operation_that_takes_a_body_declares_422(client: Any) -> None:
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    missing = [f"{method.upper()} {path}" for path, ops in paths.items() for method, op in ops.items()
               if "requestBody" in op and "422" not in op["responses"]]  # fmt: skip
    assert missing == []


@pytest.mark.parametrize("debug_reason", ["", " (Expecting value: line 1 column 1 (char 0))"])
def test_http_error_answer_turns_ninjas_parse_error_into_422(debug_reason: str) -> None:
    status, detail = http_error_answer(HttpError(400, "Cannot parse request body" + debug_reason))
    assert (status, detail) == (422, {"__all__": ["Isi permintaan bukan JSON yang benar."]})
    assert http_error_answer(HttpError(405, "Metode tidak diizinkan.")) == (405, "Metode tidak diizinkan.")
