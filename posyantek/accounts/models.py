"""Accounts (log in by e-mail), grants of roles on regions or posts, and API tokens."""

from __future__ import annotations

import hashlib
from typing import Any, ClassVar

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class EmailUserManager(UserManager):
    """Create users keyed by e-mail; the username mirrors it."""

    def _create_user(self, username: Any, email: Any, password: Any, **extra: Any) -> Any:
        email = self.normalize_email(email or username).lower()
        return super()._create_user(email, email, password, **extra)

    def create_user(self, email: str | None = None, password: str | None = None, **extra: Any) -> Any:  # type: ignore[override]
        extra.pop("username", None)
        return self._create_user(email, email, password, **extra)

    def create_superuser(self, email: str | None = None, password: str | None = None, **extra: Any) -> Any:  # type: ignore[override]
        extra.pop("username", None)
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self._create_user(email, email, password, **extra)


class User(AbstractUser):
    """A person who logs in, by e-mail and password."""

    email = models.EmailField(_("e-mail"), unique=True)
    full_name = models.CharField(_("nama lengkap"), max_length=150, blank=True)
    phone = models.CharField(_("telepon/WhatsApp"), max_length=30, blank=True)
    language = models.CharField(_("bahasa"), max_length=5, choices=settings.LANGUAGES, default="id")

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []
    objects = EmailUserManager()  # type: ignore[misc]

    class Meta:
        verbose_name = _("pengguna")
        verbose_name_plural = _("pengguna")

    def __str__(self) -> str:
        return self.full_name or self.email


class Grant(models.Model):
    """A role held by a user on a region subtree, on one post, or nationally."""

    class Role(models.TextChoices):
        NATIONAL_ADMIN = "national_admin", _("Admin nasional")
        PROVINCE_OFFICER = "province_officer", _("Petugas provinsi (DPMD)")
        CITY_OFFICER = "city_officer", _("Petugas kabupaten/kota (DPMD)")
        KECAMATAN_COORDINATOR = "kecamatan_coordinator", _("Koordinator kecamatan")
        POST_MANAGER = "post_manager", _("Pengelola pos")
        POST_STAFF = "post_staff", _("Staf pos (entri data)")
        VIEWER = "viewer", _("Peninjau")
        JUDGE = "judge", _("Juri")

    RANK: ClassVar[dict[str, int]] = {
        "national_admin": 70,
        "province_officer": 60,
        "city_officer": 50,
        "kecamatan_coordinator": 40,
        "post_manager": 30,
        "post_staff": 20,
        "viewer": 10,
        "judge": 10,
    }
    #: Roles held on one post rather than on a region.
    POST_ROLES: ClassVar[set[str]] = {"post_manager", "post_staff"}
    #: The region level each region role is meant for (1 province … 3 kecamatan); None = any.
    REGION_LEVEL: ClassVar[dict[str, int | None]] = {
        "province_officer": 1,
        "city_officer": 2,
        "kecamatan_coordinator": 3,
        "viewer": None,
        "judge": None,
    }

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="grants", verbose_name=_("pengguna")
    )
    role = models.CharField(_("peran"), max_length=30, choices=Role.choices)
    region = models.ForeignKey(
        "regions.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("wilayah")
    )
    post = models.ForeignKey(
        "posts.Post", null=True, blank=True, on_delete=models.CASCADE, related_name="grants", verbose_name=_("pos")
    )
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("diberikan oleh"),
    )
    created = models.DateTimeField(_("dibuat"), auto_now_add=True)

    class Meta:
        verbose_name = _("hak akses")
        verbose_name_plural = _("hak akses")
        constraints = [
            models.CheckConstraint(
                name="%(app_label)s_%(class)s_one_scope",
                condition=(Q(role="national_admin", region__isnull=True, post__isnull=True))
                | (~Q(role="national_admin") & Q(region__isnull=False, post__isnull=True))
                | (~Q(role="national_admin") & Q(region__isnull=True, post__isnull=False)),
            ),
            models.UniqueConstraint(fields=["user", "role", "region", "post"], name="%(app_label)s_%(class)s_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.scope_label}"

    @property
    def rank(self) -> int:
        return self.RANK[self.role]

    @property
    def scope_label(self) -> str:
        if self.post_id:
            return str(self.post)
        if self.region_id:
            return str(self.region)
        return str(_("Nasional"))


class ApiToken(models.Model):
    """A bearer token a user made for scripts; only its hash is stored."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("pengguna")
    )
    name = models.CharField(_("nama"), max_length=80)
    prefix = models.CharField(_("awalan"), max_length=12)
    token_hash = models.CharField(max_length=64, unique=True)
    created = models.DateTimeField(_("dibuat"), auto_now_add=True)
    last_used = models.DateTimeField(_("terakhir dipakai"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("dicabut"), null=True, blank=True)

    class Meta:
        verbose_name = _("token API")
        verbose_name_plural = _("token API")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def hash(raw: str) -> str:
        return hashlib.sha256(raw.encode()).hexdigest()
