"""Verify the contest log's hash chain and the data against it; exit 1 when anything is broken."""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from posyantek.contests import chain
from posyantek.contests.models import Edition


def report_lines(report: chain.Report) -> list[str]:
    """Return the check's outcome as lines of text (the same figures the page shows)."""
    lines = [
        _("Mata rantai diperiksa: %(n)s") % {"n": report.links},
        _("Skor diperiksa: %(n)s") % {"n": report.scores},
        _("Lembar nilai terkunci diperiksa: %(n)s") % {"n": report.sheets},
        _("Lomba yang diumumkan diperiksa: %(n)s") % {"n": report.editions},
    ]
    if report.ok:
        lines.append(_("Rantai utuh: tidak ada yang diubah di luar aplikasi."))
        return lines
    if report.first_broken:
        lines.append(_("Mata rantai pertama yang rusak: #%(seq)s") % {"seq": report.first_broken})
    lines.append(_("Masalah ditemukan: %(n)s") % {"n": len(report.problems)})
    for p in report.problems:
        where = f"#{p.seq} " if p.seq else ""
        lines.append(f"- {where}{p.object_key}: {p.message}")
    return lines


class Command(BaseCommand):
    help = "Verify the contest log (hash chain) and the scores, locked sheets and rankings against it."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--edition", type=int, help="Check the data of one edition (the chain is always whole).")

    def handle(self, *args: Any, **options: Any) -> None:
        edition = None
        if options.get("edition"):
            edition = Edition.objects.filter(pk=options["edition"]).first()
            if edition is None:
                raise CommandError(_("Lomba %(pk)s tidak ada.") % {"pk": options["edition"]})
            self.stdout.write(_("Lomba: %(name)s") % {"name": edition})
        report = chain.verify(edition=edition)
        for line in report_lines(report):
            self.stdout.write(line)
        if not report.ok:
            self.stderr.write(_("RANTAI RUSAK."))
            sys.exit(1)
