"""Bintek (technical training), participants, attendance, certificates and follow-up: domain.md §4.8, §4.9, §5.4."""
