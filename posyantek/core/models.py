"""Base models shared by every domain app, and the append-only audit log."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from posyantek.core.scoping import RegionScopedQuerySet


class RegionScopedModel(models.Model):
    """A row that belongs to a region; every read goes through `objects.for_user`."""

    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("wilayah"))
    created = models.DateTimeField(_("dibuat"), auto_now_add=True)
    updated = models.DateTimeField(_("diperbarui"), auto_now=True)
    version = models.PositiveIntegerField(_("versi"), default=1, editable=False)

    objects = RegionScopedQuerySet.as_manager()

    scope_region_field: str | None = "region"
    scope_post_field: str | None = None

    class Meta:
        abstract = True


class DataVersion(models.Model):
    """One counter that every audited write bumps, so cached pages know when data changed."""

    n = models.PositiveBigIntegerField(_("versi data"), default=0)

    class Meta:
        verbose_name = _("versi data")
        verbose_name_plural = _("versi data")

    def __str__(self) -> str:
        return str(self.n)

    @classmethod
    def bump(cls) -> None:
        """Increase the counter (inside the caller's transaction)."""
        if not cls.objects.filter(pk=1).update(n=models.F("n") + 1):
            cls.objects.get_or_create(pk=1, defaults={"n": 1})


class AuditEventQuerySet(RegionScopedQuerySet):
    def for_object(self, obj: models.Model) -> AuditEventQuerySet:
        """Return the events of one object, newest first."""
        ct = ContentType.objects.get_for_model(obj)
        return self.filter(content_type=ct, object_id=str(obj.pk)).select_related("actor").order_by("-at", "-pk")


class AuditEvent(models.Model):
    """Record one write: who, when, what, from where. Append-only."""

    class Action(models.TextChoices):
        CREATE = "create", _("dibuat")
        UPDATE = "update", _("diubah")
        DELETE = "delete", _("dihapus")
        STATUS = "status", _("status diubah")
        GRANT = "grant", _("hak akses diberikan")
        REVOKE = "revoke", _("hak akses dicabut")
        INVITE = "invite", _("undangan dikirim")
        TOKEN = "token", _("token API")
        IMPORT = "import", _("diimpor")

    at = models.DateTimeField(_("waktu"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, verbose_name=_("pelaku")
    )
    action = models.CharField(_("tindakan"), max_length=20, choices=Action.choices)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, verbose_name=_("jenis objek"))
    object_id = models.CharField(_("ID objek"), max_length=64)
    object_repr = models.CharField(_("objek"), max_length=300)
    changes = models.JSONField(_("perubahan"), default=dict, blank=True)
    ip = models.GenericIPAddressField(_("alamat IP"), null=True, blank=True)
    region = models.ForeignKey(
        "regions.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("wilayah")
    )
    post = models.ForeignKey(
        "posts.Post", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("pos")
    )

    objects = AuditEventQuerySet.as_manager()
    scope_region_field = "region"
    scope_post_field = "post"

    class Meta:
        verbose_name = _("catatan riwayat")
        verbose_name_plural = _("riwayat")
        indexes = [models.Index(fields=["content_type", "object_id"], name="core_auditevent_object")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_action_display()} {self.object_repr}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # Append-only: an existing event is never rewritten.
        if not self._state.adding:
            raise PermissionError("Audit events are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise PermissionError("Audit events are append-only.")


class RateBucket(models.Model):
    """How often one key (an IP address, a phone number) did something in one time window (core/ratelimit.py)."""

    key = models.CharField(max_length=200)
    window = models.BigIntegerField()
    count = models.PositiveIntegerField(default=0)
    expires = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["key", "window"], name="core_ratebucket_key_window")]

    def __str__(self) -> str:
        return f"{self.key} @{self.window}: {self.count}"
