"""The person registry: officers, innovators, members, users of TTG."""

from __future__ import annotations

from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from posyantek.core.models import RegionScopedModel

nik_validator = RegexValidator(r"^\d{16}$", _("NIK harus 16 angka."), code="nik")


class Person(RegionScopedModel):
    """A person known to a post, living in a region. The NIK is optional and private."""

    class Sex(models.TextChoices):
        MALE = "L", _("Laki-laki")
        FEMALE = "P", _("Perempuan")

    name = models.CharField(_("nama"), max_length=150)
    sex = models.CharField(_("jenis kelamin"), max_length=1, choices=Sex.choices, blank=True)
    nik = models.CharField(_("NIK"), max_length=16, blank=True, validators=[nik_validator])
    address = models.CharField(_("alamat"), max_length=300, blank=True)
    phone = models.CharField(_("telepon/WhatsApp"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    occupation = models.CharField(_("pekerjaan"), max_length=120, blank=True)
    skills = models.CharField(_("keahlian/bidang"), max_length=300, blank=True)
    post = models.ForeignKey(
        "posts.Post",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="people",
        verbose_name=_("pos pencatat"),
    )

    scope_post_field = "post"

    class Meta:
        verbose_name = _("orang")
        verbose_name_plural = _("orang")
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["nik"], condition=~models.Q(nik=""), name="%(app_label)s_%(class)s_unique_nik"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("people:person_detail", args=[self.pk])
