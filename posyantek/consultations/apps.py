from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class ConsultationsConfig(AppConfig):
    name = "posyantek.consultations"
    label = "consultations"
    verbose_name = gettext_lazy("Permohonan layanan")
