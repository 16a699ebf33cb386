"""Demo money: Mitra Pantura funded by the city APBD under the Pekalongan Perda, with a year of cash entries, a CSR
grant whose LPJ falls due soon, and assets; the other Pekalongan posts likewise; DKI posts on APBD without a Perda."""

from __future__ import annotations

import datetime as dt
import io
import random
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from posyantek.accounts.models import User
from posyantek.finance import budget_services, grant_services, services
from posyantek.finance.models import Account, Budget, CashAccount, Entry, MonthClose, Regulation
from posyantek.posts.models import Post

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _acc(code: str) -> Account:
    return Account.objects.get(post=None, code=code)


def _months(today: dt.date, n: int) -> list[dt.date]:
    """Return the first days of the last `n` months, oldest first, this month included."""
    out, m = [], today.replace(day=1)
    for _i in range(n):
        out.append(m)
        m = (m - dt.timedelta(days=1)).replace(day=1)
    return out[::-1]


def _receipt(n: int) -> SimpleUploadedFile:
    return SimpleUploadedFile(f"nota-{n}.pdf", PDF, content_type="application/pdf")


class _Book:
    """Post entries for one post with fixed defaults, skipping any the rules refuse (e.g. not enough cash yet)."""

    def __init__(self, actor: Any, post: Post, cash: CashAccount, today: dt.date) -> None:
        self.actor, self.post, self.cash, self.today = actor, post, cash, today

    def post_entry(
        self, day: dt.date, kind: str, source: str, code: str, amount: int, text: str, **extra: Any
    ) -> Entry | None:
        if day > self.today:
            return None
        data = {
            "post": self.post,
            "date": day,
            "kind": kind,
            "source": source,
            "account": _acc(code),
            "cash_account": extra.pop("cash", self.cash),
            "amount": amount,
            "description": text,
            **extra,
        }
        try:
            return services.entry_post(actor=self.actor, data=data, today=self.today)
        except ValidationError:
            return None


def _budget(actor: Any, approver: Any, post: Post, year: int, lines: list[tuple[Any, ...]]) -> Budget:
    budget = budget_services.budget_create(actor=actor, post=post, year=year, note="Disusun dalam musyawarah pengurus")
    for source, code, amount, activity, reg in lines:
        budget_services.budget_line_add(
            actor=actor,
            budget=budget,
            data={"source": source, "account": _acc(code), "amount": amount, "activity": activity, "regulation": reg},
        )
    return budget_services.budget_approve(actor=approver, budget=budget)


def _cash_box(admin: Any, post: Post) -> CashAccount:
    """Return the post's "Kas tunai", opened already when order payments reached its cash book first."""
    existing = CashAccount.objects.filter(post=post, name="Kas tunai").first()
    return existing or services.cash_account_create(actor=admin, post=post, data={"name": "Kas tunai"})


def _mitra(admin: Any, rng: random.Random, today: dt.date, perda: Regulation | None) -> None:
    post = Post.objects.filter(slug="mitra-pantura").first()
    if post is None:
        return
    manager = User.objects.filter(email="mitrapantura@demo.posyantek.id").first() or admin
    cash = _cash_box(admin, post)
    bank = services.cash_account_create(
        actor=admin,
        post=post,
        data={
            "name": "Bank Jateng 3-011-12345",
            "kind": "bank",
            "bank_name": "Bank Jateng",
            "account_number": "3-011-12345",
        },
    )
    months = _months(today, 12)
    for year in sorted({m.year for m in months}):
        _budget(
            admin,
            manager,
            post,
            year,
            [
                ("apbd_kabkota", "5.3", 60_000_000, "Bintek kelurahan (pengolahan ikan, batik)", perda),
                ("apbd_kabkota", "5.5", 25_000_000, "Bahan prototipe dan produksi TTG", perda),
                ("apbd_kabkota", "5.1", 24_000_000, "Operasional sekretariat", perda),
                ("apbd_kabkota", "5.7", 8_000_000, "Menerima dan melakukan studi banding", perda),
                ("csr", "5.6", 45_000_000, "Alat pengering ikan tenaga surya (CSR Bank Jateng)", None),
                ("pendapatan_pos", "5.4", 12_000_000, "Pameran dan promosi produk", None),
                ("pendapatan_pos", "5.5", 15_000_000, "Bahan produksi pesanan", None),
            ],
        )
    book = _Book(admin, post, bank, today)
    cash_book = _Book(admin, post, cash, today)
    for i, m in enumerate(months):
        if i % 3 == 0:  # the city transfers each quarter
            book.post_entry(
                m + dt.timedelta(days=4),
                "masuk",
                "apbd_kabkota",
                "4.3",
                29_000_000,
                f"Transfer APBD Kota Pekalongan triwulan {(m.month - 1) // 3 + 1}",
                counterparty="BPKAD Kota Pekalongan",
                reference=f"SP2D/{m:%m%y}/{rng.randint(100, 999)}",
            )
        book.post_entry(
            m + dt.timedelta(days=6),
            "keluar",
            "apbd_kabkota",
            "5.1",
            1_800_000 + rng.randint(0, 8) * 50_000,
            "Honor piket dan listrik sekretariat",
            counterparty="Pengurus",
            receipt=_receipt(m.month),
        )
        if i % 2 == 0:
            book.post_entry(
                m + dt.timedelta(days=12),
                "keluar",
                "apbd_kabkota",
                "5.3",
                4_500_000 + rng.randint(0, 10) * 100_000,
                "Bintek kelurahan: konsumsi, bahan, narasumber",
                activity="Bintek kelurahan",
                counterparty="Panitia Bintek",
                receipt=_receipt(100 + m.month),
            )
        book.post_entry(
            m + dt.timedelta(days=15),
            "keluar",
            "apbd_kabkota",
            "5.5",
            1_200_000 + rng.randint(0, 10) * 75_000,
            "Bahan prototipe (plat, pipa, las)",
            counterparty="Toko Besi Jaya",
        )
        for _k in range(rng.randint(1, 3)):  # sales of the workshop, in cash
            cash_book.post_entry(
                m + dt.timedelta(days=rng.randint(1, 26)),
                "masuk",
                "pendapatan_pos",
                "4.1",
                rng.choice([750_000, 1_250_000, 2_500_000, 4_800_000]),
                "Penjualan alat TTG",
                counterparty=rng.choice(["UD Sumber Laut", "KUB Mina Sejahtera", "Bu Casmirah"]),
            )
        if i % 4 == 1:
            cash_book.post_entry(
                m + dt.timedelta(days=20),
                "keluar",
                "pendapatan_pos",
                "5.4",
                1_500_000,
                "Sewa stan pameran PIK Kota Pekalongan",
                activity="Pameran PIK",
            )
    # A wrong entry, reversed by the treasurer.
    wrong = book.post_entry(
        months[-3] + dt.timedelta(days=16),
        "keluar",
        "apbd_kabkota",
        "5.5",
        3_150_000,
        "Bahan prototipe (salah ketik jumlah)",
        counterparty="Toko Besi Jaya",
    )
    if wrong is not None:
        services.entry_reverse(
            actor=admin,
            entry=wrong,
            reason="Salah ketik jumlah; dicatat ulang",
            today=today,
            date=min(today, wrong.date + dt.timedelta(days=2)),
        )
        book.post_entry(
            min(today, wrong.date + dt.timedelta(days=2)),
            "keluar",
            "apbd_kabkota",
            "5.5",
            1_350_000,
            "Bahan prototipe (plat, pipa, las)",
            counterparty="Toko Besi Jaya",
        )
    # The CSR grant: disbursed, spent on three dryers with receipts; its LPJ is due in three weeks.
    start = months[-5]
    grant = grant_services.grant_create(
        actor=admin,
        data={
            "post": post,
            "giver": "PT Bank Jateng (CSR)",
            "source": "csr",
            "amount": 45_000_000,
            "purpose": "Tiga unit alat pengering ikan tenaga surya untuk KUB pengolah ikan Panjang Wetan",
            "agreement_number": f"CSR/BJTG/{start.year}/041",
            "starts_on": start,
            "ends_on": start + dt.timedelta(days=150),
            "report_due": today + dt.timedelta(days=21),
        },
    )
    book.post_entry(
        start + dt.timedelta(days=3),
        "masuk",
        "csr",
        "4.4",
        45_000_000,
        "Pencairan hibah CSR Bank Jateng",
        grant=grant,
        counterparty="PT Bank Jateng",
        reference="NPHD-041",
    )
    dryers = book.post_entry(
        start + dt.timedelta(days=30),
        "keluar",
        "csr",
        "5.6",
        39_600_000,
        "Pembelian 3 unit alat pengering ikan tenaga surya",
        grant=grant,
        counterparty="CV Surya Teknik Semarang",
        receipt=_receipt(900),
    )
    book.post_entry(
        start + dt.timedelta(days=32),
        "keluar",
        "csr",
        "5.6",
        2_400_000,
        "Ongkos kirim dan pemasangan",
        grant=grant,
        counterparty="CV Surya Teknik Semarang",
        receipt=_receipt(901),
    )
    # Prize money from the provincial contest, in the bank.
    book.post_entry(
        months[-7] + dt.timedelta(days=9),
        "masuk",
        "hadiah",
        "4.6",
        30_000_000,
        "Uang pembinaan juara Lomba Posyantek Berprestasi tingkat provinsi",
        counterparty="DPMD Provinsi Jawa Tengah",
    )
    # Months closed up to two months ago.
    for m in months[:-2]:
        if not MonthClose.objects.filter(post=post, month__gte=m).exists():
            services.month_close(actor=manager, post=post, month=m, today=today)
    # Assets.
    press = Entry.objects.filter(post=post, kind="keluar", account__code="5.5", reverses__isnull=True).first()
    assets = [
        {
            "name": "Alat pengering ikan tenaga surya (3 unit)",
            "kind": "alat",
            "origin": "csr",
            "entry": dryers,
            "grant": grant,
            "value": None if dryers else 39_600_000,
            "acquired_on": start + dt.timedelta(days=30),
            "location": "Rumah produksi KUB Mina Sejahtera, Panjang Wetan",
            "lent_to": "KUB Mina Sejahtera",
        },
        {
            "name": "Mesin pres plat batik",
            "kind": "mesin",
            "origin": "beli",
            "entry": press,
            "grant": None,
            "value": None if press else 1_500_000,
            "acquired_on": press.date if press else months[0],
            "location": "Bengkel Mitra Pantura",
        },
        {
            "name": "Prototipe perahu fiber mini",
            "kind": "prototipe",
            "origin": "buat_sendiri",
            "entry": None,
            "grant": None,
            "value": 6_500_000,
            "acquired_on": dt.date(2023, 8, 17),
            "location": "Bengkel Mitra Pantura",
        },
        {
            "name": "Motor roda tiga pengangkut",
            "kind": "kendaraan",
            "origin": "hibah",
            "entry": None,
            "grant": grant,
            "value": 0,
            "acquired_on": start + dt.timedelta(days=35),
            "condition": "baik",
            "location": "Sekretariat",
            "note": "Pinjam pakai dari mitra CSR selama masa hibah",
        },
        {
            "name": "Gedung sekretariat dan bengkel",
            "kind": "bangunan",
            "origin": "hibah",
            "entry": None,
            "grant": None,
            "value": 350_000_000,
            "acquired_on": dt.date(2010, 5, 20),
            "location": "Jl. Jlamprang, Krapyak",
            "note": "Hibah Pemerintah Kota Pekalongan (sebelum pencatatan sistem)",
        },
    ]
    for data in assets:
        if data["origin"] in ("csr", "hibah") and data["grant"] is None and data["entry"] is None:
            data["origin"] = "beli" if data["kind"] != "bangunan" else "buat_sendiri"
        data.setdefault("condition", "baik")
        grant_services.asset_create(actor=admin, data={"post": post, **data}, today=today)


def _small_post(
    admin: Any,
    rng: random.Random,
    today: dt.date,
    post: Post,
    source: str,
    code: str,
    reg: Regulation | None,
    pagu: int,
) -> None:
    """A post with one cash box, an approved budget for this year and a few months of entries."""
    cash = _cash_box(admin, post)
    _budget(
        admin,
        admin,
        post,
        today.year,
        [
            (source, "5.1", pagu // 3, "Operasional sekretariat", reg),
            (source, "5.3", pagu - pagu // 3, "Bintek dan pelatihan warga", reg),
        ],
    )
    book = _Book(admin, post, cash, today)
    for m in _months(today, min(today.month, 6)):
        if m.month % 3 == 1 or m == today.replace(month=1, day=1):
            book.post_entry(m + dt.timedelta(days=5), "masuk", source, code, pagu // 4, "Transfer anggaran")
        spent = rng.randint(2, 9) * pagu // 80
        book.post_entry(
            m + dt.timedelta(days=14), "keluar", source, rng.choice(["5.1", "5.3"]), spent, "Kegiatan bulanan"
        )


def load_finance(admin: Any, rng: random.Random, today: dt.date) -> None:
    """Load the demo money (the caller loads it once): regulations, budgets, cash books, a grant, assets."""
    call_command("load_regulations", stdout=io.StringIO())
    perda = Regulation.objects.filter(kind="perda", number="11", year=2008, region_id="33.75").first()
    _mitra(admin, rng, today, perda)
    # The other posts of Kota Pekalongan: also APBD kota under the Perda.
    for post in Post.objects.filter(region__code__startswith="33.75").exclude(slug="mitra-pantura").order_by("pk"):
        _small_post(admin, rng, today, post, "apbd_kabkota", "4.3", perda, rng.choice([36, 48, 60]) * 1_000_000)
    # DKI Jakarta: the province's APBD through the kelurahan/kecamatan, with no Perda behind it.
    for post in Post.objects.filter(region__code__startswith="31").order_by("pk"):
        if post.status != Post.Status.AKTIF:
            continue
        _small_post(admin, rng, today, post, "apbd_provinsi", "4.3", None, rng.choice([12, 18, 24, 30]) * 1_000_000)
