"""The contest demo on top of the full demo (load_demo): Mitra Pantura wins Kota Pekalongan, Jawa Tengah and the
nation in 2013 and is forwarded up with its dossier; DKI Jakarta's 2026 editions are at different stages, Jakarta
Pusat mid-scoring; the chain verifies; and Mitra Pantura's pre-filled self-assessment matches counts taken directly
from the database (the issue's "must show")."""

from __future__ import annotations

import datetime as dt

from django.db.models import F, Sum
from django.test import Client
from django.utils import timezone

from posyantek.catalog.models import Ttg
from posyantek.consultations.models import ServiceRequest
from posyantek.contests import chain, prefill
from posyantek.contests.models import Conflict, Edition, Entry, Score, ScoreSheet
from posyantek.orders import workflow
from posyantek.orders.models import Order, OrderItem
from posyantek.partnerships.models import Agreement, Partner
from posyantek.posts.models import Post
from posyantek.replication.models import Award
from posyantek.trainings.models import Bintek, Participant
from posyantek.visits.models import Visit


def test_contest_demo(demo_data) -> None:
    mitra = Post.objects.get(slug="mitra-pantura")

    # 2013: three published editions; Mitra Pantura first at each, forwarded from kota to province to nation.
    runs = Edition.objects.filter(year=2013).order_by("level")
    assert {e.level for e in runs} == {"kabkota", "provinsi", "nasional"}
    for edition in runs:
        assert edition.is_published and edition.state == Edition.State.CLOSED
        assert edition.published_at.date() == edition.decree_date
        assert edition.results.get(rank=1).entry.post == mitra
    national = Entry.objects.get(edition__year=2013, edition__level="nasional", post=mitra)
    province = national.forwarded_from
    assert province.edition.level == "provinsi" and province.forwarded_from.edition.level == "kabkota"
    assert national.dossier.exists() and national.files.exists() and national.state == Entry.State.WINNER
    assert Award.objects.filter(post=mitra, year=2013).count() == 3

    # 2026 in DKI: Jakarta Selatan published and its winner waiting in the provincial edition; Jakarta Pusat
    # mid-scoring with a draft, an eliminated entry, a conflict, and sheets open and locked.
    provincial = Edition.objects.get(year=2026, level="provinsi", region_id="31")
    assert provincial.state == Edition.State.REGISTRATION
    assert provincial.entries.get().forwarded_from.edition.region_id == "31.74"
    pusat = Edition.objects.get(year=2026, region_id="31.71")
    assert pusat.state == Edition.State.FIELD and not pusat.is_published
    states = set(pusat.entries.values_list("state", flat=True))
    assert {Entry.State.DRAFT, Entry.State.FAILED, Entry.State.PASSED} <= states
    sheets = ScoreSheet.objects.filter(edition=pusat)
    assert sheets.filter(state=ScoreSheet.State.LOCKED).exists() and sheets.filter(state=ScoreSheet.State.OPEN).exists()
    assert sheets.filter(state=ScoreSheet.State.OPEN, scores__isnull=False).exists()  # one judge mid-sheet
    assert Conflict.objects.filter(entry__edition=pusat, judge__user__email="juri3@demo.posyantek.id").exists()
    report = chain.verify()
    assert report.ok, report.problems[:3]
    assert report.links > 1000 and report.scores == Score.objects.count() > 1000

    # Public pages show the 2013 national ranking and Mitra Pantura's history.
    nat = runs.get(level="nasional")
    assert "Posyantek Mitra Pantura" in Client().get(f"/lomba/{nat.pk}/").content.decode()
    history = Client().get("/lomba/pos/mitra-pantura/").content.decode()
    assert history.count("Juara") >= 3


def test_mitra_pantura_self_assessment_matches_direct_counts(demo_data) -> None:
    mitra = Post.objects.get(slug="mitra-pantura")
    end = timezone.localdate()
    start = end.replace(day=1) - dt.timedelta(days=365)
    start = start.replace(day=1)
    got = {k: v["value"] for k, v in prefill.compute(mitra, start, end).items()}

    requests = ServiceRequest.objects.filter(post=mitra, received_at__date__range=(start, end))
    held = Bintek.objects.filter(post=mitra, starts_on__range=(start, end),
                                 state__in=["dilaksanakan", "laporan", "tindak_lanjut", "dievaluasi"])  # fmt: skip
    ttg = Ttg.objects.filter(post=mitra).exclude(year_made__gt=end.year)
    counted = Order.objects.filter(post=mitra, state__in=workflow.COUNTED, sale_date__range=(start, end))
    goods = OrderItem.objects.filter(order__in=counted).aggregate(v=Sum(F("quantity") * F("unit_price")))["v"] or 0
    signed = [
        a for a in Agreement.objects.filter(post=mitra)
        if a.state in ("ditandatangani", "berjalan", "dievaluasi", "berakhir", "diperpanjang")
        and (a.starts_on or a.signed_on) <= end and (a.ends_on is None or a.ends_on >= start)
    ]  # fmt: skip
    visits = Visit.objects.filter(post=mitra, starts_on__range=(start, end), state__in=["dilaksanakan",
                                                                                        "ditindaklanjuti"])  # fmt: skip
    direct = {
        "consultations_received": requests.count(),
        "consultations_resolved": requests.filter(state="selesai").count(),
        "bintek_held": held.count(),
        "bintek_participants": Participant.objects.filter(bintek__in=held).count(),
        "ttg_catalogued": ttg.count(),
        "ttg_produced": ttg.filter(stage__in=["diproduksi", "dipasarkan"]).count(),
        "orders_count": counted.count(),
        "sales_total": goods,
        "partnerships_active": len(signed),
        "partners_count": Partner.objects.filter(post=mitra).count(),
        "visits_hosted": visits.filter(direction="masuk").count(),
        "visits_made": visits.filter(direction="keluar").count(),
    }
    assert {k: got[k] for k in direct} == direct
    # The demo gives Mitra Pantura a living year: none of these is zero.
    assert all(direct[k] for k in ("consultations_received", "ttg_catalogued", "ttg_produced", "orders_count",
                                   "sales_total", "partnerships_active", "partners_count"))  # fmt: skip
