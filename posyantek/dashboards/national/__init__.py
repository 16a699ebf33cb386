"""A realistic synthetic country for the dashboards' benchmarks (`manage.py generate_national`).

Modules: `rows` (raw bulk writing from a model's `_meta`, COPY on PostgreSQL, a progress bar), `context` (seed,
scale, posts), `places` (posts, SK/SKT, boards, the national admin), `catalog` (innovators, needs, TTG, adoptions),
`activity` (service requests, Bintek, partnerships, visits), `market` (products, orders, `SalesMonth`), `money`
(cash book, `EntryMonth`), `contests`, and `generate` (the whole run, and checksums for the tests).
"""
