"""The shared chart of accounts every post books on (a post may add its own accounts)."""

from django.db import migrations

ACCOUNTS = [
    ("4.1", "Penjualan produk dan jasa", "pendapatan"),
    ("4.2", "Jasa pelayanan, perbaikan dan pelatihan", "pendapatan"),
    ("4.3", "Transfer pemerintah (APBN/APBD/APB Desa)", "pendapatan"),
    ("4.4", "Hibah, bantuan dan CSR", "pendapatan"),
    ("4.5", "Swadaya dan iuran anggota", "pendapatan"),
    ("4.6", "Uang pembinaan dan hadiah lomba", "pendapatan"),
    ("4.9", "Pendapatan lain-lain", "pendapatan"),
    ("5.1", "Honorarium dan operasional sekretariat", "belanja"),
    ("5.2", "Alat tulis, cetak dan komunikasi", "belanja"),
    ("5.3", "Bintek dan pelatihan", "belanja"),
    ("5.4", "Pameran dan promosi", "belanja"),
    ("5.5", "Bahan dan produksi TTG", "belanja"),
    ("5.6", "Peralatan dan mesin (modal)", "belanja"),
    ("5.7", "Perjalanan dan studi banding", "belanja"),
    ("5.8", "Pemeliharaan", "belanja"),
    ("5.9", "Belanja lain-lain", "belanja"),
]


def add_accounts(apps, schema_editor):
    Account = apps.get_model("finance", "Account")
    for code, name, kind in ACCOUNTS:
        Account.objects.get_or_create(post=None, code=code, defaults={"name": name, "kind": kind})


class Migration(migrations.Migration):
    dependencies = [("finance", "0001_initial")]

    operations = [migrations.RunPython(add_accounts, migrations.RunPython.noop)]
