"""Writes on the person registry."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from posyantek.core import audit
from posyantek.core.concurrency import lock_current
from posyantek.core.scoping import Action, rank_on_post, rank_on_region, require
from posyantek.people.models import Person
from posyantek.regions.models import Region

PERSON_FIELDS = ["name", "sex", "nik", "address", "phone", "email", "occupation", "skills", "region", "post"]


def _resolve(actor: Any, data: dict[str, Any]) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """Keep the known fields and turn a region code into a Region; return the data and any errors."""
    data = {k: v for k, v in data.items() if k in PERSON_FIELDS}
    errors: dict[str, list[str]] = {}
    if "region" in data and not isinstance(data["region"], Region):
        code = str(data.pop("region") or "").strip()
        region = Region.objects.filter(code=code).first() if code else None
        if region is None:
            errors["region"] = [
                _("Kode wilayah %(code)s tidak ada.") % {"code": code} if code else _("Wilayah wajib diisi.")
            ]
        else:
            data["region"] = region
    return data, errors


NIK_ROLE_MESSAGE = gettext_lazy("Hanya pengelola pos ke atas yang boleh mengisi atau mengubah NIK.")


def _may_set_nik(actor: Any, person: Person) -> bool:
    from posyantek.people.selectors import person_can_see_nik

    return person_can_see_nik(user=actor, person=person)


def _can_write(actor: Any, person: Person) -> bool:
    if rank_on_region(actor, person.region_id) >= Action.EDIT:
        return True
    return bool(person.post_id and rank_on_post(actor, person.post) >= Action.EDIT)


def _check(person: Person, errors: dict[str, list[str]]) -> None:
    """Raise every problem of the record at once, as field errors."""
    errors = dict(errors)
    try:
        person.full_clean(exclude=["region", "post", "version"], validate_constraints=False)
    except ValidationError as exc:
        for field, field_errors in exc.error_dict.items():
            for error in field_errors:
                message = _("Wajib diisi.") if error.code == "blank" else " ".join(error.messages)
                errors.setdefault(field, []).append(message)
    if person.nik and Person.objects.filter(nik=person.nik).exclude(pk=person.pk).exists():
        # Say so without showing whose record it is: it may be outside the actor's scope.
        errors.setdefault("nik", []).append(_("NIK ini sudah tercatat untuk orang lain."))
    if (
        person.post_id
        and person.region_id
        and not (
            person.region_id == person.post.region_id
            or person.region_id.startswith(person.post.region_id.rsplit(".", 1)[0])
        )
    ):
        # A post records people of its own area; someone from elsewhere is recorded by their own post or region.
        errors.setdefault("region", []).append(_("Wilayah orang ini di luar wilayah pos pencatatnya."))
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def person_create(*, actor: Any, data: dict[str, Any]) -> Person:
    """Add a person to the registry, in a region (and post) the actor may edit."""
    data, errors = _resolve(actor, data)
    if "region" not in data and "region" not in errors:
        errors["region"] = [_("Wilayah wajib diisi.")]
    person = Person(**data)
    if person.region_id and not _can_write(actor, person):
        raise PermissionDenied
    if person.nik and person.region_id and not _may_set_nik(actor, person):
        errors.setdefault("nik", []).append(NIK_ROLE_MESSAGE)
    _check(person, errors)
    person.save()
    audit.record(actor, "create", person, audit.snapshot(person, [f for f in PERSON_FIELDS if f != "nik"]))
    return person


@transaction.atomic
def person_update(*, actor: Any, person: Person, data: dict[str, Any], version: int | None = None) -> Person:
    """Change a person's record; the NIK shows in the history only as changed, never in clear."""
    require(actor, person, "edit")
    person = lock_current(person, version)
    data, errors = _resolve(actor, data)
    fields = list(data)
    if "nik" in data and (data["nik"] or "") != person.nik and not _may_set_nik(actor, person):
        errors.setdefault("nik", []).append(NIK_ROLE_MESSAGE)
    before = audit.snapshot(person, fields)
    for k, v in data.items():
        setattr(person, k, v)
    if not _can_write(actor, person):
        errors.setdefault("region", []).append(_("Anda tidak berwenang memindahkan orang ke wilayah itu."))
    _check(person, errors)
    person.version += 1
    person.save()
    changes = audit.diff(before, audit.snapshot(person, fields))
    if "nik" in changes:
        changes["nik"] = ["•••" if before.get("nik") else None, "•••" if person.nik else None]
    if changes:
        audit.record(actor, "update", person, changes)
    return person
