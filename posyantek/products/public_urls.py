"""The public marketplace, under /pasar/: browse, cart, checkout."""

from django.urls import path

from posyantek.products import public_views as views

app_name = "pasar"
urlpatterns = [
    path("", views.market_list, name="market"),
    path("<int:pk>/", views.product_page, name="product_detail"),
    path("foto/<int:photo_id>/<str:size>", views.photo, name="photo"),
    path("keranjang/", views.cart, name="cart"),
    path("keranjang/tambah", views.cart_add, name="cart_add"),
    path("keranjang/ubah", views.cart_update, name="cart_update"),
    path("pesan/", views.checkout, name="checkout"),
    path("pesan/wilayah", views.region_options, name="regions"),
    path("pesan/terkirim", views.checkout_done, name="checkout_done"),
]
