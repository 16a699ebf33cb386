"""Money forms: shape only; the rules live in the services. Choices are limited to the post and the user's scope."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from posyantek.exhibitions.models import Exhibition
from posyantek.finance.models import (
    Account,
    Asset,
    CashAccount,
    Entry,
    FundingSource,
    Grant,
    Regulation,
    RegulationArticle,
    _ancestors_and_self,
)
from posyantek.regions.forms import RegionCodeField
from posyantek.trainings.forms import DATE, RupiahField
from posyantek.trainings.models import Bintek


class AmountField(RupiahField):
    """Whole rupiah of at least Rp 1: an entry, a ceiling or a grant of Rp 0 means nothing."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 1)
        super().__init__(**kwargs)
        self.error_messages["min_value"] = _("Jumlah harus lebih dari Rp 0.")

    def validate(self, value: Any) -> None:
        super().validate(value)
        if value is not None and value < 0:  # before the minimum: a negative amount is told so
            raise forms.ValidationError(_("Jumlah tidak boleh negatif."), code="negative")


def regulation_label(reg: Regulation) -> str:
    """Return how a regulation reads in a choice list: kind, number and year, then a short title."""
    name = reg.short if reg.kind != Regulation.Kind.OTHER else str(reg)
    return f"{name} · {Truncator(reg.title).chars(70)}"


def basis_choices(post: Any, current: Regulation | None = None) -> Any:
    """Return the regulations a post's money may rest on: not revoked, and national or of the post's own regions.

    `current` (the one already chosen) stays selectable, so a record made under a rule revoked later can be edited.
    """
    regional = Q(region__isnull=True) | Q(region_id__in=_ancestors_and_self(post.region_id))
    q = regional & ~Q(status=Regulation.Status.REVOKED)
    if current is not None:
        q |= Q(pk=current.pk)
    return Regulation.objects.filter(q).order_by("region_id", "-year", "kind", "number")


def _accounts(post: Any, kind: str | None = None) -> Any:
    qs = Account.objects.filter(Q(post__isnull=True) | Q(post=post), active=True).order_by("code")
    return qs.filter(kind=kind) if kind else qs


class EntryForm(forms.Form):
    """Post an entry to one post's cash book (the post comes from the URL)."""

    date = forms.DateField(label=_("Tanggal"), widget=DATE)
    kind = forms.ChoiceField(label=_("Jenis"), choices=Entry.Kind.choices)
    source = forms.ChoiceField(label=_("Sumber dana"), choices=FundingSource.choices)
    account = forms.ModelChoiceField(label=_("Akun"), queryset=Account.objects.none())
    cash_account = forms.ModelChoiceField(label=_("Kas/rekening"), queryset=CashAccount.objects.none())
    amount = AmountField(label=_("Jumlah (Rp)"))
    description = forms.CharField(label=_("Uraian"), max_length=300)
    counterparty = forms.CharField(label=_("Diterima dari / dibayar kepada"), max_length=200, required=False)
    reference = forms.CharField(label=_("Nomor bukti"), max_length=100, required=False)
    activity = forms.CharField(label=_("Kegiatan"), max_length=200, required=False)
    bintek = forms.ModelChoiceField(label=_("Bintek"), queryset=Bintek.objects.none(), required=False)
    exhibition = forms.ModelChoiceField(label=_("Pameran"), queryset=Exhibition.objects.none(), required=False)
    order_code = forms.CharField(label=_("Kode pesanan"), max_length=12, required=False)
    grant = forms.ModelChoiceField(label=_("Hibah"), queryset=Grant.objects.none(), required=False)
    receipt = forms.FileField(label=_("Bukti (PDF/JPG/PNG, paling besar 10 MB)"), required=False)

    def __init__(self, *args: Any, user: Any, post: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["account"].queryset = _accounts(post)
        self.fields["cash_account"].queryset = CashAccount.objects.for_user(user, "edit").filter(post=post, active=True)
        self.fields["bintek"].queryset = Bintek.objects.for_user(user, "view").filter(post=post).only("pk", "title")
        self.fields["exhibition"].queryset = (
            Exhibition.objects.for_user(user, "view").filter(post=post).only("pk", "name")
        )
        self.fields["grant"].queryset = Grant.objects.for_user(user, "edit").filter(
            post=post, lpj_submitted_on__isnull=True
        )
        self.fields["receipt"].widget.attrs["accept"] = "application/pdf,image/png,image/jpeg"


class ReverseForm(forms.Form):
    reason = forms.CharField(label=_("Alasan pembatalan"), max_length=200)
    date = forms.DateField(
        label=_("Tanggal pembatalan"),
        widget=DATE,
        required=False,
        help_text=_("Kosong: hari ini. Harus di bulan yang belum ditutup."),
    )


class ReceiptForm(forms.Form):
    receipt = forms.FileField(label=_("Bukti (PDF/JPG/PNG, paling besar 10 MB)"))


class MonthCloseForm(forms.Form):
    month = forms.DateField(
        label=_("Bulan"),
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
        input_formats=["%Y-%m", "%Y-%m-%d"],
    )


class CashAccountForm(forms.Form):
    name = forms.CharField(label=_("Nama"), max_length=100)
    kind = forms.ChoiceField(label=_("Jenis"), choices=CashAccount.Kind.choices)
    bank_name = forms.CharField(label=_("Nama bank"), max_length=100, required=False)
    account_number = forms.CharField(label=_("Nomor rekening"), max_length=40, required=False)


class AccountForm(forms.Form):
    code = forms.CharField(label=_("Kode akun"), max_length=20)
    name = forms.CharField(label=_("Nama akun"), max_length=150)
    kind = forms.ChoiceField(label=_("Jenis"), choices=Account.Kind.choices)


class BudgetForm(forms.Form):
    year = forms.IntegerField(label=_("Tahun anggaran"), min_value=2000, max_value=2200)
    note = forms.CharField(
        label=_("Catatan"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class BudgetLineForm(forms.Form):
    source = forms.ChoiceField(label=_("Sumber dana"), choices=FundingSource.choices)
    account = forms.ModelChoiceField(label=_("Akun belanja"), queryset=Account.objects.none())
    activity = forms.CharField(label=_("Kegiatan"), max_length=200, required=False)
    amount = AmountField(label=_("Pagu (Rp)"))
    regulation = forms.ModelChoiceField(label=_("Dasar hukum"), queryset=Regulation.objects.none(), required=False)
    article = forms.ModelChoiceField(label=_("Pasal"), queryset=RegulationArticle.objects.none(), required=False)

    def __init__(self, *args: Any, user: Any, post: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["account"].queryset = _accounts(post, Account.Kind.SPENDING)
        regs = basis_choices(post) & Regulation.objects.for_user(user, "view")
        self.fields["regulation"].queryset = regs
        self.fields["regulation"].label_from_instance = regulation_label
        self.fields["article"].queryset = (
            RegulationArticle.objects.filter(regulation__in=regs)
            .select_related("regulation")
            .order_by("regulation__region_id", "-regulation__year", "regulation_id", "pk")
        )
        self.fields["article"].label_from_instance = lambda a: f"{a.regulation.short} · Pasal {a.number}"


class GrantForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    amount = AmountField(label=_("Nilai (Rp)"))
    file = forms.FileField(label=_("Berkas perjanjian (PDF, opsional)"), required=False)

    class Meta:
        model = Grant
        fields = [
            "giver",
            "source",
            "amount",
            "purpose",
            "agreement_number",
            "regulation",
            "starts_on",
            "ends_on",
            "report_due",
        ]
        widgets = {"starts_on": DATE, "ends_on": DATE, "report_due": DATE, "purpose": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, user: Any, post: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        current = self.instance.regulation if self.instance.pk else None
        self.fields["regulation"].queryset = basis_choices(post, current) & Regulation.objects.for_user(user, "view")
        self.fields["regulation"].label_from_instance = regulation_label
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version

    def _post_clean(self) -> None:
        pass


class AssetForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    entry_no = forms.IntegerField(
        label=_("Dibayar dengan entri kas nomor"),
        min_value=1,
        required=False,
        help_text=_("Nomor (#) entri pengeluaran di buku kas, bila dibeli."),
    )
    value = RupiahField(
        label=_("Nilai (Rp)"), required=False, help_text=_("Kosong: jumlah entri kas yang membayarnya.")
    )

    class Meta:
        model = Asset
        fields = [
            "name",
            "kind",
            "origin",
            "entry_no",
            "grant",
            "value",
            "acquired_on",
            "condition",
            "location",
            "lent_to",
            "note",
        ]
        widgets = {"acquired_on": DATE, "note": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args: Any, user: Any, post: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["grant"].queryset = Grant.objects.for_user(user, "view").filter(post=post)
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
            self.initial["entry_no"] = self.instance.entry_id

    def _post_clean(self) -> None:
        pass


class RegulationForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    region = RegionCodeField(
        label=_("Wilayah penerbit (kode)"),
        required=False,
        help_text=_("Kosong untuk peraturan nasional, mis. 33.75 untuk Kota Pekalongan."),
    )
    file = forms.FileField(label=_("Berkas (PDF, opsional)"), required=False)

    class Meta:
        model = Regulation
        fields = ["kind", "number", "year", "title", "region", "issued_on", "status", "amended_by", "note"]
        widgets = {"issued_on": DATE, "note": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["amended_by"].queryset = Regulation.objects.for_user(user, "view").exclude(pk=self.instance.pk)
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
            self.initial["region"] = self.instance.region_id
            self.fields["region"].disabled = True

    def _post_clean(self) -> None:
        pass


class ArticleForm(forms.Form):
    number = forms.CharField(label=_("Pasal"), max_length=30)
    summary = forms.CharField(label=_("Ringkasan isi"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))


class PeriodForm(forms.Form):
    dari = forms.DateField(label=_("Dari"), widget=DATE)
    sampai = forms.DateField(label=_("Sampai"), widget=DATE)


class RollupForm(forms.Form):
    wilayah = forms.CharField(
        label=_("Kode wilayah"),
        max_length=20,
        required=False,
        help_text=_("Kosong: seluruh Indonesia (sesuai cakupan Anda)."),
    )
    tahun = forms.IntegerField(label=_("Tahun"), min_value=2000, max_value=2200)
