"""Replication forms: shape only; the rules (scope, evidence, published kits, dates) live in the services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from posyantek.core.scoping import Action, region_subtree_q, user_grants
from posyantek.posts.models import Post
from posyantek.regions.models import Region
from posyantek.replication.adoption_services import ALL_KINDS
from posyantek.replication.models import AdoptionPost, Award, Kit, KitAdoption, KitItem
from posyantek.replication.selectors import kit_public_list_unscoped
from posyantek.trainings.forms import DATE


class NoModelClean:
    """The services check and save; the form only checks shape."""

    def _post_clean(self) -> None:
        pass


class KitForm(NoModelClean, forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Kit
        fields = ["title", "summary", "lessons", "published"]
        widgets = {"summary": forms.Textarea(attrs={"rows": 6}), "lessons": forms.Textarea(attrs={"rows": 6})}
        help_texts = {
            "summary": _("Apa yang bisa ditiru daerah lain: pendanaan, kelembagaan, layanan, pemasaran."),
            "lessons": _("Kunci keberhasilan dan pelajaran, satu per baris."),
            "published": _("Kit yang diterbitkan tampil di /replikasi/ tanpa perlu masuk dan dapat diadopsi."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version


class KitCreateForm(KitForm):
    post = forms.ModelChoiceField(queryset=Post.objects.none(), label=_("Pos"))

    field_order = ["post", "title", "summary", "lessons", "published"]

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        managed = Post.objects.for_user(user, "manage").filter(kit__isnull=True)
        self.fields["post"].queryset = managed.only("pk", "name").order_by("name")
        self.fields["title"].required = False
        self.fields["title"].help_text = _("Kosong: “Kit Replikasi <nama pos>”.")


class ItemForm(NoModelClean, forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = KitItem
        fields = ["order", "title", "description", "evidence_required", "evidence_hint", "source"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "source": _(
                "Bila langkah ini terlihat dari data pos (SK, pengurus, Bintek…), pos dapat mencentangnya "
                "dengan satu klik."
            ),  # fmt: skip
            "evidence_hint": _("Mis. nomor dan tanggal SK, atau pindaian SK."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["order"].required = False
        self.fields["order"].help_text = _("Kosong: di akhir daftar.")
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version


class AwardForm(NoModelClean, forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Award
        fields = ["year", "title", "level", "issuer"]
        widgets = {"year": forms.NumberInput(attrs={"inputmode": "numeric", "min": 1945, "max": 2200})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version


def oversee_regions(user: Any) -> list[Region]:
    """Return the regions the user may adopt a kit for: their own overseen regions and those one level below.

    A national role picks among the provinces; a province officer among the province and its kabupaten/kota; a
    city officer among the city and its kecamatan.
    """
    grants = [g for g in user_grants(user) if g.rank >= Action.OVERSEE]
    if any(g.is_national for g in grants):
        return list(Region.objects.filter(level=Region.Level.PROVINCE).order_by("code"))
    codes = [g.region_code for g in grants if g.region_code]
    if not codes:
        return []
    below = Region.objects.filter(parent_id__in=codes, level__lte=Region.Level.DISTRICT)
    regions = Region.objects.filter(code__in=codes) | below
    return list(regions.order_by("code"))


POST_KINDS = [("antar_desa", _("Semua pos antar desa (kecamatan)")), ("desa", _("Semua pos desa/kelurahan")),
              ("wartek", _("Semua Wartek")), (ALL_KINDS, _("Semua pos aktif"))]  # fmt: skip


class AdoptionForm(NoModelClean, forms.ModelForm):
    kit = forms.ModelChoiceField(
        queryset=Kit.objects.none(), label=_("Kit yang diadopsi"), empty_label=_("– pilih kit –")
    )
    region = forms.ChoiceField(label=_("Wilayah yang mengadopsi"))
    post_kind = forms.ChoiceField(label=_("Pos yang ikut"), choices=POST_KINDS, initial="antar_desa",
                                  help_text=_("Pos aktif di wilayah ini; pos lain dapat ditambahkan atau dikeluarkan "
                                              "sesudahnya."))  # fmt: skip

    field_order = ["kit", "region", "post_kind", "name", "started_on", "target_on", "note"]

    class Meta:
        model = KitAdoption
        fields = ["name", "started_on", "target_on", "note"]
        widgets = {"started_on": DATE, "target_on": DATE, "note": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kit"].queryset = kit_public_list_unscoped()
        self._regions = {r.code: r for r in oversee_regions(user)}
        self.fields["region"].choices = [("", _("– pilih wilayah –"))] + [(c, str(r)) for c, r in self._regions.items()]
        self.fields["name"].required = False
        self.fields["name"].help_text = _("Kosong: “Adopsi <kit> di <wilayah>”.")
        self.fields["started_on"].initial = timezone.localdate()

    def clean_region(self) -> Region | None:
        return self._regions.get(self.cleaned_data.get("region") or "")


class AdoptionEditForm(NoModelClean, forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = KitAdoption
        fields = ["name", "started_on", "target_on", "note"]
        widgets = {"started_on": DATE, "target_on": DATE, "note": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = self.instance.version


class AddPostsForm(forms.Form):
    posts = forms.ModelMultipleChoiceField(queryset=Post.objects.none(), label=_("Pos yang ditambahkan"),
                                           widget=forms.CheckboxSelectMultiple)  # fmt: skip

    def __init__(self, *args: Any, user: Any, adoption: KitAdoption, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        qs = Post.objects.for_user(user, "view").filter(region_subtree_q("region", adoption.region_id))
        # Posts already following this kit (in this adoption or another) cannot join again.
        qs = qs.exclude(pk__in=AdoptionPost.objects.filter(adoption__kit_id=adoption.kit_id).values("post_id"))
        self.fields["posts"].queryset = qs.only("pk", "name", "region_id").order_by("region_id", "name")


class TickForm(forms.Form):
    done_on = forms.DateField(label=_("Tercapai pada"), widget=DATE)
    evidence_note = forms.CharField(label=_("Keterangan bukti (nomor dokumen, tautan)"), max_length=300,
                                    required=False)  # fmt: skip
    evidence_file = forms.FileField(label=_("Berkas bukti (PDF, JPG, PNG)"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"done_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self.fields["evidence_file"].widget.attrs["accept"] = ".pdf,.jpg,.jpeg,.png"


class UntickForm(forms.Form):
    reason = forms.CharField(label=_("Alasan"), max_length=300, required=False)
