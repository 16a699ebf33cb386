"""Fixtures for the partnership tests: Mitra Pantura's partners, an agreement being explored, one signed and
running, and records an agreement can produce (a Bintek with participants, orders, a grant, a TTG, a request).

The browser fixtures are those of core's browser tests (Debian's Chromium, the live server as base URL).
"""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

import pytest
from django.utils import timezone

from posyantek.catalog.models import Ttg
from posyantek.consultations.models import ServiceRequest
from posyantek.core.tests.conftest import (  # noqa: F401 - fixtures and the skip-without-Chromium hook
    base_url,
    browser_type_launch_args,
    pytest_collection_modifyitems,
)
from posyantek.finance.models import Grant
from posyantek.network.tests.conftest import make_order  # noqa: F401 - re-exported for the tests
from posyantek.partnerships import agreement_services, services
from posyantek.partnerships.models import Agreement, Partner
from posyantek.trainings.models import Bintek, Participant

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
_n = itertools.count(1)


def add_partner(actor: Any, post: Any, name: str = "Universitas Pekalongan (UNIKAL)", **extra: Any) -> Partner:
    data = {"post": post, "name": name, "kind": "perguruan_tinggi", "home_region": "33.75", **extra}
    return services.partner_create(actor=actor, data=data)


def explore(actor: Any, post: Any, **extra: Any) -> Agreement:
    data = {"post": post, "title": "Pendampingan TTG Pengolahan Ikan", "doc_kind": "mou", "value": 0, **extra}
    return agreement_services.agreement_create(actor=actor, data=data)


def sign(actor: Any, ag: Agreement, partner: Partner, *, signed_on: dt.date | None = None) -> Agreement:
    """Add `partner` as a party, then take the agreement through draf to ditandatangani."""
    agreement_services.party_add(actor=actor, agreement=ag, partner=partner, signatory="Rektor")
    ag = agreement_services.agreement_advance(actor=actor, agreement=ag, state="draf")
    day = signed_on or timezone.localdate() - dt.timedelta(days=30)
    return agreement_services.agreement_advance(actor=actor, agreement=ag, state="ditandatangani", signed_on=day)


def make_bintek(post: Any, title: str = "Bintek Pengeringan Ikan Higienis", participants: int = 0) -> Bintek:
    n = next(_n)
    b = Bintek.objects.create(title=title, post=post, region=post.region, starts_on=dt.date(2026, 4, 10),
                              ends_on=dt.date(2026, 4, 11), public_token=f"uji{n:08d}")  # fmt: skip
    for i in range(participants):
        Participant.objects.create(bintek=b, number=i + 1, name=f"Peserta {i + 1}", sex="P")
    return b


def make_grant(post: Any, amount: int = 30_000_000) -> Grant:
    return Grant.objects.create(post=post, region=post.region, giver="PT Pantura Sejahtera (program CSR)",
                                source="csr", amount=amount, purpose="Alat pengering ikan",
                                starts_on=dt.date(2026, 1, 1), ends_on=dt.date(2026, 12, 31),
                                report_due=dt.date(2027, 1, 31))  # fmt: skip


def make_ttg(post: Any, name: str = "Alat Pengering Ikan Tenaga Surya") -> Ttg:
    return Ttg.objects.create(name=name, slug=f"ttg-uji-{next(_n)}", post=post, region=post.region, sector="perikanan",
                              aspect="pangan")  # fmt: skip


def make_request(post: Any) -> ServiceRequest:
    now = timezone.now()
    return ServiceRequest.objects.create(code=f"UJIRQ{next(_n):05d}", received_at=now, channel="online", post=post,
                                         region=post.region, requester_name="KUB Mina Sejahtera",
                                         description="Butuh alat pengering ikan", state_since=now,
                                         phone="6281234500000")  # fmt: skip


@pytest.fixture
def unikal(manager: Any, posts: dict[str, Any]) -> Partner:
    return add_partner(manager, posts["mitra"])


@pytest.fixture
def csr(manager: Any, posts: dict[str, Any]) -> Partner:
    return add_partner(manager, posts["mitra"], "PT Pantura Sejahtera (program CSR)", kind="perusahaan",
                       home_region="33.75")  # fmt: skip


@pytest.fixture
def draft(manager: Any, posts: dict[str, Any]) -> Agreement:
    """An agreement of Mitra Pantura being explored: only the post is a party."""
    return explore(manager, posts["mitra"])


@pytest.fixture
def signed(manager: Any, posts: dict[str, Any], unikal: Partner) -> Agreement:
    """An agreement of Mitra Pantura with UNIKAL, signed 30 days ago, in force for two years from then."""
    today = timezone.localdate()
    ag = explore(manager, posts["mitra"], number="01/MoU/MP/2026", starts_on=today - dt.timedelta(days=30),
                 ends_on=today + dt.timedelta(days=700), value=150_000_000)  # fmt: skip
    return sign(manager, ag, unikal)
