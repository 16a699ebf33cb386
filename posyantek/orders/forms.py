"""Forms of orders: shape only; the services check the rules and name the field that is wrong."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms import formset_factory
from django.utils.translation import gettext, gettext_lazy

from posyantek.core.lib.rupiah import parse_rupiah
from posyantek.orders.models import Order, Payment
from posyantek.orders.selectors import agent_choices, editable_posts, exhibition_choices, product_choices
from posyantek.orders.services import MAX_LINES, STAFF_CHANNELS
from posyantek.orders.services.common import MAX_PRICE
from posyantek.orders.services.steps import MAX_LEAD_DAYS
from posyantek.regions.models import Region

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class RupiahField(forms.IntegerField):
    """Whole rupiah as people type them: `1.250.000`, `Rp 1.250.000` or `1250000`."""

    # Django's own texts ("Masukkan keseluruhan angka bilangan.") do not say what to type.
    default_error_messages = {
        "invalid": gettext_lazy("Tulis rupiah bulat tanpa sen, mis. 1250000 atau 1.250.000 (titik hanya pemisah "
                                "ribuan)."),
        "min_value": gettext_lazy("Tidak boleh kurang dari Rp %(limit_value)s."),
        "max_value": gettext_lazy("Angkanya terlalu besar; periksa lagi."),
    }  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)
        self.widget = forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"})

    def to_python(self, value: Any) -> int | None:
        if isinstance(value, str) and value.strip():
            try:
                value = parse_rupiah(value)
            except ValueError:
                raise ValidationError(self.error_messages["invalid"], code="invalid") from None
        return super().to_python(value)

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, int) and not isinstance(value, bool):
            return f"{value:,}".replace(",", ".")
        return value


class BuyerRegionField(forms.CharField):
    """The buyer's kabupaten/kota (or a finer region) by its code or its name; cleans to the Region."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 120)
        kwargs.setdefault("help_text", gettext_lazy("Nama kabupaten/kota (mis. Kota Makassar) atau kodenya (73.71)."))
        super().__init__(*args, **kwargs)
        self.widget.attrs.update({"autocomplete": "off"})

    def prepare_value(self, value: Any) -> Any:
        return f"{value.name} ({value.code})" if isinstance(value, Region) else value

    def clean(self, value: Any) -> Region | None:
        text = (super().clean(value) or "").strip()
        if not text:
            return None
        if text.endswith(")") and "(" in text:  # "Kota Makassar (73.71)", as the field shows a chosen region
            text = text[text.rindex("(") + 1 : -1].strip()
        if text.replace(".", "").isdigit():
            region = Region.objects.filter(code=text, level__gte=Region.Level.REGENCY).first()
            if region is None:
                raise ValidationError(gettext("Kode wilayah %(code)s tidak ada (atau kode provinsi).")
                                      % {"code": text})  # fmt: skip
            return region
        regencies = Region.objects.filter(level=Region.Level.REGENCY).order_by("code")
        found = list(regencies.filter(name__iexact=text)[:2]) or list(regencies.filter(name__icontains=text)[:6])
        if len(found) == 1:
            return found[0]
        if not found:
            raise ValidationError(gettext("Kabupaten/kota %(name)s tidak ditemukan. Tulis namanya (mis. Kota "
                                          "Semarang) atau kodenya.") % {"name": text[:60]})  # fmt: skip
        raise ValidationError(gettext("Ada beberapa: %(options)s. Tulis nama lengkap atau kodenya.")
                              % {"options": ", ".join(f"{r.name} ({r.code})" for r in found)})  # fmt: skip


class BuyerFields(forms.Form):
    """The buyer and delivery, shared by the create and edit forms. Names are the services' keys."""

    name = forms.CharField(label=gettext_lazy("Nama pembeli"), max_length=200)
    phone = forms.CharField(label=gettext_lazy("Nomor HP/WhatsApp"), max_length=30, required=False)
    email = forms.EmailField(label=gettext_lazy("E-mail"), required=False,
                             help_text=gettext_lazy("Kabar tahap pesanan dikirim ke alamat ini."))  # fmt: skip
    institution = forms.CharField(label=gettext_lazy("Instansi/usaha"), max_length=200, required=False)
    region_code = BuyerRegionField(label=gettext_lazy("Wilayah pembeli (kabupaten/kota, kecamatan atau desa)"))
    address = forms.CharField(label=gettext_lazy("Alamat kirim"), required=False, max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 2}))  # fmt: skip
    delivery = forms.ChoiceField(label=gettext_lazy("Pengiriman"), choices=Order.Delivery.choices)
    note = forms.CharField(label=gettext_lazy("Catatan pembeli"), required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 2}))  # fmt: skip
    channel = forms.ChoiceField(label=gettext_lazy("Saluran"),
                                choices=[c for c in Order.Channel.choices if c[0] in STAFF_CHANNELS])  # fmt: skip
    agent = forms.ModelChoiceField(label=gettext_lazy("Agen/jejaring"), required=False, queryset=None,
                                   empty_label=gettext_lazy("– tanpa agen –"))  # fmt: skip
    exhibition = forms.ModelChoiceField(label=gettext_lazy("Pameran/roadshow"), required=False, queryset=None,
                                        empty_label=gettext_lazy("– bukan dari pameran –"))  # fmt: skip
    internal_note = forms.CharField(label=gettext_lazy("Catatan internal"), required=False, max_length=2000,
                                    widget=forms.Textarea(attrs={"rows": 2}),
                                    help_text=gettext_lazy("Tidak terlihat oleh pembeli."))  # fmt: skip

    def __init__(self, *args: Any, user: Any, post: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agent"].queryset = agent_choices(user, post)
        self.fields["agent"].label_from_instance = lambda a: f"{a.name} · {a.post.name}"
        self.fields["exhibition"].queryset = exhibition_choices(user, post)
        self.fields["exhibition"].label_from_instance = lambda e: f"{e.name} · {e.post.name}"
        self.fields["phone"].widget.attrs.update(inputmode="tel", autocomplete="tel")


class OrderCreateForm(BuyerFields):
    """An order taken at the post: the post, where it came from, the buyer; the items come in a formset."""

    post = forms.ModelChoiceField(label=gettext_lazy("Pos"), queryset=None)
    ordered_at = forms.DateTimeField(label=gettext_lazy("Waktu pesan"), required=False,
                                     help_text=gettext_lazy("Kosongkan untuk sekarang."),
                                     widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))  # fmt: skip

    field_order = ["post", "channel", "agent", "exhibition", "ordered_at", "name", "phone", "email", "institution",
                   "region_code", "address", "delivery", "note", "internal_note"]  # fmt: skip

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        posts = editable_posts(user)
        self.fields["post"].queryset = posts
        if len(posts[:2]) == 1:
            self.fields["post"].initial = posts[0]


class OrderEditForm(BuyerFields):
    """Correct the buyer's details, delivery and where the order came from."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, order: Order, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, user=user, post=order.post, **kwargs)
        if order.channel == Order.Channel.MARKETPLACE:  # keep the marketplace as it came, but offer no switch to it
            self.fields["channel"].choices = Order.Channel.choices

    @staticmethod
    def initial_for(order: Order) -> dict[str, Any]:
        return {
            "name": order.buyer_name, "phone": order.buyer_phone, "email": order.buyer_email,
            "institution": order.buyer_institution, "region_code": order.buyer_region, "address": order.buyer_address,
            "delivery": order.delivery, "note": order.buyer_note, "channel": order.channel, "agent": order.agent,
            "exhibition": order.exhibition, "internal_note": order.internal_note, "version": order.version,
        }  # fmt: skip


class ItemForm(forms.Form):
    """One order line: a product of the post, or a free-text item with its price."""

    product = forms.ModelChoiceField(label=gettext_lazy("Produk"), required=False, queryset=None,
                                     empty_label=gettext_lazy("– barang lain (tulis namanya) –"))  # fmt: skip
    name = forms.CharField(label=gettext_lazy("Nama barang"), max_length=200, required=False)
    quantity = forms.IntegerField(label=gettext_lazy("Jumlah"), required=False,
                                  widget=forms.NumberInput(attrs={"inputmode": "numeric"}))  # fmt: skip
    unit = forms.CharField(label=gettext_lazy("Satuan"), max_length=30, required=False)
    unit_price = RupiahField(label=gettext_lazy("Harga satuan (Rp)"),
                             help_text=gettext_lazy("Kosongkan untuk harga produk."))  # fmt: skip
    made_to_order = forms.BooleanField(label=gettext_lazy("Dibuat sesuai pesanan"), required=False)

    def __init__(self, *args: Any, products: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["product"].queryset = products
        self.fields["product"].label_from_instance = lambda p: f"{p.name} · {p.post.name}"

    def is_blank(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        return not (data.get("product") or data.get("name") or data.get("quantity") not in (None, ""))


ItemFormSet = formset_factory(ItemForm, extra=0, max_num=MAX_LINES, absolute_max=MAX_LINES)


def item_formset(data: Any = None, *, user: Any, post: Any = None, initial: list[dict[str, Any]] | None = None,
                 rows: int = 3) -> Any:  # fmt: skip
    """Return the items formset with the user's products (of one post when known) and `rows` empty lines."""
    products = product_choices(user, post)
    blank = [{} for _ in range(max(rows - len(initial or []), 1 if initial else rows))]
    return ItemFormSet(data, initial=[*(initial or []), *blank], prefix="items", form_kwargs={"products": products})


def items_from(formset: Any) -> list[dict[str, Any]]:
    """Return the filled lines of a valid items formset as dicts for the services."""
    out = []
    for form in formset.forms:
        if form.is_blank():
            continue
        d = form.cleaned_data
        out.append({"product": d.get("product"), "name": d.get("name") or "", "quantity": d.get("quantity"),
                    "unit": d.get("unit") or "", "unit_price": d.get("unit_price"),
                    "made_to_order": d.get("made_to_order")})  # fmt: skip
    return out


def item_initial(order: Order) -> list[dict[str, Any]]:
    return [{"product": i.product_id, "name": "" if i.product_id else i.name, "quantity": i.quantity, "unit": i.unit,
             "unit_price": i.unit_price, "made_to_order": i.made_to_order} for i in order.items.all()]  # fmt: skip


class ConfirmForm(forms.Form):
    """The agreed terms: a price per item, shipping, discount, down payment and lead time.

    Each field checks its own shape and range, so every bad field is reported in the same round; the rules
    between fields (a discount above the order's value, a down payment above the total) are the service's, and
    the view puts its errors next to the same fields.
    """

    version = forms.IntegerField(widget=forms.HiddenInput)
    shipping_cost = RupiahField(label=gettext_lazy("Ongkos kirim (Rp)"), initial=0, min_value=0, max_value=MAX_PRICE,
                                error_messages={"min_value": gettext_lazy(
                                    "Ongkos kirim tidak boleh negatif; tulis 0 bila tanpa ongkos kirim.")})  # fmt: skip
    discount = RupiahField(label=gettext_lazy("Potongan (Rp)"), initial=0, min_value=0, max_value=MAX_PRICE,
                           error_messages={"min_value": gettext_lazy(
                               "Potongan tidak boleh negatif; tulis 0 bila tanpa potongan.")})  # fmt: skip
    down_payment = RupiahField(label=gettext_lazy("Uang muka disepakati (Rp)"), initial=0, min_value=0,
                               max_value=MAX_PRICE, error_messages={"min_value": gettext_lazy(
                                   "Uang muka tidak boleh negatif; tulis 0 bila tanpa uang muka.")})  # fmt: skip
    lead_time_days = forms.IntegerField(
        label=gettext_lazy("Lama pengerjaan (hari)"), required=False, min_value=0, max_value=MAX_LEAD_DAYS,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "invalid": gettext_lazy("Tulis lama pengerjaan sebagai bilangan bulat hari, mis. 14."),
            "min_value": gettext_lazy("Lama pengerjaan tidak boleh negatif; tulis 0 bila barang sudah siap."),
            "max_value": gettext_lazy("Lama pengerjaan paling lama %(limit_value)s hari."),
        },
    )  # fmt: skip
    note = forms.CharField(label=gettext_lazy("Catatan"), required=False, max_length=300)

    def __init__(self, *args: Any, order: Order, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.price_names = []
        for item in order.items.all():
            name = f"price_{item.pk}"
            # A free extra is a discount on the order, not a price of Rp 0 (the service says the same).
            self.fields[name] = RupiahField(
                label=gettext("Harga %(name)s (Rp)") % {"name": item.name}, initial=item.unit_price, required=True,
                min_value=1, max_value=MAX_PRICE,
                error_messages={
                    "required": gettext("Tuliskan harga %(name)s.") % {"name": item.name},
                    "min_value": gettext("Harga paling sedikit Rp 1; beri potongan untuk barang bonus."),
                },
            )  # fmt: skip
            self.price_names.append(name)

    @staticmethod
    def initial_for(order: Order) -> dict[str, Any]:
        lead = order.lead_time_days
        if lead is None:
            lead = max((i.product.lead_time_days or 0 for i in order.items.all() if i.product_id and i.made_to_order),
                       default=None)  # fmt: skip
        return {"version": order.version, "shipping_cost": order.shipping_cost, "discount": order.discount,
                "down_payment": order.down_payment, "lead_time_days": lead}  # fmt: skip

    def terms(self) -> dict[str, Any]:
        d = self.cleaned_data
        prices = {int(n.removeprefix("price_")): d[n] for n in self.price_names}
        return {"shipping_cost": d.get("shipping_cost") or 0, "discount": d.get("discount") or 0,
                "down_payment": d.get("down_payment") or 0, "lead_time_days": d.get("lead_time_days"),
                "prices": prices, "note": d.get("note") or ""}  # fmt: skip


class AdvanceForm(forms.Form):
    """One workflow step; shipping asks for the courier, the tracking number and (if missing) the address."""

    state = forms.ChoiceField(choices=Order.State.choices, widget=forms.HiddenInput)
    version = forms.IntegerField(widget=forms.HiddenInput)
    note = forms.CharField(label=gettext_lazy("Keterangan"), required=False, max_length=300)
    courier = forms.CharField(label=gettext_lazy("Kurir/ekspedisi"), required=False, max_length=100)
    tracking_number = forms.CharField(label=gettext_lazy("Nomor resi"), required=False, max_length=100)
    address = forms.CharField(label=gettext_lazy("Alamat kirim"), required=False, max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 2}))  # fmt: skip

    #: The extra fields each target state shows.
    FIELDS_FOR = {"dikirim": ["courier", "tracking_number", "address"]}

    def shown(self) -> list[Any]:
        state = self["state"].value()
        return [self[n] for n in ["note", *self.FIELDS_FOR.get(state, [])]]

    def details(self) -> dict[str, Any]:
        return {f: self.cleaned_data.get(f) or "" for f in self.FIELDS_FOR.get(self.cleaned_data["state"], [])}


class NewQuoteForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(label=gettext_lazy("Alasan penawaran baru"), max_length=250, required=False,
                             help_text=gettext_lazy("Mis. harga bahan naik, pembeli menambah barang."))  # fmt: skip


class PaymentForm(forms.Form):
    amount = RupiahField(label=gettext_lazy("Jumlah (Rp)"), required=True)
    kind = forms.ChoiceField(label=gettext_lazy("Jenis"), choices=Payment.Kind.choices)
    method = forms.ChoiceField(label=gettext_lazy("Cara bayar"), choices=Payment.Method.choices)
    paid_on = forms.DateField(label=gettext_lazy("Tanggal bayar"), required=False, widget=DATE,
                              help_text=gettext_lazy("Kosongkan untuk hari ini."))  # fmt: skip
    reference = forms.CharField(label=gettext_lazy("Nomor bukti/referensi"), required=False, max_length=100)


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(choices=[("penawaran", "penawaran"), ("faktur", "faktur")], widget=forms.HiddenInput)


class TrackForm(forms.Form):
    code = forms.CharField(label=gettext_lazy("Kode pesanan"), max_length=20,
                           help_text=gettext_lazy("10 huruf dan angka dari pos, mis. 7K3MQ9XA2B"))  # fmt: skip


def add_errors(form: forms.Form, exc: ValidationError) -> None:
    """Put a service's errors next to the form's fields (or on top when the form has no such field)."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for field, errors in exc.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)
