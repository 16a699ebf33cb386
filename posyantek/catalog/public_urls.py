"""The public TTG catalogue: no login needed."""

from django.urls import path  # noqa: F401 - the catalogue routes come here

app_name = "katalog"
urlpatterns: list = []
