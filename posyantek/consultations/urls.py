"""Staff pages for service requests, under /layanan/."""

app_name = "consultations"
urlpatterns: list = []
