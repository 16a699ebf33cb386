"""Public pages for service requests (no login), under /permohonan/."""

app_name = "permohonan"
urlpatterns: list = []
