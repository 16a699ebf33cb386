"""The demo loader makes requests in every state, some overdue, some rated, dated in the past."""

from __future__ import annotations

import random

from django.utils import timezone

from posyantek.consultations.demo import load_requests
from posyantek.consultations.models import ServiceRequest, StateChange
from posyantek.consultations.selectors import overdue


def test_demo_requests_cover_every_state(admin, officer, outsider, staff, fish_dryer) -> None:
    n = load_requests(admin, random.Random(2014), timezone.localdate())
    assert n == ServiceRequest.objects.count() > 30
    assert set(ServiceRequest.objects.values_list("state", flat=True)) == set(ServiceRequest.State.values)
    assert overdue(ServiceRequest.objects.all()).exists()
    assert ServiceRequest.objects.filter(rating__isnull=False).exists()
    assert ServiceRequest.objects.filter(region__code__startswith="31.").exists()
    assert ServiceRequest.objects.filter(post__slug="mitra-pantura").exists()
    assert not StateChange.objects.filter(at__gt=timezone.now()).exists()
    assert load_requests(admin, random.Random(2014), timezone.localdate()) == 0
