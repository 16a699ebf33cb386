"""Writes on a visit's follow-ups: what a held visit led to (an MoU, orders, a replication commitment, a return
visit), each link checked within the actor's scope; and the return visit planned and linked in one step."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from posyantek.core import audit
from posyantek.core.scoping import require
from posyantek.core.templatetags.fmt import tanggal
from posyantek.orders.models import Order
from posyantek.partnerships.models import Agreement
from posyantek.replication.models import KitAdoption
from posyantek.visits.models import Visit, VisitFollowUp
from posyantek.visits.services import FOLLOW_UP_OPEN, live, text_lengths, visit_create

State = Visit.State
FOLLOW_UP_FIELDS = ["kind", "description", "due_on", "done_on", "agreement", "order", "adoption", "return_visit"]
#: The link each kind of follow-up may carry.
LINK_OF = {
    VisitFollowUp.Kind.AGREEMENT: "agreement",
    VisitFollowUp.Kind.ORDER: "order",
    VisitFollowUp.Kind.REPLICATION: "adoption",
    VisitFollowUp.Kind.RETURN_VISIT: "return_visit",
}
LINKS = ("agreement", "order", "adoption", "return_visit")


def follow_up_text(f: VisitFollowUp) -> str:
    """Return a follow-up as one line for the history: kind, what, the linked record, done or due."""
    text = f"{f.get_kind_display()}: {f.description}"
    link = getattr(f, LINK_OF.get(f.kind, ""), None) if f.kind in LINK_OF else None
    if link is not None and str(link) != f.description:
        # Not an arrow: the history shows a change as "before → after", so a link must not look like one.
        text += " (" + _("terkait: %(link)s") % {"link": link} + ")"
    if f.done_on:
        text += " · " + _("selesai %(d)s") % {"d": tanggal(f.done_on)}
    elif f.due_on:
        text += " · " + _("target %(d)s") % {"d": tanggal(f.due_on)}
    return text


def _check_follow_up(actor: Any, visit: Visit, f: VisitFollowUp, data: dict[str, Any]) -> None:
    """Put a follow-up's values in their one form and check them, its link within scope; raise every error."""
    errors: dict[str, list[str]] = {}
    f.description = (f.description or "").strip()
    if f.kind not in VisitFollowUp.Kind.values:
        errors["kind"] = [_("Pilih jenis tindak lanjut.")]
    if not f.description:
        errors["description"] = [_("Tulis uraian tindak lanjutnya.")]
    text_lengths(f, ("description",), errors)
    if f.done_on and f.done_on > timezone.localdate():
        errors["done_on"] = [_("Tanggal selesai tidak boleh di masa depan.")]
    elif f.done_on and f.done_on < visit.starts_on:
        errors["done_on"] = [_("Tanggal selesai tidak boleh sebelum kunjungan (%(d)s).") % {
            "d": tanggal(visit.starts_on)}]  # fmt: skip
    if "order_code" in data:
        code = (data["order_code"] or "").strip().upper()[:20]
        f.order = None
        if code:
            f.order = Order.objects.for_user(actor).filter(post_id=visit.post_id, code=code).first()
            if f.order is None:
                errors["order_code"] = [_("Pesanan %(code)s tidak ditemukan di %(post)s.")
                                        % {"code": code, "post": visit.post}]  # fmt: skip
    keep = LINK_OF.get(f.kind)
    for name in LINKS:
        if name != keep:
            setattr(f, name, None)
    if f.agreement_id and not Agreement.objects.for_user(actor).filter(pk=f.agreement_id,
                                                                       post_id=visit.post_id).exists():  # fmt: skip
        errors["agreement"] = [_("Pilih kerja sama milik %(post)s.") % {"post": visit.post}]
    if f.order_id and not Order.objects.for_user(actor).filter(pk=f.order_id, post_id=visit.post_id).exists():
        errors["order_code"] = [_("Pilih pesanan milik %(post)s.") % {"post": visit.post}]
    if f.adoption_id and not KitAdoption.objects.for_user(actor).filter(pk=f.adoption_id).exists():
        errors["adoption"] = [_("Adopsi kit replikasi tidak ditemukan atau di luar cakupan Anda.")]
    if f.return_visit_id and (
        f.return_visit_id == visit.pk or not Visit.objects.for_user(actor).filter(pk=f.return_visit_id).exists()
    ):
        errors["return_visit"] = [_("Pilih kunjungan lain yang dapat Anda lihat.")]
    if errors:
        raise ValidationError(errors)


def _follow_up_open(visit: Visit) -> None:
    if visit.state not in FOLLOW_UP_OPEN:
        if visit.state == State.CANCELLED:
            msg = _("Kunjungan ini dibatalkan; tindak lanjut tidak dicatat.")
        else:
            msg = _("Tindak lanjut dicatat setelah kunjungan dilaksanakan.")
        raise ValidationError({"description": [msg]})


def _follow_up_values(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if k in FOLLOW_UP_FIELDS}


@transaction.atomic
def follow_up_add(*, actor: Any, visit: Visit, data: dict[str, Any]) -> VisitFollowUp:
    """Record what a held visit led to: an MoU, orders, a replication commitment, a return visit, other."""
    require(actor, visit, "edit")
    locked = live(visit, lock=True)
    _follow_up_open(locked)
    f = VisitFollowUp(visit=locked, **{k: v for k, v in _follow_up_values(data).items() if v is not None})
    _check_follow_up(actor, locked, f, data)
    f.save()
    audit.record(actor, "update", locked, {"tindak_lanjut": [None, follow_up_text(f)]})
    return f


@transaction.atomic
def follow_up_update(*, actor: Any, follow_up: VisitFollowUp, data: dict[str, Any]) -> VisitFollowUp:
    """Change a follow-up: mark it done, move its target, change its link."""
    require(actor, follow_up.visit, "edit")
    locked = live(follow_up.visit, lock=True)
    if locked.state == State.CANCELLED:
        _follow_up_open(locked)
    f = VisitFollowUp.objects.select_for_update().get(pk=follow_up.pk)
    before = follow_up_text(f)
    for k, v in _follow_up_values(data).items():
        if v is not None or k in ("due_on", "done_on", *LINKS):
            setattr(f, k, v)
    _check_follow_up(actor, locked, f, data)
    f.save()
    if follow_up_text(f) != before:
        audit.record(actor, "update", locked, {"tindak_lanjut": [before, follow_up_text(f)]})
    return f


@transaction.atomic
def follow_up_remove(*, actor: Any, follow_up: VisitFollowUp) -> None:
    """Delete a follow-up recorded by mistake; a followed-up visit keeps at least one."""
    require(actor, follow_up.visit, "edit")
    locked = live(follow_up.visit, lock=True)
    if locked.state == State.FOLLOWED_UP and locked.follow_ups.count() <= 1:
        raise ValidationError({"description": [_("Kunjungan yang sudah ditindaklanjuti perlu paling sedikit satu "
                                                 "tindak lanjut.")]})  # fmt: skip
    audit.record(actor, "update", locked, {"tindak_lanjut": [follow_up_text(follow_up), None]})
    follow_up.delete()


def return_visit_defaults(visit: Visit) -> dict[str, Any]:
    """Return the values of a planned return visit: the other direction, the same institution, region and purposes."""
    incoming = visit.direction == Visit.Direction.INCOMING
    title = (_("Kunjungan balasan ke %(i)s") if incoming else _("Kunjungan balasan dari %(i)s")) % {
        "i": visit.institution}  # fmt: skip
    return {
        "post": visit.post,
        "direction": Visit.Direction.OUTGOING if incoming else Visit.Direction.INCOMING,
        "title": title[:300],
        "institution": visit.institution,
        "institution_region": visit.institution_region,
        "other_post": visit.other_post,
        "partner": visit.partner,
        "purposes": list(visit.purposes or []),
        "purpose_text": _("Balasan atas: %(t)s (%(d)s).") % {"t": visit.title, "d": tanggal(visit.starts_on)},
    }


@transaction.atomic
def return_visit_create(*, actor: Any, visit: Visit, data: dict[str, Any]) -> tuple[Visit, VisitFollowUp]:
    """Plan the return visit of a held visit and record it as its follow-up, in one step."""
    require(actor, visit, "edit")
    _follow_up_open(live(visit))
    values = {**return_visit_defaults(visit), **{k: v for k, v in data.items() if k != "post"}}
    planned = visit_create(actor=actor, data=values)
    follow_up = follow_up_add(actor=actor, visit=visit, data={
        "kind": VisitFollowUp.Kind.RETURN_VISIT, "description": planned.title, "due_on": planned.starts_on,
        "return_visit": planned,
    })  # fmt: skip
    return planned, follow_up
