"""Staff pages for the marketing network (agents), under /jejaring/."""

from django.urls import path  # noqa: F401

app_name = "network"
urlpatterns: list = []
