"""The catalogue's search index and query, the same on every database and fast at a million records.

The index (`TtgTerm`) holds one row per published record and term, with a weight: the words and stems of its
texts (see core/lib/textsearch.py) and, with weight 0, its facets as terms (`r:` region codes at every level,
`f:sector:…`, `f:aspect:…`, `f:readiness:…`, `f:ip:…`). `TtgTermStat` counts the records per term (df).

A search (`catalog_search`) needs every query word and every facet filter to match, and ranks by
`textsearch.score`. It never scores every record that contains a common word:

1. Each query word becomes its terms: the word, its stems and, for the word being typed, up to
   `MAX_EXPANSIONS` longer words starting with it (from `TtgTermStat`). A word's df is the sum of its terms'.
2. The rarest condition (a query word or a facet) with at most `EXACT_LIMIT` records drives: all its records
   are checked and scored, so the ranking is exact.
3. Otherwise the rarest query word drives: its rows are read best first (exact word, then longer words, then
   stems; each by weight, then id), and the database keeps those whose record has the other words and passes
   the filters, until `MAX_HITS` records match. A filter with at most `JOIN_LIMIT` records is read first and
   only the driving rows that pass it are sorted; otherwise the driving rows are read in windows of `WINDOW`,
   `MAX_SCAN` at most. The ranking is exact among the records found, which are those where the rarest word
   weighs most; when more may match, `SearchResult.complete` is False.

The SQL of the hot reads is written out (S608 below): only table names and placeholders are put into it, every
value is a parameter.

Every order is total (weight, then id; terms sorted in Python), so SQLite and PostgreSQL give the same results.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, transaction
from django.db.models import F, QuerySet

from posyantek.catalog.models import Ttg, TtgTerm, TtgTermStat
from posyantek.core.lib import textsearch
from posyantek.core.scoping import region_subtree_q

#: A driver with at most this many rows is read whole, and the ranking is exact.
EXACT_LIMIT = 3000
#: Rows of the driving word read per round.
WINDOW = 4000
#: Rows of the driving word read at most.
MAX_SCAN = 16000
#: A filter term with at most this many records is read first, and only the driving word's rows that pass it.
JOIN_LIMIT = 30000
#: Matching records ranked at most; enough for the pages anyone reads.
MAX_HITS = 200
#: Longer words a word being typed stands for at most (the most common ones).
MAX_EXPANSIONS = 12
#: The term column's length.
TERM_LENGTH = 45

#: Fields whose neighbouring words are also indexed as pairs (phrases people search for), with their weights.
PAIR_FIELDS = {"name": 3.0, "other_names": 3.0, "commodities": 2.0, "function": 1.5}
#: Record fields indexed for search, with their weights.
SEARCH_FIELDS = {"name": 3.0, "other_names": 3.0, "commodities": 2.0, "problem": 1.5, "function": 1.5,
                 "benefits": 1.0, "how_it_works": 1.0, "target_users": 1.0, "materials": 0.5}  # fmt: skip
#: Facets a search can filter on through the index, as (record field, term prefix).
FACETS = {"sector": "f:sector:", "aspect": "f:aspect:", "readiness": "f:readiness:", "ip_status": "f:ip:"}
REGION = "r:"
TERMS = TtgTerm._meta.db_table
RECORDS = Ttg._meta.db_table


def region_terms(code: str) -> list[str]:
    """Return the region terms of a record from `code`: the code and every region above it."""
    parts = code.split(".")
    return [REGION + ".".join(parts[:i]) for i in range(1, len(parts) + 1)]


def document_terms(ttg: Ttg) -> dict[str, float]:
    """Return the weighted search terms of a record: its texts, its region and post names, and its facets."""
    parts = [textsearch.index_terms(getattr(ttg, f), w) for f, w in SEARCH_FIELDS.items()]
    parts.append(textsearch.index_terms(f"{ttg.region.name} {ttg.post.name}", 0.5))
    parts += [textsearch.pair_terms(getattr(ttg, f), w) for f, w in PAIR_FIELDS.items()]
    terms = textsearch.merge_terms(*parts)
    terms = {t[:TERM_LENGTH]: w for t, w in terms.items()}
    for name, prefix in FACETS.items():
        terms[prefix + str(getattr(ttg, name))] = 0.0
    for term in region_terms(ttg.region_id):
        terms[term] = 0.0
    return terms


def _count(terms: Iterable[str], delta: int) -> None:
    terms = list(terms)
    if not terms:
        return
    if delta > 0:
        TtgTermStat.objects.bulk_create([TtgTermStat(term=t, df=0) for t in terms], ignore_conflicts=True)
    for start in range(0, len(terms), 500):
        TtgTermStat.objects.filter(term__in=terms[start : start + 500]).update(df=F("df") + delta)


@transaction.atomic
def unindex(ttg: Ttg) -> None:
    """Take a record out of the search (withdrawn or deleted)."""
    old = list(TtgTerm.objects.filter(ttg=ttg).values_list("term", flat=True))
    TtgTerm.objects.filter(ttg=ttg).delete()
    _count(old, -1)


@transaction.atomic
def reindex(ttg: Ttg) -> None:
    """Rebuild the search rows of a published record, and the per-term counts."""
    old = set(TtgTerm.objects.filter(ttg=ttg).values_list("term", flat=True))
    terms = document_terms(ttg)
    TtgTerm.objects.filter(ttg=ttg).delete()
    TtgTerm.objects.bulk_create([TtgTerm(ttg=ttg, term=t, weight=w) for t, w in terms.items()])
    _count(old - terms.keys(), -1)
    _count(terms.keys() - old, +1)


def reindex_post(post: Any) -> int:
    """Rebuild the search rows of a post's published records (its name is in them); return how many."""
    published = Ttg.objects.filter(post=post, publication=Ttg.Publication.PUBLISHED).select_related("region", "post")
    n = 0
    for ttg in published.iterator(chunk_size=200):
        reindex(ttg)
        n += 1
    return n


def rebuild(ttg_model: Any = Ttg, term_model: Any = TtgTerm, stat_model: Any = TtgTermStat) -> int:
    """Rebuild the whole index from the published records; returns their number. Also used by a migration."""
    term_model.objects.all().delete()
    stat_model.objects.all().delete()
    counts: dict[str, int] = defaultdict(int)
    published = ttg_model.objects.filter(publication="terbit").select_related("region", "post").order_by("pk")
    rows = []
    n = 0
    for ttg in published.iterator(chunk_size=500):
        n += 1
        for term, weight in document_terms(ttg).items():
            rows.append(term_model(ttg_id=ttg.pk, term=term, weight=weight))
            counts[term] += 1
        if len(rows) > 5000:
            term_model.objects.bulk_create(rows, batch_size=1000)
            rows = []
    term_model.objects.bulk_create(rows, batch_size=1000)
    stat_model.objects.bulk_create([stat_model(term=t, df=c) for t, c in counts.items()], batch_size=1000)
    return n


# --- query -------------------------------------------------------------------------------------------------


@dataclass
class CatalogFilter:
    """The public catalogue's filters; the same for the pages and the API."""

    sector: str | None = None
    aspect: str | None = None
    readiness: str | None = None
    ip_status: str | None = None
    region: str | None = None
    price_min: int | None = None
    price_max: int | None = None

    def terms(self) -> list[str]:
        """Return the index terms every match must have."""
        found = [prefix + str(getattr(self, name)) for name, prefix in FACETS.items() if getattr(self, name)]
        if self.region:
            found.append(REGION + self.region)
        return found

    def apply(self, qs: QuerySet[Ttg]) -> QuerySet[Ttg]:
        """Return `qs` (published records) narrowed by the filters, for browsing without a query."""
        for name in FACETS:
            if getattr(self, name):
                qs = qs.filter(**{name: getattr(self, name)})
        if self.region:
            qs = qs.filter(region_subtree_q("region", self.region))
        if self.price_min is not None:
            qs = qs.filter(price__gte=self.price_min)
        if self.price_max is not None:
            qs = qs.filter(price__lte=self.price_max)
        return qs

    @property
    def by_price(self) -> bool:
        return self.price_min is not None or self.price_max is not None


@dataclass
class SearchResult:
    ids: list[int]
    scores: dict[int, float]
    query: list[textsearch.QueryTerm]
    #: False when more records may match than were ranked (a common word; see the module's notes).
    complete: bool = True


@dataclass
class _Word:
    term: textsearch.QueryTerm
    #: The word's terms in the order their rows are read when it drives: exact, longer words, stems.
    segments: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    df: int = 0
    #: For the word being typed: the prefix its longer words start with (checked as a range, not one by one).
    prefix: str | None = None

    def exact(self) -> list[str]:
        """Return the terms that are not longer words of the prefix."""
        return [t for t in self.segments if not (self.prefix and t.startswith(self.prefix) and t != self.prefix)]


def _df(terms: Iterable[str]) -> dict[str, int]:
    terms = list(dict.fromkeys(terms))
    return dict(TtgTermStat.objects.filter(term__in=terms, df__gt=0).values_list("term", "df")) if terms else {}


def _expansions(prefix: str) -> list[tuple[str, int]]:
    """Return the most common indexed words starting with `prefix` (itself excluded), as (term, df)."""
    # A range, not LIKE: it uses the primary key's index on both databases.
    upper = _upper(prefix)
    rows = TtgTermStat.objects.filter(term__gt=prefix, term__lt=upper, df__gt=0).values_list("term", "df")
    found = [(t, df) for t, df in rows if t.startswith(prefix) and t != prefix]
    return sorted(found, key=lambda row: (-row[1], row[0]))[:MAX_EXPANSIONS]


def _upper(prefix: str) -> str:
    """Return the first string after every string that starts with `prefix` (for a range on an index)."""
    return prefix[:-1] + chr(ord(prefix[-1]) + 1)


def _plan(terms: list[textsearch.QueryTerm], must: list[str]) -> tuple[list[_Word], list[_Word], dict[str, int]]:
    """Return the query's words and word pairs with their terms and record counts, and the `must` terms' counts."""
    words = [_Word(t) for t in terms]
    for word in words:
        raw = textsearch.RAW + word.term.raw
        word.segments = [raw]
        if word.term.prefix:
            word.prefix = raw
            word.segments += [t for t, _ in _expansions(raw)]
        word.segments += [textsearch.STEM + s for s in word.term.stems if textsearch.STEM + s not in word.segments]
    pairs = []
    for (pair, prefix), b in zip(textsearch.query_pairs(terms), words[1:], strict=True):
        pairs.append(_Word(b.term, [pair[:TERM_LENGTH], *(t for t, _ in _expansions(prefix) if t != pair)]
                           if prefix else [pair[:TERM_LENGTH]]))  # fmt: skip
    counts = _df([*(t for w in words + pairs for t in w.segments), *must])
    for word in words + pairs:
        word.segments = [t for t in word.segments if t in counts]
        word.counts = {t: counts[t] for t in word.segments}
        word.df = sum(word.counts.values())
    return words, [p for p in pairs if p.df], {m: counts[m] for m in must if m in counts}


#: Ends a probe subquery: PostgreSQL turns a plain EXISTS into a join that reads every row of a common word;
#: with an OFFSET it keeps it as one index lookup per row, as SQLite does anyway.
ONE = " LIMIT 1 OFFSET 0"
BEST = "catalog_ttgterm_best"
DOC = "catalog_ttgterm_doc"


def _terms(alias: str, index: str) -> str:
    """Return the term table under `alias`, and on SQLite the index to read it by.

    SQLite plans with one average number of rows per term; for a common word it then prefers reading all of
    that word's rows to looking up a few hundred records, a hundred times slower. PostgreSQL keeps the counts
    of common values and plans well on its own.
    """
    if connection.vendor == "sqlite":
        return f"{TERMS} AS {alias} INDEXED BY {index}"
    return f"{TERMS} AS {alias}"


# The hot reads are plain SQL: building an ORM lookup for thousands of ids costs more than running it.
def _term_rows(ids: list[int], terms: list[str], prefixes: list[str]) -> list[tuple[int, str, float]]:
    """Return the rows of `terms`, and of terms starting with a prefix of `prefixes`, of the records `ids`.

    A record that has a prefix itself as a word needs no longer words of it (they cannot change its score's tier),
    so those are read only for the records without it: usually none.
    """
    rows = _rows_where(ids, "t.term IN ({})".format(", ".join(["%s"] * len(terms))), terms) if terms else []
    have = {(ttg_id, term) for ttg_id, term, _ in rows}
    # PostgreSQL would read a range of terms for every record unless it is an expression it can only check.
    span = "t.term > %s AND t.term < %s" if connection.vendor == "sqlite" else "(t.term || '') BETWEEN %s AND %s"
    for prefix in prefixes:
        rest = [i for i in ids if (i, prefix) not in have]
        if rest:
            found = _rows_where(rest, span, [prefix, _upper(prefix)])
            rows += [row for row in found if row[1].startswith(prefix) and row[1] != prefix]
    return rows


def _rows_where(ids: list[int], check: str, params: list[Any]) -> list[tuple[int, str, float]]:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Record by record, so that PostgreSQL reads each record's rows and not every row of a common term.
            sql = (
                "SELECT d.id, t.term, t.weight FROM unnest(%s::bigint[]) AS d(id) CROSS JOIN LATERAL "  # noqa: S608
                f"(SELECT t.term, t.weight FROM {TERMS} AS t WHERE t.ttg_id = d.id AND {check} OFFSET 0) t"
            )
            cursor.execute(sql, [ids, *params])
        else:
            marks = ", ".join(["%s"] * len(ids))
            sql = f"SELECT t.ttg_id, t.term, t.weight FROM {_terms('t', DOC)} WHERE t.ttg_id IN ({marks}) AND {check}"  # noqa: S608
            cursor.execute(sql, [*ids, *params])
        return cursor.fetchall()


def _conditions(others: list[_Word], must: list[str], filters: CatalogFilter) -> tuple[str, list[Any]]:
    """Return SQL that a row `a` of the driving word passes when its record has the other words and filters."""
    sql, params = [], []
    for term in must:
        sql.append(f"EXISTS (SELECT 1 FROM {_terms('m', DOC)} WHERE m.ttg_id = a.ttg_id AND m.term = %s{ONE})")  # noqa: S608
        params.append(term)
    for word in others:
        exact = word.exact()
        tests = []
        if exact:
            marks = ", ".join(["%s"] * len(exact))
            probe = f"EXISTS (SELECT 1 FROM {_terms('w', DOC)} WHERE w.ttg_id = a.ttg_id AND w.term IN ({marks}){ONE})"  # noqa: S608
            tests.append(probe)
            params += exact
        if word.prefix and len(exact) < len(word.segments):
            tests.append(f"EXISTS (SELECT 1 FROM {_terms('w', DOC)} WHERE w.ttg_id = a.ttg_id "  # noqa: S608
                         f"AND w.term > %s AND w.term < %s{ONE})")  # fmt: skip
            params += [word.prefix, _upper(word.prefix)]
        sql.append(f"({' OR '.join(tests)})")
    for bound, op in ((filters.price_min, ">="), (filters.price_max, "<=")):
        if bound is not None:
            sql.append(f"EXISTS (SELECT 1 FROM {RECORDS} d WHERE d.id = a.ttg_id AND d.price {op} %s)")  # noqa: S608
            params.append(bound)
    return " AND ".join(sql) or "1 = 1", params


def _window(segment: str, where: tuple[str, list[Any]], *, size: int, offset: int) -> list[int]:
    """Return the matching records among `size` rows of `segment`, best first, from `offset` on."""
    sql = (
        f"SELECT a.ttg_id FROM (SELECT ttg_id, weight FROM {_terms('t', BEST)} WHERE term = %s "  # noqa: S608
        f"ORDER BY weight DESC, ttg_id LIMIT %s OFFSET %s) a WHERE {where[0]} ORDER BY a.weight DESC, a.ttg_id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [segment, size, offset, *where[1]])
        return [row[0] for row in cursor.fetchall()]


def _through(rarest: str, segment: str, where: tuple[str, list[Any]], *, limit: int) -> list[int]:
    """Return the records that have `rarest` (read first) and `segment`, and pass `where`; best rows first."""
    # Each record of the rare term looks up its weight for `segment`: one index probe each, on both databases.
    sql = (
        f"SELECT a.ttg_id FROM (SELECT r.ttg_id, (SELECT s.weight FROM {_terms('s', DOC)} "  # noqa: S608
        f"WHERE s.ttg_id = r.ttg_id AND s.term = %s{ONE}) AS weight FROM {_terms('r', BEST)} WHERE r.term = %s) a "
        f"WHERE a.weight IS NOT NULL AND {where[0]} ORDER BY a.weight DESC, a.ttg_id LIMIT %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [segment, rarest, *where[1], limit])
        return [row[0] for row in cursor.fetchall()]


def _bounded(drivers: list[_Word], words: list[_Word], must: list[str], must_df: dict[str, int],
             filters: CatalogFilter) -> tuple[list[int], bool]:  # fmt: skip
    """Return up to MAX_HITS matching records, best rows of each driver first, and whether that is all of them.

    The last driver is the rarest query word, whose rows hold every match; an earlier one (a word pair) only
    finds the best matches sooner.
    """
    found: dict[int, None] = {}
    musts = sorted(must, key=lambda m: (must_df[m], m))
    read = 0
    complete = False
    for driver in drivers:
        others = [w for w in words if w is not driver]
        if musts and must_df[musts[0]] <= JOIN_LIMIT:
            # A filter narrow enough to read whole: only rows of the driver that pass it are read.
            where = _conditions(others, musts[1:], filters)
            for segment in driver.segments:
                found.update(dict.fromkeys(_through(musts[0], segment, where, limit=MAX_HITS + 1)))
                if len(found) > MAX_HITS:
                    return list(found), False
            complete = True
            continue
        where = _conditions(others, musts, filters)
        # A first small window: a single common word fills the page from its best rows alone.
        size = 2 * MAX_HITS
        complete = True
        for segment in driver.segments:
            offset = 0
            while offset < driver.counts[segment]:
                if read >= MAX_SCAN:
                    return list(found), False
                size = min(size, MAX_SCAN - read)
                found.update(dict.fromkeys(_window(segment, where, size=size, offset=offset)))
                read += min(size, driver.counts[segment] - offset)
                offset += size
                size = min(2 * size, WINDOW)
                if len(found) > MAX_HITS:
                    return list(found)[: 2 * MAX_HITS], False
    # Complete only when the last driver (a query word, whose rows hold every match) was read to its end.
    return list(found), complete


def _priced(ids: list[int], filters: CatalogFilter) -> list[int]:
    """Return the records of `ids` within the price filter (price is not in the index)."""
    sql, params = [], []
    for bound, op in ((filters.price_min, ">="), (filters.price_max, "<=")):
        if bound is not None:
            sql.append(f"price {op} %s")
            params.append(bound)
    marks = ", ".join(["%s"] * len(ids))
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id FROM {RECORDS} WHERE id IN ({marks}) AND {' AND '.join(sql)}", [*ids, *params])  # noqa: S608
        return [row[0] for row in cursor.fetchall()]


def _check(ids: list[int], words: list[_Word], must: list[str], filters: CatalogFilter) -> dict[int, float]:
    """Return the scores of the records of `ids` that match every word and every filter."""
    if filters.by_price and ids:
        ids = _priced(ids, filters)
    if not ids:
        return {}
    wanted = [*dict.fromkeys(t for w in words for t in w.exact()), *must]
    prefixes = [w.prefix for w in words if w.prefix and len(w.exact()) < len(w.segments)]
    docs: dict[int, dict[str, float]] = defaultdict(dict)
    for ttg_id, term, weight in _term_rows(ids, wanted, prefixes):
        docs[ttg_id][term] = weight
    query = [w.term for w in words]
    scores = {}
    for pk, found in docs.items():
        if all(m in found for m in must) and (s := textsearch.score(found, query)) > 0:
            scores[pk] = s
    return scores


def catalog_search(query: str, filters: CatalogFilter | None = None) -> SearchResult:
    """Rank the published records for `query` within `filters`: exact words, then typed prefixes, then stems."""
    filters = filters or CatalogFilter()
    terms = textsearch.query_terms(query)
    if not terms:
        return SearchResult([], {}, terms)
    must = filters.terms()
    words, pairs, must_df = _plan(terms, must)
    if any(w.df == 0 for w in words) or any(m not in must_df for m in must):
        return SearchResult([], {}, terms)
    rarest_must = min(must, key=lambda m: (must_df[m], m)) if must else None
    driver = min(words, key=lambda w: w.df)
    scores: dict[int, float] = {}
    complete = True
    if rarest_must and must_df[rarest_must] <= min(EXACT_LIMIT, driver.df):
        ids = list(TtgTerm.objects.filter(term=rarest_must).values_list("ttg_id", flat=True))
        scores = _check(ids, words, must, filters)
    elif driver.df <= EXACT_LIMIT:
        rows = TtgTerm.objects.filter(term__in=driver.segments).values_list("ttg_id", flat=True)
        scores = _check(sorted(set(rows)), words, must, filters)
    else:
        # Records where two query words stand side by side are read first: a phrase is what people look for.
        drivers = sorted(pairs, key=lambda p: p.df)[:1] + [driver]
        ids, complete = _bounded(drivers, words, must, must_df, filters)
        scores = _check(ids, words, must, filters)
    ranked = sorted(scores, key=lambda pk: (-scores[pk], pk))
    return SearchResult(ranked[:MAX_HITS], scores, terms, complete and len(ranked) <= MAX_HITS)


def filter_from(values: dict[str, Any]) -> CatalogFilter:
    """Return the filter a form's or query string's cleaned values describe (keys as in `CatalogFilter`)."""
    return CatalogFilter(
        **{k: None if values.get(k) in (None, "") else values[k] for k in CatalogFilter.__dataclass_fields__}
    )
