"""The demo partnerships load through the services: with the small region tree and a few records of the other demos,
and within the whole demo (load_demo, via the session's `demo_data`)."""

from __future__ import annotations

import random

from django.utils import timezone

from conftest import login, make_user
from posyantek.accounts.models import User
from posyantek.core.models import AuditEvent
from posyantek.partnerships.demo import BANK, CSR_PKS, DKI, POLINES_MOU, UNIKAL, UNIKAL_MOU, WARTEK, load_partnerships
from posyantek.partnerships.models import Agreement, AgreementReminder, Partner
from posyantek.partnerships.selectors import agreement_produced
from posyantek.partnerships.tests.conftest import make_bintek, make_order
from posyantek.posts.models import Post

TODAY = timezone.localdate()


def test_load_partnerships_on_a_small_tree(admin, posts, regions) -> None:
    bintek = make_bintek(posts["wartek"], "Bintek Pengeringan Ikan Higienis dengan Alat Pengering Tenaga Surya", 30)
    fish = make_order(posts["mitra"], total=12_000_000, state="lunas", buyer_institution="Pokdakan Mina Makmur")
    make_order(posts["mitra"], total=9_000_000, state="lunas", buyer_institution="Batik Tulis Aini")
    assert load_partnerships(admin, random.Random(2014), TODAY) == 6
    names = set(Partner.objects.filter(post=posts["mitra"]).values_list("name", flat=True))
    assert {UNIKAL, BANK, WARTEK, DKI} <= names and len(names) == 6
    assert Partner.objects.get(name=WARTEK).other_post == posts["wartek"]
    unikal = Agreement.objects.get(title=UNIKAL_MOU)
    assert unikal.state == "berjalan" and unikal.parties.count() == 3 and unikal.manager == admin
    produced = agreement_produced(agreement=unikal)
    assert [r.bintek for r in produced.bintek] == [bintek] and produced.participants == 30
    assert [r.order for r in produced.orders] == [fish]  # only the fish processor's order
    assert produced.funds_total == 15_000_000
    csr = Agreement.objects.get(title=CSR_PKS)
    assert csr.state == "berjalan" and csr.expiring_soon and csr.reminders.get().days_before == 90
    old = Agreement.objects.get(title=POLINES_MOU)
    new = old.extensions.get()
    assert old.state == "diperpanjang" and new.state == "berjalan" and new.ends_on > old.ends_on
    assert new.signed_on < TODAY and timezone.localdate(old.steps.first().at) < new.signed_on
    states = set(Agreement.objects.values_list("state", flat=True))
    assert states == {"penjajakan", "draf", "berjalan", "diperpanjang"}
    assert AuditEvent.objects.filter(object_id=str(unikal.pk), action="status").count() == 3
    n = Agreement.objects.count()
    assert load_partnerships(admin, random.Random(2014), TODAY) == 0 and Agreement.objects.count() == n == 6


def test_load_partnerships_without_the_post(regions) -> None:
    admin = make_user("admin@example.id", ("national_admin", None))
    assert load_partnerships(admin, random.Random(1), TODAY) == 0 and not Partner.objects.exists()


def test_full_demo_then_partnerships(demo_data) -> None:
    """The whole demo (load_demo calls the loader after finance): real Bintek, orders and grant linked; the reminder
    shows; loading again changes nothing."""
    admin = User.objects.get(email="admin@demo.posyantek.id")
    load_partnerships(admin, random.Random(2014), TODAY)  # a no-op when load_demo already made them
    n = Agreement.objects.count()
    assert n == 6 and load_partnerships(admin, random.Random(2014), TODAY) == 0 and Agreement.objects.count() == n
    manager = User.objects.get(email="mitrapantura@demo.posyantek.id")
    mitra = Post.objects.get(slug="mitra-pantura")
    assert Partner.objects.get(name=BANK).home_region.name == "Kota Pekalongan"
    unikal = Agreement.objects.get(post=mitra, title=UNIKAL_MOU)
    assert unikal.manager == manager and unikal.steps.last().actor == manager
    produced = agreement_produced(agreement=unikal)
    assert produced.bintek and produced.bintek[0].bintek.post.slug == "wartek-panjang-wetan"
    assert produced.participants >= 27 and produced.orders and produced.ttg
    assert all(r.order.post == mitra for r in produced.orders)
    csr = Agreement.objects.get(post=mitra, title=CSR_PKS)
    funds = agreement_produced(agreement=csr).funds
    assert funds[0].grant.giver == "PT Bank Jateng (CSR)" and funds[0].amount == 45_000_000
    assert AgreementReminder.objects.get(agreement=csr).recipients == manager.email
    c = login(manager)
    page = c.get("/kemitraan/?expiring=ya").content.decode()
    assert "1 kerja sama" in page and CSR_PKS in page
    page = c.get(unikal.get_absolute_url()).content.decode()
    assert "Bintek Pengeringan Ikan Higienis" in page and "Rp " in page
    reminders = c.get(csr.get_absolute_url()).content.decode().split('id="reminders"')[1].split("</ul>")[0]
    assert reminders.count("H-90") == 1 and manager.email in reminders
    assert login(User.objects.get(email="dki@demo.posyantek.id")).get(unikal.get_absolute_url()).status_code == 404
