from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingsConfig(AppConfig):
    name = "posyantek.trainings"
    label = "trainings"
    verbose_name = _("Bintek dan tindak lanjut")
