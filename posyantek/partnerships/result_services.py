"""Writes on what an agreement produced: a Bintek given, a request referred, a TTG developed, an order brought,
funds received, or something else.

A result links a record the actor may see, of the agreement's post or of a post it coordinates (a kelurahan Wartek
under its kecamatan post: the Panjang Wetan Bintek that Mitra Pantura's university partner taught); each record is
linked once. Results are recorded from signing on. Each write is scoped, atomic and audited on the agreement.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from posyantek.catalog.models import Ttg
from posyantek.consultations.models import ServiceRequest
from posyantek.core import audit
from posyantek.core.lib.rupiah import format_rupiah
from posyantek.core.scoping import require
from posyantek.finance.models import Grant
from posyantek.orders.models import Order
from posyantek.partnerships.agreement_services import whole_rupiah
from posyantek.partnerships.models import Agreement, AgreementResult
from posyantek.partnerships.workflow import PRODUCING
from posyantek.posts.models import Post
from posyantek.trainings.models import Bintek

Kind = AgreementResult.Kind
#: kind → (field, model) of the record a result of that kind links
LINKS: dict[str, tuple[str, Any]] = {
    Kind.BINTEK: ("bintek", Bintek),
    Kind.REQUEST: ("service_request", ServiceRequest),
    Kind.TTG: ("ttg", Ttg),
    Kind.ORDER: ("order", Order),
}
LINK_FIELDS = ("bintek", "service_request", "ttg", "order", "grant")


def post_family(post: Post) -> list[int]:
    """Return the ids of `post` and of the posts it coordinates (its children)."""
    return [post.pk, *Post.objects.filter(parent_id=post.pk).values_list("pk", flat=True)]


def _missing(kind: str) -> str:
    return {
        Kind.BINTEK: _("Pilih Bintek yang diberikan."),
        Kind.REQUEST: _("Pilih permohonan layanan yang dirujuk."),
        Kind.TTG: _("Pilih TTG yang dikembangkan."),
        Kind.ORDER: _("Pilih pesanan yang dibawa."),
    }[kind]


def _label(target: Any) -> str:
    if isinstance(target, Order):
        return f"{target.code} · {target.buyer_name}"
    if isinstance(target, ServiceRequest):
        return f"{target.display_code} · {target.requester_name}"
    if isinstance(target, Grant):
        return target.giver
    return str(target)


def result_text(result: AgreementResult) -> str:
    """Return how a result reads in the agreement's history: its kind, what it links or says, its amount."""
    target = result.target
    what = _label(target) if target is not None else result.description
    if target is not None and result.description:
        what += f" ({result.description})"
    parts = [p for p in (what, format_rupiah(result.amount) if result.amount else "") if p]
    return f"{result.get_kind_display()}: {' · '.join(parts)}" if parts else str(result.get_kind_display())


def _linked(actor: Any, ag: Agreement, model: Any, target: Any, field: str, errors: dict[str, list[str]]) -> None:
    """Check that `target` is a record the actor sees, of the agreement's post (or a post it coordinates)."""
    family = post_family(ag.post)
    visible = model.objects.for_user(actor, "view").filter(pk=target.pk, post_id__in=family).exists()
    if not visible:
        errors[field] = [_("%(x)s bukan milik %(post)s atau di luar cakupan Anda.")
                         % {"x": _label(target), "post": ag.post}]  # fmt: skip
    elif AgreementResult.objects.filter(agreement=ag, **{field: target}).exists():
        errors[field] = [_("%(x)s sudah tercatat sebagai hasil kerja sama ini.") % {"x": _label(target)}]


def _default_day(target: Any) -> dt.date:
    if isinstance(target, Bintek):
        return target.starts_on
    if isinstance(target, Order):
        return timezone.localdate(target.ordered_at)
    if isinstance(target, ServiceRequest):
        return timezone.localdate(target.received_at)
    return timezone.localdate()


@transaction.atomic
def result_add(*, actor: Any, agreement: Agreement, data: dict[str, Any]) -> AgreementResult:
    """Record something an agreement produced, once it is signed; a record already linked is refused."""
    require(actor, agreement, "edit")
    ag = Agreement.objects.select_related("post").get(pk=agreement.pk)
    if ag.state not in PRODUCING:
        raise ValidationError({"kind": [_("Hasil dicatat setelah kerja sama ditandatangani; kerja sama ini masih "
                                          "tahap %(state)s.") % {"state": ag.get_state_display().lower()}]
                               })  # fmt: skip
    kind = data.get("kind")
    if kind not in Kind.values:
        raise ValidationError({"kind": [_("Pilih jenis hasil: Bintek, permohonan, TTG, pesanan, dana atau lainnya.")]})
    errors: dict[str, list[str]] = {}
    who = actor if getattr(actor, "is_authenticated", False) else None
    result = AgreementResult(agreement=ag, kind=kind, actor=who)
    result.description = (data.get("description") or "").strip()
    if len(result.description) > 300:
        errors["description"] = [_("Uraian paling panjang 300 huruf.")]
    target = None
    if kind in LINKS:
        field, model = LINKS[kind]
        target = data.get(field)
        if target is None:
            errors[field] = [_missing(kind)]
        else:
            _linked(actor, ag, model, target, field, errors)
            setattr(result, field, target)
    elif kind == Kind.FUNDS:
        if data.get("amount") in (None, ""):
            errors["amount"] = [_("Isi jumlah dana yang diterima, mis. 2.500.000.")]
        else:
            result.amount = whole_rupiah(data.get("amount"), "amount", errors, minimum=1)
        target = data.get("grant")
        if target is not None:
            _linked(actor, ag, Grant, target, "grant", errors)
            result.grant = target
    else:
        if not result.description:
            errors["description"] = [_("Tulis uraian hasilnya.")]
        amount = data.get("amount")
        result.amount = whole_rupiah(amount, "amount", errors) if amount not in (None, "") else 0
    result.occurred_on = data.get("occurred_on") or (_default_day(target) if target is not None else None)
    if result.occurred_on is None:
        result.occurred_on = timezone.localdate()
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            result.save()
    except IntegrityError as exc:  # linked by someone else a moment ago
        raise ValidationError({"kind": [_("Catatan ini sudah tercatat sebagai hasil kerja sama ini.")]}) from exc
    audit.record(actor, "update", ag, {"hasil": [None, result_text(result)]})
    return result


@transaction.atomic
def result_remove(*, actor: Any, result: AgreementResult) -> None:
    """Remove a result recorded by mistake."""
    require(actor, result.agreement, "edit")
    audit.record(actor, "update", result.agreement, {"hasil": [result_text(result), None]})
    result.delete()
