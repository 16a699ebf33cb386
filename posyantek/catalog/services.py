"""Writes on innovators and their needs: scope, rules, audit."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from posyantek.catalog.models import Innovator, Need
from posyantek.core import audit
from posyantek.core.concurrency import lock_current
from posyantek.core.scoping import Action, covers_region, rank_on_post, require
from posyantek.people.models import Person

INNOVATOR_FIELDS = ["kind", "person", "group_name", "post", "sector", "skills", "works", "note", "region"]
NEED_FIELDS = ["kind", "description", "status", "helper"]


def _prepare(actor: Any, innovator: Innovator, members: list[Person] | None) -> None:
    """Check an innovator's shape and scope; set its region (the person's, else the post's)."""
    errors: dict[str, list[str]] = {}
    if innovator.post_id is None:
        errors["post"] = [_("Pilih pos pembina.")]
    elif rank_on_post(actor, innovator.post) < Action.EDIT:
        errors["post"] = [_("Anda tidak dapat mencatat inovator untuk pos ini.")]
    visible = Person.objects.for_user(actor, "view")
    if innovator.kind == Innovator.Kind.PERSON:
        if innovator.person_id is None:
            errors["person"] = [_("Pilih orangnya dari daftar orang.")]
        elif not visible.filter(pk=innovator.person_id).exists():
            errors["person"] = [_("Orang ini tidak ada dalam cakupan Anda.")]
        else:
            innovator.region_id = innovator.person.region_id
        innovator.group_name = ""
    else:
        if not innovator.group_name.strip():
            errors["group_name"] = [_("Beri nama kelompoknya.")]
        outside = [m for m in members or [] if not visible.filter(pk=m.pk).exists()]
        if outside:
            errors["members"] = [_("Di luar cakupan Anda: %(n)s") % {"n": ", ".join(str(m) for m in outside)}]
        innovator.person = None
        if innovator.post_id and not (
            innovator.region_id and covers_region(innovator.post.region_id, innovator.region_id)
        ):
            innovator.region_id = innovator.post.region_id  # a group sits in its post's area, also after a move
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def innovator_create(*, actor: Any, data: dict[str, Any]) -> Innovator:
    """Register an innovator (a person from the registry, or a group) under a post the actor works for."""
    data = dict(data)
    members = list(data.pop("members", None) or [])
    innovator = Innovator(**{k: v for k, v in data.items() if k in INNOVATOR_FIELDS and v is not None})
    _prepare(actor, innovator, members)
    innovator.save()
    if innovator.kind == Innovator.Kind.GROUP:
        innovator.members.set(members)
    require(actor, innovator, "edit")
    audit.record(actor, "create", innovator, audit.snapshot(innovator, ["kind", "person", "group_name", "post",
                                                                        "sector", "skills"]))  # fmt: skip
    return innovator


@transaction.atomic
def innovator_update(
    *, actor: Any, innovator: Innovator, data: dict[str, Any], version: int | None = None
) -> Innovator:
    """Change an innovator's record; refuse an edit made on an old version."""
    require(actor, innovator, "edit")
    innovator = lock_current(innovator, version)
    data = dict(data)
    members = data.pop("members", None)
    fields = [f for f in INNOVATOR_FIELDS if f in data and f != "region"]
    before = audit.snapshot(innovator, fields)
    for f in fields:
        setattr(innovator, f, data[f])
    _prepare(actor, innovator, list(members) if members is not None else None)
    innovator.version += 1
    innovator.save()
    if members is not None and innovator.kind == Innovator.Kind.GROUP:
        innovator.members.set(members)
    require(actor, innovator, "edit")
    changes = audit.diff(before, audit.snapshot(innovator, fields))
    if changes:
        audit.record(actor, "update", innovator, changes)
    return innovator


@transaction.atomic
def need_add(*, actor: Any, innovator: Innovator, data: dict[str, Any]) -> Need:
    """Record something an innovator lacks."""
    require(actor, innovator, "edit")
    need = Need(innovator=innovator, **{k: v for k, v in data.items() if k in NEED_FIELDS and v not in (None, "")})
    if not need.description.strip():
        raise ValidationError({"description": _("Jelaskan apa yang dibutuhkan.")})
    need.save()
    where = {"region_id": innovator.region_id, "post_id": innovator.post_id}
    audit.record(actor, "create", need, audit.snapshot(need, NEED_FIELDS), **where)
    audit.record(actor, "update", innovator, {"needs": [None, str(need)]}, **where)
    return need


@transaction.atomic
def need_update(*, actor: Any, need: Need, data: dict[str, Any], version: int | None = None) -> Need:
    """Move a need along (identified → being helped → met) and say who helps."""
    require(actor, need.innovator, "edit")
    need = lock_current(need, version)
    fields = [f for f in NEED_FIELDS if f in data]
    before = audit.snapshot(need, fields)
    for f in fields:
        setattr(need, f, data[f])
    if need.status not in Need.Status.values:
        raise ValidationError({"status": _("Status tidak dikenal.")})
    if need.status != Need.Status.IDENTIFIED and not need.helper.strip():
        raise ValidationError({"helper": _("Sebutkan siapa yang membantu.")})
    need.version += 1
    need.save()
    changes = audit.diff(before, audit.snapshot(need, fields))
    if changes:
        where = {"region_id": need.innovator.region_id, "post_id": need.innovator.post_id}
        audit.record(actor, "update", need, changes, **where)
    return need
