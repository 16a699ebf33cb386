"""Writes on rubrics: from a template, copies and new versions, criteria/indicators/weights (refused once in use)."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from posyantek.contests import chain
from posyantek.contests.defaults import TEMPLATES
from posyantek.contests.models import ContestLog, Criterion, Indicator, Rubric
from posyantek.core import audit


@transaction.atomic
def rubric_from_template(*, actor: Any, category: str, region: Any = None, year: int | None = None,
                         family: str | None = None, is_template: bool = False) -> Rubric:  # fmt: skip
    """Build a rubric (version 1 of `family`, or the template's family) from a built-in template."""
    tpl = TEMPLATES[category]
    family = family or tpl["family"]
    last = Rubric.objects.filter(family=family).order_by("-version_no").first()
    rubric = Rubric.objects.create(
        region=region, family=family, version_no=(last.version_no + 1) if last else 1, previous=last,
        name=tpl["name"] if is_template else tpl["name"].replace(" (templat)", "") + (f" {year}" if year else ""),
        category=category, year=year, notes=tpl["notes"], is_template=is_template,
        created_by=actor if getattr(actor, "pk", None) else None,
    )  # fmt: skip
    for order, (code, title, weight, indicators) in enumerate(tpl["criteria"]):
        crit = Criterion.objects.create(rubric=rubric, code=code, title=title, weight=weight, order=order)
        Indicator.objects.bulk_create(
            Indicator(criterion=crit, code=i["code"], title=i["title"], weight=i["weight"], anchors=i["anchors"],
                      evidence=i["evidence"], evidence_mandatory=i["mandatory"], prefill_key=i["prefill"], order=k)
            for k, i in enumerate(indicators)
        )  # fmt: skip
    if getattr(actor, "pk", None):
        audit.record(actor=actor, action="create", obj=rubric, changes={"templat": category})
    chain.append(actor=actor if getattr(actor, "pk", None) else None, kind=ContestLog.Kind.RUBRIC,
                 object_key=f"rubric:{rubric.pk}", payload={"event": "created", "template": category,
                                                           "version": rubric.version_no})  # fmt: skip
    return rubric
