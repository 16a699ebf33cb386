"""Forms of the results pages (shape only): publication with the decree's details, and a plenary tie decision."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from posyantek.contests.models import Edition


class PublishForm(forms.ModelForm):
    """The decree and minutes details printed on the PDFs; all optional, saved when the ranking is published."""

    confirm = forms.BooleanField(label=_("Saya yakin: peringkat diumumkan dan tidak dapat diubah lagi"))

    class Meta:
        model = Edition
        fields = ["plenary_date", "plenary_place", "minutes_number", "decree_number", "decree_date", "signatory_name",
                  "signatory_title"]  # fmt: skip
        widgets = {"plenary_date": forms.DateInput(attrs={"type": "date"}),
                   "decree_date": forms.DateInput(attrs={"type": "date"})}  # fmt: skip


class TieForm(forms.Form):
    """The plenary's order of one tied group: a position per entry (1 = best) and the reason."""

    note = forms.CharField(label=_("Dasar keputusan pleno"), max_length=250, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, entries: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.entries = entries
        for i, e in enumerate(entries, 1):
            self.fields[f"pos_{e.pk}"] = forms.IntegerField(label=e.title, min_value=1, max_value=len(entries),
                                                            initial=i)  # fmt: skip

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        positions = [data.get(f"pos_{e.pk}") for e in self.entries]
        if None not in positions and sorted(positions) != list(range(1, len(self.entries) + 1)):
            raise forms.ValidationError(_("Beri setiap peserta urutan yang berbeda, dari 1 sampai %(n)s.")
                                        % {"n": len(self.entries)})  # fmt: skip
        return data

    def ordering(self) -> list[int]:
        return [e.pk for e in sorted(self.entries, key=lambda e: self.cleaned_data[f"pos_{e.pk}"])]
