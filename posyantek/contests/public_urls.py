"""Pages of the contests app (public); included by urls.py."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
