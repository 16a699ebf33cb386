"""Raw bulk writing for the national data set (and the benchmarks): rows built from a model's `_meta`, written in
chunks with COPY (PostgreSQL, psycopg 3) or executemany (SQLite), secondary indexes dropped meanwhile.

Django's field defaults are not database defaults, so a raw insert must name every column: `Table` reads the
columns and their defaults from the model, and refuses a row shape that leaves a NOT NULL column without a value
(so a new field on a model fails loudly here instead of in the middle of a load).
"""

from __future__ import annotations

import enum
import sys
import time
from typing import Any

from django.db.models import NOT_PROVIDED

CHUNK = 20_000


class Table:
    """A model's table: its columns in order and a template row of the field defaults."""

    def __init__(self, model: Any, connection: Any) -> None:
        self.model = model
        self.connection = connection
        self.table = model._meta.db_table
        self.fields = list(model._meta.concrete_fields)
        self.columns = [f.column for f in self.fields]
        self.at = {f.attname: i for i, f in enumerate(self.fields)}
        self.template: list[Any] = []
        self.required: set[str] = set()
        for f in self.fields:
            default = f.get_default()
            if isinstance(default, enum.Enum):
                default = default.value
            has_default = f.default is not NOT_PROVIDED or f.get_internal_type() in _BLANKABLE
            if not f.null and f.attname != "id" and (default is None or not has_default):
                self.required.add(f.attname)
                self.template.append(None)
            else:
                self.template.append(f.get_db_prep_save(default, connection) if default is not None else None)

    def maker(self, *names: str) -> Any:
        """Return `make(*values) -> row` for rows giving `names` (every required column must be among them)."""
        missing = self.required - set(names)
        if missing:
            raise KeyError(f"{self.table}: no value for NOT NULL column(s) {', '.join(sorted(missing))}")
        unknown = set(names) - set(self.at)
        if unknown:
            raise KeyError(f"{self.table}: no column(s) {', '.join(sorted(unknown))}")
        # A function that lists its arguments and the defaults in column order, compiled once: building millions
        # of rows by copying a template and assigning by index costs three times as much.
        given = {name: f"v{i}" for i, name in enumerate(names)}
        items = [given.get(f.attname, f"d[{i}]") for i, f in enumerate(self.fields)]
        source = f"def make({', '.join(given.values())}):\n    return [{', '.join(items)}]\n"
        scope: dict[str, Any] = {"d": list(self.template)}
        exec(source, scope)  # noqa: S102 - built from our own column positions, no outside text
        return scope["make"]

    def write(self, rows: list[list[Any]]) -> None:
        """Write rows (already in column order) with COPY or executemany."""
        if not rows:
            return
        raw = self.connection.connection
        names = ", ".join(f'"{c}"' for c in self.columns)
        if self.connection.vendor == "postgresql":
            with raw.cursor() as cursor, cursor.copy(f'COPY "{self.table}" ({names}) FROM STDIN') as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join("?" for _ in self.columns)
            raw.executemany(f'INSERT INTO "{self.table}" ({names}) VALUES ({marks})', rows)  # noqa: S608 - our names

    def next_id(self) -> int:
        """The first free id (rows are written with explicit ids, after any already there)."""
        with self.connection.cursor() as cursor:
            cursor.execute(f'SELECT COALESCE(MAX(id), 0) FROM "{self.table}"')  # noqa: S608 - our own name
            return cursor.fetchone()[0] + 1

    def sync_sequence(self) -> None:
        """Move PostgreSQL's id sequence past the rows written (SQLite needs nothing)."""
        if self.connection.vendor != "postgresql":
            return
        with self.connection.cursor() as cursor:
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence(%s, 'id'), GREATEST(COALESCE(MAX(id), 0), 1)) "  # noqa: S608
                f'FROM "{self.table}"',
                [self.table],
            )


#: Field types whose "no default" is an empty string rather than NULL (Django's Field.get_default).
_BLANKABLE = {"CharField", "TextField", "SlugField", "FileField", "ImageField", "EmailField", "URLField"}


class Buffer:
    """Rows of one table collected and written every CHUNK rows (so a process never holds millions)."""

    def __init__(self, table: Table, chunk: int = CHUNK) -> None:
        self.table, self.chunk, self.rows, self.written = table, chunk, [], 0

    def add(self, row: list[Any]) -> None:
        self.rows.append(row)
        if len(self.rows) >= self.chunk:
            self.flush()

    def flush(self) -> None:
        self.table.write(self.rows)
        self.written += len(self.rows)
        self.rows = []


def drop_indexes(connection: Any, tables: list[str]) -> list[str]:
    """Drop the tables' non-unique secondary indexes (rebuilt after the load, much faster); return their SQL."""
    out = []
    with connection.cursor() as cursor:
        for table in tables:
            if connection.vendor == "postgresql":
                cursor.execute(
                    "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s AND indexname NOT IN "
                    "(SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass)",
                    [table, table],
                )
            else:
                cursor.execute(
                    "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s "
                    "AND sql IS NOT NULL AND sql NOT LIKE 'CREATE UNIQUE%%'",
                    [table],
                )
            found = cursor.fetchall()
            for name, _ in found:
                cursor.execute(f'DROP INDEX "{name}"')
            out += [sql for _, sql in found]
    return out


def insert(raw: Any, pg: bool, rows_of: Any, rows: list[Any]) -> None:
    """Write rows of `rows_of` (anything with `table` and `columns`) on a raw connection: COPY or executemany."""
    if not rows:
        return
    names = ", ".join(f'"{c}"' for c in rows_of.columns)
    if pg:
        with raw.cursor() as cursor, cursor.copy(f"COPY {rows_of.table} ({names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
    else:
        marks = ", ".join("?" for _ in rows_of.columns)
        raw.executemany(f"INSERT INTO {rows_of.table} ({names}) VALUES ({marks})", rows)  # noqa: S608 - our own names


class Progress:
    """A small progress bar on stderr: one line redrawn on a terminal, a line per tenth otherwise."""

    def __init__(self, label: str, total: int, *, stream: Any = None, enabled: bool = True) -> None:
        self.label, self.total, self.done = label, max(total, 1), 0
        self.stream = stream or sys.stderr
        self.enabled = enabled
        self.tty = hasattr(self.stream, "isatty") and self.stream.isatty()
        self.start = self.last = time.perf_counter()
        self.tenth = 0

    def update(self, n: int = 1) -> None:
        self.done += n
        if not self.enabled:
            return
        now = time.perf_counter()
        if self.tty and now - self.last >= 0.3:
            self.last = now
            self._draw(now)
        elif not self.tty and self.done * 10 // self.total > self.tenth:
            self.tenth = self.done * 10 // self.total
            self._draw(now, end="\n")

    def _draw(self, now: float, end: str = "") -> None:
        share = min(1.0, self.done / self.total)
        bar = "#" * int(share * 30)
        elapsed = now - self.start
        eta = f", {elapsed / share - elapsed:.0f} s left" if 0 < share < 1 else ""
        self.stream.write(
            f"\r{self.label:<22} [{bar:<30}] {share:4.0%} {self.done:>11,}/{self.total:,} {elapsed:.0f} s{eta}" + end
        )
        self.stream.flush()

    def close(self) -> float:
        elapsed = time.perf_counter() - self.start
        if self.enabled:
            if self.tty:
                self._draw(time.perf_counter())
                self.stream.write("\n")
            elif self.tenth < 10:
                self._draw(time.perf_counter(), end="\n")
            self.stream.flush()
        return elapsed
