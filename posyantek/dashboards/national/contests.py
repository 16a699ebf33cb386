"""Contests of the national data set: a Posyantek Berprestasi edition in every province last year, with entries
from its posts and published results, and the national edition the provincial winners went on to."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from posyantek.dashboards.national.context import Context

AWARDS = ["Juara I", "Juara II", "Juara III"]


def make_contests(ctx: Context) -> None:
    from posyantek.contests.models import Edition, Entry, Prize, Result, Rubric

    rng = ctx.rng("contests")
    year = ctx.today.year - 1
    now = ctx.now
    rubric = Rubric.objects.create(
        family=f"nasional-{ctx.seed}-{ctx.today:%Y%m%d}", name="Rubrik Posyantek Berprestasi",
        category="posyantek_berprestasi", year=year, is_template=True,
    )  # fmt: skip
    by_province: dict[str, list] = {}
    for post in ctx.posts:
        if post.kind == "antar_desa":
            by_province.setdefault(post.region[:2], []).append(post)

    def edition(level: str, region: str | None, label: str) -> Edition:
        ed = Edition.objects.create(
            name=f"Lomba Posyantek Berprestasi {label} {year}", category="posyantek_berprestasi", year=year,
            level=level, region_id=region, organiser=f"Dinas PMD {label}", rubric=rubric, state="selesai",
            period_start=dt.date(year, 3, 1), period_end=dt.date(year, 10, 31), plenary_date=dt.date(year, 10, 20),
            decree_number=f"400/{rng.randint(100, 999)}/{year}", decree_date=dt.date(year, 10, 25),
            computed_at=now - dt.timedelta(days=400), published_at=now - dt.timedelta(days=390),
        )  # fmt: skip
        Prize.objects.bulk_create([Prize(edition=ed, rank=r, title=AWARDS[r - 1], amount=(4 - r) * 10_000_000)
                                   for r in (1, 2, 3)])  # fmt: skip
        return ed

    def results(ed: Edition, entries: list[Entry]) -> list[Entry]:
        scored = sorted(entries, key=lambda e: -e._score)
        Result.objects.bulk_create([
            Result(edition=ed, entry=e, final_score=Decimal(f"{e._score:.2f}"), rank=r,
                   award=AWARDS[r - 1] if r <= 3 else "", forwarded=r == 1)
            for r, e in enumerate(scored, 1)])  # fmt: skip
        for r, e in enumerate(scored, 1):
            e.state = "juara" if r <= 3 else "tidak_juara"
        Entry.objects.bulk_update(scored, ["state"])
        return scored

    winners = []
    n_entries = 0
    for province in sorted(by_province):
        posts = by_province[province]
        ed = edition("provinsi", province, f"Provinsi {province}")
        chosen = rng.sample(posts, min(len(posts), rng.randint(8, 25)))
        made = Entry.objects.bulk_create([
            Entry(edition=ed, post_id=p.id, region_id=p.region, title=f"Posyantek {p.region}", state="terdaftar",
                  submitted_at=now - dt.timedelta(days=500), admin_passed=True) for p in chosen])  # fmt: skip
        for e in made:
            e._score = rng.uniform(55, 95)
        n_entries += len(made)
        winners.append(results(ed, made)[0])
    national = edition("nasional", None, "Nasional")
    made = Entry.objects.bulk_create([
        Entry(edition=national, post_id=w.post_id, region_id=w.region_id, title=w.title, state="terdaftar",
              forwarded_from=w, submitted_at=now - dt.timedelta(days=420), admin_passed=True)
        for w in winners])  # fmt: skip
    for e in made:
        e._score = rng.uniform(65, 98)
    results(national, made)
    ctx.counts.update(contest_editions=len(winners) + 1, contest_entries=n_entries + len(made))
