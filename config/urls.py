"""URL map: pages per app, the API under /api/v1/, and health."""

from __future__ import annotations

from django.conf import settings
from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from config.api import api_urls
from posyantek.core import views as core_views

urlpatterns = [
    path("", include("posyantek.core.urls")),
    path("akun/", include("posyantek.accounts.urls")),
    path("wilayah/", include("posyantek.regions.urls")),
    path("pos/", include("posyantek.posts.urls")),
    path("orang/", include("posyantek.people.urls")),
    path("inovator/", include("posyantek.catalog.urls")),
    path("katalog/", include("posyantek.catalog.public_urls")),
    path("ttg/", include("posyantek.catalog.ttg_urls")),
    path("layanan/", include("posyantek.consultations.urls")),
    path("permohonan/", include("posyantek.consultations.public_urls")),
    path("bintek/", include("posyantek.trainings.urls")),
    path("pelatihan/", include("posyantek.trainings.public_urls")),
    path("produk/", include("posyantek.products.urls")),
    path("pasar/", include("posyantek.products.public_urls")),
    path("pesanan/", include("posyantek.orders.urls")),
    path("lacak/", include("posyantek.orders.public_urls")),
    path("penjualan/", include("posyantek.orders.sales_urls")),
    path("jejaring/", include("posyantek.network.urls")),
    path("pameran/", include("posyantek.exhibitions.urls")),
    path("keuangan/", include("posyantek.finance.urls")),
    path("kemitraan/", include("posyantek.partnerships.urls")),
    path("kunjungan/", include("posyantek.visits.urls")),
    path("replikasi/", include("posyantek.replication.urls")),
    path("lomba/", include("posyantek.contests.urls")),
    path("dasbor/", include("posyantek.dashboards.urls")),
    path("laporan/", include("posyantek.reports.urls")),
    # The language switch must work before logging in too.
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("api/v1/", api_urls),
    path("admin/", admin.site.urls),
]

handler403 = core_views.error_403
handler404 = core_views.error_404
handler500 = core_views.error_500

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
