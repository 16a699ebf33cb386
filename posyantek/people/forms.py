"""Person forms: shape only."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from posyantek.people.models import Person, nik_validator
from posyantek.posts.models import Post
from posyantek.regions.forms import RegionCodeField


class PersonForm(forms.ModelForm):
    region = RegionCodeField(label=_("Wilayah tempat tinggal (kode)"))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Person
        fields = ["name", "sex", "nik", "region", "address", "phone", "email", "occupation", "skills", "post"]
        help_texts = {"nik": _("Opsional, 16 angka. Hanya terlihat oleh pengelola pos ke atas.")}

    def __init__(self, *args: Any, user: Any, show_nik: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["post"].queryset = Post.objects.for_user(user, "edit").select_related("region")
        self.fields["post"].required = False
        self.fields["nik"].validators.append(nik_validator)
        self.fields["nik"].widget.attrs.update({"inputmode": "numeric", "autocomplete": "off", "maxlength": 16})
        if not show_nik:
            del self.fields["nik"]
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version

    def _post_clean(self) -> None:
        pass


class PeopleImportForm(forms.Form):
    file = forms.FileField(
        label=_("Berkas register (.xlsx atau .csv)"),
        required=False,
        help_text=_("Baris pertama berisi judul kolom: Nama, Jenis kelamin, NIK, Kode wilayah, Alamat, Telepon, "
                    "E-mail, Pekerjaan, Keahlian."),
    )  # fmt: skip
    post = forms.ModelChoiceField(label=_("Pos pencatat"), queryset=Post.objects.none(), required=False)
    upload = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["post"].queryset = Post.objects.for_user(user, "edit").select_related("region")
        self.fields["file"].widget.attrs["accept"] = ".xlsx,.csv"

    def clean_file(self) -> Any:
        f = self.cleaned_data.get("file")
        if f and f.size > 5 * 1024 * 1024:
            raise forms.ValidationError(_("Berkas terlalu besar; batasnya 5 MB."))
        if f and not f.name.lower().endswith((".xlsx", ".csv")):
            raise forms.ValidationError(_("Unggah berkas .xlsx atau .csv."))
        return f
