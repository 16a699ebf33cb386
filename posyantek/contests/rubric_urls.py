"""Pages of the contests app (rubric); included by urls.py."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
