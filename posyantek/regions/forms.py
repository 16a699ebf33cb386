"""Form fields that take region codes."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from posyantek.regions.models import Region


class RegionCodeField(forms.CharField):
    """A region typed as its Kemendagri code; cleans to the Region."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Room for stray spaces around a pasted code; the code itself is at most 13 characters.
        kwargs.setdefault("max_length", 20)
        kwargs.setdefault("help_text", _("Kode Kemendagri, mis. 33.75.03 (kecamatan) atau 33.75.03.1004 (kelurahan)."))
        super().__init__(*args, **kwargs)
        self.widget.attrs.update({"inputmode": "decimal", "autocomplete": "off", "pattern": r"[0-9.]+"})

    def prepare_value(self, value: Any) -> Any:
        return value.code if isinstance(value, Region) else value

    def clean(self, value: Any) -> Region | None:
        code = super().clean(value)
        if not code:
            return None
        region = Region.objects.filter(code=code.strip()).first()
        if region is None:
            raise ValidationError(_("Kode wilayah %(code)s tidak ada."), code="unknown_region", params={"code": code})
        return region


class RegionCodesField(forms.CharField):
    """Several region codes separated by commas or spaces; cleans to a list of Regions."""

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list | tuple):
            return ", ".join(r.code if isinstance(r, Region) else str(r) for r in value)
        return value

    def clean(self, value: Any) -> list[Region]:
        text = super().clean(value) or ""
        codes = [c for c in text.replace(",", " ").split() if c]
        found = {r.code: r for r in Region.objects.filter(code__in=codes)}
        missing = [c for c in codes if c not in found]
        if missing:
            raise ValidationError(_("Kode wilayah tidak ada: %(codes)s"), params={"codes": ", ".join(missing)})
        return [found[c] for c in dict.fromkeys(codes)]
