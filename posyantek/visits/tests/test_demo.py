"""The demo visits load through the services: the DKI visit of 10 September 2014 from request to follow-up, the
planned visit to Pati, and recent visits around today; with and without the partnerships and replication demos."""

from __future__ import annotations

import datetime as dt
import random

from django.test import Client
from django.utils import timezone

from posyantek.accounts.models import User
from posyantek.core.models import AuditEvent
from posyantek.partnerships.models import Agreement
from posyantek.posts.models import Post
from posyantek.regions.models import Region
from posyantek.replication.models import Kit, KitAdoption
from posyantek.visits import guestbook, ical
from posyantek.visits.demo import BATANG, DKI, PATI, PEMALANG, RETURN, load_visits
from posyantek.visits.models import Visit


def _regions() -> None:
    for code, name in (
        ("33.18", "Kabupaten Pati"),
        ("33.25", "Kabupaten Batang"),
        ("33.27", "Kabupaten Pemalang"),
        ("33.29", "Kabupaten Brebes"),
    ):
        Region.objects.create(code=code, name=name, level=2, kind="kabupaten", parent_id="33")


def test_load_visits(admin, posts, regions) -> None:
    _regions()
    kit = Kit.objects.create(post=posts["mitra"], region=posts["mitra"].region, title="Kit Mitra Pantura")
    adoption = KitAdoption.objects.create(
        kit=kit, region_id="31", name="Replikasi 44 kecamatan DKI", started_on=dt.date(2014, 12, 1)
    )
    agreement = Agreement.objects.create(post=posts["mitra"], region=posts["mitra"].region, title="MoU UNIKAL")
    today = timezone.localdate()
    load_visits(admin, random.Random(2014), today)

    dki = Visit.objects.get(title=DKI)
    assert dki.state == "ditindaklanjuti" and dki.starts_on == dt.date(2014, 9, 10) and dki.visitors == 20
    assert dki.institution == "Dinas/BPMPKB Provinsi DKI Jakarta — Bidang TTG" and dki.institution_region_id == "31"
    assert dki.purposes[:2] == ["pendanaan", "kelembagaan"]
    kinds = list(dki.agenda.values_list("kind", flat=True))
    assert kinds == ["audiensi", "paparan", "lapangan", "produk"]
    field = dki.agenda.get(kind="lapangan")
    assert field.site_region_id == "33.75.03.1004" and "Panjang Wetan" in field.title
    assert "Asisten Wali Kota" in dki.agenda.get(kind="audiensi").title
    assert dki.guests.count() == 8 and dki.guests.exclude(signature="").count() == 4
    assert all(timezone.localtime(g.signed_at).date() == dki.starts_on for g in dki.guests.all())
    assert list(dki.steps.values_list("state", flat=True)) == [
        "diminta",
        "dijadwalkan",
        "dilaksanakan",
        "ditindaklanjuti",
    ]
    assert timezone.localtime(dki.steps.get(state="dilaksanakan").at).date() == dki.starts_on
    replication = dki.follow_ups.get(kind="replikasi")
    assert replication.adoption == adoption
    back = dki.follow_ups.get(kind="kunjungan_balasan").return_visit
    assert back.title == RETURN and back.direction == "keluar" and back.state == "dilaksanakan"
    assert AuditEvent.objects.filter(object_id=str(dki.pk), action="status").count() == 3

    pati = Visit.objects.get(title=PATI)
    assert pati.direction == "keluar" and pati.state == "dijadwalkan" and pati.starts_on > today
    assert pati.institution_region_id == "33.18" and pati.agenda.count() == 3
    batang = Visit.objects.get(title=BATANG)
    assert batang.state == "ditindaklanjuti" and batang.follow_ups.get().agreement == agreement
    pemalang = Visit.objects.get(title=PEMALANG)
    assert pemalang.state == "dijadwalkan" and guestbook.closed_message(pemalang) is None
    states = set(Visit.objects.values_list("state", flat=True))
    assert states == {"diminta", "dijadwalkan", "dilaksanakan", "ditindaklanjuti", "dibatalkan"}
    around = Visit.objects.filter(
        starts_on__lte=today + dt.timedelta(days=45), ends_on__gte=today - dt.timedelta(days=30)
    )
    assert around.count() >= 4
    n = Visit.objects.count()
    load_visits(admin, random.Random(2014), today)
    assert Visit.objects.count() == n == 7


def test_load_visits_without_partnerships_and_kit(admin, posts, regions) -> None:
    load_visits(admin, random.Random(1), timezone.localdate())
    dki = Visit.objects.get(title=DKI)
    assert dki.state == "ditindaklanjuti" and dki.follow_ups.get(kind="replikasi").adoption is None
    assert Visit.objects.get(title=PATI).institution_region is None  # Pati is not in this small region tree
    assert Visit.objects.get(title=BATANG).follow_ups.get().kind == "lainnya"


def test_full_demo_then_visits(demo_data) -> None:
    """The whole demo (load_demo, with every region), then the visits on top, as load_demo will call them."""
    admin = User.objects.get(email="admin@demo.posyantek.id")
    load_visits(admin, random.Random(2014), timezone.localdate())
    mitra = Post.objects.get(slug="mitra-pantura")
    dki = Visit.objects.get(post=mitra, title=DKI)
    assert dki.agenda.get(kind="lapangan").site_region.name == "Panjang Wetan"
    assert Visit.objects.get(title=PATI).institution_region.name == "Kabupaten Pati"
    officer = User.objects.get(email="dki@demo.posyantek.id")
    feed = Client().get(f"/kunjungan/kalender/{ical.feed_token(officer)}.ics").content.decode()
    assert feed.startswith("BEGIN:VCALENDAR") and "Mitra Pantura" not in feed and "VEVENT" not in feed
    manager = User.objects.get(email="mitrapantura@demo.posyantek.id")
    feed = Client().get(f"/kunjungan/kalender/{ical.feed_token(manager)}.ics").content.decode()
    assert PATI in feed.replace("\r\n ", "") and DKI not in feed.replace("\r\n ", "")  # 2014 is outside the window
