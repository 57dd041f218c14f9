"""Running a search: query words -> FTS5 match of skeleton prefixes, ranked by weighted BM25,
with facet filters and counts, wrong-layout and typo fallbacks, and highlighting.

Every word of the query is folded exactly as the index was (normalise.py), so Kazakh typed
in Latin letters, without the Kazakh layout or with Russian word endings all meet the same
index words. The raw query always runs first; a converted or corrected query replaces it
only when it finds more.
"""

import bisect
import re
from dataclasses import dataclass, field

from markupsafe import Markup, escape
from rapidfuzz import process
from rapidfuzz.distance import OSA

from .index import TYPES, WEIGHTS
from .normalise import layout_variants, normalise_code, query_variants, skeleton, words

MAX_WORDS = 8
MIN_PREFIX = 3
RERANKED = 100  # how many of the best BM25 hits are re-ordered by whole-word name matches
ENDING = 3  # letters a name word may have beyond the query's stem and still count as the same word
MAX_QUERY_CHARS = 200
FACETS = ("type", "sector", "status", "town", "grade", "language", "dual")
BM25 = f"bm25(search_fts, {', '.join(str(w) for w in WEIGHTS)})"
TYPE_ORDER = {t: i for i, t in enumerate(TYPES)}


@dataclass
class Outcome:
    """What a search found: results in relevance order and facet counts over all of them."""

    query: str
    words: list
    results: list = field(default_factory=list)
    total: int = 0
    facets: dict = field(default_factory=dict)
    corrected: str | None = None  # the query actually run, when it is not what was typed
    reason: str | None = None  # "layout" or "typo" when corrected
    truncated: bool = False


def escape_fts(token):
    """One FTS5 string token, safe whatever it contains."""
    return '"' + token.replace('"', '""') + '"'


def match_expression(query_words, operator="AND"):
    """FTS5 MATCH text: each word's variants as prefixes, OR'ed; words joined by operator."""
    groups = []
    for word in query_words:
        variants = query_variants(word)
        if variants:
            # Very short words match whole index words only: as prefixes they would match everything.
            terms = [escape_fts(v) + ("*" if len(v) >= MIN_PREFIX else "") for v in variants]
            groups.append("(" + " OR ".join(terms) + ")")
    return f" {operator} ".join(groups)


class Vocabulary:
    """The index's own words (skeleton -> display word, document frequency), for typo fixes."""

    def __init__(self, db):
        rows = db.execute("select skeleton, word, count from search_words order by skeleton").fetchall()
        self.keys = [r[0] for r in rows]
        self.display = {r[0]: r[1] for r in rows}
        self.count = {r[0]: r[2] for r in rows}

    def has_prefix(self, prefix):
        i = bisect.bisect_left(self.keys, prefix)
        return i < len(self.keys) and self.keys[i].startswith(prefix)

    def known(self, word):
        return any(self.has_prefix(v) for v in query_variants(word))

    def correct(self, word):
        """The closest index word to the word or one of its stems: within 1 edit for short
        words, 2 for longer ones; ties go to the more frequent word."""
        best = None
        for key in query_variants(word):
            if len(key) < 4 or key.isdigit():
                continue
            limit = 1 if len(key) <= 5 else 2
            for candidate, distance, _ in process.extract(key, self.keys, scorer=OSA.distance,
                                                          score_cutoff=limit, limit=20):
                rank = (distance, -self.count[candidate], abs(len(candidate) - len(key)))
                if best is None or rank < best[0]:
                    best = (rank, candidate)
        return self.display[best[1]] if best else None


_vocabularies = {}


def vocabulary(db, build_id):
    if build_id not in _vocabularies:
        _vocabularies.clear()
        _vocabularies[build_id] = Vocabulary(db)
    return _vocabularies[build_id]


def filter_sql(filters):
    """SQL restricting doc ids to the chosen facet values (values go as parameters)."""
    clauses, params = [], []
    for facet in FACETS:
        value = filters.get(facet)
        if value:
            clauses.append("id in (select doc_id from search_facets where facet = ? and value = ?)")
            params += [facet, value]
    return clauses, params


def run(db, match, filters):
    """(rows in relevance order, all matching ids) for one MATCH expression, or for all
    documents when match is None (browsing by facets alone)."""
    clauses, params = filter_sql(filters)
    if match is None:
        where = " and ".join(clauses) or "1"
        sql = f"select id, 0.0 as score, * from search_docs where {where}"
        found = db.execute(sql, params).fetchall()
        found.sort(key=lambda r: (TYPE_ORDER[r["type"]], r["name_kk"]))
        return found
    where = "".join(f" and {c}" for c in clauses)
    sql = (f"select search_docs.*, hits.score from (select rowid as hit, {BM25} as score from search_fts "
           f"where search_fts match ?) hits join search_docs on search_docs.id = hits.hit "
           f"where 1{where} order by hits.score, search_docs.id")
    return db.execute(sql, [match, *params]).fetchall()


def run_words(db, query_words, filters):
    """All words must match; if that finds nothing, any word may. Ranked by BM25, then the
    best hits re-ordered so that names containing the query's words come first."""
    expression = match_expression(query_words)
    if not expression:
        return []
    found = run(db, expression, filters)
    if not found and len(query_words) > 1:
        found = run(db, match_expression(query_words, "OR"), filters)
    return rerank(found, [query_variants(w) for w in query_words])


def name_matches(name_keys, variants_per_word):
    """How many query words are a whole word of the name (give or take a short ending):
    "строителями" is the name word "строитель", but not the start of "строительство"."""
    keys = name_keys.split()
    return sum(
        any(k.startswith(v) and len(k) - len(v) <= ENDING for k in keys for v in variants)
        for variants in variants_per_word
    )


def rerank(found, variants_per_word):
    head = sorted(found[:RERANKED], key=lambda r: (-name_matches(r["name_keys"], variants_per_word), r["score"]))
    return head + found[RERANKED:]


def run_code(db, code, filters):
    clauses, params = filter_sql(filters)
    where = "".join(f" and {c}" for c in clauses)
    sql = (f"select search_docs.*, min(length(search_codes.code)) as score from search_codes "
           f"join search_docs on search_docs.id = search_codes.doc_id "
           f"where (search_codes.code like ? escape '\\'){where} group by search_docs.id order by score, search_docs.id")
    return db.execute(sql, [code.replace("%", "").replace("_", "") + "%", *params]).fetchall()


def better(found, other):
    """Whether `found` is a better answer than `other`: more hits, then a better top score."""
    if len(found) != len(other):
        return len(found) > len(other)
    return bool(found) and bool(other) and found[0]["score"] < other[0]["score"]


def search(db, build_id, q, filters=None):
    """Search q with facet filters; never raises on any text."""
    filters = filters or {}
    truncated = len(q) > MAX_QUERY_CHARS
    q = q[:MAX_QUERY_CHARS]
    query_words = words(q)
    if len(query_words) > MAX_WORDS:
        query_words, truncated = query_words[:MAX_WORDS], True
    outcome = Outcome(query=q.strip(), words=query_words, truncated=truncated)
    code = normalise_code(q)
    if code:
        found = run_code(db, code, filters)
        if not found:
            found = run_words(db, query_words, filters)
    elif query_words:
        found = run_words(db, query_words, filters)
        vocab = vocabulary(db, build_id)
        if not found or not all(vocab.known(w) for w in query_words):
            for variant in layout_variants(q):
                variant_words = words(variant)[:MAX_WORDS]
                attempt = run_words(db, variant_words, filters)
                if better(attempt, found):
                    found, outcome.words, outcome.corrected, outcome.reason = attempt, variant_words, variant, "layout"
        if outcome.reason is None and not all(vocab.known(w) for w in query_words):
            fixed = [w if vocab.known(w) else (vocab.correct(w) or w) for w in query_words]
            if fixed != query_words:
                attempt = run_words(db, fixed, filters)
                if better(attempt, found):
                    found, outcome.words, outcome.corrected, outcome.reason = attempt, fixed, " ".join(fixed), "typo"
    elif any(filters.get(f) for f in FACETS):
        found = run(db, None, filters)
    else:
        return outcome
    outcome.results = found
    outcome.total = len(found)
    outcome.facets = count_facets(db, [r["id"] for r in found])
    return outcome


def count_facets(db, ids):
    """{facet: {value: count}} over exactly the documents found."""
    if not ids:
        return {}
    counts = {}
    placeholders = ",".join("?" * len(ids))
    sql = (f"select facet, value, count(*) as n from search_facets where doc_id in ({placeholders}) "
           f"group by facet, value order by facet, n desc, value")
    for facet, value, n in db.execute(sql, ids):
        counts.setdefault(facet, {})[value] = n
    return counts


WORD = re.compile(r"\w+", re.UNICODE)


def highlight(text, query_words):
    """text with the words that the query matched wrapped in <mark>, HTML-escaped."""
    if not text or not query_words:
        return escape(text or "")
    prefixes = tuple({v for w in query_words for v in query_variants(w)} - {""})
    if not prefixes:
        return escape(text)
    out, last = [], 0
    for m in WORD.finditer(text):
        if skeleton(m.group().lower()).startswith(prefixes):
            out.append(escape(text[last:m.start()]))
            out.append(Markup("<mark>") + escape(m.group()) + Markup("</mark>"))
            last = m.end()
    out.append(escape(text[last:]))
    return Markup("").join(out)
