"""Forwarding: which edition is next, and the forwarded entry with its dossier."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError

from posyantek.contests import forwarding
from posyantek.contests.models import ContestLog, DossierItem, Edition, Entry, Indicator, Rubric
from posyantek.contests.tests.conftest import make_edition, make_entry


def test_next_edition_by_level_and_region(rubric: Rubric, edition: Edition, national: Edition,
                                          dki: dict[str, Any]) -> None:  # fmt: skip
    kota = make_edition(rubric, level="kabkota", region="31.71", name="Lomba Jakarta Pusat 2026")
    entry = make_entry(kota, dki["gambir"])
    assert forwarding.next_edition(kota, entry) == edition  # Jakarta Pusat → DKI Jakarta
    assert forwarding.next_edition(edition, make_entry(edition, dki["gambir"])) == national
    assert forwarding.next_edition(national, make_entry(national, dki["gambir"])) is None
    other_year = make_edition(rubric, level="kabkota", region="31.71", year=2025, name="2025")
    assert forwarding.next_edition(other_year, make_entry(other_year, dki["gambir"])) is None


def test_create_forwarded_entry_copies_and_refuses_twice(edition: Edition, national: Edition, entry: Entry,
                                                         organiser: Any) -> None:  # fmt: skip
    ind = Indicator.objects.filter(criterion__rubric=edition.rubric).order_by("pk").first()
    DossierItem.objects.create(entry=entry, indicator=ind, narrative="Uraian")
    Edition.objects.filter(pk=edition.pk).update(decree_number="7/2026")
    entry.refresh_from_db()
    new = forwarding.create_forwarded_entry(actor=organiser, source=entry, edition=national)
    assert (new.edition, new.post, new.region_id, new.title) == (national, entry.post, entry.region_id, entry.title)
    assert new.proposed_by.startswith("SK 7/2026 (")
    copied = DossierItem.objects.get(entry=new)
    assert (copied.indicator.code, copied.indicator.criterion.rubric_id) == (ind.code, national.rubric_id)
    assert ContestLog.objects.filter(kind=ContestLog.Kind.FORWARD, object_key=f"entry:{new.pk}").exists()
    with pytest.raises(ValidationError, match="sudah diteruskan"):
        forwarding.create_forwarded_entry(actor=organiser, source=entry, edition=national)


def test_forwarding_refuses_a_post_already_entered(edition: Edition, national: Edition, entry: Entry,
                                                   organiser: Any) -> None:  # fmt: skip
    make_entry(national, entry.post)
    with pytest.raises(ValidationError, match="sudah terdaftar"):
        forwarding.create_forwarded_entry(actor=organiser, source=entry, edition=national)
    assert Entry.objects.filter(edition=national).count() == 1
