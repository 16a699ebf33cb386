"""Exhibition forms: shape only; the rules (states, own products, whole rupiah, scope) live in services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from posyantek.exhibitions.models import CooperationOffer, Exhibition, Funding, Lead
from posyantek.posts.models import Post
from posyantek.products.forms import region_options
from posyantek.products.models import Product
from posyantek.regions.forms import RegionCodeField
from posyantek.regions.models import Region
from posyantek.trainings.forms import DATE, RupiahField


class ExhibitionForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    venue_region = RegionCodeField(label=_("Wilayah tempat (kode wilayah)"), required=False,
                                   help_text=_("Kode Kemendagri, mis. 33.74 (Kota Semarang)."))  # fmt: skip

    class Meta:
        model = Exhibition
        fields = ["post", "name", "kind", "level", "starts_on", "ends_on", "venue", "venue_region", "organiser",
                  "report_text"]  # fmt: skip
        widgets = {"starts_on": DATE, "ends_on": DATE, "report_text": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["post"].queryset = Post.objects.for_user(user, "edit").select_related("region")
        self.fields["ends_on"].required = False
        self.fields["ends_on"].help_text = _("Kosong: sama dengan tanggal mulai.")
        self.fields["report_text"].help_text = _("Catatan laporan: apa yang terjadi, apa yang paling diminati.")
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
            self.initial["venue_region"] = self.instance.venue_region_id

    def _post_clean(self) -> None:
        pass


class StateForm(forms.Form):
    state = forms.ChoiceField(label=_("Tahap berikutnya"), choices=Exhibition.State.choices)
    note = forms.CharField(label=_("Keterangan"), max_length=300, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class VisitorsForm(forms.Form):
    visitors = forms.IntegerField(label=_("Jumlah pengunjung stan"), min_value=0, max_value=10_000_000,
                                  widget=forms.NumberInput(attrs={"inputmode": "numeric"}))  # fmt: skip
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class ProductForm(forms.Form):
    product = forms.ModelChoiceField(queryset=Product.objects.none(), label=_("Produk"))
    quantity = forms.IntegerField(label=_("Jumlah dibawa"), min_value=1, max_value=100_000, initial=1)
    note = forms.CharField(label=_("Keterangan"), max_length=200, required=False)

    def __init__(self, *args: Any, user: Any, exhibition: Exhibition, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        own = Product.objects.for_user(user, "view").filter(post_id=exhibition.post_id, active=True)
        self.fields["product"].queryset = own.only("pk", "name", "unit").order_by("name")


class QuantityForm(forms.Form):
    quantity = forms.IntegerField(label=_("Jumlah dibawa"), min_value=1, max_value=100_000)
    note = forms.CharField(label=_("Keterangan"), max_length=200, required=False)


class CostForm(forms.Form):
    item = forms.CharField(label=_("Uraian"), max_length=200)
    amount = RupiahField(label=_("Jumlah (Rp)"), min_value=1)
    funding_source = forms.ChoiceField(label=_("Sumber dana"), choices=Funding.choices)


class RegionPickForm(forms.Form):
    """Where someone comes from: a province, then one of its kabupaten/kota; both may stay empty.

    With JavaScript the province's list asks `exhibitions:region_options` for its kabupaten/kota (htmx); without it,
    a button in the form sends the page back with them (like the marketplace checkout).
    """

    province = forms.ChoiceField(label=_("Provinsi asal"), required=False,
                                 error_messages={"invalid_choice": _("Pilih provinsi dari daftar.")})  # fmt: skip
    regency = forms.ChoiceField(label=_("Kabupaten/kota asal"), required=False, error_messages={
        "invalid_choice": _("Pilih kabupaten/kota di provinsi yang dipilih.")})  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        source = self.data if self.is_bound else self.initial
        province = str(source.get("province") or "")[:13]
        # Lists read only when shown or checked, so a page that keeps the form closed does not pay for them.
        self.fields["province"].choices = lambda: [("", _("– pilih provinsi –")), *region_options(1, "")]
        self.fields["regency"].choices = (
            (lambda: [("", _("– pilih kabupaten/kota –")), *region_options(2, province)]) if province
            else [("", _("– pilih provinsi dulu –"))]
        )  # fmt: skip
        self.fields["province"].widget.attrs.update({
            "hx-get": reverse("exhibitions:region_options"), "hx-target": "#lead-region", "hx-swap": "outerHTML",
        })  # fmt: skip

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        code = data.get("regency") or data.get("province")
        if "province" in data and "regency" in data:  # both fit their lists
            data["region"] = Region.objects.filter(code=code).first() if code else None
        return data


class LeadForm(RegionPickForm, forms.ModelForm):
    order_code = forms.CharField(label=_("Kode pesanan (bila sudah memesan)"), max_length=20, required=False)

    field_order = ["name", "phone", "email", "institution", "province", "regency", "product", "interest",
                   "followed_up", "order_code"]  # fmt: skip

    class Meta:
        model = Lead
        fields = ["name", "phone", "email", "institution", "product", "interest", "followed_up"]
        widgets = {"interest": forms.Textarea(attrs={"rows": 2})}
        error_messages = {
            "name": {"required": _("Tulis nama calon pembeli.")},
            "email": {"invalid": _("Alamat e-mail tidak valid.")},
        }

    def __init__(self, *args: Any, user: Any, exhibition: Exhibition, **kwargs: Any) -> None:
        instance = kwargs.get("instance")
        if instance is not None and instance.region_id:
            code = instance.region_id
            kwargs["initial"] = {"province": code[:2], "regency": code[:5] if len(code) >= 5 else "",
                                 **kwargs.get("initial", {})}  # fmt: skip
        super().__init__(*args, **kwargs)
        own = Product.objects.for_user(user, "view").filter(post_id=exhibition.post_id)
        self.fields["product"].queryset = own.only("pk", "name").order_by("name")
        self.fields["product"].required = False
        self.fields["phone"].widget.attrs.update({"inputmode": "tel", "autocomplete": "off"})
        if self.instance.pk and "order_code" not in self.initial:
            self.initial["order_code"] = self.instance.order.code if self.instance.order_id else ""

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        kept, picked = self.instance.region_id, data.get("region")
        # A lead recorded with its kecamatan or desa (through the API) keeps it while its kabupaten/kota stays.
        if kept and picked is not None and kept.startswith(picked.code + "."):
            data["region"] = self.instance.region
        return data

    def _post_clean(self) -> None:
        pass


class OfferForm(forms.ModelForm):
    value = RupiahField(label=_("Nilai (Rp)"), initial=0)

    class Meta:
        model = CooperationOffer
        fields = ["partner", "description", "value", "status"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}

    def _post_clean(self) -> None:
        pass
