"""Technology record forms: shape only; the rules live in ttg_services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from posyantek.catalog.models import Innovator, Ttg
from posyantek.posts.models import Post
from posyantek.regions.forms import RegionCodeField

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")

SECTIONS = [
    (_("Identitas dan asal"), ["name", "other_names", "post", "innovators", "year_made", "source"]),
    (_("Klasifikasi"), ["sector", "aspect", "kind", "commodities"]),
    (_("Kegunaan"), ["problem", "function", "benefits", "target_users"]),
    (_("Data teknis"), ["dimensions", "materials", "power_source", "power_watt", "capacity", "capacity_unit",
                        "local_materials", "how_it_works", "operation", "maintenance", "safety", "food_grade"]),
    (_("Ekonomi"), ["price", "production_cost", "operating_cost", "value_added", "factory_comparison",
                    "payback_months"]),
    (_("Kesiapan dan HKI"), ["readiness", "trl", "ip_status", "ip_number"]),
    (_("Ketersediaan dan prestasi"), ["producer", "producer_contact", "lead_time_days", "recognition",
                                      "video_url"]),
]  # fmt: skip


class TtgForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    video_url = forms.URLField(label=_("Tautan video"), required=False, assume_scheme="https")

    class Meta:
        model = Ttg
        fields = [name for _title, names in SECTIONS for name in names]
        widgets = {f: forms.Textarea(attrs={"rows": 3}) for f in (
            "problem", "function", "benefits", "how_it_works", "operation", "maintenance", "safety", "value_added",
            "factory_comparison", "recognition")}  # fmt: skip

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["post"].queryset = Post.objects.for_user(user, "edit").select_related("region")
        self.fields["innovators"].queryset = Innovator.objects.for_user(user, "view").select_related("person")
        self.fields["innovators"].required = False
        self.fields["trl"].widget.attrs.update({"min": 1, "max": 9})
        for name in ("price", "production_cost", "power_watt", "payback_months", "lead_time_days", "capacity"):
            self.fields[name].widget.attrs["min"] = 0
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version

    def sections(self) -> list[tuple[str, list[Any]]]:
        return [(title, [self[n] for n in names]) for title, names in SECTIONS]

    def _post_clean(self) -> None:
        pass


class PhotoForm(forms.Form):
    image = forms.FileField(label=_("Foto (JPG, PNG atau WEBP, paling besar 10 MB)"))
    caption = forms.CharField(label=_("Keterangan foto"), max_length=200, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["image"].widget.attrs["accept"] = "image/jpeg,image/png,image/webp"


class AdoptionForm(forms.Form):
    region = RegionCodeField(label=_("Wilayah penerapan (kode)"))
    applied_on = forms.DateField(label=_("Tanggal"), widget=DATE)
    units = forms.IntegerField(label=_("Jumlah unit"), min_value=1, max_value=100000, initial=1)
    users = forms.CharField(label=_("Pengguna"), max_length=200, required=False)
    result = forms.CharField(label=_("Hasil"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class StageForm(forms.Form):
    stage = forms.ChoiceField(label=_("Tahap baru"), choices=Ttg.Stage.choices)
    changed_on = forms.DateField(label=_("Tanggal"), widget=DATE, required=False)
    note = forms.CharField(label=_("Keterangan"), max_length=300, required=False)
