"""Running a search: query words -> FTS5 match of skeleton prefixes, ranked by weighted BM25,
with facet filters and counts, wrong-layout and typo fallbacks, and highlighting.

Every word of the query is folded exactly as the index was (normalise.py), so Kazakh typed
in Latin letters, without the Kazakh layout or with Russian word endings all meet the same
index words. The raw query always runs first; a converted or corrected query replaces it
only when it finds more.
"""

import bisect
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import chain
from operator import itemgetter

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


class Results(Sequence):
    """The documents found, in relevance order, each read as a record (its row and its score)
    only when asked for: a broad word finds a hundred or more, and a page shows twenty."""

    def __init__(self, docs, hits):
        self.docs, self.hits = docs, hits

    def __len__(self):
        return len(self.hits)

    def __getitem__(self, position):
        if isinstance(position, slice):
            return [self.record(hit) for hit in self.hits[position]]
        return self.record(self.hits[position])

    def record(self, hit):
        doc_id, score = hit
        return {**self.docs[doc_id], "score": score}


@dataclass
class Outcome:
    """What a search found: results in relevance order and facet counts over all of them."""

    query: str
    words: list
    results: Sequence = ()
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
        # Each document's facet values as numbers into self.pairs: counting a broad search's
        # values then hashes small ints, not (facet, value) tuples (a tuple's hash is not kept).
        self.pairs, number = [], {}
        self.facets_of = {doc_id: [] for doc_id in self.docs}
        self.docs_with = {}
        for doc_id, facet, value in db.execute("select doc_id, facet, value from search_facets"):
            pair = (facet, value)
            if pair not in number:
                number[pair] = len(self.pairs)
                self.pairs.append(pair)
            self.facets_of[doc_id].append(number[pair])
            self.docs_with.setdefault(pair, set()).add(doc_id)
        rows = db.execute("select skeleton, word, count from search_words order by skeleton").fetchall()
        self.keys = [r[0] for r in rows]
        self.display = {r[0]: r[1] for r in rows}
        self.count = {r[0]: r[2] for r in rows}
        # Words that name a record (its names and aliases): the only words a typo is corrected into.
        self.label_keys = sorted({k for doc in self.docs.values() for k in (doc["label_keys"] or "").split()}
                                 & set(self.keys))
        # What name_matches compares the query with, worked out once per build rather than for
        # each of up to RERANKED hits of every search.
        self.name_stems = {doc_id: word_stems(doc["name_keys"]) for doc_id, doc in self.docs.items()}
        self.label_stems = {doc_id: word_stems(doc["label_keys"]) for doc_id, doc in self.docs.items()}
        self.not_profession = {doc_id: doc["type"] != "profession" for doc_id, doc in self.docs.items()}

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

    def labelled(self, word):
        """Whether the word (or a stem of it) starts a word that names a record."""
        for variant in query_variants(word):
            i = bisect.bisect_left(self.label_keys, variant)
            if variant and i < len(self.label_keys) and self.label_keys[i].startswith(variant):
                return True
        return False

    def correct(self, word):
        """The closest word that names a record (a name or an alias) to the word or one of its
        stems: within 1 edit for short words, 2 for longer ones; ties go to the more frequent
        word. Never a word of another language or script (same_family), and never a word
        that only occurs in descriptions: "юрист" must not become the Kazakh "жүрісі"."""
        best = None
        for key in query_variants(word):
            if len(key) < 4 or key.isdigit():
                continue
            limit = 1 if len(key) <= 5 else 2
            for candidate, distance, _ in process.extract(key, self.label_keys, scorer=OSA.distance,
                                                          score_cutoff=limit, limit=20):
                # Slips rarely hit the first letter; a different one makes another word ("заңгер" is not "сәнгер").
                if candidate[0] != key[0] or not same_family(word, self.display[candidate]):
                    continue
                # A missing letter is the commonest slip: on a tie, prefer words no shorter than the typed one.
                rank = (distance, len(candidate) < len(key), -self.count[candidate])
                if best is None or rank < best[0]:
                    best = (rank, candidate)
        return self.display[best[1]] if best else None

    def count_facets(self, hits):
        """{facet: {value: count}} over exactly the documents found, most frequent first."""
        facets_of, pairs = self.facets_of, self.pairs
        counts = {}  # facets in the order they first occur, as the pages and the API list them
        for number, n in Counter(chain.from_iterable([facets_of[doc_id] for doc_id, _ in hits])).items():
            facet, value = pairs[number]
            counts.setdefault(facet, {})[value] = n
        # Most frequent first, then by value: sorted by value, then stably by count (reverse=True keeps ties in order).
        return {f: dict(sorted(sorted(v.items()), key=itemgetter(1), reverse=True)) for f, v in counts.items()}


KAZAKH_LETTERS = frozenset("әғқңөұүһі")
WITHOUT_KAZAKH_LAYOUT = str.maketrans("әғқңөұүһі", "агкноуухи")
CYRILLIC = re.compile("[а-яёәғқңөұүһі]")
SHORT_WORD = 8  # a known word this short may still be a slip for a name ("повр" is not "повреждение")


def same_family(typed, candidate):
    """Whether a typo in `typed` may be corrected into `candidate` (a word as the index shows
    it): Latin and wrong-layout input is converted before it gets here, so any word will do;
    Cyrillic without Kazakh letters becomes a Kazakh word only when it is that word typed
    without the Kazakh layout, give or take the typo."""
    typed, candidate = typed.lower(), candidate.lower()
    if not CYRILLIC.search(typed) or KAZAKH_LETTERS & set(typed) or not KAZAKH_LETTERS & set(candidate):
        return True
    plain = candidate.translate(WITHOUT_KAZAKH_LAYOUT)
    return OSA.distance(typed[:len(plain)], plain[:len(typed)]) <= (1 if len(typed) <= 5 else 2)


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


def word_stems(keys):
    """Each word of a name (its skeleton keys, space-separated) with up to ENDING letters cut
    off its end: a query word is "the same word" as a name word exactly when it is one of these."""
    return frozenset(k[:n] for k in (keys or "").split() for n in range(max(len(k) - ENDING, 0), len(k) + 1))


def name_matches(stems, variants_per_word):
    """How many query words are a whole word of the name (give or take a short ending):
    "строителями" is the name word "строитель", but not the start of "строительство".
    stems is word_stems() of the name; each word's variants are a set of strings."""
    return sum(not stems.isdisjoint(variants) for variants in variants_per_word)


def rerank(index, hits, variants_per_word):
    """The best RERANKED hits with the names that contain the query's words first; among
    equally named hits a profession card comes first (it is what most searches are for).
    hits come best first (run_match orders them by score, then rowid), so a stable
    ordering by these two keys alone keeps that order within each group."""
    stems, other_type = index.name_stems, index.not_profession
    head = hits[:RERANKED]
    if len(variants_per_word) == 1:
        # Most queries: name_matches is whether the one word is a name word, four groups in all.
        variants = variants_per_word[0]
        groups = ([], [], [], [])
        for hit in head:
            groups[2 * stems[hit[0]].isdisjoint(variants) + other_type[hit[0]]].append(hit)
        head = [*groups[0], *groups[1], *groups[2], *groups[3]]
    else:
        head = sorted(head, key=lambda h: (-name_matches(stems[h[0]], variants_per_word), other_type[h[0]]))
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


def top_is_named(index, hits, query_words):
    """Whether the best hit names every query word (in its names or aliases)."""
    if not hits:
        return False
    return name_matches(index.label_stems[hits[0][0]], [query_variants(w) for w in query_words]) == len(query_words)


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
        slips = [w for w in query_words if len(w) <= SHORT_WORD and not index.labelled(w)]
        if outcome.reason is None and (not best[0] or (slips and not top_is_named(index, hits, query_words))):
            fixed = [w if index.known(w) and w not in slips else (index.correct(w) or w) for w in query_words]
            if fixed != query_words:
                attempt = run_words(db, index, fixed, allowed)
                # Unknown words: take whatever finds more. A known slip: only a record it names.
                better = quality(index, fixed, attempt) > best if not best[0] else top_is_named(index, attempt, fixed)
                if attempt and better:
                    hits, outcome.words, outcome.corrected, outcome.reason = attempt, fixed, " ".join(fixed), "typo"
    elif allowed is not None:
        hits = browse(index, allowed)
    else:
        return outcome
    outcome.results = Results(index.docs, hits)
    outcome.total = len(hits)
    outcome.facets = index.count_facets(hits)
    return outcome


WORD = re.compile(r"\w+", re.UNICODE)
HTML_SPECIAL = re.compile("[&<>\"']")  # what markupsafe.escape replaces


@lru_cache(maxsize=1024)
def matched_prefixes(query_words):
    """The skeleton prefixes a tuple of query words matches (the same for every result),
    without those that a shorter one of them starts: "rabot" marks every word "rabota" does."""
    found = {v for w in query_words for v in query_variants(w)} - {""}
    return tuple(sorted(p for p in found if not any(p != q and p.startswith(q) for q in found)))


@lru_cache(maxsize=4096)
def word_spans(text):
    """The skeletons of a text's words in sorted order, where each of those words starts and
    ends, and whether the text holds anything that HTML escapes. Found once per text: the
    same names and summaries are highlighted for query after query, and a query's few
    prefixes are then looked up rather than compared with every word."""
    found = sorted((skeleton(m.group().lower()), m.start(), m.end()) for m in WORD.finditer(text))
    return [key for key, _, _ in found], [(start, end) for _, start, end in found], bool(HTML_SPECIAL.search(text))


def highlight(text, query_words):
    """text with the words that the query matched wrapped in <mark>, HTML-escaped."""
    if not text or not query_words:
        return escape(text or "")
    prefixes = matched_prefixes(tuple(query_words))
    if not prefixes:
        return escape(text)
    keys, spans, special = word_spans(text)
    marked = set()
    for prefix in prefixes:
        i = bisect.bisect_left(keys, prefix)
        while i < len(keys) and keys[i].startswith(prefix):
            marked.add(spans[i])
            i += 1
    if not marked:
        return escape(text) if special else Markup(text)
    # Most names and summaries hold nothing that HTML escapes: their pieces then go in as they
    # are, without an escaped copy of each.
    piece = escape if special else str  # str() of a str is that str, not a copy
    out, last = [], 0
    for start, end in sorted(marked):
        out += [piece(text[last:start]), "<mark>", piece(text[start:end]), "</mark>"]
        last = end
    out.append(piece(text[last:]))
    return Markup("".join(out))
