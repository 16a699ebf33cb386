"""Staff pages for exhibitions and roadshows, under /pameran/."""

from django.urls import path  # noqa: F401

app_name = "exhibitions"
urlpatterns: list = []
