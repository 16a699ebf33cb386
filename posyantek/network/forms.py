"""Agent forms: shape only; the rules (commission values, phone, partner post, scope) live in services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from posyantek.network.models import Agent
from posyantek.network.selectors import partner_post_choices_unscoped
from posyantek.posts.models import Post
from posyantek.regions.forms import RegionCodeField
from posyantek.trainings.forms import DATE, RupiahField


class PartnerPostField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Post) -> str:
        return f"{obj.name} ({obj.region.name})"


class AgentForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    area = RegionCodeField(
        label=_("Wilayah pemasaran (kode wilayah)"),
        required=False,
        help_text=_("Kode Kemendagri, mis. 33.74 (Kota Semarang) atau 31.74 (Jakarta Selatan)."),
    )
    partner_post = PartnerPostField(queryset=Post.objects.none(), required=False, label=_("Pos mitra"),
                                    help_text=_("Hanya untuk jenis 'Posyantek lain'."))  # fmt: skip
    # Text, not a number box: people write "2,5" with a decimal comma; the service reads it.
    commission_percent = forms.CharField(
        label=_("Komisi (%)"),
        required=False,
        max_length=12,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
        help_text=_("0 sampai 100, paling banyak dua angka desimal, mis. 2,5."),
    )
    commission_amount = RupiahField(label=_("Komisi tetap (Rp)"), required=False,
                                    help_text=_("Untuk aturan per unit atau per pesanan."))  # fmt: skip

    class Meta:
        model = Agent
        fields = ["post", "kind", "name", "contact_person", "phone", "email", "address", "area", "partner_post",
                  "commission_rule", "commission_percent", "commission_amount", "joined_on", "notes"]  # fmt: skip
        widgets = {"joined_on": DATE, "address": forms.Textarea(attrs={"rows": 2}),
                   "notes": forms.Textarea(attrs={"rows": 2})}  # fmt: skip

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["post"].queryset = Post.objects.for_user(user, "edit").select_related("region")
        self.fields["partner_post"].queryset = partner_post_choices_unscoped()
        self.fields["phone"].widget.attrs.update({"inputmode": "tel", "autocomplete": "tel"})
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
            self.initial["area"] = self.instance.area_id
            self.initial["commission_percent"] = self.instance.percent_text

    def _post_clean(self) -> None:
        pass


class ActiveForm(forms.Form):
    active = forms.BooleanField(required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
