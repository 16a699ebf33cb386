"""Staff pages for orders, under /pesanan/."""

from django.urls import path  # noqa: F401

app_name = "orders"
urlpatterns: list = []
