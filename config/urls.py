"""URL map: pages per app, the API under /api/v1/, and health."""

from __future__ import annotations

from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from config.api import api_urls
from posyantek.core import views as core_views

urlpatterns = [
    path("", include("posyantek.core.urls")),
    path("akun/", include("posyantek.accounts.urls")),
    path("wilayah/", include("posyantek.regions.urls")),
    path("pos/", include("posyantek.posts.urls")),
    path("orang/", include("posyantek.people.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", api_urls),
    path("admin/", admin.site.urls),
]

handler403 = core_views.error_403
handler404 = core_views.error_404
handler500 = core_views.error_500

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
