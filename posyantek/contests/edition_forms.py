"""Forms and list filters of editions and entries: shape only; the rules live in edition_services/entry_services."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from posyantek.contests.defaults import TEMPLATES
from posyantek.contests.edition_services import rubric_choices
from posyantek.contests.models import Category, Edition, EditionStage, Entry, Level, Prize
from posyantek.contests.selectors import organiser_regions
from posyantek.trainings.forms import DATE, RupiahField

TEXT = {"rows": 3}


class RegionField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} ({obj.code})"


class EditionForm(forms.ModelForm):
    """An edition's facts; the region is one the user oversees, the rubric one they may use."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    region = RegionField(queryset=None, required=False, label=_("Wilayah lomba"),
                         help_text=_("Kabupaten/kota untuk lomba tingkat kabupaten/kota, provinsi untuk tingkat "
                                     "provinsi, kosong untuk nasional."))  # fmt: skip
    tie_rule = forms.CharField(
        label=_("Urutan kriteria pemecah nilai sama"), required=False, max_length=60,
        help_text=_("Kode kriteria dipisah koma, mis. E,D. Kosong: bawaan templat."),
    )  # fmt: skip

    class Meta:
        model = Edition
        fields = ["name", "category", "year", "level", "region", "organiser", "rubric", "period_start", "period_end",
                  "guidelines", "description", "forward_count", "normalise", "tie_rule", "plenary_date",
                  "plenary_place", "plenary_notes", "minutes_number", "decree_number", "decree_date",
                  "signatory_name", "signatory_title"]  # fmt: skip
        widgets = {"period_start": DATE, "period_end": DATE, "plenary_date": DATE, "decree_date": DATE,
                   "description": forms.Textarea(attrs=TEXT), "plenary_notes": forms.Textarea(attrs=TEXT),
                   "guidelines": forms.ClearableFileInput(attrs={"accept": ".pdf"})}  # fmt: skip

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        found = organiser_regions(user=user)
        self.fields["region"].queryset = found["regions"]
        self.fields["rubric"].queryset = rubric_choices(user=user).order_by("category", "family", "-version_no")
        if not found["national"]:
            self.fields["level"].choices = [c for c in Level.choices if c[0] != Level.NATIONAL]
        if self.instance.pk is None and not self.is_bound:
            self.initial.setdefault("tie_rule", TEMPLATES[Category.POSYANTEK]["tie_rule"])
        if self.instance.pk:
            self.initial["version"] = self.instance.version
        self.fields["guidelines"].required = False

    def clean_guidelines(self) -> Any:
        from posyantek.core.validators import validate_document

        f = self.cleaned_data.get("guidelines")
        if f and hasattr(f, "content_type"):
            validate_document(f)
        return f

    def clean(self) -> dict:
        data = super().clean()
        level, region = data.get("level"), data.get("region")
        if level == Level.NATIONAL and region is not None:
            self.add_error("region", _("Lomba tingkat nasional tidak memakai wilayah: kosongkan."))
        elif level and level != Level.NATIONAL and region is None and "region" not in self.errors:
            self.add_error("region", _("Pilih wilayah lomba."))
        return data

    def validate_constraints(self) -> None:
        # The checks above say it in words; the database constraints stay as the last guard.
        if not self.errors:
            super().validate_constraints()


class StageForm(forms.ModelForm):
    class Meta:
        model = EditionStage
        fields = ["kind", "starts", "deadline", "note"]
        widgets = {"starts": DATE, "deadline": DATE}

    def clean(self) -> dict:
        data = super().clean()
        starts, deadline = data.get("starts"), data.get("deadline")
        if starts and deadline and deadline < starts:
            self.add_error("deadline", _("Batas akhir tidak boleh sebelum tanggal mulai."))
        return data

    def validate_constraints(self) -> None:
        # The date check above says it in words; the database constraint stays as the last guard.
        if not self.errors:
            super().validate_constraints()


class PrizeForm(forms.ModelForm):
    amount = RupiahField(label=_("Uang pembinaan (Rp)"), required=False)

    class Meta:
        model = Prize
        fields = ["rank", "title", "amount", "other"]

    def clean_amount(self) -> int:
        return self.cleaned_data.get("amount") or 0


class StateForm(forms.Form):
    state = forms.ChoiceField(choices=Edition.State.choices, label=_("Tahap berikutnya"))


class EditionFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Cari nama, penyelenggara, wilayah"))
    category = django_filters.ChoiceFilter(choices=Category.choices, label=_("Kategori"), empty_label=_("Semua"))
    year = django_filters.NumberFilter(label=_("Tahun"))
    level = django_filters.ChoiceFilter(choices=Level.choices, label=_("Tingkat"), empty_label=_("Semua tingkat"))
    state = django_filters.ChoiceFilter(choices=Edition.State.choices, label=_("Tahap"), empty_label=_("Semua tahap"))

    class Meta:
        model = Edition
        fields = ["q", "category", "year", "level", "state"]

    def search(self, qs: QuerySet[Edition], name: str, value: str) -> QuerySet[Edition]:
        for word in value.split()[:5]:
            qs = qs.filter(Q(name__icontains=word) | Q(organiser__icontains=word) | Q(region__name__icontains=word))
        return qs


class EntryFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Cari peserta, pos, wilayah"))
    state = django_filters.ChoiceFilter(choices=Entry.State.choices, label=_("Status"), empty_label=_("Semua status"))

    class Meta:
        model = Entry
        fields = ["q", "state"]

    def search(self, qs: QuerySet[Entry], name: str, value: str) -> QuerySet[Entry]:
        for word in value.split()[:5]:
            qs = qs.filter(Q(title__icontains=word) | Q(post__name__icontains=word) | Q(region__name__icontains=word))
        return qs


class PostChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} ({obj.region.name})"


class RegisterForm(forms.Form):
    """Register a post, or a TTG of the post with its innovators (the TTG categories)."""

    post = PostChoice(queryset=None, label=_("Pos peserta"), empty_label=_("– pilih pos –"))
    ttg = forms.ModelChoiceField(queryset=None, required=False, label=_("TTG yang dilombakan"))
    innovators = forms.ModelMultipleChoiceField(queryset=None, required=False, label=_("Inovator"),
                                                widget=forms.CheckboxSelectMultiple)  # fmt: skip
    title = forms.CharField(label=_("Judul / nama peserta"), required=False, max_length=250,
                            help_text=_("Kosong: nama pos atau nama TTG."))  # fmt: skip

    def __init__(self, *args: Any, posts: Any, ttgs: Any, innovators: Any, with_ttg: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["post"].queryset = posts
        self.fields["ttg"].queryset = ttgs
        self.fields["innovators"].queryset = innovators
        if not with_ttg:
            del self.fields["ttg"], self.fields["innovators"]
        elif not self.is_bound and len(choices := list(posts[:2])) == 1:
            self.initial["post"] = choices[0].pk


class DossierItemForm(forms.Form):
    narrative = forms.CharField(label=_("Uraian"), required=False, max_length=20_000, widget=forms.Textarea(attrs=TEXT))
    self_score = forms.IntegerField(label=_("Skor mandiri"), required=False, min_value=0, max_value=100)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class EvidenceForm(forms.Form):
    title = forms.CharField(label=_("Nama bukti"), required=False, max_length=200)
    file = forms.FileField(label=_("Berkas (PDF/JPG/PNG)"), required=False,
                           widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}))  # fmt: skip
    link = forms.URLField(label=_("atau tautan (video dll.)"), required=False, assume_scheme="https")


class NoteForm(forms.Form):
    note = forms.CharField(label=_("Catatan"), required=False, max_length=5000, widget=forms.Textarea(attrs=TEXT))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class AdminDecisionForm(forms.Form):
    passed = forms.TypedChoiceField(label=_("Keputusan"), coerce=lambda v: v == "1",
                                    choices=[("1", _("Lolos administrasi")), ("0", _("Gugur"))])  # fmt: skip
    reasons = forms.CharField(label=_("Alasan"), required=False, max_length=5000, widget=forms.Textarea(attrs=TEXT))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


ORGANISER_MOVES = (Entry.State.NOMINEE, Entry.State.FINALIST)


class EntryStateForm(forms.Form):
    state = forms.ChoiceField(label=_("Status baru"), choices=[(s.value, s.label) for s in ORGANISER_MOVES])
    note = forms.CharField(label=_("Keterangan"), required=False, max_length=300)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
