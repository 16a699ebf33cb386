"""Pages of the contests app (results, for organisers); included by urls.py."""

from django.urls import path

from posyantek.contests import result_views

urlpatterns = [
    path("kelola/<int:pk>/hasil/", result_views.result_list, name="result_list"),
    path("kelola/<int:pk>/hasil/hitung", result_views.result_compute, name="result_compute"),
    path("kelola/<int:pk>/hasil/pleno/<int:rank>", result_views.result_resolve_tie, name="result_resolve_tie"),
    path("kelola/<int:pk>/hasil/umumkan", result_views.result_publish, name="result_publish"),
    path("kelola/<int:pk>/hasil/teruskan", result_views.result_forward, name="result_forward"),
    path("kelola/<int:pk>/hasil/tertunda", result_views.result_forward_pending, name="result_forward_pending"),
    path("kelola/<int:pk>/hasil/<slug:kind>.pdf", result_views.result_pdf, name="result_pdf"),
    path("kelola/<int:pk>/hasil/<int:entry_pk>/", result_views.result_entry, name="result_entry"),
]
