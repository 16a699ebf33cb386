"""Staff pages for orders, under /pesanan/."""

from django.urls import path

from posyantek.orders import views

app_name = "orders"
urlpatterns = [
    path("", views.order_list_view, name="order_list"),
    path("baru", views.order_create, name="order_create"),
    path("<int:pk>/", views.order_detail, name="order_detail"),
    path("<int:pk>/ubah", views.order_edit, name="order_edit"),
    path("<int:pk>/barang", views.order_items, name="order_items"),
    path("<int:pk>/konfirmasi", views.order_confirm, name="order_confirm"),
    path("<int:pk>/tahap", views.order_advance, name="order_advance"),
    path("<int:pk>/penawaran-baru", views.order_new_quote, name="order_new_quote"),
    path("<int:pk>/pembayaran", views.payment_create, name="payment_create"),
    path("<int:pk>/dokumen", views.document_issue, name="document_issue"),
    path("<int:pk>/dokumen/<int:doc_pk>.pdf", views.document_pdf, name="document_pdf"),
]
