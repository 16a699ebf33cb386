# The sales analysis (sales part of issue 5): count each order once in the monthly rollup, and let a post's year be
# read from two covering indexes (which replace the plain (post, month) index).

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("orders", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="salesmonth",
            name="orders_once",
            field=models.PositiveIntegerField(default=0, verbose_name="pesanan (dihitung sekali)"),
        ),
        migrations.RemoveIndex(
            model_name="salesmonth",
            name="orders_salesmonth_post",
        ),
        migrations.AddIndex(
            model_name="salesmonth",
            index=models.Index(
                fields=[
                    "post",
                    "month",
                    "buyer_province_code",
                    "out_of_region",
                    "out_of_province",
                    "channel",
                    "orders_once",
                    "quantity",
                    "amount",
                ],
                name="orders_salesmonth_groups",
            ),
        ),
        migrations.AddIndex(
            model_name="salesmonth",
            index=models.Index(
                fields=["post", "month", "product", "product_name", "orders", "quantity", "amount"],
                name="orders_salesmonth_products",
            ),
        ),
    ]
