from django.urls import path

from posyantek.catalog import views
from posyantek.catalog.import_views import innovator_import_view

app_name = "catalog"
urlpatterns = [
    path("", views.innovator_list_view, name="innovator_list"),
    path("baru", views.innovator_create, name="innovator_create"),
    path("impor", innovator_import_view, name="innovator_import"),
    path("peta", views.potential_map_view, name="potential_map"),
    path("<int:pk>/", views.innovator_detail, name="innovator_detail"),
    path("<int:pk>/ubah", views.innovator_edit, name="innovator_edit"),
    path("<int:pk>/kebutuhan/<int:need_pk>", views.need_update, name="need_update"),
]
