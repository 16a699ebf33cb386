from __future__ import annotations

import pytest

from posyantek.core.lib.textsearch import (
    QueryTerm,
    highlight,
    index_terms,
    lookup_terms,
    merge_terms,
    normalize,
    query_terms,
    score,
    stem,
    stems,
    tokens,
)


def _matches(query: str, text: str) -> bool:
    return score(index_terms(text), query_terms(query)) > 0


def _rank(query: str, docs: dict[int, dict[str, float]]) -> list[int]:
    terms = query_terms(query)
    scored = [(score(doc_terms, terms), doc_id) for doc_id, doc_terms in docs.items()]
    return [doc_id for value, doc_id in sorted(scored, key=lambda pair: (-pair[0], pair[1])) if value > 0]


def test_normalize_lowercases_strips_accents_and_punctuation() -> None:
    assert normalize("Café—Pekalongan, 2014!") == "cafe pekalongan 2014"
    assert normalize("  Alat-alat  pengering_ikan (TTG) ") == "alat alat pengering ikan ttg"
    assert normalize("Cafe\u0301") == "cafe"


def test_empty_and_none_inputs_give_empty_results() -> None:
    for text in (None, "", "   ", "!?"):
        assert normalize(text) == ""
        assert tokens(text) == []
        assert index_terms(text) == {}
        assert query_terms(text) == []
        assert lookup_terms(query_terms(text)) == ([], [])
    assert highlight(None, query_terms("ikan")) == ""
    assert highlight("", query_terms("ikan")) == ""
    assert highlight("Ikan & <b>", []) == "Ikan &amp; &lt;b&gt;"
    assert score(index_terms("Alat pengering ikan"), []) == 0.0
    assert score({}, query_terms("ikan")) == 0.0


def test_tokens_drop_stop_words_and_single_letters() -> None:
    text = "Alat untuk pengeringan ikan di Pekalongan dan sekitarnya, yang juga bisa a"
    assert tokens(text) == ["alat", "pengeringan", "ikan", "pekalongan", "sekitarnya"]


def test_tokens_keep_content_words_and_numbers() -> None:
    assert tokens("Mesin agar-agar tepat guna, juara 2014, 12V") == [
        "mesin",
        "agar",
        "agar",
        "tepat",
        "guna",
        "juara",
        "2014",
        "12v",
    ]
    assert _matches("2014", "Juara lomba TTG tahun 2014")
    assert not _matches("2015", "Juara lomba TTG tahun 2014")


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("pemasaran", "pasar"),
        ("pengolahan", "olah"),
        ("pertanian", "tani"),
        ("pengeringan", "ering"),
        ("pengering", "ering"),
        ("mengeringkan", "ering"),
        ("kering", "kering"),
        ("dikeringkan", "kering"),
        ("pekalongan", "kalong"),
        ("kelapa", "lapa"),
        ("2014", "2014"),
    ],
)
def test_stem_gives_snowball_indonesian_output(word: str, expected: str) -> None:
    assert stem(word) == expected


@pytest.mark.parametrize(
    ("word", "expected"),
    [("mengolah", "olah"), ("pengolah", "olah"), ("diolah", "olah"), ("sekolah", "sekolah"), ("melangkah", "langkah")],
)
def test_stem_keeps_lah_kah_endings_as_part_of_the_word(word: str, expected: str) -> None:
    # Plain Snowball gives mengo, pengo, dio, seko, melang.
    assert stem(word) == expected


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("pengering", ("ering", "kering")),
        ("pengupas", ("upas", "kupas")),
        ("mengolah", ("olah", "kolah")),
        ("menanam", ("anam", "tanam")),
        ("penanam", ("anam", "tanam")),
        ("pemasaran", ("pasar",)),
        ("penyulingan", ("suling",)),
        ("kering", ("kering",)),
        ("penuh", ("penuh",)),
    ],
)
def test_stems_put_back_the_consonant_men_and_peng_drop(word: str, expected: tuple[str, ...]) -> None:
    assert stems(word) == expected


def test_pengeringan_matches_pengering_mengeringkan_and_kering() -> None:
    for text in ("Alat pengering ikan", "Cara mengeringkan ikan asin", "Ikan dikeringkan", "Ikan kering"):
        assert _matches("pengeringan ikan", text), text
    assert not _matches("pengeringan ikan", "Mesin pengolah ikan")


def test_pengolahan_finds_olah_mengolah_and_pengolah() -> None:
    for text in ("Olah sampah jadi kompos", "Mengolah sampah", "Mesin pengolah sampah", "Sampah diolah"):
        assert _matches("pengolahan", text), text
    assert not _matches("pengolahan", "Alat pengering ikan")


def test_root_words_find_tool_names() -> None:
    assert _matches("kupas kelapa", "Mesin pengupas kelapa")
    assert _matches("tanam padi", "Alat penanam padi")
    assert _matches("pasar", "Pemasaran produk olahan")
    assert _matches("tani", "Teknologi pertanian")


def test_place_name_matches_exactly_and_by_stem() -> None:
    batik = index_terms("Batik Pekalongan")
    assert batik["w:pekalongan"] == 1.0
    assert batik["s:kalong"] == 1.0
    docs = {1: index_terms("Penangkaran kalong"), 2: batik}
    assert _rank("PEKALONGAN ", docs) == [2, 1]
    assert _rank("kalong ", docs) == [1, 2]


def test_exact_word_outranks_stem_only_whatever_the_weights() -> None:
    docs = {
        1: index_terms("Pengeringan dan mengeringkan: pengeringan", weight=3.0),
        2: index_terms("Pengering", weight=1.0),
    }
    assert _rank("pengering ", docs) == [2, 1]


def test_prefix_matches_the_word_being_typed() -> None:
    terms = query_terms("alat peng")
    assert terms == [QueryTerm("alat", ("alat",)), QueryTerm("peng", ("peng",), prefix=True)]
    assert lookup_terms(terms) == (["w:alat", "s:alat", "w:peng", "s:peng"], ["w:peng"])
    assert _matches("alat peng", "Alat pengering ikan")
    assert _matches("alat peng", "Alat pengupas kelapa")
    assert not _matches("alat peng ", "Alat pengering ikan")  # finished word: no longer a prefix
    assert query_terms("alat p") == [QueryTerm("alat", ("alat",))]  # "p" is too short and "alat" is finished


def test_prefix_match_ranks_between_exact_and_stem_only() -> None:
    docs = {
        1: index_terms("Cara mengeringkan ikan"),
        2: index_terms("Pengeringan ikan"),
        3: index_terms("Pengering ikan"),
    }
    assert _rank("pengering", docs) == [3, 2, 1]


def test_score_needs_every_query_word() -> None:
    assert not _matches("pengering ikan", "Alat pengering kopi")
    assert _matches("pengering kopi", "Alat pengering kopi")


def test_score_is_the_same_from_lookup_rows_or_all_terms_in_any_order() -> None:
    doc = merge_terms(
        index_terms("Mesin pengering ikan", 3),
        index_terms("Pengeringan ikan asin dengan tenaga surya", 2),
        index_terms("Mesin ini mengeringkan 20 kg ikan per hari. Pengering ini hemat listrik.", 1),
    )
    terms = query_terms("pengeringan ikan pe")
    exact, prefixes = lookup_terms(terms)
    rows = {t: w for t, w in doc.items() if t in exact or any(t.startswith(p) for p in prefixes)}
    assert len(rows) < len(doc)
    full = score(doc, terms)
    assert full > 0
    assert score(rows, terms) == full
    assert score(dict(reversed(list(doc.items()))), terms) == full


def test_ranking_is_deterministic_and_ties_go_to_the_lower_id() -> None:
    texts = {5: "Alat pengering ikan", 2: "Alat pengering ikan", 9: "Pengeringan ikan asin", 4: "Ikan kering"}
    docs = {doc_id: index_terms(text) for doc_id, text in texts.items()}
    first = _rank("pengering ikan", docs)
    assert first == [2, 5, 4, 9]  # 4 and 9 tie too: both share only a stem of "pengering"
    assert _rank("pengering ikan", docs) == first
    assert index_terms("Alat pengering ikan") == index_terms("Alat pengering ikan")
    assert query_terms("Alat pengering ikan") == query_terms("Alat pengering ikan")


def test_index_terms_count_words_and_merge_terms_sums_fields() -> None:
    name = index_terms("Pengering ikan", weight=3)
    body = index_terms("Ikan asin, ikan teri", weight=1)
    assert name == {"w:pengering": 3.0, "s:ering": 3.0, "s:kering": 3.0, "w:ikan": 3.0, "s:ikan": 3.0}
    merged = merge_terms(name, body)
    assert merged["w:ikan"] == 5.0
    assert merged["s:asin"] == 1.0
    assert merged["w:pengering"] == 3.0


def test_query_terms_keep_first_place_of_repeated_words() -> None:
    assert query_terms("ikan asin ikan") == [QueryTerm("ikan", ("ikan",), prefix=True), QueryTerm("asin", ("asin",))]
    assert query_terms("Pengeringan, ikan.") == [
        QueryTerm("pengeringan", ("ering", "kering")),
        QueryTerm("ikan", ("ikan",)),
    ]


def test_highlight_escapes_html_and_marks_matches_in_original_case() -> None:
    text = "<script>alert('x')</script> Alat PENGERING Ikan & mengeringkan, Pekalongan"
    assert highlight(text, query_terms("pengeringan ikan")) == (
        "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; Alat <mark>PENGERING</mark> <mark>Ikan</mark> &amp; "
        "<mark>mengeringkan</mark>, Pekalongan"
    )


def test_highlight_marks_prefixes_accented_words_and_not_stop_words() -> None:
    assert highlight("Pengering & pengupas, Peng", query_terms("peng")) == (
        "<mark>Pengering</mark> &amp; <mark>pengupas</mark>, <mark>Peng</mark>"
    )
    assert highlight("Kopi Café", query_terms("cafe")) == "Kopi <mark>Café</mark>"
    # "dapat" shares the stem of "mendapatkan" but is a stop word, so it is not indexed and not marked.
    assert highlight("Dapat hadiah", query_terms("mendapatkan hadiah")) == "Dapat <mark>hadiah</mark>"
