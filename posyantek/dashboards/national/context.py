"""What every part of the national generator shares: the seed's random streams, the scale, the day the data ends,
the posts made and how busy each is."""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
import random
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from posyantek.dashboards.national.rows import Progress, Table

JAKARTA = ZoneInfo("Asia/Jakarta")
YEARS = 3  # the data spans the three years up to `today`


@dataclass
class Post:
    id: int
    region: str  # where it sits (kecamatan or village code)
    district: str  # its kecamatan
    villages: list[str]  # villages it serves (its own, or its kecamatan's)
    weight: float  # how busy it is, relative
    kind: str


@dataclass
class Context:
    seed: int
    scale: float
    today: dt.date
    connection: Any
    progress: bool = True
    posts: list[Post] = field(default_factory=list)
    cum: list[float] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)
    tables: dict[Any, Table] = field(default_factory=dict)

    pg: bool = False
    tty: bool | None = None  # None: a bar redrawn on one line when stderr is a terminal

    def __post_init__(self) -> None:
        # Read once: `django.db.connection` is a proxy, and each attribute read through it costs a lookup.
        self.pg = self.connection.vendor == "postgresql"
        ops = self.connection.ops
        self._adapt_d, self._adapt_dt = ops.adapt_datefield_value, ops.adapt_datetimefield_value

    @property
    def first_day(self) -> dt.date:
        return self.today - dt.timedelta(days=YEARS * 365)

    @property
    def now(self) -> dt.datetime:
        """The moment the data was 'written' (noon of `today` in Jakarta): no wall clock, so runs repeat."""
        return dt.datetime.combine(self.today, dt.time(12), tzinfo=JAKARTA)

    def rng(self, name: str) -> random.Random:
        """An independent random stream per part, so a part's data does not depend on the others' draws."""
        return random.Random(f"{self.seed}:{name}")  # noqa: S311 - synthetic data, not secrets

    def n(self, full: int, minimum: int = 1) -> int:
        return max(minimum, round(full * self.scale))

    def table(self, model: Any) -> Table:
        if model not in self.tables:
            self.tables[model] = Table(model, self.connection)
        return self.tables[model]

    def bar(self, label: str, total: int) -> Progress:
        bar = Progress(label, total, enabled=self.progress)
        if self.tty is not None:
            bar.tty = bar.tty and self.tty
        return bar

    def set_posts(self, posts: list[Post]) -> None:
        self.posts = posts
        self.cum = list(itertools.accumulate(p.weight for p in posts))

    def pick_post(self, rng: random.Random) -> Post:
        return self.posts[bisect.bisect_right(self.cum, rng.random() * self.cum[-1])]

    def shares(self, total: int) -> list[int]:
        """Split `total` over the posts by weight (largest remainders; the sum is exactly `total`)."""
        weight = self.cum[-1]
        raw = [total * p.weight / weight for p in self.posts]
        out = [int(x) for x in raw]
        rest = total - sum(out)
        for i in sorted(range(len(raw)), key=lambda i: (out[i] - raw[i], i))[:rest]:
            out[i] += 1
        return out

    # --- values as the database takes them -------------------------------------------------------------------

    def d(self, day: dt.date) -> Any:
        return day if self.pg else self._adapt_d(day)

    def dt(self, moment: dt.datetime) -> Any:
        return moment if self.pg else self._adapt_dt(moment)

    def at(self, day: dt.date, rng: random.Random) -> dt.datetime:
        """A moment in office hours of `day`, Jakarta time."""
        return dt.datetime.combine(day, dt.time(rng.randrange(7, 17), rng.randrange(60)), tzinfo=JAKARTA)

    def day(self, rng: random.Random, start: dt.date | None = None, end: dt.date | None = None) -> dt.date:
        start = start or self.first_day
        end = end or self.today
        return start + dt.timedelta(days=rng.randrange((end - start).days + 1))


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)
