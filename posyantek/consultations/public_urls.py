"""Public pages for service requests (no login), under /permohonan/."""

from django.urls import path

from posyantek.consultations import public_views as views

app_name = "permohonan"
urlpatterns = [
    path("", views.request_submit, name="submit"),
    path("wilayah", views.region_options, name="region_options"),
    path("lacak", views.track_find, name="track_find"),
    path("lacak/<str:code>/", views.track, name="track"),
    path("lacak/<str:code>/nilai", views.rate, name="rate"),
]
