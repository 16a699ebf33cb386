"""What every API router shares: auth, error schema, the scoped fetch, pagination."""

from typing import Any

from django.http import HttpRequest
from ninja import Field, Schema
from ninja.errors import HttpError
from ninja.pagination import LimitOffsetPagination
from ninja.parser import Parser
from ninja.security import HttpBearer
from ninja.security.session import SessionAuth

from posyantek.core.lib.api_errors import body_parse_error


class ErrorOut(Schema):
    """An error answer: `detail` is a message or a {field: [messages]} map."""

    detail: Any


class BearerTokenAuth(HttpBearer):
    """Authenticate with a per-user API token made on the profile page."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        from posyantek.accounts.selectors import api_token_user_unscoped

        user = api_token_user_unscoped(token)
        if user is not None:
            request.user = user
        return user


# The token first: a script sends no session, and the session check would fail it on CSRF before the token
# was looked at. A browser sends no Authorization header, so it falls through to the session (with CSRF).
api_auth = [BearerTokenAuth(), SessionAuth(csrf=True)]

#: What ninja says (in English, with the reason added under DEBUG) when a request body is not JSON.
UNPARSABLE_BODY = "Cannot parse request body"


def http_error_answer(exc: HttpError) -> tuple[int, Any]:
    """Return the status and detail to answer for one of ninja's own HTTP errors.

    A body that is not JSON is ninja's English 400; it becomes a 422 with an Indonesian message, like any other
    input that does not fit the schema. Every endpoint that takes a body already declares 422, so the schema stays
    true without a 400 on each operation.
    """
    if exc.status_code == 400 and str(exc).startswith(UNPARSABLE_BODY):
        return 422, body_parse_error()
    return exc.status_code, str(exc)


#: Error answers every authenticated endpoint can give.
ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


class Pagination(LimitOffsetPagination):
    """Limit/offset paging with bounds, so a huge offset is a 422 and not a database error."""

    class Input(Schema):
        limit: int = Field(25, ge=1, le=100, description="Rows per page (1–100)")
        offset: int = Field(0, ge=0, le=10_000_000, description="Rows to skip")


def _without_nul(value: Any) -> Any:
    if isinstance(value, str):
        return value.replace("\x00", "")
    if isinstance(value, list):
        return [_without_nul(v) for v in value]
    if isinstance(value, dict):
        return {_without_nul(k): _without_nul(v) for k, v in value.items()}
    return value


class NulFreeParser(Parser):
    """Drop NUL characters from JSON bodies and query strings: PostgreSQL refuses them in text (SQLite doesn't)."""

    def parse_body(self, request: HttpRequest) -> Any:
        return _without_nul(super().parse_body(request))

    def parse_querydict(self, data: Any, list_fields: list[str], request: HttpRequest) -> Any:
        return _without_nul(super().parse_querydict(data, list_fields, request))
