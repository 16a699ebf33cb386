"""Cash boxes, budgets and the cash book of the national data set, with the monthly sums (`finance.EntryMonth`).

Adapted from bench/finance_bench.py: each post gets a cash box and a bank account, an approved budget for each of
the three years (two funding sources, four spending accounts; the posts of one city in three under a Perda of their
city) and its share of the entries over the three years (0.2 % reversals of the entry before). The monthly sums are
made from the same rows, as `finance.services` keeps them, and written post by post.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from posyantek.dashboards.national.context import Context
from posyantek.dashboards.national.rows import Buffer, drop_indexes

ENTRIES = 10_000_000
SOURCES = ["apbd_kabkota", "apbdes", "apbd_provinsi", "csr", "swadaya", "apbn"]
SPENDING = ["5.1", "5.3", "5.5", "5.6"]
INCOME = {"apbd_kabkota": "4.3", "apbdes": "4.3", "apbd_provinsi": "4.3", "apbn": "4.3", "csr": "4.4",
          "swadaya": "4.5", "pendapatan_pos": "4.1"}  # fmt: skip


def make_finance(ctx: Context) -> None:  # noqa: PLR0915 - one pass over every post
    from posyantek.finance.models import Account, Budget, BudgetLine, CashAccount, Entry, EntryMonth, Regulation

    rng = ctx.rng("finance")
    accounts = {a.code: a.pk for a in Account.objects.filter(post=None)}
    stamp = ctx.dt(ctx.now)
    years = sorted({ctx.first_day.year + k for k in range(ctx.today.year - ctx.first_day.year + 1)})

    boxes_t, budgets_t, lines_t = ctx.table(CashAccount), ctx.table(Budget), ctx.table(BudgetLine)
    make_box = boxes_t.maker("id", "region_id", "created", "updated", "post_id", "name", "kind", "bank_name")
    make_budget = budgets_t.maker("id", "region_id", "created", "updated", "post_id", "year", "state", "approved_at")
    make_line = lines_t.maker("id", "budget_id", "source", "account_id", "activity", "regulation_id", "amount")
    box_id, budget_id, line_id = boxes_t.next_id(), budgets_t.next_id(), lines_t.next_id()
    perdas: dict[str, int] = {}
    for i, city in enumerate(sorted({p.district[:5] for p in ctx.posts})):
        if i % 3 == 0 or city == "33.75":
            perdas[city] = Regulation.objects.create(
                kind="perda", number=f"{100 + i}/N{ctx.seed}", year=2015, region_id=city,
                title=f"Peraturan Daerah tentang Posyantek ({city})",
            ).pk  # fmt: skip
    box_buf, budget_buf, line_buf = Buffer(boxes_t), Buffer(budgets_t), Buffer(lines_t)
    plan: dict[int, tuple[list[str], list[int]]] = {}
    for post in ctx.posts:
        first = "apbd_kabkota" if post.district[:5] in perdas else rng.choice(SOURCES)
        sources = [first, "pendapatan_pos"]
        boxes = []
        for name, kind in (("Kas tunai", "tunai"), ("Bank", "bank")):
            box_buf.add(make_box(box_id, post.region, stamp, stamp, post.id, name, kind, "Bank BRI" * (kind == "bank")))
            boxes.append(box_id)
            box_id += 1
        plan[post.id] = (sources, boxes)
        for year in years:
            budget_buf.add(make_budget(budget_id, post.region, stamp, stamp, post.id, year, "disetujui", stamp))
            reg = perdas.get(post.district[:5])
            for source in sources:
                for code in SPENDING:
                    line_buf.add(make_line(line_id, budget_id, source, accounts[code], "Kegiatan pos",
                                           reg if source != "pendapatan_pos" else None,
                                           rng.randint(5, 60) * 1_000_000))  # fmt: skip
                    line_id += 1
            budget_id += 1
    for buf in (box_buf, budget_buf, line_buf):
        buf.flush()
        buf.table.sync_sequence()

    entries_t, months_t = ctx.table(Entry), ctx.table(EntryMonth)
    make_entry = entries_t.maker(
        "id", "region_id", "created", "updated", "post_id", "date", "kind", "source", "account_id", "cash_account_id",
        "amount", "delta", "description", "reverses_id")  # fmt: skip
    make_month = months_t.maker("id", "post_id", "region_id", "month", "cash_account_id", "kind", "source",
                                "account_id", "total", "count")  # fmt: skip
    entry_id, month_id = entries_t.next_id(), months_t.next_id()
    e_buf, m_buf = Buffer(entries_t), Buffer(months_t)
    index_sql = drop_indexes(ctx.connection, [entries_t.table, months_t.table])
    total = ctx.n(ENTRIES)
    span = (ctx.today - ctx.first_day).days
    bar = ctx.bar("cash entries", total)
    day_cache = [ctx.first_day + dt.timedelta(days=d) for d in range(span + 1)]
    day_value = [ctx.d(d) for d in day_cache]
    month_value = {}
    for d in day_cache:
        month_value.setdefault(d.replace(day=1), ctx.d(d.replace(day=1)))
    income_acc = {s: accounts[c] for s, c in INCOME.items()}
    spend_acc = [accounts[c] for c in SPENDING]
    for post, n in zip(ctx.posts, ctx.shares(total), strict=True):
        sources, boxes = plan[post.id]
        sums: dict[tuple[object, ...], list[int]] = defaultdict(lambda: [0, 0])
        last_plain = None
        for d in sorted(rng.randrange(span + 1) for _ in range(n)):
            day = day_cache[d]
            if last_plain is not None and rng.random() < 0.002:
                orig_id, kind, source, account, box, amount, delta = last_plain
                delta, reverses, last_plain = -delta, orig_id, None
            else:
                kind = "masuk" if rng.random() < 0.15 else "keluar"
                source = sources[0] if rng.random() < 0.7 else sources[1]
                account = income_acc[source] if kind == "masuk" else spend_acc[rng.randrange(4)]
                box = boxes[0] if rng.random() < 0.85 else boxes[1]
                amount = rng.randint(1, 400) * (5_000 if kind == "keluar" else 25_000)
                delta = amount if kind == "masuk" else -amount
                reverses = None
                last_plain = (entry_id, kind, source, account, box, amount, delta)
            e_buf.add(make_entry(entry_id, post.region, stamp, stamp, post.id, day_value[d], kind, source, account,
                                 box, amount, delta, "Belanja kegiatan" if kind == "keluar" else "Penerimaan",
                                 reverses))  # fmt: skip
            s = sums[(day.replace(day=1), box, kind, source, account)]
            s[0] += -amount if reverses else amount
            s[1] += 1
            entry_id += 1
        for (month, box, kind, source, account), (amount_sum, count) in sorted(sums.items()):
            m_buf.add(make_month(month_id, post.id, post.region, month_value[month], box, kind, source, account,
                                 amount_sum, count))  # fmt: skip
            month_id += 1
        bar.update(n)
    e_buf.flush()
    m_buf.flush()
    with ctx.connection.cursor() as cursor:
        for sql in index_sql:
            cursor.execute(sql)
    entries_t.sync_sequence()
    months_t.sync_sequence()
    ctx.counts.update(cash_entries=e_buf.written, entry_months=m_buf.written, budgets=budget_buf.written)
    ctx.timings["finance_s"] = bar.close()
