"""Staff pages for service requests, under /layanan/."""

from django.urls import path

from posyantek.consultations import views

app_name = "consultations"
urlpatterns = [
    path("", views.request_list_view, name="request_list"),
    path("baru", views.request_create, name="request_create"),
    path("peta", views.needs_map_view, name="needs_map"),
    path("kinerja", views.service_stats_view, name="service_stats"),
    path("<int:pk>/", views.request_detail, name="request_detail"),
    path("<int:pk>/ubah", views.request_edit, name="request_edit"),
    path("<int:pk>/status", views.request_transition, name="request_transition"),
    path("<int:pk>/pos", views.request_assign, name="request_assign"),
    path("<int:pk>/pemantauan/<int:check_pk>", views.check_record, name="check_record"),
    path("<int:pk>/foto/<int:photo_pk>/<str:size>", views.request_photo, name="request_photo"),
]
