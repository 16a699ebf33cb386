"""Pages of the partnerships app."""

from django.urls import path  # noqa: F401

app_name = "partnerships"
urlpatterns: list = []
