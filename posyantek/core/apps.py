from django.apps import AppConfig, apps
from django.db import models
from django.utils.translation import gettext_lazy as _


def name_choices_after_their_model() -> None:
    """Rename nested choices (`Order.State`) to `OrderState`, so the OpenAPI schema keeps one component each.

    The API schema names an enum after its class; django-ninja merges every operation's definitions into one
    components table, so `Order.State` and `Bintek.State` would overwrite each other and the schema would lie.
    Migrations store choices by value, so the class name matters nowhere else.
    """
    for model in apps.get_models():
        for attr, value in vars(model).items():
            if (
                isinstance(value, type)
                and issubclass(value, models.Choices)
                and value.__qualname__.startswith(model.__name__ + ".")
            ):
                value.__name__ = value.__qualname__ = model.__name__ + attr


class CoreConfig(AppConfig):
    name = "posyantek.core"
    label = "core"
    verbose_name = _("Inti")

    def ready(self) -> None:
        name_choices_after_their_model()
