from django.urls import path

from posyantek.core import views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("bahasa/<str:code>", views.language_switch, name="language"),
]
