"""Search Indonesian text the same way on any database: normalise, stem, index, score and highlight.

A document is indexed as a dict of terms to weights (`index_terms` per field, then `merge_terms`), stored as
plain rows (document, term, weight). A query becomes `QueryTerm`s; `lookup_terms` says which rows to fetch
(`term IN exact` or `term LIKE prefix%`), `score` ranks a document from its rows, and the caller sorts by
`(-score, id)` so that ties come out in the same order on SQLite and PostgreSQL. No database full-text search.

Terms come in two kinds, told apart by a prefix: the word as written (`w:pekalongan`) and its stem
(`s:kalong`). Raw words keep place names and exact words findable, since the stemmer cuts some of them
("Pekalongan" → "kalong", "kelapa" → "lapa").
"""

from __future__ import annotations

import functools
import html
import math
import re
import threading
import unicodedata
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import snowballstemmer

RAW = "w:"
STEM = "s:"
PAIR = "b:"

#: Longer "words" are URLs, codes or noise; skipping them keeps a term column bounded (w: + 40 = 42 characters).
MAX_WORD_LENGTH = 40

#: Common Indonesian function words. Not "agar" (also agar-agar, a seaweed product) nor "guna" (tepat guna).
_STOP_WORDS_TEXT = """
    ada adalah akan anda antara apa apakah atau atas bagaimana bagi bahwa beberapa begitu belum bisa dalam dan
    dapat dari demikian dengan di dia hanya hingga ia ialah ini inilah itu itulah jadi jika juga kalau kami kamu
    karena ke kepada ketika kita lagi lebih maka masih mereka meskipun namun nya oleh pada para pula pun saat saja
    sampai sangat saya secara sedang sehingga sebagai sebelum sejak selain seperti serta setelah sudah supaya
    tanpa telah tentang tersebut tetapi tapi tidak untuk walaupun yaitu yakni yang
"""
STOP_WORDS = frozenset(_STOP_WORDS_TEXT.split())

_SEPARATORS = re.compile(r"[\W_]+")
_WORD = re.compile(r"[^\W_]+")
_VOWELS = frozenset("aeiou")

# Snowball strips -kah/-lah/-pun as emphatic particles, which cuts real roots: mengolah → "mengo",
# sekolah → "seko", melangkah → "melang". Emphatic particles are rare in catalogue text, so such a word is
# stemmed with a guard character after it; no Snowball rule matches "_" and normalize() never leaves one.
_PARTICLES = ("kah", "lah", "pun")
_GUARD = "_"

# Snowball instances keep the word being stemmed on self, so threads must take turns.
_STEMMER = snowballstemmer.stemmer("indonesian")
_STEMMER_LOCK = threading.Lock()


def normalize(text: str | None) -> str:
    """Return `text` lowercased, without accents, with punctuation turned into single spaces."""
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    bare = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return _SEPARATORS.sub(" ", bare).strip()


def _is_token(word: str) -> bool:
    return 2 <= len(word) <= MAX_WORD_LENGTH and word not in STOP_WORDS


def tokens(text: str | None) -> list[str]:
    """Return the searchable words of `text`: normalised, at least 2 characters, without stop words."""
    return [word for word in normalize(text).split() if _is_token(word)]


@functools.lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """Return the Snowball Indonesian stem of a normalised word, keeping -lah/-kah/-pun ("mengolah" → "olah")."""
    guarded = word.endswith(_PARTICLES)
    with _STEMMER_LOCK:
        result = _STEMMER.stemWord(word + _GUARD if guarded else word)
    return result.removesuffix(_GUARD)


def stems(word: str) -> tuple[str, ...]:
    """Return the stems a normalised word matches on: its stem, and the root with an elided consonant put back.

    After the prefixes meN-/peN- Indonesian drops a root's first k, p, s or t (kering → pengering, tanam →
    menanam). Snowball puts p and s back but not k and t, because meng-/peng- + vowel may also start a vowel
    root (olah → mengolah) and men-/pen- + vowel an n-root (nilai → menilai). So such a word gets both stems:
    pengering → ("ering", "kering"), mengolah → ("olah", "kolah"), menanam → ("anam", "tanam").
    """
    base = stem(word)
    for prefix, consonant in (("meng", "k"), ("peng", "k"), ("men", "t"), ("pen", "t")):
        rest = word[len(prefix) :]
        if word.startswith(prefix) and rest[:1] in _VOWELS and base and rest.startswith(base):
            return (base, consonant + base)
    return (base,)


def index_terms(text: str | None, weight: float = 1.0) -> dict[str, float]:
    """Return the terms to store for one field of a document: each word and its stems, count × `weight`."""
    counts: Counter[str] = Counter()
    for word in tokens(text):
        counts[RAW + word] += 1
        for word_stem in stems(word):
            counts[STEM + word_stem] += 1
    return {term: count * float(weight) for term, count in counts.items()}


def _root(word: str) -> str:
    """Return the one stem a word stands for in a pair: the root with its consonant put back when there are two."""
    return stems(word)[-1]


def pair_terms(text: str | None, weight: float = 1.0) -> dict[str, float]:
    """Return the word pairs of a field (neighbours once stop words are out, each by its root), count × `weight`.

    "Alat Pengering Ikan" gives "b:alat kering" and "b:kering ikan": a query "pengeringan ikan" finds the pair
    without reading every record that has either word.
    """
    words = [_root(w) for w in tokens(text)]
    counts: Counter[str] = Counter(f"{PAIR}{a} {b}" for a, b in zip(words, words[1:], strict=False))
    return {term: count * float(weight) for term, count in counts.items()}


def query_pairs(query: Sequence[QueryTerm]) -> list[tuple[str, str | None]]:
    """Return the pair terms of neighbouring query words: (pair of roots, prefix of longer pairs or None).

    The word being typed is not a word yet: its pair is taken as it stands (its letters so far as a root) and as
    a prefix of the pairs whose second word starts with those letters.
    """
    pairs: list[tuple[str, str | None]] = []
    for a, b in zip(query, query[1:], strict=False):
        start = f"{PAIR}{a.stems[-1]} "
        pairs.append((start + b.stems[-1], start + b.raw if b.prefix else None))
    return pairs


def merge_terms(*parts: Mapping[str, float]) -> dict[str, float]:
    """Return the sum of several fields' terms, e.g. merge_terms(index_terms(name, 3), index_terms(body, 1))."""
    merged: dict[str, float] = {}
    for part in parts:
        for term, weight in part.items():
            merged[term] = merged.get(term, 0.0) + weight
    return merged


@dataclass(frozen=True, slots=True)
class QueryTerm:
    """One query word: as typed (normalised), its stems, and whether it is still being typed.

    `prefix` is True for the last word when nothing follows it (no space or punctuation yet): it then also
    matches every raw word that starts with it ("peng" → "pengering", "pengolahan").
    """

    raw: str
    stems: tuple[str, ...]
    prefix: bool = False


def query_terms(query: str | None) -> list[QueryTerm]:
    """Return the distinct words of a search box value, in order; the last one is a prefix while being typed."""
    words = normalize(query).split()
    typing = bool(query) and unicodedata.normalize("NFC", query)[-1].isalnum()
    terms: dict[str, QueryTerm] = {}
    for position, word in enumerate(words):
        prefix = typing and position == len(words) - 1
        # A repeated word keeps its first place; it becomes a prefix if its last copy is being typed.
        if _is_token(word) and (word not in terms or prefix):
            terms[word] = QueryTerm(raw=word, stems=stems(word), prefix=prefix)
    return list(terms.values())


def lookup_terms(query: Sequence[QueryTerm]) -> tuple[list[str], list[str]]:
    """Return (exact terms, term prefixes) whose rows a document needs for `score`, for `term__in`/`startswith`."""
    exact: list[str] = []
    prefixes: list[str] = []
    for term in query:
        for key in (RAW + term.raw, *(STEM + s for s in term.stems)):
            if key not in exact:
                exact.append(key)
        if term.prefix:
            prefixes.append(RAW + term.raw)
    return exact, prefixes


def score(doc_terms: Mapping[str, float], query: Sequence[QueryTerm]) -> float:
    """Return how well a document's terms match a query; 0.0 unless every query word matches.

    Each query word adds tier + tf / (tf + 1). The tier is 2 if the document has the exact word, else 1 if
    it has a longer word starting with it (only the word being typed), else 0 if it only shares a stem. As
    tf / (tf + 1) < 1, a word's tier always decides before its weights: for a one-word query an exact match
    outranks a prefix match, which outranks a stem-only match, whatever the field weights. tf is the summed
    field weight of the word's matching terms (the larger of the raw or prefix sum and the stem's), and it
    saturates, so repeating a word helps less and less. No idf or length normalisation: every result holds
    every query word, and catalogue entries are short. `doc_terms` may be all of a document's terms or only
    the rows `lookup_terms` selects; the score is the same. Callers sort by (-score, id): ties are common.
    """
    if not query:
        return 0.0
    total = 0.0
    for term in query:
        exact = doc_terms.get(RAW + term.raw, 0.0)
        same_stem = max(doc_terms.get(STEM + s, 0.0) for s in term.stems)
        started = 0.0
        if term.prefix:
            start = RAW + term.raw
            # fsum does not depend on the order of the rows, which differs between databases.
            started = math.fsum(w for t, w in doc_terms.items() if t.startswith(start) and len(t) > len(start))
        if exact > 0:
            tier, tf = 2, max(exact, same_stem)
        elif started > 0:
            tier, tf = 1, max(started, same_stem)
        elif same_stem > 0:
            tier, tf = 0, same_stem
        else:
            return 0.0
        total += tier + tf / (tf + 1.0)
    return total


def _word_matches(word: str, query: Sequence[QueryTerm]) -> bool:
    for part in normalize(word).split():
        if not _is_token(part):
            continue
        part_stems = set(stems(part))
        for term in query:
            if part == term.raw or (term.prefix and part.startswith(term.raw)) or part_stems & set(term.stems):
                return True
    return False


def highlight(text: str | None, query: Sequence[QueryTerm]) -> str:
    """Return `text` HTML-escaped, with the words that match `query` wrapped in <mark>; safe for mark_safe."""
    if not text:
        return ""
    text = unicodedata.normalize("NFC", text)
    if not query:
        return html.escape(text)
    out: list[str] = []
    end = 0
    for match in _WORD.finditer(text):
        out.append(html.escape(text[end : match.start()]))
        word = html.escape(match.group())
        out.append(f"<mark>{word}</mark>" if _word_matches(match.group(), query) else word)
        end = match.end()
    out.append(html.escape(text[end:]))
    return "".join(out)
