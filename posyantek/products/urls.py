"""Staff pages for products, under /produk/."""

from django.urls import path  # noqa: F401

app_name = "products"
urlpatterns: list = []
