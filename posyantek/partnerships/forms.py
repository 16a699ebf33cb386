"""Partnership forms: shape only; the rules (states, parties, dates, scope, whole rupiah) live in the services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from posyantek.partnerships.agreement_services import check_pdf
from posyantek.partnerships.models import Agreement, AgreementParty, AgreementResult, Partner, PartnerContact
from posyantek.partnerships.selectors import manager_choices, partner_posts_unscoped
from posyantek.partnerships.services import clean_phone
from posyantek.posts.models import Post
from posyantek.products.forms import region_options
from posyantek.regions.models import Region
from posyantek.trainings.forms import DATE, RupiahField


class PostLabelField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Post) -> str:
        return f"{obj.name} ({obj.region.name})"


def own_posts(form: forms.BaseForm, user: Any, *, new: bool) -> None:
    """Offer in `form` the posts the user may edit, the one preselected when there is only one (a post's staff)."""
    field = form.fields["post"]
    field.queryset = posts = Post.objects.for_user(user, "edit").select_related("region").order_by("name")
    field.empty_label = _("– pilih pos –")
    field.error_messages["required"] = _("Pilih pos.")
    if new and not form.is_bound and not form.initial.get("post") and len(choices := list(posts[:2])) == 1:
        form.initial["post"] = choices[0].pk


def check_phone(value: str) -> str:
    """Check a phone number as the services do, so its error shows with the form's others, not a round later."""
    errors: dict[str, list[str]] = {}
    clean_phone(value, "phone", errors)
    if errors:
        raise ValidationError(errors["phone"])
    return value


class UserField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.full_name} ({obj.email})" if obj.full_name else obj.email


class PartnerForm(forms.ModelForm):
    """A partner, with where it is: a province, then one of its kabupaten/kota (both may stay empty).

    With JavaScript the province's list asks `partnerships:region_options` for its kabupaten/kota (htmx); without
    it, a button in the form sends the page back with them.
    """

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    province = forms.ChoiceField(label=_("Provinsi mitra"), required=False,
                                 error_messages={"invalid_choice": _("Pilih provinsi dari daftar.")})  # fmt: skip
    regency = forms.ChoiceField(label=_("Kabupaten/kota mitra"), required=False, error_messages={
        "invalid_choice": _("Pilih kabupaten/kota di provinsi yang dipilih.")})  # fmt: skip
    website = forms.URLField(label=_("Situs web"), required=False, max_length=200, assume_scheme="https",
                             error_messages={"invalid": _("Alamat situs web tidak valid, mis. https://unikal.ac.id.")},
                             widget=forms.TextInput(attrs={"inputmode": "url"}))  # fmt: skip
    other_post = PostLabelField(queryset=Post.objects.none(), required=False, label=_("Posyantek mitra"),
                                help_text=_("Hanya untuk jenis 'Posyantek lain'."))  # fmt: skip

    field_order = ["post", "name", "kind", "province", "regency", "other_post", "address", "phone", "email",
                   "website", "notes"]  # fmt: skip

    class Meta:
        model = Partner
        fields = ["post", "name", "kind", "other_post", "address", "phone", "email", "website", "notes"]
        widgets = {"address": forms.Textarea(attrs={"rows": 2}), "notes": forms.Textarea(attrs={"rows": 2})}
        error_messages = {"name": {"required": _("Nama mitra wajib diisi.")},
                          "email": {"invalid": _("Alamat e-mail tidak valid.")}}  # fmt: skip

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        instance = kwargs.get("instance")
        if instance is not None and instance.home_region_id:
            code = instance.home_region_id
            kwargs["initial"] = {"province": code[:2], "regency": code[:5] if len(code) >= 5 else "",
                                 **kwargs.get("initial", {})}  # fmt: skip
        super().__init__(*args, **kwargs)
        own_posts(self, user, new=self.instance.pk is None)
        self.fields["other_post"].queryset = partner_posts_unscoped()
        self.fields["other_post"].empty_label = _("– pilih pos –")
        self.fields["kind"].choices = [("", _("– pilih jenis mitra –")), *Partner.Kind.choices]
        self.fields["kind"].error_messages["required"] = _("Pilih jenis mitra.")
        self.fields["phone"].widget.attrs.update({"inputmode": "tel", "autocomplete": "off"})
        self.fields["website"].help_text = _("Mis. https://unikal.ac.id")
        source = self.data if self.is_bound else self.initial
        province = str(source.get("province") or "")[:13]
        # Read only when shown or checked, so a page that keeps the form closed does not pay for them.
        self.fields["province"].choices = lambda: [("", _("– pilih provinsi –")), *region_options(1, "")]
        self.fields["regency"].choices = (
            (lambda: [("", _("– pilih kabupaten/kota –")), *region_options(2, province)]) if province
            else [("", _("– pilih provinsi dulu –"))]
        )  # fmt: skip
        self.fields["province"].widget.attrs.update({
            "hx-get": reverse("partnerships:region_options"), "hx-target": "#partner-region", "hx-swap": "outerHTML",
        })  # fmt: skip
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version

    def clean_phone(self) -> str:
        return check_phone(self.cleaned_data.get("phone", ""))

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if "province" in data and "regency" in data:  # both fit their lists
            code = data.get("regency") or data.get("province")
            picked = Region.objects.filter(code=code).first() if code else None
            kept = self.instance.home_region_id
            # A partner recorded with its kecamatan or desa (through the API or an import) keeps it.
            if kept and picked is not None and kept.startswith(picked.code + "."):
                picked = self.instance.home_region
            data["home_region"] = picked
        return data

    def _post_clean(self) -> None:
        pass


class RegionPickForm(forms.Form):
    """The province and kabupaten/kota lists alone, for the htmx fragment."""

    province = PartnerForm.base_fields["province"]
    regency = PartnerForm.base_fields["regency"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        province = str(self.initial.get("province") or "")[:13]
        self.fields["province"].choices = lambda: [("", _("– pilih provinsi –")), *region_options(1, "")]
        self.fields["regency"].choices = (
            (lambda: [("", _("– pilih kabupaten/kota –")), *region_options(2, province)]) if province
            else [("", _("– pilih provinsi dulu –"))]
        )  # fmt: skip
        self.fields["province"].widget.attrs.update({
            "hx-get": reverse("partnerships:region_options"), "hx-target": "#partner-region", "hx-swap": "outerHTML",
        })  # fmt: skip


class ContactForm(forms.ModelForm):
    class Meta:
        model = PartnerContact
        fields = ["name", "position", "phone", "email"]
        error_messages = {"name": {"required": _("Tulis nama orangnya.")},
                          "email": {"invalid": _("Alamat e-mail tidak valid.")}}  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["phone"].widget.attrs.update({"inputmode": "tel", "autocomplete": "off"})

    def clean_phone(self) -> str:
        return check_phone(self.cleaned_data.get("phone", ""))

    def _post_clean(self) -> None:
        pass


def _pdf(upload: Any) -> None:
    try:
        check_pdf(upload)
    except ValidationError as exc:
        raise ValidationError(exc.message_dict["file"]) from exc


class AgreementForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    value = RupiahField(label=_("Nilai (Rp)"), required=False, initial=0,
                        help_text=_("Rupiah bulat, mis. 150.000.000; 0 bila tanpa nilai uang."))  # fmt: skip
    file = forms.FileField(label=_("Berkas perjanjian (PDF)"), required=False, validators=[_pdf])
    manager = UserField(queryset=None, label=_("Penanggung jawab"), required=False)
    partner = forms.ModelChoiceField(queryset=Partner.objects.none(), required=False, widget=forms.HiddenInput)

    class Meta:
        model = Agreement
        fields = ["post", "number", "title", "doc_kind", "signed_on", "starts_on", "ends_on", "scope", "value", "file",
                  "manager"]  # fmt: skip
        widgets = {"signed_on": DATE, "starts_on": DATE, "ends_on": DATE, "scope": forms.Textarea(attrs={"rows": 3})}
        error_messages = {"title": {"required": _("Judul kerja sama wajib diisi.")}}

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        new = self.instance.pk is None
        own_posts(self, user, new=new)
        self.fields["file"].widget.attrs["accept"] = ".pdf,application/pdf"
        post = None if new else self.instance.post
        # The one named stays a choice, even if their grant changed since.
        manager = self.fields["manager"]
        manager.queryset = manager_choices(user=user, post=post, keep=self.instance.manager_id)
        if new:
            manager.empty_label = _("– saya sendiri –")
            manager.help_text = _("Orang pos yang mengurus kerja sama ini dan diingatkan 90 dan 30 hari sebelum "
                                  "berakhir.")  # fmt: skip
        else:
            manager.empty_label = _("– tidak ada: para pengelola pos yang diingatkan –")
            manager.help_text = _("Diingatkan 90 dan 30 hari sebelum berakhir; tanpa penanggung jawab, para pengelola "
                                  "pos yang diingatkan.")  # fmt: skip
        self.fields["signed_on"].help_text = _("Diisi saat ditandatangani; tidak boleh hari yang belum tiba.")
        self.with_partner = None
        if new:
            # From a partner's page: that partner becomes the second party.
            self.fields["partner"].queryset = partners = Partner.objects.for_user(user, "edit")
            pk = str((self.data if self.is_bound else self.initial).get("partner") or "")
            self.with_partner = partners.filter(pk=pk).only("pk", "name").first() if pk.isdigit() else None
        else:
            del self.fields["partner"]
            self.fields["version"].initial = self.instance.version

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("Tanggal berakhir tidak boleh sebelum tanggal mulai berlaku."))
        if data.get("value") is None:
            data["value"] = 0
        return data

    def _post_clean(self) -> None:
        pass


class _PartnerSelect(forms.Select):
    """The post's partners, those already parties shown but not choosable."""

    listed: frozenset[str] = frozenset()

    def create_option(self, name: str, value: Any, *args: Any, **kwargs: Any) -> dict[str, Any]:
        option = super().create_option(name, value, *args, **kwargs)
        if str(value) in self.listed:
            option["attrs"]["disabled"] = True
            option["label"] = _("%(name)s (sudah menjadi pihak)") % {"name": option["label"]}
        return option


class PartyForm(forms.Form):
    partner = forms.ModelChoiceField(queryset=Partner.objects.none(), required=False, label=_("Mitra"),
                                     empty_label=_("– pilih mitra –"), widget=_PartnerSelect)  # fmt: skip
    is_post = forms.BooleanField(required=False, label=_("Pos ini sendiri"))
    signatory = forms.CharField(label=_("Penanda tangan"), max_length=200, required=False)
    signatory_title = forms.CharField(label=_("Jabatan penanda tangan"), max_length=200, required=False)
    obligations = forms.CharField(label=_("Kewajiban"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, user: Any, agreement: Agreement, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        own = Partner.objects.for_user(user, "view").filter(post_id=agreement.post_id)
        self.fields["partner"].queryset = own.only("pk", "name").order_by("name")
        listed = list(agreement.parties.values_list("partner_id", "is_post"))
        self.fields["partner"].widget.listed = frozenset(str(pk) for pk, _post in listed if pk)
        if any(is_post for _pk, is_post in listed):  # the post is a party already: only partners are left
            del self.fields["is_post"]
        else:
            self.fields["is_post"].label = _("Pos ini sendiri (%(post)s)") % {"post": agreement.post.name}


class PartyEditForm(forms.ModelForm):
    class Meta:
        model = AgreementParty
        fields = ["signatory", "signatory_title", "obligations"]
        widgets = {"obligations": forms.Textarea(attrs={"rows": 3})}

    def _post_clean(self) -> None:
        pass


class StepForm(forms.Form):
    state = forms.ChoiceField(label=_("Tahap berikutnya"), choices=Agreement.State.choices)
    note = forms.CharField(label=_("Keterangan"), max_length=300, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    signed_on = forms.DateField(label=_("Tanggal tanda tangan"), required=False, widget=DATE)
    evaluation = forms.CharField(label=_("Hasil evaluasi"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    extension = forms.ModelChoiceField(queryset=Agreement.objects.none(), required=False,
                                       label=_("Kerja sama perpanjangan yang sudah dicatat"),
                                       empty_label=_("– buat baru –"))  # fmt: skip
    starts_on = forms.DateField(label=_("Perpanjangan berlaku mulai"), required=False, widget=DATE,
                                help_text=_("Kosong: sehari setelah kerja sama lama berakhir."))  # fmt: skip
    ends_on = forms.DateField(label=_("Perpanjangan berlaku sampai"), required=False, widget=DATE)

    def __init__(self, *args: Any, extensions: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if extensions is not None:
            self.fields["extension"].queryset = extensions


class ResultForm(forms.Form):
    """One kind of result: a Bintek or TTG picked from the post's, an order or request by its code, funds, or other.

    `targets` are the records the user may link (selectors.result_targets); orders and requests are many, so they
    are named by their code rather than picked from a list.
    """

    occurred_on = forms.DateField(label=_("Tanggal"), required=False, widget=DATE,
                                  help_text=_("Kosong: tanggal catatan yang ditautkan, atau hari ini."))  # fmt: skip
    description = forms.CharField(label=_("Uraian"), max_length=300, required=False)

    def __init__(self, *args: Any, kind: str, targets: dict[str, Any] | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", f"hasil-{kind}")  # six of these on one page: their ids must differ
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.kind_label = AgreementResult.Kind(kind).label
        self.targets = targets or {}
        first: dict[str, forms.Field] = {}
        if kind == "bintek":
            first["bintek"] = _pick(self.targets.get("bintek"), _("Bintek"), missing=_("Pilih Bintek yang diberikan."))
        elif kind == "ttg":
            first["ttg"] = _pick(self.targets.get("ttg"), _("TTG"), missing=_("Pilih TTG yang dikembangkan."))
        elif kind == "pesanan":
            first["order_code"] = forms.CharField(label=_("Kode pesanan"), max_length=20,
                                                  help_text=_("Kode pelacakan pesanan pos ini."),
                                                  error_messages={"required": _("Tulis kode pesanannya.")})  # fmt: skip
        elif kind == "permohonan":
            first["request_code"] = forms.CharField(label=_("Kode permohonan layanan"), max_length=20,
                                                    help_text=_("Mis. AB3CD-7EFGH."), error_messages={
                                                        "required": _("Tulis kode permohonannya.")})  # fmt: skip
        elif kind == "dana":
            first["amount"] = RupiahField(label=_("Jumlah diterima (Rp)"), min_value=1)
            first["amount"].error_messages.update({"required": _("Isi jumlah dana yang diterima, mis. 2.500.000."),
                                                   "min_value": _("Jumlah harus lebih dari Rp 0.")})  # fmt: skip
            first["grant"] = _pick(self.targets.get("grant"), _("Hibah di buku keuangan (bila ada)"), required=False,
                                   empty=_("– tidak ditautkan –"))  # fmt: skip
        else:
            self.fields["description"].required = True
            self.fields["description"].error_messages["required"] = _("Tulis uraian hasilnya.")
            self.fields["amount"] = RupiahField(label=_("Nilai (Rp), bila ada"), required=False)
        self.fields = {**first, **self.fields}

    def _by_code(self, target: str, code: str) -> Any:
        qs = self.targets.get(target)
        found = qs.filter(code=code).first() if qs is not None and code else None
        if found is None:
            raise ValidationError(_("%(code)s tidak ditemukan di pos ini atau di luar cakupan Anda.") % {"code": code})
        self.cleaned_data[target] = found
        return code

    def clean_order_code(self) -> str:
        code = self.cleaned_data["order_code"].strip().upper()
        return self._by_code("order", code)

    def clean_request_code(self) -> str:
        code = self.cleaned_data["request_code"].strip().upper().replace("-", "").replace(" ", "")
        return self._by_code("service_request", code)


class TargetField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        from posyantek.core.lib.rupiah import format_rupiah
        from posyantek.core.templatetags.fmt import tanggal

        if hasattr(obj, "starts_on") and hasattr(obj, "title"):
            return f"{obj.title} ({tanggal(obj.starts_on)})"
        if hasattr(obj, "giver"):
            return f"{obj.giver} · {format_rupiah(obj.amount)}"
        return str(obj)


def _pick(qs: Any, label: Any, *, required: bool = True, empty: Any = None, missing: Any = None) -> TargetField:
    field = TargetField(queryset=qs if qs is not None else Agreement.objects.none(), label=label, required=required,
                        empty_label=empty or _("– pilih –"))  # fmt: skip
    if missing:
        field.error_messages["required"] = missing
    return field
