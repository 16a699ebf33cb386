"""Load the demo: Kota Pekalongan with Mitra Pantura and Panjang Wetan, and DKI Jakarta's network."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from posyantek.accounts.models import Grant, User
from posyantek.catalog.demo import load_innovators
from posyantek.catalog.demo_ttg import load_ttgs
from posyantek.catalog.models import Innovator, Ttg
from posyantek.consultations.demo import load_requests
from posyantek.consultations.models import ServiceRequest
from posyantek.contests.demo import load_contests
from posyantek.contests.models import Edition
from posyantek.dashboards.refresh import refresh_posts
from posyantek.exhibitions.demo import load_exhibitions
from posyantek.exhibitions.models import Exhibition
from posyantek.finance.demo import load_finance
from posyantek.finance.models import Budget
from posyantek.network.demo import load_agents
from posyantek.network.models import Agent
from posyantek.orders.demo import load_orders
from posyantek.orders.models import Order
from posyantek.partnerships.demo import load_partnerships
from posyantek.partnerships.models import Agreement
from posyantek.people.models import Person
from posyantek.people.services import person_create
from posyantek.posts import services
from posyantek.posts.models import BoardTerm, Post
from posyantek.products.demo import load_products
from posyantek.products.models import Product
from posyantek.regions.models import Region
from posyantek.replication.demo import load_replication
from posyantek.replication.models import Kit
from posyantek.reports.demo import load_reports
from posyantek.reports.models import Report
from posyantek.trainings.demo import load_trainings
from posyantek.trainings.models import Bintek
from posyantek.visits.demo import load_visits
from posyantek.visits.models import Visit

DEMO_PASSWORD = "posyantek-demo"  # noqa: S105 - printed on purpose: these are demo logins

#: (e-mail, full name, role, region code or post key)
DEMO_USERS = [
    ("admin@demo.posyantek.id", "Admin Nasional", "national_admin", None),
    ("jateng@demo.posyantek.id", "Petugas DPMD Jawa Tengah", "province_officer", "33"),
    ("pekalongan@demo.posyantek.id", "Petugas DPMD Kota Pekalongan", "city_officer", "33.75"),
    ("mitrapantura@demo.posyantek.id", "Pengelola Mitra Pantura", "post_manager", "post:mitra-pantura"),
    ("panjangwetan@demo.posyantek.id", "Staf Wartek Panjang Wetan", "post_staff", "post:wartek-panjang-wetan"),
    ("dki@demo.posyantek.id", "Petugas DPMPPKB DKI Jakarta", "province_officer", "31"),
    ("peninjau@demo.posyantek.id", "Peninjau Kota Pekalongan", "viewer", "33.75"),
    ("gambir@demo.posyantek.id", "Pengelola Posyantek Kecamatan Gambir", "post_manager", "post:posyantek-31-71-01"),
    # Judges hold no grant: their panel seats let them score (posyantek/contests/demo.py).
    ("juri1@demo.posyantek.id", "Dr. Sri Wahyuni (BRIN), juri lomba DKI 2026", None, None),
    ("juri2@demo.posyantek.id", "Ir. Bambang Hartono, M.T. (UI), juri lomba DKI 2026", None, None),
]

FIRST = [
    "Ahmad",
    "Budi",
    "Siti",
    "Dewi",
    "Agus",
    "Sri",
    "Joko",
    "Rina",
    "Hendra",
    "Nur",
    "Wahyu",
    "Lestari",
    "Eko",
    "Yuni",
    "Slamet",
    "Ratna",
    "Bambang",
    "Indah",
    "Teguh",
    "Fitri",
    "Rudi",
    "Wulan",
    "Hadi",
    "Ani",
]
LAST = [
    "Santoso",
    "Rahmawati",
    "Hidayat",
    "Wibowo",
    "Saputra",
    "Kusuma",
    "Nugroho",
    "Lestari",
    "Pratama",
    "Susanti",
    "Setiawan",
    "Handayani",
    "Firmansyah",
    "Maulana",
    "Purnomo",
    "Anggraini",
]
SKILLS = [
    "las dan bubut",
    "pengolahan ikan",
    "mesin pertanian",
    "kelistrikan",
    "batik",
    "pangan olahan",
    "pengolahan sampah",
    "perbengkelan",
    "energi surya",
    "kerajinan bambu",
]
CORE = ["ketua", "sekretaris", "bendahara", "seksi_pengembangan", "seksi_pelayanan"]


class Command(BaseCommand):
    help = "Load the demo data (idempotent): Kota Pekalongan, Mitra Pantura, Panjang Wetan and DKI Jakarta."

    def handle(self, *args: Any, **options: Any) -> None:
        if not Region.objects.filter(code="33.75.03.1004").exists():
            call_command("load_regions", stdout=self.stdout)
        self.rng = random.Random(2014)  # noqa: S311 - demo names, not secrets
        self.today = timezone.localdate()
        changed = False
        with transaction.atomic():
            admin = self._user("admin@demo.posyantek.id", "Admin Nasional")
            Grant.objects.get_or_create(user=admin, role="national_admin")
            self.admin = User.objects.get(pk=admin.pk)
            # Each part loads once; a part added later joins a demo that was loaded before it existed.
            if not Post.objects.filter(slug="mitra-pantura").exists():
                self._pekalongan()
                self._jakarta()
                changed = True
            # Every demo login, also one added after the demo was first loaded.
            self._users()
            if not Innovator.objects.exists():
                load_innovators(self.admin, self.rng)
                changed = True
            if not Ttg.objects.exists():
                load_ttgs(self.admin, self.rng)
                changed = True
            if not ServiceRequest.objects.exists():  # after the users and the TTG: handlers, recommendations
                load_requests(self.admin, self.rng, self.today)
                changed = True
            if not Bintek.objects.exists():  # after the TTG: the Panjang Wetan Bintek teaches the fish dryer
                load_trainings(self.admin, self.rng, self.today)
                changed = True
            # Marketing: products (after the TTG they are built on), the network, exhibitions, then orders.
            if not Product.objects.exists():
                load_products(self.admin, self.rng, self.today)
                changed = True
            if not Agent.objects.exists():
                load_agents(self.admin, self.rng, self.today)
                changed = True
            if not Exhibition.objects.exists():
                load_exhibitions(self.admin, self.rng, self.today)
                changed = True
            if not Order.objects.exists():
                load_orders(self.admin, self.rng, self.today)  # their payments go to the cash book
                changed = True
            # Money: regulations, budgets, a year of cash book, a grant, assets (after the orders' own revenue).
            if not Budget.objects.exists():
                load_finance(self.admin, self.rng, self.today)
                changed = True
            # Partnerships (their results point at the Bintek, orders and grants above), the replication kit DKI
            # adopts, then the visits (whose follow-ups point at both).
            if not Agreement.objects.exists():
                load_partnerships(self.admin, self.rng, self.today)
                changed = True
            if not Kit.objects.exists():
                load_replication(self.admin, self.rng, self.today)
                changed = True
            if not Visit.objects.exists():
                load_visits(self.admin, self.rng, self.today)
                changed = True
            # Contests last: the dossiers' system figures count everything above.
            if not Edition.objects.exists():
                load_contests(self.admin, self.rng, self.today)
                changed = True
            # Periodic reports after everything they count.
            if not Report.objects.exists():
                load_reports(self.admin, self.rng, self.today)
                changed = True
        if not changed:
            self.stdout.write("Demo data already loaded; nothing changed.")
            return
        counts = (
            f"{Post.objects.count()} posts, {Person.objects.count()} people, {Innovator.objects.count()} innovators, "
            f"{Ttg.objects.count()} TTG records, {ServiceRequest.objects.count()} service requests, "
            f"{Bintek.objects.count()} Bintek, {Product.objects.count()} products, {Agent.objects.count()} agents, "
            f"{Exhibition.objects.count()} exhibitions, {Order.objects.count()} orders, "
            f"{Budget.objects.count()} budgets, {Agreement.objects.count()} agreements, "
            f"{Kit.objects.count()} replication kits, {Visit.objects.count()} visits, "
            f"{Edition.objects.count()} contest editions, {Report.objects.count()} periodic reports"
        )
        self.stdout.write(self.style.SUCCESS(f"Demo data loaded: {counts}."))
        self.stdout.write(f"Dashboard figures refreshed for {refresh_posts()} posts.")

    # -- helpers ---------------------------------------------------------------------------

    def _user(self, email: str, name: str) -> User:
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(email=email, password=DEMO_PASSWORD, full_name=name)
        return user

    def _person(self, region: Region, post: Post | None, **extra: Any) -> Person:
        name = f"{self.rng.choice(FIRST)} {self.rng.choice(LAST)}"
        data = {
            "name": name,
            "sex": self.rng.choice(["L", "P"]),
            "region": region,
            "post": post,
            "occupation": self.rng.choice(["wiraswasta", "nelayan", "guru", "petani", "pedagang", "perajin"]),
            "skills": self.rng.choice(SKILLS),
            "phone": f"08{self.rng.randint(1000000000, 9999999999)}",
        }
        data.update(extra)
        return person_create(actor=self.admin, data=data)

    def _years_ago(self, years: int) -> dt.date:
        """The first of the month `years` years before the demo's today."""
        return self.today.replace(year=self.today.year - years, day=1)

    def _board(
        self, post: Post, start: dt.date, years: int = 3, positions: list[str] | None = None, flag: str | None = None
    ) -> BoardTerm:
        end = start.replace(year=start.year + years) - dt.timedelta(days=1)
        term = services.board_term_create(
            actor=self.admin, post=post, data={"starts_on": start, "ends_on": end, "basis": f"SK {post.sk_number}"}
        )
        # Officers live in the post's own villages: its kelurahan, or the villages of its kecamatan.
        villages = [post.region] if post.region.level == 4 else list(Region.objects.filter(parent=post.region))
        for i, pos in enumerate(positions or ["pembina"] + CORE + ["anggota"]):
            extra = {}
            if post.region_id.startswith("33.75") and pos in ("ketua", "bendahara"):
                # Some people have a NIK, so its masking shows: 33 75 0x (kecamatan) + birth date + serial.
                born = f"{self.rng.randint(10, 28):02d}{self.rng.randint(1, 12):02d}{self.rng.randint(60, 99)}"
                extra["nik"] = f"{post.region_id.replace('.', '')[:6]}{born}{self.rng.randint(1, 9999):04d}"
            person = self._person(self.rng.choice(villages), post, **extra)
            services.officer_add(
                actor=self.admin,
                term=term,
                data={
                    "person": person,
                    "position": pos,
                    "order": i,
                    "element": self.rng.choice(["inovator", "pengguna", "lembaga"]),
                    "is_civil_servant": flag == "pns" and pos == "bendahara",
                },
            )
        return term

    def _post(self, key: str, **data: Any) -> Post:
        post = services.post_create(actor=self.admin, data=data)
        if post.slug != key:
            Post.objects.filter(pk=post.pk).update(slug=key)
            post.slug = key
        return post

    # -- Kota Pekalongan ---------------------------------------------------------------------

    def _pekalongan(self) -> dict[str, Post]:
        utara = Region.objects.get(code="33.75.03")
        mitra = self._post(
            "mitra-pantura",
            name="Posyantek Mitra Pantura",
            kind="antar_desa",
            region=utara,
            founded_on=dt.date(2009, 3, 2),
            sk_number="188.45/112/2009",
            sk_date=dt.date(2009, 3, 2),
            sk_issuer="Wali Kota Pekalongan",
            skt_number="220/045/Kesbangpol/2023",
            skt_date=dt.date(2023, 4, 10),
            skt_valid_until=dt.date(2028, 4, 10),
            skt_issuer="Wali Kota Pekalongan (Kesbangpol)",
            address="Jl. Jlamprang, Kelurahan Krapyak, Kecamatan Pekalongan Utara, Kota Pekalongan 51147",
            office_status="milik",
            phone="0285-421234",
            email="mitrapantura@example.id",
            social_media="@posyantek.mitrapantura",
            focus_fields="perikanan, pengolahan pangan, perbengkelan, batik",
            service_area=list(Region.objects.filter(parent=utara)),
        )
        self._board(mitra, dt.date(2024, 1, 15))
        panjang = Region.objects.get(code="33.75.03.1004")
        wartek = self._post(
            "wartek-panjang-wetan",
            name="Wartek Panjang Wetan",
            kind="wartek",
            region=panjang,
            parent=mitra,
            founded_on=dt.date(2012, 6, 1),
            sk_number="400/27/PW/2012",
            sk_date=dt.date(2012, 6, 1),
            sk_issuer="Lurah Panjang Wetan",
            skt_number="220/311/Kesbangpol/2021",
            skt_date=dt.date(2021, 2, 1),
            # About to expire, so the overseers see the alert.
            skt_valid_until=self.today + dt.timedelta(days=45),
            skt_issuer="Wali Kota Pekalongan (Kesbangpol)",
            address="Jl. Jlamprang Gg. 3, Panjang Wetan, Pekalongan Utara 51141",
            office_status="menumpang",
            phone="0812-2800-1004",
            focus_fields="pengolahan ikan, pengasapan, bintek kelurahan",
        )
        # Boards in office today (relative to the day the demo loads), so the dashboards show living posts.
        self._board(wartek, self._years_ago(1), positions=["ketua", "sekretaris", "bendahara", "anggota"])
        out = {"mitra-pantura": mitra, "wartek-panjang-wetan": wartek}
        names = {
            "33.75.01": "Posyantek Batik Mandiri",
            "33.75.02": "Posyantek Karya Timur",
            "33.75.04": "Posyantek Selatan Maju",
        }
        for i, (code, name) in enumerate(names.items()):
            post = self._post(
                name.lower().replace(" ", "-"),
                name=name,
                kind="antar_desa",
                region=Region.objects.get(code=code),
                sk_number=f"188.45/{120 + i}/2015",
                sk_date=dt.date(2015, 5, 4),
                sk_issuer="Wali Kota Pekalongan",
                skt_number=f"220/{60 + i}/Kesbangpol/2022",
                skt_date=dt.date(2022, 1, 3),
                skt_valid_until=dt.date(2027, 1, 3) if i != 2 else dt.date(2025, 1, 3),
                office_status="pinjam",
                phone=f"0285-42{i}555",
                focus_fields="batik, kerajinan" if i == 0 else "pangan olahan",
            )
            # One post's board has run out, one holds a civil servant: the rules show as warnings.
            start = dt.date(2021, 2, 1) if i == 1 else dt.date(2024, 2, 1)
            self._board(post, start, flag="pns" if i == 2 else None)
            out[post.slug] = post
        return out

    # -- DKI Jakarta -----------------------------------------------------------------------

    def _jakarta(self) -> dict[str, Post]:
        out = {}
        kecamatan = list(Region.objects.filter(code__startswith="31.", level=3).order_by("code"))
        if len(kecamatan) != 44:
            raise CommandError(f"Expected 44 kecamatan in DKI Jakarta, found {len(kecamatan)}.")
        for i, kec in enumerate(kecamatan):
            post = self._post(
                f"posyantek-{kec.code.replace('.', '-')}",
                name=f"Posyantek Kecamatan {kec.name}",
                kind="antar_desa",
                region=kec,
                sk_number=f"{100 + i}/2021",
                sk_date=dt.date(2021, 11, 1),
                sk_issuer="Wali Kota Administrasi",
                skt_number=f"DKI/{300 + i}/2022" if i % 3 else "",
                skt_date=dt.date(2022, 3, 1) if i % 3 else None,
                skt_valid_until=dt.date(2027, 3, 1) if i % 3 else None,
                status="aktif" if i % 7 else "tidak_aktif",
                focus_fields=self.rng.choice(["daur ulang", "hidroponik", "pangan olahan", "perbengkelan"]),
            )
            if i % 4 != 3:
                self._board(
                    post,
                    self._years_ago(2) + dt.timedelta(days=30 * (i % 12)),
                    positions=["pembina", *CORE] if i % 5 else ["pembina", "ketua", "sekretaris"],
                )
            out[post.slug] = post
            if i % 5 == 0:
                village = Region.objects.filter(parent=kec).order_by("code").first()
                kel = self._post(
                    f"posyantek-{village.code.replace('.', '-')}",
                    name=f"Posyantek Kelurahan {village.name}",
                    kind="desa",
                    region=village,
                    parent=post,
                    sk_number=f"KEL/{i}/2022",
                    sk_issuer="Lurah " + village.name,
                    focus_fields="hidroponik, daur ulang",
                )
                self._board(kel, self._years_ago(1), positions=CORE)
                out[kel.slug] = kel
        return out

    def _users(self) -> None:
        for email, name, role, scope in DEMO_USERS[1:]:
            user = self._user(email, name)
            if role is None:
                continue
            if scope and scope.startswith("post:"):
                Grant.objects.get_or_create(user=user, role=role, post=Post.objects.get(slug=scope[5:]))
            else:
                Grant.objects.get_or_create(user=user, role=role, region_id=scope)
