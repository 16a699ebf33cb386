"""Shared fixtures: a small region tree, a few posts and the personas every access test uses.

Personas (after healthchecks' owner/member/outsider):
- officer: DPMD officer of Kota Pekalongan (city_officer on 33.75)
- manager: manager of Posyantek Mitra Pantura (post_manager)
- staff: data-entry staff of Wartek Panjang Wetan (post_staff)
- viewer: viewer on Kota Pekalongan (read only)
- outsider: DKI Jakarta province officer (sees nothing in Jawa Tengah)
"""

from __future__ import annotations

import datetime as dt
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
