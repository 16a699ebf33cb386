"""Public pages for Bintek (no login), under /pelatihan/: registration, attendance, certificate check."""

from django.urls import path

from posyantek.trainings import public_views as views

app_name = "pelatihan"
urlpatterns = [
    path("daftar/<str:token>/", views.register, name="register"),
    path("hadir/", views.check_in, name="check_in"),
    path("sertifikat/<str:code>/", views.certificate_verify, name="certificate_verify"),
    path("sertifikat/<str:code>/pdf", views.certificate_public_pdf, name="certificate_pdf"),
]
