"""People ticking one post's checklist at the same moment: every tick lands once and the done count stays right.

Twelve threads, each with its own database connection, tick the twelve steps of one post together while four more
try to tick a step twice. On PostgreSQL they use the test database (the row lock serialises them); on SQLite the
suite's database is in memory, so the race runs on a file copy of it, opened as the app opens its SQLite file
(WAL, busy_timeout, BEGIN IMMEDIATE), as posyantek/orders/tests/test_sales_race.py does.
"""

from __future__ import annotations

import sqlite3
import tempfile
import threading
from collections import Counter
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.utils import timezone

from posyantek.accounts.models import User
from posyantek.replication import adoption_services
from posyantek.replication.models import AdoptionPost, KitItem
from posyantek.replication.tests.conftest import make_kit


def _in_thread(fn: Any, db_name: str | None) -> Any:
    conn = connections["default"]
    if db_name:
        conn.settings_dict = {**conn.settings_dict, "NAME": db_name}
    try:
        return fn()
    finally:
        conn.close()


def _race(ap_id: int, item_ids: list[int], user_id: int, db_name: str | None) -> list[str]:
    barrier = threading.Barrier(len(item_ids))
    outcomes: list[str] = []
    lock = threading.Lock()

    def ticker(item_id: int) -> None:
        def attempt() -> str:
            user = User.objects.get(pk=user_id)
            ap = AdoptionPost.objects.select_related("adoption", "post").get(pk=ap_id)
            step = KitItem.objects.get(pk=item_id)
            barrier.wait(timeout=30)
            try:
                adoption_services.tick(actor=user, adoption_post=ap, item=step, done_on=timezone.localdate(),
                                       evidence_note="Bukti uji")  # fmt: skip
            except ValidationError as exc:
                return "refused:" + ",".join(exc.message_dict)
            except Exception as exc:  # noqa: BLE001 - the test reports any other error as a failure
                return f"{type(exc).__name__}: {exc}"
            return "ok"

        result = _in_thread(attempt, db_name)
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=ticker, args=(i,)) for i in item_ids]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return outcomes


def _read(db_name: str | None, ap_id: int) -> tuple[int, int]:
    box: list[tuple[int, int]] = []

    def read() -> None:
        ap = AdoptionPost.objects.get(pk=ap_id)
        box.append((ap.done_count, ap.ticks.count()))

    t = threading.Thread(target=_in_thread, args=(read, db_name))
    t.start()
    t.join(30)
    return box[0]


def test_ticks_at_the_same_moment_keep_the_count_right(
    transactional_db: Any, manager: Any, outsider: Any, posts: dict[str, Any], regions: dict[str, Any]
) -> None:
    kit = make_kit(manager, posts["mitra"])
    adoption = adoption_services.adoption_create(actor=outsider, data={"kit": kit, "region": regions["31"],
                                                                       "started_on": timezone.localdate()})  # fmt: skip
    ap = adoption.posts.get()
    steps = list(kit.items.order_by("order").values_list("pk", flat=True))
    contenders = steps + steps[:4]  # four steps ticked twice at once
    db_name, tmp = None, None
    if connection.vendor == "sqlite":
        tmp = tempfile.TemporaryDirectory(prefix="posyantek-ticks-")
        db_name = str(Path(tmp.name) / "ticks.sqlite3")
        connection.ensure_connection()
        with sqlite3.connect(db_name) as copy:
            connection.connection.backup(copy)
    try:
        outcomes = _race(ap.pk, contenders, outsider.pk, db_name)
        done, ticks = _read(db_name, ap.pk)
    finally:
        if tmp is not None:
            tmp.cleanup()
    assert Counter(outcomes) == {"ok": 12, "refused:item": 4}, Counter(outcomes)
    assert (done, ticks) == (12, 12)
