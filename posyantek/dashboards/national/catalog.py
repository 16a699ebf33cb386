"""Innovators with their needs, TTG records and where they were adopted, for the national data set.

TTG records are variations of the demo records (`catalog.demo_ttg`), as bench/search_data.py makes them: the name
given a type, capacity or village, price, readiness, stage and publication drawn, in a village its post serves.
Their search rows are made only with `--search-terms` (the app's own `catalog.search.rebuild`; slow).
"""

from __future__ import annotations

import functools
import time
from decimal import Decimal
from typing import Any

from posyantek.dashboards.national.context import Context
from posyantek.dashboards.national.places import person_name
from posyantek.dashboards.national.rows import CHUNK, Buffer, drop_indexes

TTGS_N = 1_000_000
INNOVATORS = 120_000
ADOPTIONS = 300_000
CODES = ["MP", "ST", "PK", "SR", "AG", "TG", "KB", "JT", "NT", "BL"]
CAPACITIES = [5, 10, 20, 25, 50, 100, 200]
#: stage → (readiness, weight): most records are ideas or prototypes, fewer reach production or the market.
STAGES = [("ide", "prototipe", 14), ("dikurasi", "prototipe", 12), ("prototipe", "prototipe", 18),
          ("uji_coba", "uji_coba", 14), ("terdokumentasi", "uji_coba", 12), ("hki_diajukan", "uji_coba", 6),
          ("hki_terbit", "uji_coba", 4), ("diproduksi", "diproduksi", 12), ("dipasarkan", "dipasarkan", 8)]  # fmt: skip
NEED_KINDS = ["alat", "tempat", "bahan", "modal", "pendampingan", "sertifikasi", "pasar"]
SECTORS = ["pertanian", "peternakan", "perikanan", "kehutanan", "pangan", "kerajinan", "energi", "air", "lingkungan",
           "kesehatan", "infrastruktur", "transportasi"]  # fmt: skip


def make_innovators(ctx: Context) -> None:
    """Innovators (half persons, half groups) found by the posts, with one to three needs each."""
    from posyantek.catalog.models import Innovator, Need
    from posyantek.people.models import Person

    rng = ctx.rng("innovators")
    people, innovators, needs = ctx.table(Person), ctx.table(Innovator), ctx.table(Need)
    make_person = people.maker("id", "region_id", "created", "updated", "name", "sex", "occupation", "post_id")
    make_inn = innovators.maker("id", "region_id", "created", "updated", "kind", "person_id", "group_name",
                                "post_id", "sector", "skills")  # fmt: skip
    make_need = needs.maker("id", "innovator_id", "kind", "description", "status", "helper", "created", "updated")
    person_id, inn_id, need_id = people.next_id(), innovators.next_id(), needs.next_id()
    p_buf, i_buf, n_buf = Buffer(people), Buffer(innovators), Buffer(needs)
    total = ctx.n(INNOVATORS)
    bar = ctx.bar("innovators", total)
    for _ in range(total):
        post = ctx.pick_post(rng)
        village = rng.choice(post.villages)
        found = ctx.dt(ctx.at(ctx.day(rng), rng))
        sector = rng.choice(SECTORS)
        if rng.random() < 0.5:
            p_buf.add(make_person(person_id, village, found, found, person_name(rng, person_id), rng.choice("LP"),
                                  "Perajin", post.id))  # fmt: skip
            i_buf.add(make_inn(inn_id, village, found, found, "perorangan", person_id, "", post.id, sector,
                               "Perbengkelan"))  # fmt: skip
            person_id += 1
        else:
            i_buf.add(make_inn(inn_id, village, found, found, "kelompok", None, f"Kelompok Inovasi {inn_id}",
                               post.id, sector, "Pengolahan hasil"))  # fmt: skip
        for _k in range(rng.choice((1, 1, 2, 2, 3))):
            status = rng.choices(["teridentifikasi", "dibantu", "terpenuhi"], [45, 25, 30])[0]
            n_buf.add(make_need(need_id, inn_id, rng.choice(NEED_KINDS), "Butuh dukungan untuk produksi", status,
                                "Dinas PMD" if status != "teridentifikasi" else "", found, found))  # fmt: skip
            need_id += 1
        inn_id += 1
        bar.update()
    for buf in (p_buf, i_buf, n_buf):
        buf.flush()
        buf.table.sync_sequence()
    ctx.counts.update(innovators=i_buf.written, needs=n_buf.written)
    ctx.timings["innovators_s"] = bar.close()


def make_ttg(ctx: Context) -> None:
    """TTG records over the posts (busy posts more), then where some were adopted."""
    from posyantek.catalog.demo_ttg import EXTRA, TTGS
    from posyantek.catalog.models import Adoption, Ttg

    rng = ctx.rng("ttg")
    table = ctx.table(Ttg)
    fields = table.fields

    @functools.cache
    def prototype(t: int) -> list[Any]:
        data = {k: v for k, v in TTGS[t].items() if k not in EXTRA}
        if data.get("capacity") is not None:
            data["capacity"] = Decimal(str(data["capacity"]))
        obj = Ttg(**data)
        return [f.get_db_prep_save(getattr(obj, f.attname), ctx.connection) for f in fields]

    at = table.at
    varying = [at[n] for n in ("id", "name", "slug", "post_id", "region_id", "price", "readiness", "stage",
                               "publication", "published_at", "created", "updated", "year_made")]  # fmt: skip
    stage_values = [s for s, _r, _w in STAGES]
    readiness_of = {s: r for s, r, _w in STAGES}
    weights = [w for _s, _r, w in STAGES]
    total = ctx.n(TTGS_N)
    ttg_id = first_id = table.next_id()
    buf = Buffer(table)
    index_sql = drop_indexes(ctx.connection, [table.table])
    bar = ctx.bar("TTG", total)
    for n in range(total):
        t = rng.randrange(len(TTGS))
        spec = TTGS[t]
        post = ctx.pick_post(rng)
        village = rng.choice(post.villages)
        r = rng.random()
        name = spec["name"]
        if r < 0.3:
            name = f"{name} Tipe {rng.choice(CODES)}-{rng.randint(1, 99)}"
        elif r < 0.55:
            name = f"{name} Kapasitas {rng.choice(CAPACITIES)} kg"
        created = ctx.at(ctx.day(rng), rng)
        stage = rng.choices(stage_values, weights)[0]
        published = rng.random() < 0.7
        price = spec.get("price")
        row = prototype(t).copy()
        for i, v in zip(varying, (
            ttg_id, name[:200], f"ttg-n{ttg_id}", post.id, village,
            int(price * rng.uniform(0.6, 1.6)) // 1000 * 1000 if price else None, readiness_of[stage], stage,
            "terbit" if published else rng.choice(("draf", "diajukan")), ctx.dt(created) if published else None,
            ctx.dt(created), ctx.dt(created), created.year), strict=True):  # fmt: skip
            row[i] = v
        buf.add(row)
        ttg_id += 1
        if n % CHUNK == CHUNK - 1:
            bar.update(CHUNK)
    buf.flush()
    bar.update(total % CHUNK)
    with ctx.connection.cursor() as cursor:
        for sql in index_sql:
            cursor.execute(sql)
    table.sync_sequence()
    ctx.timings["ttg_s"] = bar.close()

    adoptions = ctx.table(Adoption)
    make = adoptions.maker("id", "ttg_id", "region_id", "applied_on", "units", "users", "result")
    a_buf = Buffer(adoptions)
    adoption_id = adoptions.next_id()
    villages = [v for p in ctx.posts for v in p.villages[:3]]
    n_adopt = ctx.n(ADOPTIONS)
    for _ in range(n_adopt):
        day = ctx.day(rng)
        a_buf.add(make(adoption_id, first_id + rng.randrange(total), rng.choice(villages), ctx.d(day),
                       rng.choice((1, 1, 1, 2, 3, 5, 10)), "Kelompok tani setempat", "Produksi naik"))  # fmt: skip
        adoption_id += 1
    a_buf.flush()
    adoptions.sync_sequence()
    ctx.counts.update(ttg=total, adoptions=a_buf.written)


def make_search_terms(ctx: Context) -> None:
    """The catalogue's search rows for every record, by the app's own code (slow: hours at full scale)."""
    from posyantek.catalog import search

    start = time.perf_counter()
    ctx.counts["search_terms"] = search.rebuild()
    ctx.timings["search_terms_s"] = round(time.perf_counter() - start, 1)
