"""The public TTG catalogue: no login needed."""

from django.urls import path

from posyantek.catalog import public_views as views

app_name = "katalog"
urlpatterns = [
    path("", views.ttg_catalog, name="catalog"),
    path("cari-solusi", views.ttg_solve, name="solve"),
    path("foto/<int:photo_id>/<str:size>", views.ttg_photo, name="photo"),
    path("<slug:slug>/", views.ttg_public_detail, name="ttg_detail"),
    path("<slug:slug>/qr.svg", views.ttg_qr, name="ttg_qr"),
    path("<slug:slug>/lembar.pdf", views.ttg_sheet, name="ttg_sheet"),
]
