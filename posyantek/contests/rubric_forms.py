"""Rubric forms and the rubric list filter: shape only; the rules (weights summing to 100, the scale, in use,
stale versions, scope) live in rubric_services."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from posyantek.contests.defaults import PREFILL_KEYS
from posyantek.contests.models import Category, Criterion, Indicator, Rubric
from posyantek.contests.rubric_selectors import owner_region_choices
from posyantek.contests.rubric_services import SCALE_HIGH, SCALE_LOW, may_own

#: What each system figure (defaults.PREFILL_KEYS, computed by prefill.py) is called on the pages.
PREFILL_LABELS: dict[str, Any] = {
    "legal_sk": _("SK pembentukan pos"),
    "legal_skt_valid": _("SKT terdaftar dan masih berlaku"),
    "board_valid": _("Pengurus lengkap dan masa bakti berlaku"),
    "office_own": _("Sekretariat sendiri/tetap"),
    "consultations_received": _("Permohonan layanan/konsultasi diterima"),
    "consultations_resolved": _("Permohonan layanan terselesaikan"),
    "bintek_held": _("Bintek diselenggarakan"),
    "bintek_participants": _("Peserta Bintek"),
    "ttg_catalogued": _("TTG dalam katalog"),
    "ttg_produced": _("TTG diproduksi/diterapkan"),
    "ttg_adopted": _("TTG diadopsi masyarakat"),
    "ttg_ip": _("TTG dengan HKI"),
    "sales_total": _("Nilai penjualan"),
    "sales_in_region": _("Penjualan dalam wilayah"),
    "sales_out_region": _("Penjualan ke luar wilayah"),
    "orders_count": _("Jumlah pesanan"),
    "partnerships_active": _("Kerja sama (MoU/PKS) aktif"),
    "partners_count": _("Jumlah mitra"),
    "visits_hosted": _("Kunjungan diterima"),
    "visits_made": _("Kunjungan dilakukan"),
    "funding_sources": _("Ragam sumber dana"),
    "funding_regulation": _("Dasar hukum pendanaan"),
    "funding_received": _("Dana diterima"),
}


def prefill_label(key: str) -> str:
    """Return the Indonesian name of a system figure (the key itself when unknown)."""
    return str(PREFILL_LABELS.get(key, key)) if key else ""


class RubricFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Cari nama atau kode rubrik"))
    category = django_filters.ChoiceFilter(choices=Category.choices, label=_("Kategori"),
                                           empty_label=_("Semua kategori"))  # fmt: skip

    class Meta:
        model = Rubric
        fields = ["q", "category"]

    def search(self, qs: QuerySet[Rubric], name: str, value: str) -> QuerySet[Rubric]:
        for word in value.split()[:5]:
            qs = qs.filter(Q(name__icontains=word) | Q(family__icontains=word))
        return qs


class RegionField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} ({obj.code})"


def _year_field(required: bool = False) -> forms.IntegerField:
    return forms.IntegerField(label=_("Tahun juknis"), required=required, min_value=2000, max_value=2100)


class RubricCreateForm(forms.Form):
    """A new rubric for a region, copied from the template of a category."""

    category = forms.ChoiceField(label=_("Templat kategori"), choices=Category.choices)
    region = RegionField(label=_("Wilayah pemilik"), queryset=Rubric.objects.none(), required=False)
    year = _year_field()
    family = forms.SlugField(label=_("Kode rubrik"), max_length=60,
                             help_text=_("Huruf kecil, angka, tanda hubung; sama untuk semua versinya, "
                                         "mis. dki-posyantek-2026."))  # fmt: skip
    name = forms.CharField(label=_("Nama (boleh kosong: dari templat)"), max_length=200, required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["region"]
        field.queryset = owner_region_choices(user)
        national = may_own(user, None)
        field.required = not national
        field.empty_label = _("– Nasional –") if national else _("– pilih wilayah –")
        if not self.is_bound and len(choices := list(field.queryset[:2])) == 1 and not national:
            self.initial.setdefault("region", choices[0].pk)


class NewVersionForm(forms.Form):
    year = _year_field()


class RubricForm(forms.Form):
    """A rubric's name, year, notes, scale and stage weights."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    name = forms.CharField(label=_("Nama"), max_length=200)
    year = _year_field()
    notes = forms.CharField(label=_("Catatan / dasar juknis"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    scale_min = forms.IntegerField(label=_("Skor terendah"), min_value=SCALE_LOW, max_value=SCALE_HIGH)
    scale_max = forms.IntegerField(label=_("Skor tertinggi"), min_value=SCALE_LOW, max_value=SCALE_HIGH)
    weight_admin = forms.IntegerField(label=_("Bobot seleksi administrasi (%)"), min_value=0, max_value=100)
    weight_field = forms.IntegerField(label=_("Bobot verifikasi lapangan (%)"), min_value=0, max_value=100)
    weight_presentation = forms.IntegerField(label=_("Bobot presentasi (%)"), min_value=0, max_value=100,
                                             help_text=_("Ketiga bobot tahap berjumlah 100."))  # fmt: skip

    @classmethod
    def for_rubric(cls, rubric: Rubric, data: Any = None) -> RubricForm:
        initial = {f: getattr(rubric, f) for f in cls.base_fields if f != "version"} | {"version": rubric.version}
        return cls(data, initial=initial)


class WeightsForm(forms.Form):
    """The weights of all criteria of a rubric, or of all indicators of a criterion, at once (sum 100)."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, data: Any = None, *, rows: list[Any], version: int) -> None:
        super().__init__(data, initial={"version": version} | {f"w_{r.pk}": r.weight for r in rows})
        self.rows = rows
        for r in rows:
            self.fields[f"w_{r.pk}"] = forms.IntegerField(label=f"{r.code}. {r.title}", min_value=0, max_value=100)

    def weights(self) -> dict[int, int]:
        return {r.pk: self.cleaned_data[f"w_{r.pk}"] for r in self.rows}


class CriterionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    code = forms.CharField(label=_("Kode"), max_length=10)
    title = forms.CharField(label=_("Kriteria"), max_length=200)
    weight = forms.IntegerField(label=_("Bobot (%)"), min_value=0, max_value=100)
    order = forms.IntegerField(label=_("Urutan"), min_value=0, max_value=999, required=False)

    @classmethod
    def build(cls, rubric: Rubric, criterion: Criterion | None = None, data: Any = None) -> CriterionForm:
        initial = {"version": rubric.version}
        if criterion is not None:
            initial |= {f: getattr(criterion, f) for f in ("code", "title", "weight", "order")}
        return cls(data, initial=initial)


class IndicatorForm(forms.Form):
    """An indicator with one anchor text per score of the rubric's scale."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    code = forms.CharField(label=_("Kode"), max_length=10)
    title = forms.CharField(label=_("Indikator"), max_length=300)
    weight = forms.IntegerField(label=_("Bobot dalam kriteria (%)"), min_value=0, max_value=100)
    evidence = forms.CharField(label=_("Bukti yang diminta"), max_length=300, required=False)
    evidence_mandatory = forms.BooleanField(label=_("Bukti wajib (dossier tidak dapat diajukan tanpanya)"),
                                            required=False)  # fmt: skip
    prefill_key = forms.ChoiceField(label=_("Angka dari sistem"), required=False)
    order = forms.IntegerField(label=_("Urutan"), min_value=0, max_value=999, required=False)

    def __init__(self, data: Any = None, *, rubric: Rubric, indicator: Indicator | None = None) -> None:
        initial: dict[str, Any] = {"version": rubric.version}
        if indicator is not None:
            initial |= {f: getattr(indicator, f) for f in ("code", "title", "weight", "evidence",
                                                           "evidence_mandatory", "prefill_key", "order")}  # fmt: skip
            initial |= {f"anchor_{k}": v for k, v in (indicator.anchors or {}).items()}
        super().__init__(data, initial=initial)
        self.fields["prefill_key"].choices = [("", _("– tidak ada –"))] + [(k, prefill_label(k)) for k in PREFILL_KEYS]
        self.scores = list(range(rubric.scale_min, rubric.scale_max + 1))
        for s in self.scores:
            self.fields[f"anchor_{s}"] = forms.CharField(
                label=_("Arti skor %(s)s") % {"s": s}, max_length=500, required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )  # fmt: skip

    def data_for_service(self) -> dict[str, Any]:
        cd = self.cleaned_data
        data = {k: cd[k] for k in ("code", "title", "weight", "evidence", "evidence_mandatory", "prefill_key")}
        if cd.get("order") is not None:
            data["order"] = cd["order"]
        data["anchors"] = {str(s): cd[f"anchor_{s}"] for s in self.scores if cd.get(f"anchor_{s}", "").strip()}
        return data
