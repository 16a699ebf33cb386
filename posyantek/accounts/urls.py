from django.urls import path

from posyantek.accounts import views

app_name = "accounts"
urlpatterns = [
    path("masuk", views.login, name="login"),
    path("keluar", views.logout, name="logout"),
    path("lupa-sandi", views.password_reset, name="password_reset"),
    path("lupa-sandi/terkirim", views.password_reset_done, name="password_reset_done"),
    path("sandi/<uidb64>/<token>/", views.password_reset_confirm, name="password_reset_confirm"),
    path("sandi/selesai", views.password_reset_complete, name="password_reset_complete"),
    path("profil", views.profile, name="profile"),
    path("token/<int:pk>/cabut", views.token_revoke, name="token_revoke"),
    path("hak-akses", views.grant_list_view, name="grant_list"),
    path("hak-akses/<int:pk>/cabut", views.grant_revoke, name="grant_revoke"),
]
