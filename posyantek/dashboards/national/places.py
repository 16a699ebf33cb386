"""Posts of the national data set: one in every kecamatan and in a fifth of the villages, with their SK, SKT and
boards (some missing or expired, so that "active" is not every post), board officers, and the national admin."""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict

from django.utils.text import slugify

from posyantek.dashboards.national.context import Context, Post

VILLAGE_SHARE = 0.2
MEASURED = "33.75.03"  # Kecamatan Pekalongan Utara: Posyantek Mitra Pantura, the post the benches open
ADMIN_EMAIL = "admin@nasional.posyantek.id"
ADMIN_PASSWORD = "posyantek-nasional"  # noqa: S105 - a generated data set's bench login, printed by the command
FIRST = ["Agus", "Budi", "Sri", "Siti", "Dewi", "Eko", "Joko", "Wati", "Rina", "Hadi", "Nur", "Yanti", "Bambang",
         "Ratna", "Slamet", "Endang", "Rudi", "Lestari", "Teguh", "Ani"]  # fmt: skip
LAST = ["Santoso", "Wibowo", "Rahayu", "Lestari", "Saputra", "Hidayat", "Kusuma", "Pratama", "Susanti", "Nugroho",
        "Wijaya", "Setiawan", "Purnomo", "Handayani", "Siregar", "Nasution"]  # fmt: skip
SEATS = [("ketua", "L"), ("sekretaris", "P"), ("bendahara", "P")]


def person_name(rng: object, i: int) -> str:
    return f"{FIRST[i % len(FIRST)]} {LAST[(i // len(FIRST) + rng.randrange(len(LAST))) % len(LAST)]}"


def make_posts(ctx: Context) -> None:
    """Choose the kecamatan and villages, write the posts with their legal standing, boards and officers."""
    from posyantek.people.models import Person
    from posyantek.posts.models import BoardTerm, Officer
    from posyantek.posts.models import Post as PostModel
    from posyantek.regions.models import Region

    rng = ctx.rng("posts")
    names = dict(Region.objects.filter(level__in=(3, 4)).values_list("code", "name"))
    kecamatan = sorted(c for c in names if c.count(".") == 2)
    villages_of: dict[str, list[str]] = defaultdict(list)
    for code in sorted(c for c in names if c.count(".") == 3):
        villages_of[code.rsplit(".", 1)[0]].append(code)
    taken = set(PostModel.objects.values_list("kind", "region_id"))
    slugs = set(PostModel.objects.values_list("slug", flat=True))
    n_kec = min(len(kecamatan), ctx.n(len(kecamatan), minimum=3))  # a few posts even in a tiny run
    chosen = sorted(rng.sample(kecamatan, n_kec))
    if MEASURED in names and MEASURED not in chosen:
        chosen[rng.randrange(len(chosen))] = MEASURED
        chosen.sort()
    pool = [v for k in chosen for v in villages_of.get(k, [])]
    all_villages = sum(len(v) for v in villages_of.values())
    n_vil = min(len(pool), max(2, round(all_villages * VILLAGE_SHARE * ctx.scale)))
    village_posts = sorted(rng.sample(pool, n_vil))

    table = ctx.table(PostModel)
    make = table.maker("id", "region_id", "created", "updated", "name", "slug", "kind", "parent_id", "founded_on",
                       "status", "sk_number", "sk_date", "sk_issuer", "skt_number", "skt_date", "skt_valid_until",
                       "skt_issuer", "address", "office_status", "phone", "focus_fields")  # fmt: skip
    next_id = table.next_id()
    stamp = ctx.dt(ctx.now)
    today = ctx.today
    rows, posts, kec_post = [], [], {}
    specs = [(c, "antar_desa") for c in chosen] + [(v, "desa") for v in village_posts]
    for code, kind in specs:
        if (kind, code) in taken:
            continue
        district = code if kind == "antar_desa" else code.rsplit(".", 1)[0]
        place = names[code].title()
        name = "Posyantek Mitra Pantura" if code == MEASURED else f"Posyantek {place}"
        slug = slugify(name) if code == MEASURED else f"{slugify(name)[:120]}-{code.replace('.', '-')}"
        if slug in slugs:
            slug = f"{slug}-n{ctx.seed}"
        slugs.add(slug)
        pid = next_id
        next_id += 1
        if kind == "antar_desa":
            kec_post[code] = pid
        founded = dt.date(rng.randint(2005, today.year - 1), rng.randint(1, 12), rng.randint(1, 28))
        measured = code == MEASURED
        status = "aktif" if measured else rng.choices(["aktif", "tidak_aktif", "dibekukan"], [93, 5, 2])[0]
        has_sk = measured or rng.random() < 0.92
        has_skt = measured or rng.random() < 0.85
        sk_day = founded + dt.timedelta(days=rng.randrange(30, 200))
        skt_day = min(today, sk_day + dt.timedelta(days=rng.randrange(30, 2000)))
        valid_until = today + dt.timedelta(days=rng.randrange(60, 1500)) if measured or rng.random() < 0.8 else (
            today - dt.timedelta(days=rng.randrange(1, 900)))  # fmt: skip
        parent = kec_post.get(district) if kind == "desa" else None
        weight = math.exp(rng.gauss(0, 0.6)) * (3.0 if kind == "antar_desa" else 1.0) * (20 if measured else 1)
        rows.append(make(
            pid, code, stamp, stamp, name, slug, kind, parent, ctx.d(founded), status,
            f"188.4/{pid}/{founded.year}" if has_sk else "", ctx.d(sk_day) if has_sk else None,
            f"Bupati/Wali Kota ({district[:5]})" if has_sk else "",
            f"SKT-{pid:06d}" if has_skt else "", ctx.d(skt_day) if has_skt else None,
            ctx.d(valid_until) if has_skt else None, "Kesbangpol" if has_skt else "",
            f"Jl. Raya {place} No. {rng.randint(1, 200)}", rng.choice(["milik", "pinjam", "menumpang"]),
            f"0812{pid:08d}", "Pertanian, pangan, perikanan",
        ))  # fmt: skip
        villages = [code] if kind == "desa" else villages_of.get(code) or [code]
        posts.append(Post(pid, code, district, villages, weight, kind))
    bar = ctx.bar("posts", len(rows))
    for first in range(0, len(rows), 5000):
        table.write(rows[first : first + 5000])
        bar.update(len(rows[first : first + 5000]))
    table.sync_sequence()
    ctx.set_posts(posts)
    ctx.counts["posts"] = len(posts)
    ctx.timings["posts_s"] = bar.close()

    # Boards: most posts have one in office; some only an expired one; a few none. Three officers each.
    terms, people, officers = ctx.table(BoardTerm), ctx.table(Person), ctx.table(Officer)
    make_term = terms.maker("id", "post_id", "starts_on", "ends_on", "basis", "created", "updated")
    make_person = people.maker("id", "region_id", "created", "updated", "name", "sex", "phone", "post_id")
    make_officer = officers.maker("id", "term_id", "person_id", "position", "element", "order")
    term_id, person_id, officer_id = terms.next_id(), people.next_id(), officers.next_id()
    t_rows, p_rows, o_rows = [], [], []
    bar = ctx.bar("boards", len(posts))
    for post in posts:
        bar.update()
        r = rng.random()
        if post.region != MEASURED and r > 0.92:
            continue  # no board recorded
        current = post.region == MEASURED or r < 0.82
        start = today - dt.timedelta(days=rng.randrange(30, 1700) if current else rng.randrange(1900, 3000))
        end = start + dt.timedelta(days=5 * 365)
        if not current:
            end = min(end, today - dt.timedelta(days=rng.randrange(1, 200)))
        t_rows.append(make_term(term_id, post.id, ctx.d(start), ctx.d(end), f"SK Kepala Desa/Camat {term_id}",
                                stamp, stamp))  # fmt: skip
        for k, (position, sex) in enumerate(SEATS):
            p_rows.append(
                make_person(
                    person_id,
                    post.region if post.kind == "desa" else post.villages[0],
                    stamp,
                    stamp,
                    person_name(rng, person_id),
                    sex,
                    f"0813{person_id:08d}",
                    post.id,
                )
            )
            o_rows.append(make_officer(officer_id, term_id, person_id, position, "pemerintah" if k == 0 else "lain",
                                       k))  # fmt: skip
            person_id += 1
            officer_id += 1
        term_id += 1
    for table_, rows_ in ((people, p_rows), (terms, t_rows), (officers, o_rows)):
        for first in range(0, len(rows_), 10_000):
            table_.write(rows_[first : first + 10_000])
        table_.sync_sequence()
    ctx.counts["board_terms"] = len(t_rows)
    ctx.counts["officers"] = len(o_rows)
    ctx.timings["boards_s"] = bar.close()


def make_admin(email: str = ADMIN_EMAIL, password: str = ADMIN_PASSWORD) -> tuple[str, str]:
    """Create (or reset) the national admin the benches log in as; return its e-mail and password."""
    from posyantek.accounts.models import Grant, User

    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(email=email, password=password, full_name="Admin Nasional (data sintetis)")
    else:
        user.set_password(password)
        user.save(update_fields=["password"])
    if not Grant.objects.filter(user=user, role="national_admin").exists():
        Grant.objects.create(user=user, role="national_admin")
    return email, password
