"""Forms for posts and boards: shape only; the rules live in services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from posyantek.core.validators import validate_document
from posyantek.people.models import Person
from posyantek.posts.models import BoardTerm, Officer, Post
from posyantek.regions.forms import RegionCodeField, RegionCodesField
from posyantek.regions.models import Region

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
FILE_HELP = _("PDF atau gambar, paling besar 10 MB.")


class PostForm(forms.ModelForm):
    region = RegionCodeField(label=_("Wilayah kedudukan (kode)"))
    service_area = RegionCodesField(
        label=_("Wilayah layanan"),
        required=False,
        help_text=_("Kode desa/kelurahan yang dilayani, dipisah koma."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    website = forms.URLField(label=_("Situs web"), required=False, assume_scheme="https")
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Post
        fields = [
            "name", "kind", "region", "parent", "founded_on", "service_area",
            "sk_number", "sk_date", "sk_issuer", "sk_file", "skt_number", "skt_date", "skt_valid_until",
            "skt_issuer", "skt_file", "adart_file", "legal_entity_number",
            "address", "office_status", "phone", "email", "website", "social_media", "focus_fields", "logo",
        ]  # fmt: skip
        widgets = {
            "founded_on": DATE,
            "sk_date": DATE,
            "skt_date": DATE,
            "skt_valid_until": DATE,
            "address": forms.Textarea(attrs={"rows": 2}),
        }

    SECTIONS = [
        (_("Identitas"), ["name", "kind", "region", "parent", "founded_on", "service_area"]),
        (_("Kedudukan hukum"), ["sk_number", "sk_date", "sk_issuer", "sk_file", "skt_number", "skt_date",
                                "skt_valid_until", "skt_issuer", "skt_file", "adart_file", "legal_entity_number"]),
        (_("Sekretariat dan kontak"), ["address", "office_status", "phone", "email", "website", "social_media",
                                       "focus_fields", "logo"]),
    ]  # fmt: skip

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = (
            Post.objects.for_user(user, "view").filter(kind=Post.Kind.ANTAR_DESA).select_related("region")
        )
        self.fields["parent"].required = False
        for name in ("sk_file", "skt_file", "adart_file"):
            self.fields[name].validators.append(validate_document)
            self.fields[name].help_text = FILE_HELP
            self.fields[name].widget.attrs["accept"] = ".pdf,.png,.jpg,.jpeg,.webp"
        self.fields["logo"].help_text = _(
            "Untuk kop surat penawaran dan faktur: PNG, JPG atau WEBP, paling besar 2 MB."
        )
        self.fields["logo"].widget.attrs["accept"] = "image/png,image/jpeg,image/webp"
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
            self.initial["service_area"] = list(self.instance.service_area.all())
            if self.instance.kind == Post.Kind.ANTAR_DESA:
                # An inter-village post serves villages of its own kecamatan: tick them instead of typing codes.
                self.fields["service_area"] = forms.ModelMultipleChoiceField(
                    label=_("Wilayah layanan"),
                    queryset=Region.objects.filter(parent_id=self.instance.region_id).order_by("name"),
                    widget=forms.CheckboxSelectMultiple(attrs={"class": "checks"}),
                    required=False,
                    help_text=_("Desa/kelurahan yang dilayani pos ini."),
                )

    def sections(self) -> list[tuple[str, list[Any]]]:
        return [(title, [self[n] for n in names]) for title, names in self.SECTIONS]

    def _post_clean(self) -> None:
        # The model's own unique checks run in the service, with scope and a clear message.
        pass


class PostStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status baru"), choices=Post.Status.choices)
    changed_on = forms.DateField(label=_("Berlaku sejak"), widget=DATE, required=False)
    note = forms.CharField(label=_("Keterangan"), max_length=300, required=False)


class BoardTermForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = BoardTerm
        fields = ["starts_on", "ends_on", "basis", "basis_file"]
        widgets = {"starts_on": DATE, "ends_on": DATE}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["basis_file"].validators.append(validate_document)
        self.fields["basis_file"].help_text = FILE_HELP
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version

    def _post_clean(self) -> None:
        pass


class OfficerForm(forms.ModelForm):
    order = forms.IntegerField(label=_("Urutan"), min_value=0, max_value=999, initial=0)

    class Meta:
        model = Officer
        fields = ["person", "position", "section_name", "element", "order", "is_civil_servant", "is_party_official"]

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = Person.objects.for_user(user, "view").select_related("region")
        # Two people may share a name: show where each lives.
        self.fields["person"].label_from_instance = lambda p: f"{p.name} · {p.region.name}"

    def _post_clean(self) -> None:
        pass
