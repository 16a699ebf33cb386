"""Product and marketplace forms: shape only; the rules live in services (and orders.services for checkout)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from posyantek.core.lib.phone import normalize_phone
from posyantek.core.sheets import CellError, parse_number
from posyantek.products.models import Product
from posyantek.products.selectors import editable_posts, maker_choices, ttg_choices
from posyantek.products.services import StockKind
from posyantek.regions.models import Region


class RupiahField(forms.CharField):
    """An amount in whole rupiah, written 1250000, 1.250.000 or Rp 1.250.000; no cents."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.widget.attrs.update({"inputmode": "numeric", "autocomplete": "off", "maxlength": 30})

    def prepare_value(self, value: Any) -> Any:
        return f"{value:,}".replace(",", ".") if isinstance(value, int) and not isinstance(value, bool) else value

    def to_python(self, value: Any) -> int | None:  # type: ignore[override]
        text = super().to_python(value)
        if not text:
            return None
        if len(text) > 30:
            raise forms.ValidationError(gettext("Harga terlalu besar; periksa angkanya."))
        try:
            number = parse_number(text, integer=True)
        except CellError as exc:
            if str(exc) == gettext("Harus bilangan bulat."):
                raise forms.ValidationError(gettext("Harga harus bilangan bulat rupiah, tanpa sen.")) from exc
            raise forms.ValidationError(gettext("Tulis harga dengan angka, mis. 1250000 atau 1.250.000.")) from exc
        if number is None:
            return None
        if number != number.to_integral_value():
            raise forms.ValidationError(gettext("Harga harus bilangan bulat rupiah, tanpa sen."))
        if number < 1:
            raise forms.ValidationError(gettext("Harga paling sedikit Rp 1."))
        if number > 10**12:
            raise forms.ValidationError(gettext("Harga terlalu besar; periksa angkanya."))
        return int(number)


def _required(message: Any) -> dict[str, Any]:
    return {"required": message}


SECTIONS = [
    (_("Produk"), ["post", "kind", "name", "description", "sector", "ttg", "maker", "maker_name"]),
    (_("Harga dan penjualan"), ["price", "unit", "min_order", "weight_grams", "active"]),
    (_("Stok atau pesanan"), ["made_to_order", "stock", "lead_time_days", "capacity_per_month"]),
]
#: Whole numbers checked by the service (its messages name the rule), not by the form's min/max.
NUMBER_FIELDS = ["stock", "lead_time_days", "capacity_per_month", "min_order", "weight_grams"]


class ProductForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    price = RupiahField(label=_("Harga (Rp)"), help_text=_("Rupiah tanpa sen, mis. 1.250.000."),
                        error_messages=_required(_("Harga wajib diisi, dalam rupiah tanpa sen.")))  # fmt: skip

    class Meta:
        model = Product
        fields = [name for _title, names in SECTIONS for name in names]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}
        help_texts = {
            "maker_name": _("Nama perajin, kelompok atau UMKM yang membuat, bila bukan pos sendiri."),
            "stock": _("Untuk produk dengan stok siap jual. Sesudah dicatat, stok diubah lewat 'Atur stok'."),
            "lead_time_days": _("Wajib untuk produk yang dibuat sesuai pesanan."),
            "capacity_per_month": _("Boleh kosong: berapa unit paling banyak dibuat per bulan."),
            "weight_grams": _("Berat dengan kemasan, untuk menghitung ongkos kirim."),
        }

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        product = self.instance if self.instance.pk else None
        self.fields["post"].queryset = posts = editable_posts(user)
        if product is None and not self.is_bound and len(choices := list(posts[:2])) == 1:
            self.fields["post"].initial = choices[0].pk  # the one post this user works for
        self.fields["ttg"].queryset = ttg_choices(user, keep=product.ttg_id if product else None)
        self.fields["maker"].queryset = maker_choices(user, keep=product.maker_id if product else None)
        for name in NUMBER_FIELDS:
            label = self.fields[name].label
            self.fields[name] = forms.IntegerField(label=label, required=name == "min_order",
                                                   help_text=self.fields[name].help_text)  # fmt: skip
            self.fields[name].widget.attrs["inputmode"] = "numeric"
        self.fields["name"].error_messages["required"] = gettext("Nama produk wajib diisi.")
        self.fields["unit"].error_messages["required"] = gettext("Satuan wajib diisi, mis. unit, buah, kg, bungkus.")
        self.fields["min_order"].error_messages["required"] = gettext("Pemesanan minimum paling sedikit 1.")
        self.fields["min_order"].initial = 1
        self.fields["stock"].initial = 0
        if product:
            self.fields["version"].initial = product.version
            del self.fields["stock"]  # moved by stock adjustments, each with its reason

    def sections(self) -> list[tuple[str, list[Any]]]:
        return [(title, [self[n] for n in names if n in self.fields]) for title, names in SECTIONS]

    def _post_clean(self) -> None:
        pass  # the service checks the product (its messages, its scope); the form only reads the input


class PhotoForm(forms.Form):
    image = forms.FileField(label=_("Foto (JPG, PNG atau WEBP, paling besar 10 MB)"))
    caption = forms.CharField(label=_("Keterangan foto"), max_length=200, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["image"].widget.attrs["accept"] = "image/jpeg,image/png,image/webp"


class StockForm(forms.Form):
    kind = forms.ChoiceField(label=_("Jenis perubahan"), choices=StockKind.choices)
    quantity = forms.IntegerField(label=_("Jumlah"), help_text=_("Tambah stok: jumlah barang masuk. Koreksi: "
                                                                 "jumlah yang benar-benar ada."))  # fmt: skip
    reason = forms.CharField(label=_("Alasan"), max_length=200)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["quantity"].widget.attrs["inputmode"] = "numeric"


# --- the marketplace ---------------------------------------------------------------------------------------

MAX_QUANTITY = 10_000
QUANTITY_ERRORS = {
    "required": _("Tulis jumlahnya."),
    "invalid": _("Jumlah harus bilangan bulat."),
    "min_value": _("Jumlah tidak boleh negatif."),
    "max_value": _("Jumlah paling banyak %(limit_value)s."),
}


class CartForm(forms.Form):
    """Add a product to the cart or change its quantity (0 takes it out)."""

    product = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    quantity = forms.IntegerField(label=_("Jumlah"), min_value=0, max_value=MAX_QUANTITY,
                                  error_messages=QUANTITY_ERRORS)  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["quantity"].widget.attrs.update({"inputmode": "numeric", "min": 0, "max": MAX_QUANTITY})


class CheckoutForm(forms.Form):
    """The buyer's details and delivery region (province → kabupaten/kota → kecamatan, the last optional)."""

    name = forms.CharField(label=_("Nama pemesan"), max_length=200,
                           error_messages=_required(_("Tuliskan nama pemesan.")))  # fmt: skip
    phone = forms.CharField(
        label=_("Nomor HP/WhatsApp"), max_length=30,
        help_text=_("Mis. 0812-3456-7890. Pos menghubungi Anda lewat nomor ini."),
        error_messages=_required(_("Tuliskan nomor HP/WhatsApp agar pos dapat menghubungi Anda.")),
    )  # fmt: skip
    email = forms.EmailField(label=_("E-mail (boleh kosong)"), required=False,
                             error_messages={"invalid": _("Alamat e-mail tidak valid.")})  # fmt: skip
    institution = forms.CharField(label=_("Instansi/usaha (boleh kosong)"), max_length=200, required=False)
    address = forms.CharField(
        label=_("Alamat kirim"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Jalan, nomor, RT/RW, desa/kelurahan, kode pos."),
        error_messages=_required(_("Tuliskan alamat kirim lengkap (jalan, nomor, RT/RW), paling sedikit 10 huruf.")),
    )  # fmt: skip
    province = forms.ChoiceField(label=_("Provinsi"), error_messages={
        "required": _("Pilih provinsi tujuan kirim."), "invalid_choice": _("Pilih provinsi dari daftar.")})  # fmt: skip
    regency = forms.ChoiceField(label=_("Kabupaten/kota"), error_messages={
        "required": _("Pilih kabupaten/kota tujuan kirim."),
        "invalid_choice": _("Pilih kabupaten/kota di provinsi yang dipilih.")})  # fmt: skip
    district = forms.ChoiceField(label=_("Kecamatan (boleh kosong)"), required=False, error_messages={
        "invalid_choice": _("Pilih kecamatan di kabupaten/kota yang dipilih.")})  # fmt: skip
    note = forms.CharField(label=_("Catatan untuk pos (boleh kosong)"), max_length=2000, required=False,
                           widget=forms.Textarea(attrs={"rows": 3}))  # fmt: skip
    website = forms.CharField(label=_("Jangan diisi"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        source = self.data if self.is_bound else self.initial
        province = str(source.get("province") or "")
        regency = str(source.get("regency") or "")
        regency = regency if regency.startswith(province + ".") else ""
        levels = [(1, "", "province", _("– pilih provinsi –")), (2, province, "regency", _("– pilih kabupaten/kota –")),
                  (3, regency, "district", _("– semua/tidak tahu –"))]  # fmt: skip
        for level, parent, name, blank in levels:
            rows = [] if level > 1 and not parent else region_options(level, parent)
            self.fields[name].choices = [("", blank), *rows]
        self.fields["phone"].widget.attrs.update({"inputmode": "tel", "autocomplete": "tel"})
        self.fields["name"].widget.attrs["autocomplete"] = "name"
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        self.fields["address"].widget.attrs["autocomplete"] = "street-address"
        self.fields["website"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})

    @property
    def is_spam(self) -> bool:
        return bool(self.data.get("website"))

    def clean_phone(self) -> str:
        text = self.cleaned_data["phone"]
        if normalize_phone(text) is None:
            raise forms.ValidationError(
                gettext("Nomor %(n)s bukan nomor HP Indonesia. Tulis seperti 0812-3456-7890.") % {"n": text[:30]}
            )
        return text

    def buyer(self) -> dict[str, Any]:
        """Return the buyer as `order_checkout` takes it."""
        d = self.cleaned_data
        return {"name": d["name"], "phone": d["phone"], "email": d.get("email") or "",
                "institution": d.get("institution") or "", "address": d["address"],
                "region_code": d.get("district") or d["regency"], "note": d.get("note") or ""}  # fmt: skip


def region_options(level: int, parent: str) -> list[tuple[str, str]]:
    """Return (code, name) of the provinces, or of the regions one level below `parent`."""
    qs = Region.objects.filter(level=level) if level == 1 else Region.objects.filter(parent_id=parent, level=level)
    return [(r.code, str(r)) for r in qs.order_by("name")]
