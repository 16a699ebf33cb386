"""Shared fixtures: a small region tree, a few posts and the personas every access test uses; `demo_data`, the
whole demo loaded once per session (see its docstring before writing a test on the full demo).

Personas (after healthchecks' owner/member/outsider):
- officer: DPMD officer of Kota Pekalongan (city_officer on 33.75)
- manager: manager of Posyantek Mitra Pantura (post_manager)
- staff: data-entry staff of Wartek Panjang Wetan (post_staff)
- viewer: viewer on Kota Pekalongan (read only)
- outsider: DKI Jakarta province officer (sees nothing in Jawa Tengah)
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client

from posyantek.accounts.models import Grant, User
from posyantek.posts.models import BoardTerm, Officer, Post
from posyantek.regions.models import Region

PASSWORD = "rahasia-uji-123"

TREE = [
    ("33", "Jawa Tengah", 1, "provinsi", None, ""),
    ("33.75", "Kota Pekalongan", 2, "kota", "33", ""),
    ("33.75.01", "Pekalongan Barat", 3, "kecamatan", "33.75", ""),
    ("33.75.01.1001", "Pasirsari", 4, "kelurahan", "33.75.01", "51116"),
    ("33.75.03", "Pekalongan Utara", 3, "kecamatan", "33.75", ""),
    ("33.75.03.1002", "Krapyak", 4, "kelurahan", "33.75.03", "51147"),
    ("33.75.03.1004", "Panjang Wetan", 4, "kelurahan", "33.75.03", "51141"),
    ("31", "DKI Jakarta", 1, "provinsi", None, ""),
    ("31.71", "Kota Administrasi Jakarta Pusat", 2, "kota", "31", ""),
    ("31.71.01", "Gambir", 3, "kecamatan", "31.71", ""),
    ("31.71.01.1001", "Gambir", 4, "kelurahan", "31.71.01", "10110"),
]


@pytest.fixture
def regions(db: Any) -> dict[str, Region]:
    """Create the small region tree and return it by code."""
    out = {}
    for code, name, level, kind, parent, postal in TREE:
        out[code] = Region.objects.create(
            code=code, name=name, level=level, kind=kind, parent_id=parent, postal_code=postal
        )
    return out


@pytest.fixture
def posts(regions: dict[str, Region]) -> dict[str, Post]:
    """Create Mitra Pantura, its Wartek in Panjang Wetan, and a post in DKI Jakarta."""
    mitra = Post.objects.create(
        name="Posyantek Mitra Pantura", slug="mitra-pantura", kind="antar_desa", region=regions["33.75.03"],
        phone="0285-421234", skt_valid_until=dt.date(2030, 1, 1),
    )  # fmt: skip
    wartek = Post.objects.create(
        name="Wartek Panjang Wetan", slug="wartek-panjang-wetan", kind="wartek", region=regions["33.75.03.1004"],
        parent=mitra,
    )  # fmt: skip
    dki = Post.objects.create(name="Posyantek Gambir", slug="gambir", kind="antar_desa", region=regions["31.71.01"])
    return {"mitra": mitra, "wartek": wartek, "dki": dki}


def make_user(email: str, *grants: tuple[str, Any]) -> User:
    user = User.objects.create_user(email=email, password=PASSWORD, full_name=email.split("@")[0].title())
    for role, scope in grants:
        if isinstance(scope, Post):
            Grant.objects.create(user=user, role=role, post=scope)
        elif scope is None:
            Grant.objects.create(user=user, role=role)
        else:
            Grant.objects.create(user=user, role=role, region_id=scope)
    return user


@pytest.fixture
def officer(posts: dict[str, Post]) -> User:
    return make_user("officer@example.id", ("city_officer", "33.75"))


@pytest.fixture
def manager(posts: dict[str, Post]) -> User:
    return make_user("manager@example.id", ("post_manager", posts["mitra"]))


@pytest.fixture
def staff(posts: dict[str, Post]) -> User:
    return make_user("staff@example.id", ("post_staff", posts["wartek"]))


@pytest.fixture
def viewer(posts: dict[str, Post]) -> User:
    return make_user("viewer@example.id", ("viewer", "33.75"))


@pytest.fixture
def outsider(posts: dict[str, Post]) -> User:
    return make_user("outsider@example.id", ("province_officer", "31"))


@pytest.fixture
def admin(posts: dict[str, Post]) -> User:
    return make_user("admin@example.id", ("national_admin", None))


def login(user: User) -> Client:
    """Return a client logged in as `user`."""
    client = Client()
    client.force_login(user, backend="posyantek.accounts.backends.CachedModelBackend")
    return client


def add_board(post: Post, *, start: dt.date, years: int = 3, positions: list[str] | None = None) -> BoardTerm:
    """Give `post` a board term with one person in each position."""
    from posyantek.people.models import Person

    end = start.replace(year=start.year + years) - dt.timedelta(days=1)
    term = BoardTerm.objects.create(post=post, starts_on=start, ends_on=end, basis="SK uji")
    for i, pos in enumerate(positions or list(Officer.CORE_POSITIONS)):
        person = Person.objects.create(name=f"Orang {pos}", region=post.region, post=post)
        Officer.objects.create(term=term, person=person, position=pos, order=i)
    return term


# -- The whole demo, loaded once per session -----------------------------------------------------------------------


@dataclass(frozen=True)
class DemoData:
    """What `demo_data` gives a test: load_demo's output and the day it loaded the demo for."""

    output: str
    today: dt.date


class _DemoTransaction:
    """The outer transaction that holds the demo: opened before the first demo test, rolled back after the last."""

    def __init__(self) -> None:
        self.atomic: Any = None
        self.blocker: Any = None
        self.data: DemoData | None = None

    @property
    def is_open(self) -> bool:
        return self.atomic is not None

    def open(self, blocker: Any) -> None:
        from django.core.management import call_command
        from django.db import transaction
        from django.utils import timezone

        self.blocker = blocker
        with blocker.unblock():
            atomic = transaction.atomic()
            # Like a TestCase's own atomic (which load_demo ran inside before): durable blocks may nest in it.
            atomic._from_testcase = True
            atomic.__enter__()
            self.atomic = atomic
            try:
                out = io.StringIO()
                call_command("load_demo", stdout=out)
                self.data = DemoData(output=out.getvalue(), today=timezone.localdate())
            except BaseException:
                self.close()
                raise

    def close(self) -> None:
        if self.atomic is None:
            return
        from django.db import transaction

        atomic, self.atomic, self.data = self.atomic, None, None
        with self.blocker.unblock():
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


_DEMO = _DemoTransaction()


def _uses_demo(item: pytest.Item | None) -> bool:
    return item is not None and "demo_data" in getattr(item, "fixturenames", ())


@pytest.fixture(scope="session")
def _demo_transaction(django_db_setup: Any, django_db_blocker: Any) -> Iterator[_DemoTransaction]:
    _DEMO.open(django_db_blocker)
    yield _DEMO
    _DEMO.close()  # normally already rolled back by pytest_runtest_teardown below


@pytest.fixture
def demo_data(_demo_transaction: _DemoTransaction, db: Any) -> DemoData:
    """The whole demo (`manage.py load_demo`: every region, Mitra Pantura, DKI Jakarta...), loaded ONCE per session.

    Usage: ask for `demo_data` instead of calling `call_command("load_demo")`, then read the demo as usual:

        def test_something_on_the_demo(demo_data) -> None:
            mitra = Post.objects.get(slug="mitra-pantura")
            manager = User.objects.get(email="mitrapantura@demo.posyantek.id")

    Do not also ask for `regions`, `posts` or the personas (they would clash with the demo's rows); do not load
    the demo again. The test may write: its changes are rolled back after it as usual, so the next demo test sees
    the demo exactly as loaded. `demo_data.today` is the day the demo was loaded for (`timezone.localdate()`),
    `demo_data.output` what load_demo printed.

    How: the first demo test opens an outer transaction and loads the demo in it; every demo test then runs in its
    own savepoint inside it (the plain `db` fixture); after the last demo test the outer transaction is rolled back,
    so the other tests still start on an empty database. `pytest_collection_modifyitems` below runs the demo tests
    together, first. A demo test can therefore not be transactional (`transactional_db`, `live_server`, browser
    tests, `django_db(transaction=True)`): collection fails with a message if one is.
    """
    from django.db import connection

    if not _demo_transaction.is_open or _demo_transaction.data is None:
        raise RuntimeError("demo_data: the demo's transaction is closed; the demo tests must run together")
    # The test's own transaction must sit inside the demo's (as a savepoint) so its writes are rolled back alone.
    blocks = connection.atomic_blocks
    if len(blocks) < 2 or blocks[0] is not _demo_transaction.atomic:
        raise RuntimeError("demo_data: the test's transaction is not nested in the demo's")
    return _demo_transaction.data


def _transactional(item: pytest.Item) -> bool:
    names = getattr(item, "fixturenames", ())
    marker = item.get_closest_marker("django_db")
    return (
        "transactional_db" in names
        or "live_server" in names
        or "django_db_reset_sequences" in names
        or bool(marker and (marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences")))
    )


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Run the tests that use `demo_data` together, before the others (after pytest-django's own ordering)."""
    demo = [item for item in items if _uses_demo(item)]
    if not demo:
        return
    wrong = [item.nodeid for item in demo if _transactional(item)]
    if wrong:
        raise pytest.UsageError(f"demo_data cannot be used by transactional or live-server tests: {wrong}")
    items[:] = demo + [item for item in items if not _uses_demo(item)]


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> Iterator[None]:
    """Roll the demo back once the last demo test (and its own transaction) has been torn down."""
    try:
        return (yield)
    finally:
        if _DEMO.is_open and not _uses_demo(nextitem):
            _DEMO.close()
