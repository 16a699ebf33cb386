"""Public order tracking by code, under /lacak/."""

from django.urls import path

from posyantek.orders import public_views as views

app_name = "lacak"
urlpatterns = [
    path("", views.track_find, name="track_find"),
    path("<str:code>/", views.order_track, name="order_track"),
]
