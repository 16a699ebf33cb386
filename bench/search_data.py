"""Generate many published TTG records across the country, with their search rows, for bench/search_bench.py.

Records are variations of the 48 demo records (posyantek/catalog/demo_ttg.py): the name gets a type, capacity or
village; some optional texts are left out; price, readiness and IP status are drawn. Each lands in a random village
of a random kecamatan, whose post (one per kecamatan, made here) mentors it. Rows go in with raw inserts (COPY on
PostgreSQL) with the term index dropped meanwhile, but the terms are those of `search.document_terms`: the first
records are checked against it.
"""

from __future__ import annotations

import datetime as dt
import functools
import random
from collections import Counter
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

OPTIONAL = ["other_names", "benefits", "how_it_works", "target_users", "materials"]
CODES = ["MP", "ST", "PK", "SR", "AG", "TG", "KB", "JT", "NT", "BL"]
CAPACITIES = [5, 10, 20, 25, 50, 100, 200]
CHUNK = 20_000


def generate(n: int, rng: random.Random) -> None:
    from django.db import connection, transaction

    from posyantek.catalog import search
    from posyantek.catalog.demo_ttg import EXTRA, TTGS
    from posyantek.catalog.models import Ttg, TtgTermStat
    from posyantek.core.lib import textsearch
    from posyantek.posts.models import Post
    from posyantek.regions.models import Region

    villages: dict[str, list[tuple[str, str]]] = {}
    for code, name in Region.objects.filter(level=4).values_list("code", "name").iterator(chunk_size=10_000):
        villages.setdefault(code.rsplit(".", 1)[0], []).append((code, name))
    kecamatan = {c: name for c, name in Region.objects.filter(level=3).values_list("code", "name") if c in villages}
    Post.objects.bulk_create(
        [Post(name=f"Posyantek {name}", slug=f"bench-{code.replace('.', '-')}", kind="antar_desa", region_id=code)
         for code, name in kecamatan.items()], batch_size=2000)  # fmt: skip
    posts = {r: (pk, name) for pk, r, name in Post.objects.filter(slug__startswith="bench-").values_list(
        "pk", "region_id", "name")}  # fmt: skip
    kec_codes = sorted(posts)

    fields = [f for f in Ttg._meta.concrete_fields if f.attname != "id"]
    columns = [f.column for f in fields]
    at = {f.attname: i for i, f in enumerate(fields)}
    varying = ["name", "slug", "post_id", "region_id", "price", "readiness", "ip_status", "published_at", "created",
               "updated", "publication"]  # fmt: skip

    @functools.cache
    def prototype(t: int, mask: tuple[bool, ...]) -> tuple[list[Any], dict[str, float]]:
        spec = TTGS[t]
        data = {k: v for k, v in spec.items() if k not in EXTRA}
        if data.get("capacity") is not None:
            data["capacity"] = Decimal(str(data["capacity"]))
        for name, keep in zip(OPTIONAL, mask, strict=True):
            if not keep:
                data[name] = ""
        obj = Ttg(**data)
        row = [f.get_db_prep_save(getattr(obj, f.attname), connection) for f in fields]
        texts = [textsearch.index_terms(data.get(f, ""), w) for f, w in search.SEARCH_FIELDS.items() if f != "name"]
        texts += [textsearch.pair_terms(data.get(f, ""), w) for f, w in search.PAIR_FIELDS.items() if f != "name"]
        return row, textsearch.merge_terms(*texts)

    @functools.lru_cache(maxsize=200_000)
    def name_terms(name: str) -> dict[str, float]:
        return textsearch.merge_terms(textsearch.index_terms(name, search.SEARCH_FIELDS["name"]),
                                      textsearch.pair_terms(name, search.PAIR_FIELDS["name"]))  # fmt: skip

    @functools.lru_cache(maxsize=100_000)
    def place_terms(place: str) -> dict[str, float]:
        return textsearch.index_terms(place, 0.5)

    adapt = connection.ops.adapt_datetimefield_value
    start = dt.datetime(2015, 1, 1, tzinfo=dt.UTC)
    span = int((dt.datetime(2026, 11, 1, tzinfo=dt.UTC) - start).total_seconds())
    readiness = [c for c, _ in Ttg.Readiness.choices]
    ip = [c for c, _ in Ttg.IpStatus.choices]
    counts: Counter[str] = Counter()
    checked = []

    def record(i: int) -> tuple[list[Any], dict[str, float]]:
        t = rng.randrange(len(TTGS))
        spec = TTGS[t]
        mask = tuple(rng.random() < 0.75 for _ in OPTIONAL)
        proto, base_terms = prototype(t, mask)
        kec = rng.choice(kec_codes)
        village, village_name = rng.choice(villages[kec])
        post_id, post_name = posts[kec]
        r = rng.random()
        name = spec["name"]
        if r < 0.25:
            name = f"{name} Tipe {rng.choice(CODES)}-{rng.randint(1, 99)}"
        elif r < 0.5:
            name = f"{name} Kapasitas {rng.choice(CAPACITIES)} kg"
        elif r < 0.7:
            name = f"{name} {village_name.title()}"
        when = adapt(start + dt.timedelta(seconds=rng.randrange(span)))
        price = spec.get("price")
        price = int(price * rng.uniform(0.6, 1.6)) // 1000 * 1000 if price else None
        values = {"name": name[:200], "slug": f"ttg-{i}", "post_id": post_id, "region_id": village, "price": price,
                  "readiness": rng.choice(readiness), "ip_status": rng.choice(ip), "published_at": when,
                  "created": when, "updated": when, "publication": "terbit"}  # fmt: skip
        row = list(proto)
        for key in varying:
            row[at[key]] = values[key]
        terms = dict(base_terms)
        for part in (name_terms(name), place_terms(f"{village_name} {post_name}")):
            for term, weight in part.items():
                terms[term] = terms.get(term, 0.0) + weight
        terms = {term[: search.TERM_LENGTH]: weight for term, weight in terms.items()}
        for facet, prefix in search.FACETS.items():
            terms[prefix + str(values.get(facet) or spec[facet])] = 0.0
        for term in search.region_terms(village):
            terms[term] = 0.0
        if i <= 20:
            checked.append((i, spec, values, village_name, post_name, mask, terms))
        return row, terms

    pg = connection.vendor == "postgresql"
    if not pg:
        # One big write: no write-ahead log to fill and copy back (the app's own setting is restored after).
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode = OFF")
            cursor.execute("PRAGMA synchronous = OFF")
    with transaction.atomic():
        index_sql = drop_term_indexes(connection)
        with connection.cursor() as cursor:
            if pg:
                cursor.execute("SET LOCAL session_replication_role = replica")  # no FK triggers during the load
            else:
                cursor.execute("PRAGMA cache_size = -1000000")
        raw = connection.connection
        for first in range(1, n + 1, CHUNK):
            ttg_rows, term_rows = [], []
            for i in range(first, min(n, first + CHUNK - 1) + 1):
                row, terms = record(i)
                ttg_rows.append([i, *row])
                counts.update(terms.keys())
                term_rows.extend((i, term, weight) for term, weight in terms.items())
            insert(raw, pg, "catalog_ttg", ["id", *columns], ttg_rows)
            insert(raw, pg, "catalog_ttgterm", ["ttg_id", "term", "weight"], term_rows)
        with connection.cursor() as cursor:
            for sql in index_sql:
                cursor.execute(sql)
        TtgTermStat.objects.bulk_create([TtgTermStat(term=t, df=c) for t, c in counts.items()], batch_size=5000)
        if pg:
            with connection.cursor() as cursor:
                cursor.execute("SELECT setval(pg_get_serial_sequence('catalog_ttg', 'id'), %s)", [n])
    verify(checked)
    with connection.cursor() as cursor:
        if pg:
            cursor.execute("VACUUM ANALYZE")
        else:
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = NORMAL")
            cursor.execute("PRAGMA analysis_limit = 2000")
            cursor.execute("ANALYZE")


def drop_term_indexes(connection: Any) -> list[str]:
    """Drop the term table's secondary indexes (rebuilt after the load, which is much faster); return their SQL."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'catalog_ttgterm' AND indexname NOT IN "
                "(SELECT conname FROM pg_constraint WHERE conrelid = 'catalog_ttgterm'::regclass)"
            )
        else:
            cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'catalog_ttgterm' "
                "AND sql IS NOT NULL AND sql NOT LIKE 'CREATE UNIQUE%'"
            )
        found = cursor.fetchall()
        for name, _ in found:
            cursor.execute(f'DROP INDEX "{name}"')
    return [sql for _, sql in found]


def insert(raw: Any, pg: bool, table: str, columns: list[str], rows: list[Any]) -> None:
    names = ", ".join(f'"{c}"' for c in columns)
    if pg:
        with raw.cursor() as cursor, cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
    else:
        marks = ", ".join("?" for _ in columns)
        raw.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)  # noqa: S608 - our own names


def verify(checked: list[tuple]) -> None:
    """The generated terms must be those the app indexes for the same record."""
    from posyantek.catalog import search
    from posyantek.catalog.demo_ttg import EXTRA

    for i, spec, values, village_name, post_name, mask, terms in checked:
        data = {k: v for k, v in spec.items() if k not in EXTRA}
        for name, keep in zip(OPTIONAL, mask, strict=True):
            if not keep:
                data[name] = ""
        data.update(name=values["name"], readiness=values["readiness"], ip_status=values["ip_status"])
        data.setdefault("other_names", "")
        ttg = SimpleNamespace(**{f: data.get(f, "") for f in search.SEARCH_FIELDS}, sector=data["sector"],
                              aspect=data["aspect"], readiness=data["readiness"], ip_status=data["ip_status"],
                              region_id=values["region_id"], region=SimpleNamespace(name=village_name),
                              post=SimpleNamespace(name=post_name))  # fmt: skip
        assert search.document_terms(ttg) == terms, f"record {i}: generated terms differ from the app's"
