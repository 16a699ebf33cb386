from django.urls import path

from posyantek.regions import views

app_name = "regions"
urlpatterns = [
    path("", views.region_index, name="region_index"),
    path("cari", views.region_find, name="region_find"),
    path("<str:code>/", views.region_detail, name="region_detail"),
]
