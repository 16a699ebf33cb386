"""Public order tracking by code, under /lacak/."""

from django.urls import path  # noqa: F401

app_name = "lacak"
urlpatterns: list = []
