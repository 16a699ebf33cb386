"""Staff pages of technology records, under /ttg/."""

from django.urls import path

from posyantek.catalog import import_views
from posyantek.catalog import ttg_views as views

app_name = "ttg"
urlpatterns = [
    path("", views.ttg_list_view, name="ttg_list"),
    path("baru", views.ttg_form, name="ttg_create"),
    path("impor", import_views.ttg_import_view, name="ttg_import"),
    path("ekspor/e-katalog", import_views.ttg_ekatalog_export, name="ttg_ekatalog"),
    path("<int:pk>/", views.ttg_detail, name="ttg_detail"),
    path("<int:pk>/ubah", views.ttg_form, name="ttg_edit"),
    path("<int:pk>/foto", views.ttg_photo, name="ttg_photo"),
    path("<int:pk>/foto/<int:photo_pk>/hapus", views.ttg_photo_remove, name="ttg_photo_remove"),
    path("<int:pk>/foto/<int:photo_pk>/<str:size>", views.ttg_photo_file, name="ttg_photo_file"),
    path("<int:pk>/penerapan", views.ttg_adoption, name="ttg_adoption"),
    path("<int:pk>/tahap", views.ttg_stage, name="ttg_stage"),
    path("<int:pk>/publikasi/<str:action>", views.ttg_publication, name="ttg_publication"),
]
