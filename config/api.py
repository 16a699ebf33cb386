"""The one NinjaAPI: session or bearer-token auth, the same scoping and services as the pages."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from posyantek.accounts.api import router as accounts_router
from posyantek.catalog.api import router as catalog_router
from posyantek.catalog.ttg_api import public as katalog_router
from posyantek.catalog.ttg_api import router as ttg_router
from posyantek.consultations.api import router as consultations_router
from posyantek.contests.api import router as contests_router
from posyantek.core.api import ErrorOut, NulFreeParser, api_auth, http_error_answer
from posyantek.core.lib.api_errors import field_errors
from posyantek.dashboards.api import router as dashboards_router
from posyantek.exhibitions.api import router as exhibitions_router
from posyantek.finance.api import router as finance_router
from posyantek.network.api import router as network_router
from posyantek.orders.api import router as orders_router
from posyantek.orders.sales_api import router as sales_router
from posyantek.partnerships.api import router as partnerships_router
from posyantek.people.api import router as people_router
from posyantek.posts.api import router as posts_router
from posyantek.products.api import public as pasar_router
from posyantek.products.api import router as products_router
from posyantek.regions.api import router as regions_router
from posyantek.replication.api import router as replication_router
from posyantek.reports.api import router as reports_router
from posyantek.trainings.api import router as training_router
from posyantek.visits.api import router as visits_router

api = NinjaAPI(
    title="Posyantek API",
    version="1",
    description=(
        "API Posyantek: wilayah, pos, orang. Masuk dengan sesi peramban (dengan CSRF) atau token "
        "`Authorization: Bearer <token>` yang dibuat di halaman profil. Di luar cakupan wilayah Anda → 404, "
        "peran terlalu rendah → 403."
    ),
    auth=api_auth,
    parser=NulFreeParser(),
    urls_namespace="api",
)

api.add_router("/regions", regions_router)
api.add_router("/posts", posts_router)
api.add_router("/people", people_router)
api.add_router("/catalog", catalog_router)
api.add_router("/ttg", ttg_router)
api.add_router("/katalog", katalog_router)
api.add_router("/me", accounts_router)
api.add_router("/layanan", consultations_router)
api.add_router("/bintek", training_router)
api.add_router("/produk", products_router)
api.add_router("/pasar", pasar_router)
api.add_router("/pesanan", orders_router)
api.add_router("/penjualan", sales_router)
api.add_router("/jejaring", network_router)
api.add_router("/pameran", exhibitions_router)
api.add_router("/keuangan", finance_router)
api.add_router("/kemitraan", partnerships_router)
api.add_router("/kunjungan", visits_router)
api.add_router("/replikasi", replication_router)
api.add_router("/lomba", contests_router)
api.add_router("/dasbor", dashboards_router)
api.add_router("/laporan", reports_router)


def _error(request: HttpRequest, status: int, detail: Any) -> HttpResponse:
    return api.create_response(request, ErrorOut(detail=detail).dict(), status=status)


@api.exception_handler(Http404)
def on_404(request: HttpRequest, exc: Exception) -> HttpResponse:
    return _error(request, 404, _("Tidak ditemukan."))


@api.exception_handler(PermissionDenied)
def on_403(request: HttpRequest, exc: Exception) -> HttpResponse:
    return _error(request, 403, _("Peran Anda tidak cukup untuk tindakan ini."))


@api.exception_handler(AuthenticationError)
def on_401(request: HttpRequest, exc: Exception) -> HttpResponse:
    return _error(request, 401, _("Perlu masuk (sesi atau token Bearer)."))


@api.exception_handler(ValidationError)
def on_django_validation(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    detail = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
    return _error(request, 422, detail)


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return _error(request, *http_error_answer(exc))


@api.exception_handler(NinjaValidationError)
def on_ninja_validation(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    return _error(request, 422, field_errors(exc.errors))


def _mark_public(patterns: list[Any]) -> None:
    # The API does its own auth (401 with JSON), so the login-redirect middleware must leave it alone.
    for p in patterns:
        if hasattr(p, "url_patterns"):
            _mark_public(p.url_patterns)
        elif hasattr(p, "callback"):
            p.callback.login_required = False


api_urls = api.urls
_mark_public(api_urls[0])
