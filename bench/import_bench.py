"""Benchmark: a 10,000-row TTG register from XLSX, dry run and real import, each within 60 s (issue 3).

Run from the repository root: `uv run --frozen python bench/import_bench.py [rows]`. It uses a throwaway SQLite
database in a temporary folder (or the database in BENCH_DATABASE_URL, e.g. a PostgreSQL test database).
"""

from __future__ import annotations

import io
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
TMP = Path(tempfile.mkdtemp(prefix="posyantek-import-bench-"))
os.environ.update(
    DJANGO_SETTINGS_MODULE="config.settings",
    SECRET_KEY="bench-only-not-secret",
    VAR_DIR=str(TMP),
    DATABASE_URL=os.environ.get("BENCH_DATABASE_URL", f"sqlite:///{TMP / 'bench.sqlite3'}"),
)
LIMIT_S = 60.0
HEADERS = ["Nama TTG", "Pos pembina", "Bidang", "Aspek", "Jenis", "Komoditas", "Masalah yang dijawab", "Fungsi",
           "Manfaat", "Cara kerja", "Harga (Rp)", "Kapasitas", "Satuan kapasitas", "Daya listrik (watt)", "TRL",
           "Tahun dibuat", "Kesiapan", "Status HKI", "Produsen", "Kontak produsen"]  # fmt: skip


def register(rows: int) -> bytes:
    """Return an XLSX register of `rows` technologies, as a post would fill the template."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(HEADERS)
    for i in range(rows):
        price = f"Rp {2_500_000 + i:,}".replace(",", ".")
        ws.append([f"Alat pengering ikan nomor {i}", "Posyantek Mitra Pantura", "Perikanan dan kelautan", "pangan",
                   "Alat/mesin", "ikan, udang", "Ikan asin lama kering saat musim hujan", "Mengeringkan ikan",
                   "Lebih cepat, lebih bersih", "Udara panas dari kolektor surya", price, 50.5, "kg/hari", 40, 6,
                   2021, "Prototipe", "Belum ada", "Bengkel Slamet", "0812-2800-1004"])  # fmt: skip
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def main() -> int:
    """Set up a post and its manager, then time the dry run and the real import."""
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from posyantek.accounts.models import Grant, User
    from posyantek.catalog.importers import ttg_import
    from posyantek.catalog.models import Ttg
    from posyantek.core.sheets import read_sheet
    from posyantek.posts.models import Post
    from posyantek.regions.models import Region

    for code, name, level, kind, parent in (("33", "Jawa Tengah", 1, "provinsi", None),
                                            ("33.75", "Kota Pekalongan", 2, "kota", "33"),
                                            ("33.75.03", "Pekalongan Utara", 3, "kecamatan", "33.75")):  # fmt: skip
        Region.objects.get_or_create(code=code, defaults={"name": name, "level": level, "kind": kind,
                                                          "parent_id": parent})  # fmt: skip
    post, _ = Post.objects.get_or_create(slug="mitra-pantura", defaults={"name": "Posyantek Mitra Pantura",
                                         "kind": "antar_desa", "region_id": "33.75.03"})  # fmt: skip
    user = User.objects.create_user(email=f"bench{time.time_ns()}@example.id", password="bench-pw-123456")
    Grant.objects.create(user=user, role="post_manager", post=post)
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    content = register(rows)
    sheet = read_sheet(content, "register.xlsx")
    before = Ttg.objects.count()
    start = time.perf_counter()
    checked = ttg_import(actor=user, sheet=sheet, dry_run=True)
    dry = time.perf_counter() - start
    assert checked.ok, checked.error_rows[:3]
    assert Ttg.objects.count() == before, "the dry run wrote rows"
    start = time.perf_counter()
    done = ttg_import(actor=user, sheet=sheet, dry_run=False)
    real = time.perf_counter() - start
    assert Ttg.objects.count() == before + rows, "not every row was imported"
    engine = django.db.connection.vendor
    print(f"TTG register import, {rows:,} rows, {len(content) / 1024 / 1024:.1f} MB XLSX, {engine}:")
    print(f"  dry run     {dry:6.1f} s   {'PASS' if dry <= LIMIT_S else 'FAIL'} (limit {LIMIT_S:.0f} s)")
    print(f"  real import {real:6.1f} s   {'PASS' if real <= LIMIT_S else 'FAIL'} (limit {LIMIT_S:.0f} s)")
    from bench.results import row, write_rows

    timed = (("dry run", dry), ("real import", real))
    rows_out = [row(f"TTG register import, {rows:,} rows ({engine}), {what}", f"≤ {LIMIT_S:.0f} s", f"{t:.1f} s", "",
                    t <= LIMIT_S) for what, t in timed]  # fmt: skip
    write_rows("import", rows_out)
    return 0 if dry <= LIMIT_S and real <= LIMIT_S and not done.dry_run else 1


if __name__ == "__main__":
    sys.exit(main())
