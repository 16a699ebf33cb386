"""Public pages for Bintek (no login), under /pelatihan/: registration, attendance, certificate check."""

app_name = "pelatihan"
urlpatterns: list = []
