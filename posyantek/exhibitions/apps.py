from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExhibitionsConfig(AppConfig):
    name = "posyantek.exhibitions"
    label = "exhibitions"
    verbose_name = _("Pameran dan roadshow")
