"""What every register import shares: the per-row result, the whole result, and the dry-run rollback."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class RowResult:
    """One row of an uploaded register: its line number, a name to recognise it by, and its errors."""

    line: int
    name: str
    errors: dict[str, list[str]] = field(default_factory=dict)


@dataclass
class ImportResult:
    """The rows checked (or imported); `dry_run` stays true when nothing was saved."""

    rows: list[RowResult]
    dry_run: bool
    unknown_columns: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return bool(self.rows) and not any(r.errors for r in self.rows)

    @property
    def error_rows(self) -> list[RowResult]:
        return [r for r in self.rows if r.errors]


class DryRun(Exception):  # noqa: N818 - a signal, not an error
    """Raised inside the import's transaction to roll back a dry run, or an import with a bad row."""
