"""Account forms: invitations, grants and tokens."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from posyantek.accounts.models import User
from posyantek.accounts.selectors import roles_grantable
from posyantek.posts.models import Post
from posyantek.regions.forms import RegionCodeField


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("E-mail"))
    full_name = forms.CharField(label=_("Nama lengkap"), max_length=150)
    role = forms.ChoiceField(label=_("Peran"))
    region = RegionCodeField(
        label=_("Wilayah (kode)"),
        required=False,
        help_text=_("Untuk peran wilayah: provinsi, kabupaten/kota, kecamatan, peninjau, juri."),
    )
    post = forms.ModelChoiceField(
        label=_("Pos"), queryset=Post.objects.none(), required=False, help_text=_("Untuk pengelola dan staf pos.")
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = roles_grantable(user=user)
        self.fields["post"].queryset = Post.objects.for_user(user, "manage").select_related("region")


class TokenForm(forms.Form):
    name = forms.CharField(label=_("Nama token"), max_length=80, help_text=_("mis. skrip laporan bulanan"))


class ProfileForm(forms.Form):
    full_name = forms.CharField(label=_("Nama lengkap"), max_length=150, required=False)
    phone = forms.CharField(label=_("Telepon/WhatsApp"), max_length=30, required=False)
    language = forms.ChoiceField(label=_("Bahasa"), choices=User._meta.get_field("language").choices)
