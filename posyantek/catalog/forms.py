"""Innovator and need forms: shape only."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from posyantek.catalog.models import Innovator, Need
from posyantek.people.models import Person
from posyantek.posts.models import Post


class InnovatorForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Innovator
        fields = ["kind", "person", "group_name", "members", "post", "sector", "skills", "works", "note"]
        widgets = {"works": forms.Textarea(attrs={"rows": 3}), "note": forms.Textarea(attrs={"rows": 2}),
                   "members": forms.SelectMultiple(attrs={"size": 6})}  # fmt: skip
        help_texts = {
            "person": _("Untuk inovator perorangan. Belum ada di daftar? Catat dulu di menu Orang."),
            "group_name": _("Untuk kelompok, mis. Kelompok Pengolah Ikan Panjang Wetan."),
        }

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        people = Person.objects.for_user(user, "view").select_related("region")
        self.fields["person"].queryset = people
        self.fields["person"].label_from_instance = lambda p: f"{p.name} · {p.region.name}"
        self.fields["members"].queryset = people
        self.fields["members"].label_from_instance = lambda p: f"{p.name} · {p.region.name}"
        self.fields["post"].queryset = Post.objects.for_user(user, "edit").select_related("region")
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version

    def _post_clean(self) -> None:
        pass


class NeedForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Need
        fields = ["kind", "description", "status", "helper"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["status"].required = False  # a new need starts as identified
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version

    def _post_clean(self) -> None:
        pass
