"""Service requests, Bintek with participants, partners and agreements, and visits of the national data set."""

from __future__ import annotations

import datetime as dt

from posyantek.dashboards.national.context import Context
from posyantek.dashboards.national.places import person_name
from posyantek.dashboards.national.rows import CHUNK, Buffer, drop_indexes

REQUESTS = 2_000_000
BINTEK = 200_000
PARTNERS = 40_000
AGREEMENTS = 50_000
VISITS = 80_000
ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
#: Requests' states: most old ones done; open ones recent.
STATES = [("diterima", 4), ("ditelaah", 5), ("asesmen_lapangan", 3), ("rekomendasi", 4), ("dirujuk", 3),
          ("pengembangan", 2), ("penerapan", 3), ("pemantauan", 4), ("selesai", 55), ("ditutup_tanpa_solusi", 11),
          ("dibatalkan", 6)]  # fmt: skip
FINAL = {"selesai", "ditutup_tanpa_solusi", "dibatalkan"}
CHANNELS = ["online", "datang_langsung", "telepon", "whatsapp"]
SECTORS = ["pertanian", "peternakan", "perikanan", "kehutanan", "pangan", "kerajinan", "energi", "air", "lingkungan",
           "kesehatan", "infrastruktur", "transportasi"]  # fmt: skip
SERVICES = ["teknis", "informasi", "promosi", "konsultasi", "pelatihan", "pemetaan", "fasilitasi", "kemitraan"]
COMMODITIES = ["ikan asin", "singkong", "batik", "padi", "sayuran", "bandeng", "tahu", "kelapa", "kopi", "jagung"]
TOPICS = ["Pengolahan ikan asin higienis", "Perawatan mesin perontok padi", "Pembuatan pakan ikan mandiri",
          "Pengemasan produk olahan", "Energi surya untuk usaha mikro", "Pengolahan kopi pascapanen",
          "Pembuatan briket arang", "Pemasaran daring produk TTG"]  # fmt: skip
PARTNER_KINDS = ["perguruan_tinggi", "smk", "lembaga_riset", "pemerintah", "perusahaan", "bumdes", "asosiasi", "lsm"]


def _code(i: int) -> str:
    """A unique 10-character tracking code for request `i` (an invertible scramble, in base 32)."""
    n = (i * 0x9E3779B97F4A7) % (32**10)
    return "".join(ALPHABET[(n >> (5 * k)) & 31] for k in range(10))


def make_requests(ctx: Context) -> None:
    from posyantek.consultations.models import ServiceRequest

    rng = ctx.rng("requests")
    table = ctx.table(ServiceRequest)
    make = table.maker(
        "id", "region_id", "created", "updated", "code", "received_at", "channel", "post_id", "requester_name",
        "phone", "description", "sector", "commodity", "service_type", "section", "state", "state_since", "due_at",
        "result", "closed_at")  # fmt: skip
    states, weights = zip(*STATES, strict=True)
    total = ctx.n(REQUESTS)
    req_id = table.next_id()
    buf = Buffer(table)
    index_sql = drop_indexes(ctx.connection, [table.table])
    bar = ctx.bar("service requests", total)
    now = ctx.now
    span = (ctx.today - ctx.first_day).days * 86400
    for n in range(total):
        post = ctx.pick_post(rng)
        state = rng.choices(states, weights)[0]
        final = state in FINAL
        age = span if final else 150 * 86400
        received = now - dt.timedelta(seconds=rng.randrange(age))
        if final:
            closed = min(now, received + dt.timedelta(days=rng.choice((1, 3, 5, 7, 10, 14, 21, 30, 45, 60, 90)),
                                                      hours=rng.randrange(8)))  # fmt: skip
            since, due = closed, None
        else:
            closed = None
            since = received + (now - received) * rng.random() * 0.5
            due = now + dt.timedelta(days=-rng.randint(1, 60) if rng.random() < 0.15 else rng.randint(1, 30))
        commodity = rng.choice(COMMODITIES)
        i = req_id + n
        buf.add(make(
            i, rng.choice(post.villages), ctx.dt(received), ctx.dt(since), _code(i), ctx.dt(received),
            rng.choice(CHANNELS), post.id, f"Pemohon {i}", f"62812{i % 10**8:08d}",
            f"Butuh alat untuk mengolah {commodity} agar lebih cepat dan hemat", rng.choice(SECTORS), commodity,
            rng.choice(SERVICES), "seksi_pelayanan", state, ctx.dt(since), ctx.dt(due) if due else None,
            "Masalah terpecahkan dengan alat yang direkomendasikan" if state == "selesai" else "",
            ctx.dt(closed) if closed else None))  # fmt: skip
        if n % CHUNK == CHUNK - 1:
            bar.update(CHUNK)
    buf.flush()
    bar.update(total % CHUNK)
    with ctx.connection.cursor() as cursor:
        for sql in index_sql:
            cursor.execute(sql)
    table.sync_sequence()
    ctx.counts["service_requests"] = total
    ctx.timings["requests_s"] = bar.close()


def make_bintek(ctx: Context) -> None:
    """Bintek over three years (past ones held and reported, a few planned ahead), with 5–25 participants each."""
    from posyantek.trainings.models import Bintek, Participant

    rng = ctx.rng("bintek")
    bintek_t, part_t = ctx.table(Bintek), ctx.table(Participant)
    make_b = bintek_t.maker("id", "region_id", "created", "updated", "title", "post_id", "topic", "target_group",
                            "venue", "starts_on", "ends_on", "budget", "funding_source", "state", "public_token",
                            "report_text")  # fmt: skip
    make_p = part_t.maker("id", "bintek_id", "number", "name", "sex", "group", "address", "created", "updated")
    b_id, p_id = bintek_t.next_id(), part_t.next_id()
    b_buf, p_buf = Buffer(bintek_t), Buffer(part_t)
    index_sql = drop_indexes(ctx.connection, [part_t.table])
    total = ctx.n(BINTEK)
    bar = ctx.bar("Bintek", total)
    stamp = ctx.dt(ctx.now)
    for _ in range(total):
        post = ctx.pick_post(rng)
        start = ctx.day(rng, end=ctx.today + dt.timedelta(days=60))
        end = start + dt.timedelta(days=rng.choice((0, 0, 1, 2)))
        past = end < ctx.today
        state = rng.choices(["dilaksanakan", "laporan", "tindak_lanjut", "dievaluasi"], [15, 30, 25, 30])[0] if (
            past) else rng.choice(["direncanakan", "undangan"])  # fmt: skip
        topic = rng.choice(TOPICS)
        b_buf.add(make_b(b_id, post.region, stamp, stamp, f"Bintek {topic}", post.id, topic, "Kelompok usaha",
                         f"Balai Desa {post.villages[0]}", ctx.d(start), ctx.d(end), rng.randint(2, 40) * 500_000,
                         rng.choice(["apbd_kabkota", "apbdes", "csr", "swadaya"]), state, f"nat{b_id:021d}",
                         "Kegiatan berjalan lancar" if past else ""))  # fmt: skip
        if past:
            female = rng.uniform(0.25, 0.65)
            for k in range(1, rng.randint(5, 25) + 1):
                sex = "P" if rng.random() < female else "L"
                p_buf.add(make_p(p_id, b_id, k, person_name(rng, p_id), sex, "umum", "Desa setempat", stamp, stamp))
                p_id += 1
        b_id += 1
        bar.update()
    b_buf.flush()
    p_buf.flush()
    with ctx.connection.cursor() as cursor:
        for sql in index_sql:
            cursor.execute(sql)
    bintek_t.sync_sequence()
    part_t.sync_sequence()
    ctx.counts.update(bintek=b_buf.written, participants=p_buf.written)
    ctx.timings["bintek_s"] = bar.close()


def make_partnerships(ctx: Context) -> None:
    """Partners of the posts and agreements with them: some running, some ended, some still being explored."""
    from posyantek.partnerships.models import Agreement, Partner

    rng = ctx.rng("partnerships")
    partners_t, agreements_t = ctx.table(Partner), ctx.table(Agreement)
    make_partner = partners_t.maker("id", "region_id", "created", "updated", "post_id", "name", "kind", "address")
    make_agr = agreements_t.maker("id", "region_id", "created", "updated", "post_id", "number", "title", "doc_kind",
                                  "state", "signed_on", "starts_on", "ends_on", "scope", "value")  # fmt: skip
    partner_id, agr_id = partners_t.next_id(), agreements_t.next_id()
    pa_buf, ag_buf = Buffer(partners_t), Buffer(agreements_t)
    stamp = ctx.dt(ctx.now)
    total = ctx.n(PARTNERS)
    for _ in range(total):
        post = ctx.pick_post(rng)
        kind = rng.choice(PARTNER_KINDS)
        pa_buf.add(make_partner(partner_id, post.region, stamp, stamp, post.id, f"Mitra {partner_id}", kind,
                                "Alamat mitra"))  # fmt: skip
        partner_id += 1
    pa_buf.flush()
    partners_t.sync_sequence()
    for _ in range(ctx.n(AGREEMENTS)):
        post = ctx.pick_post(rng)
        state = rng.choices(["penjajakan", "draf", "ditandatangani", "berjalan", "dievaluasi", "berakhir",
                             "diperpanjang"], [8, 7, 10, 40, 10, 20, 5])[0]  # fmt: skip
        signed = state not in ("penjajakan", "draf")
        start = ctx.day(rng) if signed else None
        end = start + dt.timedelta(days=rng.choice((365, 730, 1095))) if start else None
        ag_buf.add(make_agr(agr_id, post.region, stamp, stamp, post.id, f"PKS/{agr_id}/N", "Kerja sama TTG",
                            rng.choice(["mou", "pks"]), state, ctx.d(start) if start else None,
                            ctx.d(start) if start else None, ctx.d(end) if end else None, "Pelatihan dan produksi",
                            rng.randint(0, 50) * 1_000_000))  # fmt: skip
        agr_id += 1
    ag_buf.flush()
    agreements_t.sync_sequence()
    ctx.counts.update(partners=pa_buf.written, agreements=ag_buf.written)


def make_visits(ctx: Context) -> None:
    """Visits both ways: a post visiting another is written at both (made by one, hosted by the other)."""
    from posyantek.visits.models import Visit

    rng = ctx.rng("visits")
    table = ctx.table(Visit)
    make = table.maker("id", "region_id", "created", "updated", "post_id", "direction", "title", "institution",
                       "other_post_id", "leader", "visitors", "purpose_text", "starts_on", "ends_on", "state",
                       "guestbook_token")  # fmt: skip
    visit_id = table.next_id()
    buf = Buffer(table)
    stamp = ctx.dt(ctx.now)
    total = ctx.n(VISITS)
    while buf.written + len(buf.rows) < total:
        host = ctx.pick_post(rng)
        start = ctx.day(rng, end=ctx.today + dt.timedelta(days=30))
        end = start + dt.timedelta(days=rng.choice((0, 0, 1)))
        if end < ctx.today:
            state = rng.choices(["dilaksanakan", "ditindaklanjuti", "dibatalkan"], [60, 30, 10])[0]
        else:
            state = rng.choice(["diminta", "dijadwalkan"])
        visitors = rng.randint(2, 40)
        if len(ctx.posts) > 1 and rng.random() < 0.4:
            guest = ctx.pick_post(rng)
            while guest.id == host.id:
                guest = ctx.pick_post(rng)
            for post, other, direction in ((host, guest, "masuk"), (guest, host, "keluar")):
                buf.add(
                    make(
                        visit_id,
                        post.region,
                        stamp,
                        stamp,
                        post.id,
                        direction,
                        "Studi banding TTG",
                        f"Posyantek {other.region}",
                        other.id,
                        person_name(rng, visit_id),
                        visitors,
                        "Belajar pengelolaan pos",
                        ctx.d(start),
                        ctx.d(end),
                        state,
                        f"nat{visit_id:029d}",
                    )
                )
                visit_id += 1
        else:
            buf.add(make(visit_id, host.region, stamp, stamp, host.id, "masuk", "Kunjungan kerja",
                         rng.choice(["Dinas PMD Provinsi", "Universitas Negeri", "BRIN", "Kelompok Tani Maju"]), None,
                         person_name(rng, visit_id), visitors, "Melihat TTG unggulan", ctx.d(start), ctx.d(end),
                         state, f"nat{visit_id:029d}"))  # fmt: skip
            visit_id += 1
    buf.flush()
    table.sync_sequence()
    ctx.counts["visits"] = buf.written
