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
from functools import lru_cache

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


class Index:
    """What a search needs besides the FTS5 match, loaded once per database build: the
    documents, their facet values and the vocabulary. The database never changes under a
    build id, so keeping these in memory makes filtering and facet counts plain set work."""

    def __init__(self, db):
        self.docs = {r["id"]: dict(r) for r in db.execute("select * from search_docs")}
        self.facets_of = {doc_id: [] for doc_id in self.docs}
        self.docs_with = {}
        for doc_id, facet, value in db.execute("select doc_id, facet, value from search_facets"):
            self.facets_of[doc_id].append((facet, value))
            self.docs_with.setdefault((facet, value), set()).add(doc_id)
        rows = db.execute("select skeleton, word, count from search_words order by skeleton").fetchall()
        self.keys = [r[0] for r in rows]
        self.display = {r[0]: r[1] for r in rows}
        self.count = {r[0]: r[2] for r in rows}

    def allowed(self, filters):
        """The ids that every chosen facet value allows, or None when nothing is chosen."""
        chosen = [(f, filters[f]) for f in FACETS if filters.get(f)]
        if not chosen:
            return None
        return set.intersection(*(self.docs_with.get(pair, set()) for pair in chosen))

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
                # A missing letter is the commonest slip: on a tie, prefer words no shorter than the typed one.
                rank = (distance, len(candidate) < len(key), -self.count[candidate])
                if best is None or rank < best[0]:
                    best = (rank, candidate)
        return self.display[best[1]] if best else None

    def count_facets(self, hits):
        """{facet: {value: count}} over exactly the documents found, most frequent first."""
        counts = {}
        for doc_id, _ in hits:
            for facet, value in self.facets_of[doc_id]:
                values = counts.setdefault(facet, {})
                values[value] = values.get(value, 0) + 1
        return {f: dict(sorted(v.items(), key=lambda kv: (-kv[1], kv[0]))) for f, v in counts.items()}


_indexes = {}


def index_for(db, build_id):
    if build_id not in _indexes:
        _indexes.clear()
        _indexes[build_id] = Index(db)
    return _indexes[build_id]


def keep(hits, allowed):
    return hits if allowed is None else [h for h in hits if h[0] in allowed]


def run_match(db, match):
    """(doc id, BM25 score) of every document matching an FTS5 expression, best first."""
    sql = f"select rowid, {BM25} as score from search_fts where search_fts match ? order by score, rowid"
    return db.execute(sql, [match]).fetchall()


def run_words(db, index, query_words, allowed):
    """All words must match; if that finds nothing, any word may. Ranked by BM25, then the
    best hits re-ordered so that names containing the query's words come first."""
    expression = match_expression(query_words)
    if not expression:
        return []
    hits = keep(run_match(db, expression), allowed)
    if not hits and len(query_words) > 1:
        hits = keep(run_match(db, match_expression(query_words, "OR")), allowed)
    return rerank(index, hits, [query_variants(w) for w in query_words])


def name_matches(name_keys, variants_per_word):
    """How many query words are a whole word of the name (give or take a short ending):
    "строителями" is the name word "строитель", but not the start of "строительство"."""
    keys = name_keys.split()
    return sum(
        any(k.startswith(v) and len(k) - len(v) <= ENDING for k in keys for v in variants)
        for variants in variants_per_word
    )


def rerank(index, hits, variants_per_word):
    head = sorted(hits[:RERANKED],
                  key=lambda h: (-name_matches(index.docs[h[0]]["name_keys"], variants_per_word), h[1]))
    return head + hits[RERANKED:]


def run_code(db, code, allowed):
    """Documents with a classifier code starting with code: the shortest (most general) first."""
    # Scores read like BM25's (lower is better): the shortest matching code first.
    sql = ("select doc_id, min(length(code)) - 100.0 as score from search_codes where code like ? "
           "group by doc_id order by score, doc_id")
    return keep(db.execute(sql, [code.replace("%", "").replace("_", "") + "%"]).fetchall(), allowed)


def browse(index, allowed):
    """Every allowed document, by type then name: facets without a query."""
    ids = sorted(allowed, key=lambda i: (TYPE_ORDER[index.docs[i]["type"]], index.docs[i]["name_kk"]))
    return [(i, 0.0) for i in ids]


def quality(index, query_words, hits):
    """How good an answer is: every word known to the index first (an AND match of real
    words beats an OR match kept alive by one stray word), then whether it found anything,
    then how much."""
    return (all(index.known(w) for w in query_words), bool(hits), len(hits))


def search(db, build_id, q, filters=None):
    """Search q with facet filters; never raises on any text."""
    filters = filters or {}
    index = index_for(db, build_id)
    allowed = index.allowed(filters)
    truncated = len(q) > MAX_QUERY_CHARS
    q = q[:MAX_QUERY_CHARS]
    query_words = words(q)
    if len(query_words) > MAX_WORDS:
        query_words, truncated = query_words[:MAX_WORDS], True
    outcome = Outcome(query=q.strip(), words=query_words, truncated=truncated)
    code = normalise_code(q)
    if code:
        hits = run_code(db, code, allowed) or run_words(db, index, query_words, allowed)
    elif query_words:
        hits = run_words(db, index, query_words, allowed)
        best = quality(index, query_words, hits)
        if not best[0] or not hits:
            for variant in layout_variants(q):
                variant_words = words(variant)[:MAX_WORDS]
                attempt = run_words(db, index, variant_words, allowed)
                if quality(index, variant_words, attempt) > best:
                    best = quality(index, variant_words, attempt)
                    hits, outcome.words, outcome.corrected, outcome.reason = attempt, variant_words, variant, "layout"
        if outcome.reason is None and not best[0]:
            fixed = [w if index.known(w) else (index.correct(w) or w) for w in query_words]
            if fixed != query_words:
                attempt = run_words(db, index, fixed, allowed)
                if attempt and quality(index, fixed, attempt) > best:
                    hits, outcome.words, outcome.corrected, outcome.reason = attempt, fixed, " ".join(fixed), "typo"
    elif allowed is not None:
        hits = browse(index, allowed)
    else:
        return outcome
    outcome.results = [{**index.docs[doc_id], "score": score} for doc_id, score in hits]
    outcome.total = len(hits)
    outcome.facets = index.count_facets(hits)
    return outcome


WORD = re.compile(r"\w+", re.UNICODE)


@lru_cache(maxsize=1024)
def matched_prefixes(query_words):
    """The skeleton prefixes a tuple of query words matches (the same for every result)."""
    return tuple({v for w in query_words for v in query_variants(w)} - {""})


def highlight(text, query_words):
    """text with the words that the query matched wrapped in <mark>, HTML-escaped."""
    if not text or not query_words:
        return escape(text or "")
    prefixes = matched_prefixes(tuple(query_words))
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
