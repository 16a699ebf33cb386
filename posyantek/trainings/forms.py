"""Bintek forms: shape only; the rules live in services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from posyantek.catalog.models import Ttg
from posyantek.core.lib.rupiah import parse_rupiah
from posyantek.people.models import Person
from posyantek.posts.models import Post
from posyantek.regions.forms import RegionCodeField
from posyantek.trainings.models import Bintek, FollowUp, Material, Outcome, Participant

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
#: The largest budget or income accepted (the services refuse more, too).
MAX_RUPIAH = 10**13


class RupiahField(forms.IntegerField):
    """Whole rupiah, also written as `Rp 1.250.000`: in Indonesian a dot groups thousands, it is never a decimal point.

    A plain IntegerField reads "5.000" as 5 (it drops a trailing ".000"), so a budget typed the usual way was saved
    a thousand times too small; a text box (not type=number) lets people type the dots.
    """

    widget = forms.TextInput

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault("max_value", MAX_RUPIAH)
        super().__init__(**kwargs)
        self.error_messages.update({
            "invalid": _("Tulis rupiah bulat tanpa sen, mis. 1250000 atau 1.250.000 (titik hanya pemisah ribuan)."),
            "min_value": _("Tidak boleh negatif."),
            "max_value": _("Angkanya terlalu besar; periksa lagi."),
        })  # fmt: skip

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        return {"inputmode": "numeric", "autocomplete": "off"}

    def to_python(self, value: Any) -> int | None:
        if isinstance(value, str) and value.strip():
            try:
                value = parse_rupiah(value)
            except ValueError:
                raise ValidationError(self.error_messages["invalid"], code="invalid") from None
        return super().to_python(value)

    def prepare_value(self, value: Any) -> Any:
        return f"{value:,}".replace(",", ".") if isinstance(value, int) and not isinstance(value, bool) else value


class BintekForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    region = RegionCodeField(label=_("Lokasi (kode wilayah)"), required=False)
    budget = RupiahField(label=_("Anggaran (Rp)"), initial=0)
    tor = forms.FileField(label=_("Kerangka acuan / KAK (PDF, paling besar 10 MB)"), required=False)

    class Meta:
        model = Bintek
        fields = ["title", "post", "ttg", "topic", "target_group", "venue", "region", "starts_on", "ends_on",
                  "trainer_people", "trainer_partners", "budget", "funding_source", "registration_open"]  # fmt: skip
        widgets = {"starts_on": DATE, "ends_on": DATE, "trainer_partners": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["post"].queryset = Post.objects.for_user(user, "edit").select_related("region")
        ttgs = Q(pk__in=Ttg.objects.for_user(user, "view").values("pk"))
        people = Q(pk__in=Person.objects.for_user(user, "view").values("pk"))
        if self.instance.pk:  # keep what the plan already has, or saving the form would silently drop it
            ttgs |= Q(pk=self.instance.ttg_id)
            people |= Q(pk__in=self.instance.trainer_people.values("pk"))
        self.fields["ttg"].queryset = Ttg.objects.filter(ttgs).only("pk", "name")
        self.fields["trainer_people"].queryset = Person.objects.filter(people).only("pk", "name")
        self.fields["trainer_people"].required = False
        self.fields["tor"].widget.attrs["accept"] = "application/pdf"
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
            self.initial["region"] = self.instance.region_id

    def _post_clean(self) -> None:
        pass


class StateForm(forms.Form):
    state = forms.ChoiceField(label=_("Tahap berikutnya"), choices=Bintek.State.choices)
    note = forms.CharField(label=_("Keterangan"), max_length=300, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class ParticipantForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Participant
        fields = ["name", "sex", "group", "phone", "address", "invited", "person", "pre_score", "post_score"]

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        people = Q(pk__in=Person.objects.for_user(user, "view").values("pk"))
        if self.instance.person_id:  # keep the link, or saving the form would silently drop it
            people |= Q(pk=self.instance.person_id)
        self.fields["person"].queryset = Person.objects.filter(people).only("pk", "name")
        self.fields["person"].required = False
        for name in ("pre_score", "post_score"):
            self.fields[name].widget.attrs.update({"min": 0, "max": 100})
        self.fields["phone"].widget.attrs.update({"inputmode": "tel", "autocomplete": "tel"})
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version

    def _post_clean(self) -> None:
        pass


class PublicRegistrationForm(forms.Form):
    name = forms.CharField(label=_("Nama lengkap"), max_length=150)
    sex = forms.ChoiceField(label=_("Jenis kelamin"), choices=Participant.Sex.choices, widget=forms.RadioSelect)
    group = forms.ChoiceField(label=_("Kelompok"), choices=Participant.Group.choices, initial="umum")
    phone = forms.CharField(label=_("Telepon/WhatsApp"), max_length=30,
                            widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}))  # fmt: skip
    address = forms.CharField(label=_("Alamat (RT/RW, kelurahan)"), max_length=300, required=False)
    # A honeypot: people do not see it (hidden by CSS and from screen readers); bots fill it in.
    website = forms.CharField(label=_("Jangan diisi"), required=False)


class CheckInForm(forms.Form):
    code = forms.CharField(
        label=_("Kode presensi (tertera di lokasi)"),
        max_length=12,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )
    who = forms.CharField(label=_("Nomor telepon atau nomor pendaftaran"), max_length=30,
                          widget=forms.TextInput(attrs={"inputmode": "tel"}))  # fmt: skip


class SessionForm(forms.Form):
    day = forms.DateField(label=_("Hari"), widget=DATE, required=False)
    label = forms.CharField(label=_("Sesi"), max_length=100, required=False)
    hours = forms.IntegerField(label=_("Kode berlaku (jam)"), min_value=1, max_value=72, initial=12)


class MaterialForm(forms.Form):
    kind = forms.ChoiceField(label=_("Jenis"), choices=Material.Kind.choices)
    file = forms.FileField(label=_("Berkas (PDF atau gambar; foto JPG/PNG/WEBP), paling besar 10 MB"))
    caption = forms.CharField(label=_("Keterangan"), max_length=200, required=False)


class ReportForm(forms.Form):
    text = forms.CharField(label=_("Laporan kegiatan"), widget=forms.Textarea(attrs={"rows": 6}), required=False)
    file = forms.FileField(label=_("Laporan (PDF, opsional)"), required=False)


class FollowUpForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    evidence = forms.FileField(label=_("Bukti (PDF atau gambar)"), required=False)

    class Meta:
        model = FollowUp
        fields = ["kind", "description", "owner", "target_date", "status", "evidence_note"]
        widgets = {"target_date": DATE, "evidence_note": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version

    def _post_clean(self) -> None:
        pass


class OutcomeForm(forms.ModelForm):
    income_per_month = RupiahField(label=_("Pendapatan rata-rata per bulan (Rp)"))

    class Meta:
        model = Outcome
        fields = ["month", "measured_on", "applying", "new_products", "income_per_month", "jobs", "note"]
        widgets = {"measured_on": DATE, "note": forms.Textarea(attrs={"rows": 2})}

    def _post_clean(self) -> None:
        pass
