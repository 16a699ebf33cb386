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
