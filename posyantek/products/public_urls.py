"""The public marketplace, under /pasar/: browse, cart, checkout."""

from django.urls import path  # noqa: F401

app_name = "pasar"
urlpatterns: list = []
