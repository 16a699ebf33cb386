"""The network (jejaring) that sells for a post: agents, resellers, partner shops, BUMDes, other posts.

domain.md §4.12, §5.5. An order can carry the agent who brought it; the agent's commission follows the agent's rule.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.core.validators import MaxValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from posyantek.core.lib.phone import display_phone
from posyantek.core.lib.rupiah import format_rupiah
from posyantek.core.models import RegionScopedModel


class Agent(RegionScopedModel):
    """Someone who sells for a post; `region` is the post's region (scoping), `area` where the agent sells."""

    class Kind(models.TextChoices):
        AGENT = "agen", _("Agen")
        RESELLER = "reseller", _("Reseller")
        SHOP = "toko_mitra", _("Toko mitra")
        BUMDES = "bumdes", _("BUMDes")
        POST = "posyantek", _("Posyantek lain")
        OTHER = "lainnya", _("Lainnya")

    class Rule(models.TextChoices):
        NONE = "tanpa", _("Tanpa komisi")
        PERCENT = "persen", _("Persen dari nilai pesanan")
        PER_UNIT = "per_unit", _("Rupiah tetap per unit")
        PER_ORDER = "per_pesanan", _("Rupiah tetap per pesanan")

    post = models.ForeignKey("posts.Post", on_delete=models.PROTECT, related_name="agents",
                             verbose_name=_("pos"))  # fmt: skip
    kind = models.CharField(_("jenis"), max_length=12, choices=Kind.choices, default=Kind.AGENT)
    partner_post = models.ForeignKey("posts.Post", null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+", verbose_name=_("pos mitra"))  # fmt: skip
    name = models.CharField(_("nama"), max_length=200)
    contact_person = models.CharField(_("narahubung"), max_length=150, blank=True)
    phone = models.CharField(_("telepon/WhatsApp"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    address = models.TextField(_("alamat"), blank=True)
    area = models.ForeignKey("regions.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("wilayah pemasaran"))  # fmt: skip
    commission_rule = models.CharField(_("aturan komisi"), max_length=12, choices=Rule.choices, default=Rule.NONE)
    commission_percent = models.DecimalField(_("komisi (%)"), max_digits=5, decimal_places=2, default=Decimal(0),
                                             validators=[MaxValueValidator(Decimal(100))])  # fmt: skip
    commission_amount = models.PositiveBigIntegerField(_("komisi tetap (Rp)"), default=0)
    joined_on = models.DateField(_("bergabung sejak"), null=True, blank=True)
    active = models.BooleanField(_("aktif"), default=True)
    notes = models.TextField(_("catatan"), blank=True)

    scope_post_field = "post"

    class Meta:
        verbose_name = _("agen/jejaring")
        verbose_name_plural = _("jejaring pemasaran")
        ordering = ["name", "pk"]
        constraints = [
            models.CheckConstraint(
                name="%(app_label)s_%(class)s_percent",
                condition=models.Q(commission_percent__gte=0) & models.Q(commission_percent__lte=100),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("network:agent_detail", args=[self.pk])

    def commission_for(self, *, total: int, quantity: int) -> int:
        """Return the commission in whole rupiah for an order of `total` rupiah and `quantity` units.

        A percentage is rounded half up to the rupiah (2,5% of Rp 1.001 is Rp 25). A commission never exceeds
        the order's total: a fixed amount per unit on cheap goods would otherwise pay more than was sold.
        """
        if total < 0 or quantity < 0:
            raise ValueError("total and quantity must not be negative")
        if self.commission_rule == self.Rule.PERCENT:
            amount = int((Decimal(total) * self.commission_percent / 100).to_integral_value(rounding=ROUND_HALF_UP))
        elif self.commission_rule == self.Rule.PER_UNIT:
            amount = self.commission_amount * quantity
        elif self.commission_rule == self.Rule.PER_ORDER:
            amount = self.commission_amount
        else:
            amount = 0
        return min(amount, total)

    @property
    def phone_display(self) -> str:
        """Return the phone the way people read it, 0812-3456-7890."""
        return display_phone(self.phone) if self.phone else ""

    @property
    def percent_text(self) -> str:
        """Return the percentage the Indonesian way: 2,5 (not 2.50)."""
        whole, _dot, fraction = f"{Decimal(self.commission_percent):.2f}".partition(".")
        fraction = fraction.rstrip("0")
        return f"{whole},{fraction}" if fraction else whole

    @property
    def rule_text(self) -> str:
        """Return the commission rule in words, e.g. "5% dari nilai pesanan, dibulatkan ke rupiah terdekat"."""
        amount = format_rupiah(self.commission_amount)
        if self.commission_rule == self.Rule.PERCENT:
            return gettext("%(p)s%% dari nilai pesanan (total), dibulatkan ke rupiah terdekat") % {
                "p": self.percent_text
            }
        if self.commission_rule == self.Rule.PER_UNIT:
            return gettext("%(a)s untuk setiap unit yang terjual lewat agen ini") % {"a": amount}
        if self.commission_rule == self.Rule.PER_ORDER:
            return gettext("%(a)s untuk setiap pesanan, berapa pun jumlah unitnya") % {"a": amount}
        return gettext("Tanpa komisi")
