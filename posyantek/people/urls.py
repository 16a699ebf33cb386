from django.urls import path

from posyantek.people import views

app_name = "people"
urlpatterns = [
    path("", views.person_list_view, name="person_list"),
    path("baru", views.person_create, name="person_create"),
    path("impor", views.people_import_view, name="people_import"),
    path("<int:pk>/", views.person_detail, name="person_detail"),
    path("<int:pk>/ubah", views.person_edit, name="person_edit"),
]
