"""Pages of the replication app."""

from django.urls import path  # noqa: F401

app_name = "replication"
urlpatterns: list = []
