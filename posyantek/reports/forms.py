"""Report forms: shape only; the rules (states, roles, the one report per period) live in services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from posyantek.posts.models import Post
from posyantek.reports import services
from posyantek.reports.models import Report


class ReportCreateForm(forms.Form):
    post = forms.ModelChoiceField(label=_("Pos"), queryset=Post.objects.none(),
                                  error_messages={"required": _("Pilih pos."),
                                                  "invalid_choice": _("Pilih pos dari daftar.")})  # fmt: skip
    kind = forms.ChoiceField(label=_("Jenis laporan"), choices=Report.Kind.choices, widget=forms.RadioSelect,
                             error_messages={"required": _("Pilih jenis laporan.")})  # fmt: skip
    year = forms.IntegerField(label=_("Tahun"), min_value=2000, max_value=2100,
                              widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
                              error_messages={"required": _("Tulis tahunnya."),
                                              "invalid": _("Tulis tahun sebagai angka, mis. 2026."),
                                              "min_value": _("Tulis tahun antara 2000 dan 2100."),
                                              "max_value": _("Tulis tahun antara 2000 dan 2100.")})  # fmt: skip
    period = forms.ChoiceField(label=_("Periode"), choices=Report.Period.choices,
                               help_text=_("Untuk rencana kerja periode ini diabaikan: rencana kerja selalu tahunan."),
                               error_messages={"required": _("Pilih periode.")})  # fmt: skip

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {})
        today = timezone.localdate()
        kwargs["initial"].setdefault("year", today.year)
        kwargs["initial"].setdefault("kind", Report.Kind.MANAGEMENT)
        kwargs["initial"].setdefault("period", f"tw{(today.month - 1) // 3 + 1}")
        super().__init__(*args, **kwargs)
        # Only the posts the user works for (a grant on the post itself): an officer never writes a post's report.
        ids = services.creatable_post_ids(user)
        posts = Post.objects.for_user(user, "edit").filter(pk__in=ids).order_by("name")
        self.fields["post"].queryset = posts
        if len(ids) == 1:
            self.fields["post"].initial = ids[0]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("kind") == Report.Kind.WORK_PLAN:  # yearly, whatever the period field says
            data["period"] = Report.Period.YEAR
            self.errors.pop("period", None)
        return data


class NarrativeForm(forms.Form):
    """One text area per narrative section of the report's kind."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, report: Report, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {})
        kwargs["initial"].update({"version": report.version, **(report.narrative or {})})
        super().__init__(*args, **kwargs)
        for key, label, help_text in report.sections:
            self.fields[key] = forms.CharField(label=label, help_text=help_text, required=False, max_length=20_000,
                                               widget=forms.Textarea(attrs={"rows": 5}))  # fmt: skip

    def narrative(self) -> dict[str, str]:
        return {k: v for k, v in self.cleaned_data.items() if k != "version"}


class StepForm(forms.Form):
    """A step of the workflow: the version read, and a note (required to return a report)."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    note = forms.CharField(label=_("Catatan"), required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 3}))  # fmt: skip


class PeriodForm(forms.Form):
    """The period the inbox looks at."""

    kind = forms.ChoiceField(label=_("Jenis"), choices=Report.Kind.choices, required=False)
    year = forms.IntegerField(label=_("Tahun"), min_value=2000, max_value=2100, required=False)
    period = forms.ChoiceField(label=_("Periode"), choices=Report.Period.choices, required=False)
