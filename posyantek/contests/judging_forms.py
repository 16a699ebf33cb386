"""Judging forms: shape only; who may act and the rules (conflicts, scale, stage, locks) live in judging_services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from posyantek.contests.models import Edition, Indicator, Panel, Rubric, Stage
from posyantek.core.scoping import region_subtree_q
from posyantek.posts.models import Post
from posyantek.regions.models import Region

#: At most this many suggestions in a datalist (the field takes any valid code).
SUGGESTIONS = 600


class PanelForm(forms.Form):
    stage = forms.ChoiceField(label=_("Tahap"), choices=Stage.choices)
    name = forms.CharField(label=_("Nama tim"), max_length=150, required=False,
                           help_text=_("Kosong: “Tim <tahap>”."))  # fmt: skip


class JudgeForm(forms.Form):
    """A judge seat: who (e-mail; a name invites a new account), from where (conflicts), and on which panel."""

    panel = forms.ModelChoiceField(label=_("Tim juri"), queryset=Panel.objects.none())
    email = forms.EmailField(label=_("E-mail juri"), max_length=254)
    full_name = forms.CharField(
        label=_("Nama lengkap"),
        max_length=150,
        required=False,
        help_text=_("Hanya untuk juri yang belum punya akun: ia diundang lewat e-mail."),
    )
    institution = forms.CharField(label=_("Instansi"), max_length=200, required=False,
                                  help_text=_("Mis. BRIN, perguruan tinggi, dinas, media."))  # fmt: skip
    home_region = forms.CharField(label=_("Kode wilayah asal juri"), max_length=13, required=False,
                                  help_text=_("Kode Kemendagri, mis. 31.75 (Jakarta Timur). Juri tidak menilai "
                                              "peserta dari kabupaten/kota yang sama."))  # fmt: skip
    home_post = forms.CharField(label=_("Pos asal juri (slug)"), max_length=160, required=False,
                                help_text=_("Kosong bila juri bukan pengurus pos."))  # fmt: skip
    is_chair = forms.BooleanField(label=_("Ketua tim"), required=False)

    def __init__(self, *args: Any, edition: Edition, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["panel"].queryset = Panel.objects.filter(edition=edition)
        regions = Region.objects.filter(level__lte=3).order_by("code")
        posts = Post.objects.for_user(user, "view").order_by("name")
        if edition.region_id:
            regions = regions.filter(Q(code=edition.region_id) | Q(code__startswith=edition.region_id + "."))
            posts = posts.filter(region_subtree_q("region", edition.region_id))
        self.region_suggestions = regions.values_list("code", "name")[:SUGGESTIONS]
        self.post_suggestions = posts.values_list("slug", "name")[:SUGGESTIONS]
        self.fields["home_region"].widget.attrs["list"] = "wilayah-juri"
        self.fields["home_post"].widget.attrs["list"] = "pos-juri"

    def clean_home_region(self) -> Region | None:
        code = self.cleaned_data["home_region"].strip()
        if not code:
            return None
        region = Region.objects.filter(code=code).first()
        if region is None:
            raise forms.ValidationError(_("Kode wilayah %(code)s tidak dikenal.") % {"code": code})
        return region

    def clean_home_post(self) -> Post | None:
        slug = self.cleaned_data["home_post"].strip()
        if not slug:
            return None
        post = Post.objects.for_user(self.user, "view").filter(slug=slug).first()
        if post is None:
            raise forms.ValidationError(_("Pos %(slug)s tidak ditemukan di wilayah Anda.") % {"slug": slug})
        return post


class AssignForm(forms.Form):
    stage = forms.ChoiceField(label=_("Tahap"), choices=Stage.choices)


class ScoreForm(forms.Form):
    """One indicator's score: radio buttons labelled with the rubric's anchor for each score."""

    value = forms.TypedChoiceField(label=_("Skor"), coerce=int, widget=forms.RadioSelect,
                                   error_messages={"required": _("Pilih skor.")})  # fmt: skip
    note = forms.CharField(label=_("Catatan juri"), required=False, max_length=5000,
                           widget=forms.Textarea(attrs={"rows": 3}))  # fmt: skip
    evidence_seen = forms.BooleanField(label=_("Bukti sudah dilihat"), required=False)

    def __init__(self, *args: Any, rubric: Rubric, indicator: Indicator, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        anchors = indicator.anchors or {}
        self.fields["value"].choices = [
            (v, f"{v} — {anchors[str(v)]}" if anchors.get(str(v)) else str(v))
            for v in range(rubric.scale_min, rubric.scale_max + 1)
        ]
        self.fields["value"].error_messages["invalid_choice"] = _("Skor harus antara %(lo)s dan %(hi)s.") % {
            "lo": rubric.scale_min, "hi": rubric.scale_max}  # fmt: skip


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Alasan"), max_length=300, widget=forms.Textarea(attrs={"rows": 2}),
                             error_messages={"required": _("Tuliskan alasannya.")})  # fmt: skip
