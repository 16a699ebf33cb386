"""Staff pages for products, under /produk/."""

from django.urls import path

from posyantek.products import import_views, views

app_name = "products"
urlpatterns = [
    path("", views.product_list_view, name="product_list"),
    path("baru", views.product_form, name="product_create"),
    path("impor", import_views.product_import_view, name="product_import"),
    path("<int:pk>/", views.product_detail, name="product_detail"),
    path("<int:pk>/ubah", views.product_form, name="product_edit"),
    path("<int:pk>/stok", views.product_stock, name="product_stock"),
    path("<int:pk>/dijual", views.product_active, name="product_active"),
    path("<int:pk>/foto", views.product_photo, name="product_photo"),
    path("<int:pk>/foto/<int:photo_pk>/hapus", views.product_photo_remove, name="product_photo_remove"),
    path("<int:pk>/foto/<int:photo_pk>/<str:size>", views.product_photo_file, name="product_photo_file"),
]
