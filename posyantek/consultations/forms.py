"""Forms of service requests: shape only; the services check the rules."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext, gettext_lazy

from posyantek.catalog.models import Sector
from posyantek.consultations.models import ServiceRequest
from posyantek.consultations.selectors import handler_choices, region_options_for, region_suggest
from posyantek.posts.models import Post
from posyantek.regions.models import Region


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Up to a few photos in one input; each is checked by the service (type by content, size, no SVG)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        return [f for f in files if f]


class RegionPickMixin(forms.Form):
    """Find the village by name: type a name, pick it from the suggestions (radio buttons), or type the code."""

    region_q = forms.CharField(
        label=gettext_lazy("Desa/kelurahan atau kecamatan"), max_length=120, required=False,
        help_text=gettext_lazy("Ketik nama desa/kelurahan, mis. Panjang Wetan, lalu pilih."),
    )  # fmt: skip
    region = forms.CharField(required=False, widget=forms.HiddenInput, max_length=13)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.region_options: list[tuple[Region, str]] = []
        self.fields["region_q"].widget.attrs.update(autocomplete="off")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        code = (data.get("region") or "").strip()
        region = Region.objects.filter(code=code, level__gte=3).first() if code else None
        if region is None:
            text = (data.get("region_q") or "").strip()
            exact = Region.objects.filter(code=text, level__gte=3).first() if text else None
            self.region_options = region_suggest(text) if exact is None else []
            if exact is not None:
                region = exact
            elif len(self.region_options) == 1:
                region = self.region_options[0][0]
            elif self.region_options:
                self.add_error("region_q", gettext("Ada beberapa wilayah bernama itu: pilih salah satu di bawah."))
            else:
                self.add_error("region_q", gettext("Wilayah tidak ditemukan. Ketik nama desa/kelurahan atau "
                                                   "kecamatan Anda (paling sedikit 3 huruf)."))  # fmt: skip
        if region is not None:  # shown again, chosen, when another field sends the form back
            self.region_options = region_options_for([region])
        data["region"] = region
        return data


class PublicRequestForm(RegionPickMixin):
    """The public form: no login, short, works on a phone. `website` is a honeypot that people never see."""

    requester_name = forms.CharField(label=gettext_lazy("Nama Anda atau kelompok"), max_length=150)
    phone = forms.CharField(
        label=gettext_lazy("Nomor HP/WhatsApp"), max_length=30, required=False,
        help_text=gettext_lazy("Mis. 0812-3456-7890. Kabar permohonan dikirim ke nomor ini."),
    )  # fmt: skip
    email = forms.EmailField(label=gettext_lazy("E-mail (boleh kosong)"), required=False)
    description = forms.CharField(label=gettext_lazy("Apa yang Anda butuhkan, atau apa masalahnya?"),
                                  max_length=3000, widget=forms.Textarea(attrs={"rows": 4}))  # fmt: skip
    sector = forms.ChoiceField(label=gettext_lazy("Bidang"), required=False,
                               choices=[("", gettext_lazy("– pilih bidang –")), *Sector.choices])  # fmt: skip
    commodity = forms.CharField(label=gettext_lazy("Komoditas"), max_length=120, required=False,
                                help_text=gettext_lazy("Mis. ikan asin, batik, singkong"))  # fmt: skip
    photos = PhotosField(label=gettext_lazy("Foto (boleh kosong, paling banyak 3)"), required=False,
                         help_text=gettext_lazy("JPG, PNG atau WEBP, paling besar 10 MB per foto."))  # fmt: skip
    website = forms.CharField(label=gettext_lazy("Jangan diisi"), required=False)

    field_order = ["requester_name", "phone", "email", "region_q", "region", "description", "sector", "commodity",
                   "photos", "website"]  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["phone"].widget.attrs.update(inputmode="tel", autocomplete="tel")
        self.fields["requester_name"].widget.attrs.update(autocomplete="name")
        self.fields["website"].widget.attrs.update(tabindex="-1", autocomplete="off")

    @property
    def is_spam(self) -> bool:
        return bool(self.data.get("website"))


class StaffRequestForm(RegionPickMixin):
    """A request walked in, phoned or sent by WhatsApp, recorded by the post's staff."""

    post = forms.ModelChoiceField(label=gettext_lazy("Pos"), queryset=Post.objects.none())
    channel = forms.ChoiceField(label=gettext_lazy("Saluran"), choices=[
        c for c in ServiceRequest.Channel.choices if c[0] != ServiceRequest.Channel.ONLINE])  # fmt: skip
    received_at = forms.DateTimeField(label=gettext_lazy("Diterima pada"), required=False,
                                      help_text=gettext_lazy("Kosongkan untuk sekarang."),
                                      widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))  # fmt: skip
    requester_name = forms.CharField(label=gettext_lazy("Nama pemohon"), max_length=150)
    requester_kind = forms.ChoiceField(
        label=gettext_lazy("Jenis pemohon"), choices=ServiceRequest.RequesterKind.choices
    )
    phone = forms.CharField(label=gettext_lazy("Nomor HP/WhatsApp"), max_length=30, required=False)
    email = forms.EmailField(label=gettext_lazy("E-mail"), required=False)
    description = forms.CharField(label=gettext_lazy("Kebutuhan atau masalah"), max_length=3000,
                                  widget=forms.Textarea(attrs={"rows": 4}))  # fmt: skip
    sector = forms.ChoiceField(label=gettext_lazy("Bidang"), required=False,
                               choices=[("", "–"), *Sector.choices])  # fmt: skip
    commodity = forms.CharField(label=gettext_lazy("Komoditas"), max_length=120, required=False)
    note = forms.CharField(label=gettext_lazy("Catatan penerimaan"), required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 2}))  # fmt: skip
    photos = PhotosField(label=gettext_lazy("Foto (paling banyak 3)"), required=False)

    field_order = ["post", "channel", "received_at", "requester_name", "requester_kind", "phone", "email",
                   "region_q", "region", "description", "sector", "commodity", "note", "photos"]  # fmt: skip

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        posts = Post.objects.for_user(user, "edit").select_related("region").order_by("name")
        self.fields["post"].queryset = posts
        if posts.count() == 1:
            self.fields["post"].initial = posts.first()


class RequestEditForm(forms.Form):
    """Correct the requester's details or the need."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    requester_name = forms.CharField(label=gettext_lazy("Nama pemohon"), max_length=150)
    requester_kind = forms.ChoiceField(
        label=gettext_lazy("Jenis pemohon"), choices=ServiceRequest.RequesterKind.choices
    )
    phone = forms.CharField(label=gettext_lazy("Nomor HP/WhatsApp"), max_length=30, required=False)
    email = forms.EmailField(label=gettext_lazy("E-mail"), required=False)
    description = forms.CharField(label=gettext_lazy("Kebutuhan atau masalah"), max_length=3000,
                                  widget=forms.Textarea(attrs={"rows": 4}))  # fmt: skip
    sector = forms.ChoiceField(label=gettext_lazy("Bidang"), required=False, choices=[("", "–"), *Sector.choices])
    commodity = forms.CharField(label=gettext_lazy("Komoditas"), max_length=120, required=False)


class TransitionForm(forms.Form):
    """One workflow step; which extra fields count depends on the target state (the service checks them)."""

    to_state = forms.ChoiceField(choices=ServiceRequest.State.choices, widget=forms.HiddenInput)
    version = forms.IntegerField(widget=forms.HiddenInput)
    note = forms.CharField(label=gettext_lazy("Catatan"), required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 2}))  # fmt: skip
    is_public = forms.BooleanField(label=gettext_lazy("Tampilkan catatan ini ke pemohon"), required=False)
    service_type = forms.ChoiceField(label=gettext_lazy("Jenis layanan"), required=False,
                                     choices=[("", "–"), *ServiceRequest.ServiceType.choices])  # fmt: skip
    section = forms.ChoiceField(label=gettext_lazy("Seksi"), required=False,
                                choices=[("", "–"), *ServiceRequest.Section.choices])  # fmt: skip
    handler = forms.ModelChoiceField(label=gettext_lazy("Petugas"), required=False, queryset=handler_choices(None))
    ttgs = forms.TypedMultipleChoiceField(label=gettext_lazy("TTG yang direkomendasikan"), required=False, coerce=int,
                                          widget=forms.CheckboxSelectMultiple)  # fmt: skip
    referral_kind = forms.ChoiceField(label=gettext_lazy("Dirujuk ke (jenis)"), required=False,
                                      choices=[("", "–"), *ServiceRequest.ReferralKind.choices])  # fmt: skip
    referral_to = forms.CharField(label=gettext_lazy("Nama tujuan rujukan"), required=False, max_length=200)
    result = forms.CharField(label=gettext_lazy("Hasil"), required=False, max_length=3000,
                             widget=forms.Textarea(attrs={"rows": 2}))  # fmt: skip

    #: The extra fields each target state shows.
    FIELDS_FOR = {
        "ditelaah": ["service_type", "section", "handler"],
        "rekomendasi": ["ttgs"],
        "dirujuk": ["referral_kind", "referral_to"],
        "selesai": ["result"],
        "ditutup_tanpa_solusi": ["result"],
    }

    def __init__(self, *args: Any, request_obj: ServiceRequest, ttg_choices: list[tuple[int, str]] | None = None,
                 **kwargs: Any) -> None:  # fmt: skip
        super().__init__(*args, **kwargs)
        self.fields["handler"].queryset = handler_choices(request_obj.post)
        self.fields["ttgs"].choices = ttg_choices or []

    def details(self) -> dict[str, Any]:
        """Return the cleaned extra fields for the target state, as service keyword arguments."""
        wanted = self.FIELDS_FOR.get(self.cleaned_data["to_state"], [])
        return {f: self.cleaned_data.get(f) for f in wanted}


class AssignForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    post = forms.ModelChoiceField(label=gettext_lazy("Serahkan ke pos"), queryset=Post.objects.none())

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["post"].queryset = Post.objects.for_user(user, "edit").order_by("name")


class CheckForm(forms.Form):
    note = forms.CharField(label=gettext_lazy("Hasil pemantauan"), max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 2}))  # fmt: skip
    done_on = forms.DateField(label=gettext_lazy("Tanggal"), required=False,
                              widget=forms.DateInput(attrs={"type": "date"}))  # fmt: skip


class TrackForm(forms.Form):
    code = forms.CharField(label=gettext_lazy("Kode lacak"), max_length=20,
                           help_text=gettext_lazy("10 huruf dan angka, mis. ABCDE-23456"))  # fmt: skip


class RatingForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=gettext_lazy("Nilai layanan kami"), coerce=int, choices=[(i, str(i)) for i in range(5, 0, -1)],
        widget=forms.RadioSelect,
    )  # fmt: skip
    comment = forms.CharField(label=gettext_lazy("Komentar (boleh kosong)"), required=False, max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 3}))  # fmt: skip
