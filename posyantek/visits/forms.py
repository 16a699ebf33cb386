"""Visit forms: shape only; the rules (states, dates, scope of links, the guest book's opening) live in services."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from posyantek.partnerships.models import Agreement, Partner
from posyantek.posts.models import Post
from posyantek.regions.forms import RegionCodeField
from posyantek.replication.models import KitAdoption
from posyantek.trainings.forms import DATE
from posyantek.visits.models import AgendaItem, GuestEntry, Visit, VisitFollowUp

TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class VisitForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    institution_region = RegionCodeField(label=_("Wilayah asal / tujuan (kode wilayah)"), required=False,
                                         help_text=_("Kode Kemendagri, mis. 31 (DKI Jakarta) atau 33.18 "
                                                     "(Kabupaten Pati)."))  # fmt: skip
    purposes = forms.MultipleChoiceField(label=_("Maksud (yang ingin dipelajari)"), choices=Visit.Purpose.choices,
                                         required=False, widget=forms.CheckboxSelectMultiple,
                                         error_messages={"invalid_choice": _("Pilih maksud dari daftar.")})  # fmt: skip
    letter_file = forms.FileField(label=_("Surat permohonan (PDF)"), required=False,
                                  widget=forms.FileInput(attrs={"accept": "application/pdf"}))  # fmt: skip
    remove_letter = forms.BooleanField(label=_("Hapus surat yang tersimpan"), required=False)

    class Meta:
        model = Visit
        fields = ["post", "direction", "title", "institution", "institution_region", "other_post", "partner", "leader",
                  "leader_title", "visitors", "purposes", "purpose_text", "starts_on", "ends_on", "letter_number",
                  "letter_date", "hosts", "summary"]  # fmt: skip
        widgets = {
            "starts_on": DATE, "ends_on": DATE, "letter_date": DATE, "direction": forms.RadioSelect,
            "purpose_text": forms.Textarea(attrs={"rows": 3}), "hosts": forms.Textarea(attrs={"rows": 2}),
            "summary": forms.Textarea(attrs={"rows": 4}),
            "visitors": forms.NumberInput(attrs={"inputmode": "numeric", "min": 1}),
        }  # fmt: skip
        error_messages = {
            "post": {"required": _("Pilih pos yang menerima atau melakukan kunjungan."),
                     "invalid_choice": _("Pilih pos dari daftar.")},
            "title": {"required": _("Tulis judul kunjungan.")},
            "institution": {"required": _("Tulis instansi tamu atau instansi tujuan.")},
            "visitors": {"required": _("Tulis jumlah orang (paling sedikit 1)."),
                         "invalid": _("Tulis jumlah orang sebagai bilangan bulat, mis. 20."),
                         "min_value": _("Jumlah orang paling sedikit 1; kunjungan tanpa orang tidak dapat dicatat.")},
            "starts_on": {"required": _("Isi tanggal mulai.")},
        }  # fmt: skip

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        posts = Post.objects.for_user(user, "edit").select_related("region").order_by("name")
        self.fields["post"].queryset = posts
        if not self.instance.pk and not self.initial.get("post"):
            only = list(posts.values_list("pk", flat=True)[:2])
            if len(only) == 1:  # a post's own people record its visits: their one post is already chosen
                self.initial["post"] = only[0]
        others = Post.objects.for_user(user, "view").order_by("name")
        if self.instance.pk:
            others = others.exclude(pk=self.instance.post_id)
        elif self.initial.get("post"):  # the other post of a visit is never the post itself
            others = others.exclude(pk=getattr(self.initial["post"], "pk", self.initial["post"]))
        self.fields["other_post"].queryset = others.only("pk", "name")
        self.fields["other_post"].help_text = _("Bila tamu datang dari, atau kunjungan menuju, Posyantek lain.")
        editable = Post.objects.for_user(user, "edit").values("pk")
        partners = Partner.objects.for_user(user, "view").select_related("post")
        if self.instance.pk:  # a visit's partner belongs to its post
            partners = partners.filter(post=self.instance.post_id)
        else:
            partners = partners.filter(post__in=editable)
        self.fields["partner"].queryset = partners.order_by("name")
        self.fields["partner"].label_from_instance = lambda p: f"{p.name} · {p.post.name}"
        self.fields["partner"].help_text = _("Mitra yang tercatat di pos yang dipilih.")
        self.fields["visitors"].widget.attrs["min"] = 1
        self.fields["ends_on"].required = False
        self.fields["ends_on"].help_text = _("Kosong: sama dengan tanggal mulai.")
        self.fields["direction"].choices = Visit.Direction.choices
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
            self.initial["institution_region"] = self.instance.institution_region_id
        if self.instance.pk and self.instance.letter_file:
            self.fields["letter_file"].help_text = _("Sudah ada surat tersimpan; unggah PDF baru untuk menggantinya.")
        else:
            del self.fields["remove_letter"]
        self.initial.pop("letter_file", None)

    def clean(self) -> dict[str, Any]:
        """Put the visitors and date errors next to their fields together with any other error of the form.

        The service checks the same (and more); doing it here too means a form with a missing post still tells
        about zero visitors or backwards dates in the same answer, rather than one error at a time.
        """
        data = super().clean()
        visitors = data.get("visitors")
        if visitors is not None and visitors < 1:
            self.add_error("visitors", _("Jumlah orang paling sedikit 1; kunjungan tanpa orang tidak dapat dicatat."))
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("Tanggal selesai tidak boleh sebelum tanggal mulai."))
        return data

    def _post_clean(self) -> None:
        pass


class StateForm(forms.Form):
    state = forms.ChoiceField(label=_("Tahap berikutnya"), choices=Visit.State.choices)
    note = forms.CharField(label=_("Keterangan"), max_length=300, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class AgendaForm(forms.ModelForm):
    site_region = RegionCodeField(label=_("Lokasi lapangan (kode wilayah)"), required=False,
                                  help_text=_("Untuk kunjungan lapangan, mis. 33.75.03.1004 (Kelurahan Panjang "
                                              "Wetan)."))  # fmt: skip

    class Meta:
        model = AgendaItem
        fields = ["kind", "title", "day", "starts_at", "ends_at", "place", "site_region", "officials"]
        widgets = {"day": DATE, "starts_at": TIME, "ends_at": TIME}
        error_messages = {
            "title": {"required": _("Tulis nama acaranya, mis. Audiensi dengan Asisten Wali Kota.")},
            "day": {"required": _("Isi tanggal acara.")},
        }

    def __init__(self, *args: Any, visit: Visit, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "agenda_%s")  # several forms share the visit page: ids must differ
        super().__init__(*args, **kwargs)
        if not self.instance.pk and not self.is_bound:
            self.initial.setdefault("day", visit.starts_on)
        if self.instance.pk:
            self.initial["site_region"] = self.instance.site_region_id

    def _post_clean(self) -> None:
        pass


class FollowUpForm(forms.ModelForm):
    order_code = forms.CharField(label=_("Kode pesanan (untuk tindak lanjut pesanan)"), max_length=20, required=False)

    class Meta:
        model = VisitFollowUp
        fields = ["kind", "description", "due_on", "done_on", "agreement", "adoption", "return_visit"]
        widgets = {"due_on": DATE, "done_on": DATE}
        error_messages = {"description": {"required": _("Tulis uraian tindak lanjutnya.")}}

    field_order = ["kind", "description", "due_on", "done_on", "agreement", "order_code", "adoption", "return_visit"]

    def __init__(self, *args: Any, user: Any, visit: Visit, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "tl_%s")
        super().__init__(*args, **kwargs)
        self.fields["agreement"].queryset = Agreement.objects.for_user(user, "view").filter(post_id=visit.post_id)
        self.fields["agreement"].help_text = _("Untuk tindak lanjut MoU / kerja sama.")
        self.fields["adoption"].queryset = KitAdoption.objects.for_user(user, "view").select_related("kit")
        self.fields["adoption"].help_text = _("Untuk komitmen replikasi: adopsi kit yang dapat Anda lihat.")
        since = visit.starts_on - dt.timedelta(days=730)
        self.fields["return_visit"].queryset = (
            Visit.objects.for_user(user, "view").filter(post_id=visit.post_id, starts_on__gte=since)
            .exclude(pk=visit.pk).order_by("-starts_on")
        )  # fmt: skip
        self.fields["return_visit"].help_text = _("Untuk kunjungan balasan yang sudah tercatat.")
        if self.instance.pk and self.instance.order_id and "order_code" not in self.initial:
            self.initial["order_code"] = self.instance.order.code

    def _post_clean(self) -> None:
        pass


class PhotoForm(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "foto_%s")
        super().__init__(*args, **kwargs)

    image = forms.ImageField(label=_("Foto"), widget=forms.ClearableFileInput(
        attrs={"accept": "image/jpeg,image/png,image/webp"}), error_messages={
        "required": _("Pilih foto yang akan diunggah."),
        "invalid_image": _("Foto harus gambar JPG, PNG atau WEBP; berkas ini bukan gambar yang dapat dibaca."),
        "invalid_extension": _("Foto harus gambar JPG, PNG atau WEBP."),
    })  # fmt: skip
    caption = forms.CharField(label=_("Keterangan"), max_length=300, required=False)


class GuestForm(forms.ModelForm):
    """A guest written in by staff (e.g. copied from the paper guest book)."""

    signed_at = forms.DateField(label=_("Tanggal hadir"), required=False, widget=DATE,
                                help_text=_("Kosong: sekarang."))  # fmt: skip

    class Meta:
        model = GuestEntry
        fields = ["name", "institution", "position", "phone"]
        error_messages = {"name": {"required": _("Tulis nama tamu.")}}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "tamu_%s")
        super().__init__(*args, **kwargs)
        self.fields["phone"].widget.attrs.update({"inputmode": "tel", "autocomplete": "off"})

    def _post_clean(self) -> None:
        pass


class PublicGuestForm(forms.Form):
    """The guest's own entry on a phone: a drawn signature (with JavaScript) or the "Saya hadir" box (without)."""

    name = forms.CharField(label=_("Nama"), max_length=200, error_messages={"required": _("Tulis nama Anda.")},
                           widget=forms.TextInput(attrs={"autocomplete": "name"}))  # fmt: skip
    institution = forms.CharField(label=_("Instansi"), max_length=300, required=False,
                                  widget=forms.TextInput(attrs={"autocomplete": "organization"}))  # fmt: skip
    position = forms.CharField(label=_("Jabatan"), max_length=200, required=False,
                               widget=forms.TextInput(attrs={"autocomplete": "organization-title"}))  # fmt: skip
    phone = forms.CharField(label=_("Nomor HP/WhatsApp"), max_length=20, required=False,
                            widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}))  # fmt: skip
    signature = forms.CharField(widget=forms.HiddenInput, required=False, max_length=600_000)
    present = forms.BooleanField(label=_("Saya hadir"), required=False,
                                 widget=forms.CheckboxInput(attrs={"aria-describedby": "present-help"}))  # fmt: skip
    # A field people never see: a bot that fills it is answered as if it worked, and nothing is saved.
    website = forms.CharField(label=_("Situs web (kosongkan)"), required=False, max_length=200,
                              widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}))  # fmt: skip

    def clean(self) -> dict[str, Any]:
        """Ask for the tap or the signature in the same answer as any other error (the service checks it too)."""
        data = super().clean()
        if not data.get("signature") and not data.get("present") and "signature" not in self.errors:
            self.add_error("present", _("Centang Saya hadir atau bubuhkan tanda tangan."))
        return data
