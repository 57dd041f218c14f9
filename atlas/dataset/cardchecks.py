"""Checks that keep the cards trustworthy as the atlas grows: each guards against a kind of
finding of the second editorial review, and applies to every card, including ones added later.

- an age limit that names a kind of work must cite a source that lists such work, not only the
  Labour Code's general ban (art. 26 bans harmful and dangerous work for under-18s but lists no jobs);
- a study note may not say "no data" while the card's specialty has colleges on the same page;
- a specialty that a study note names, and that the atlas has, must be linked from the card;
- no phrase of the displayed text may repeat on more than a quarter of the cards.
"""

import re
from collections import Counter

from .sources import LANGS, Problem


def problem(record, field, message):
    return Problem(record["_file"], record["_line"], field, message)


# The Labour Code is one act on adilet; whatever article a source row names, it lists no jobs.
LABOUR_CODE_URL = "K1500000414"
AGE_WORDS = re.compile(r"18\s*(жас|лет|год)|он сегіз|совершеннолет|кәмелет", re.IGNORECASE)
# Wording that puts a kind of work into the barred class ("…а сварка относится к опасным").
CLASSIFIES = re.compile(r"относ\w*\s+к\s|к ним относ|входит в (этот )?список|считают такой|жата(ды|тын)|жатқыз\w*|"
                        r"тізімге кіре", re.IGNORECASE)


def general_law_sources(data):
    """Slugs of sources that are the Labour Code itself: they set the rule, not the list of jobs."""
    return {s["slug"] for s in data["sources"] if LABOUR_CODE_URL in (s["url"] or "")}


def check_age_sources(data):
    general = general_law_sources(data)
    for record in data["professions"]:
        texts = []
        if record["min_age"] is not None:
            texts += [(f"min_age_{lang}", record[f"min_age_{lang}"], record["min_age_source"]) for lang in LANGS]
        for position, item in enumerate(record["requirements"], start=1):
            texts += [(f"requirements[{position}].text_{lang}", item.get(f"text_{lang}"), item.get("source"))
                      for lang in LANGS if AGE_WORDS.search(str(item.get(f"text_{lang}") or ""))]
        for field, text, source in texts:
            general_source = source in general or LABOUR_CODE_URL in str(source or "")
            if general_source and CLASSIFIES.search(str(text or "")):
                yield problem(record, field, "names a kind of work as barred before 18 but cites only the Labour "
                              "Code, which lists no jobs: cite the list of such work (minors-work-list) or the rules "
                              "that set the age, or drop the claim")


NO_DATA = {
    "ru": re.compile(r"нет данных|данных[^.]*нет|не собрал\w* данн|пока не знает|не подтвержден", re.IGNORECASE),
    "kk": re.compile(r"дерек\w*[^.]*жоқ|жинаған жоқ|расталмаған|әлі білмейді", re.IGNORECASE),
}


def specialties_with_colleges(data):
    """Specialties the card's page shows a college for: an offering, or a training area a source names."""
    found = {o["specialty"] for o in data["offerings"]}
    return found | {a["specialty"] for a in data["college_training_areas"] if a["specialty"]}


def name_pattern(name):
    """A name as a pattern of its words' stems, so that "в Усть-Каменогорском высшем политехническом
    колледже" still names «Усть-Каменогорский высший политехнический колледж»."""
    words = WORD.findall(name or "")
    return r"\s+".join(rf"{re.escape(w[:max(3, min(6, len(w) - 2))])}\w*" for w in words)


def college_stems(data, lang):
    return {c["slug"]: re.compile(name_pattern(c[f"name_{lang}"]), re.IGNORECASE)
            for c in data["colleges"] if c[f"name_{lang}"]}


def check_study_notes(data):
    """The note under "Where to study" agrees with the table under it: a note may say what the atlas
    does not know ("about other colleges, no data") only when it names the college the page shows."""
    with_colleges = specialties_with_colleges(data)
    shown_by = {}
    for offering in data["offerings"]:
        shown_by.setdefault(offering["specialty"], set()).add(offering["college"])
    for area in data["college_training_areas"]:
        shown_by.setdefault(area["specialty"], set()).add(area["college"])
    stems = {lang: college_stems(data, lang) for lang in LANGS}
    for record in data["professions"]:
        linked = {str(link.get("specialty")) for link in record["study"] if isinstance(link, dict)}
        shown = sorted(linked & with_colleges)
        colleges = {college for slug in shown for college in shown_by.get(slug, ())}
        for lang in LANGS:
            note = record[f"study_note_{lang}"] or ""
            if any(stems[lang][c].search(note) for c in colleges if c in stems[lang]):
                continue
            if shown and NO_DATA[lang].search(note):
                yield problem(record, f"study_note_{lang}", f"says there is no data, but the page lists colleges for "
                              f"{', '.join(shown)}: name them instead")


QUOTED = re.compile(r"«([^«»]+)»")
QUALIFIER = re.compile(r"\s*\([^()]*\)$")


def specialty_names(data):
    """Each specialty's names, with and without the "(by kind)" qualifier, per language."""
    names = {lang: {} for lang in LANGS}
    for specialty in data["specialties"]:
        for lang in LANGS:
            name = (specialty[f"name_{lang}"] or "").strip().lower()
            for variant in {name, QUALIFIER.sub("", name)}:
                if variant:
                    names[lang].setdefault(variant, specialty["slug"])
    return names


def check_named_specialties_linked(data):
    """A specialty the note names in «quotes» and the atlas has is a link on the card, so that the page
    does not also say "no data on the specialty that leads here"."""
    names = specialty_names(data)
    for record in data["professions"]:
        linked = {str(link.get("specialty")) for link in record["study"] if isinstance(link, dict)}
        for lang in LANGS:
            for quoted in QUOTED.findall(record[f"study_note_{lang}"] or ""):
                slug = names[lang].get(quoted.strip().lower())
                if slug and slug not in linked:
                    yield problem(record, "study", f"the note names «{quoted}» ({slug}), which the atlas has: "
                                  f"link it (with 'nearest: true' if it is only the nearest route)")


# Displayed text of a card, by field name without the language suffix.
DISPLAYED = ("name", "other_names", "summary", "tasks", "skills", "soft_skills", "conditions", "outlook",
             "study_note", "first_steps", "career_path", "min_age")
REPEAT_SHARE = 0.25
PHRASE_WORDS = (2, 3, 4)
# Names of things, not turns of phrase: the Labour Code, levels of the TVET system, the open day, a
# university (жоғары оқу орны), and Kazakh's verbs "to work" and "to have to".
TERMS = {
    "ru": re.compile(r"трудов\w+ кодекс\w*|специалист\w* среднего звена|рабоч\w+ квалификаци\w+|прикладн\w+ бакалавр\w*|"
                     r"д(ень|ня|не|ни|ням|нях) открытых дверей", re.IGNORECASE),
    "kk": re.compile(r"еңбек кодекс\w*|орта буын маман\w*|жұмысшы біліктілі\w*|қолданбалы бакалавр\w*|оқу мамандығ\w*|"
                     r"ашық есік күн\w*|жоғары оқу орн\w*|жұмыс істе\w*|тура кел\w*", re.IGNORECASE),
}
# Function words: a phrase made with one of them is grammar, not a formula.
STOP_WORDS = {
    "ru": set("и в во на с со к ко о об от до по за из у для при без под над а но или что как это не ни же ли бы то "
              "его её их он она они все всё так уже ещё где когда если чтобы который которая которое которые "
              "можно нужно надо там тут есть быть пока нет также тоже даже только очень рк".split()),
    "kk": set("мен бен пен және да де та те ал бірақ немесе не үшін арқылы сияқты дейін кейін бойынша туралы осы "
              "бұл сол оның олардың ол бар жоқ әзірге көбіне әрі да қана ғана емес қр кез".split()),
}
WORD = re.compile(r"[\w-]+")
BREAK = re.compile(r"[.;:!?()«»\"“”|—–,]")


def card_text(record, lang):
    parts = []
    for field in DISPLAYED:
        value = record.get(f"{field}_{lang}")
        parts += value if isinstance(value, list) else [value or ""]
    return " | ".join(str(part) for part in parts)


def card_phrases(record, lang, names=None):
    """The set of 2-4 word phrases of a card's displayed text in one language; `names` (a pattern of
    the colleges' names) are cut out like the terms."""
    text = TERMS[lang].sub(" | ", card_text(record, lang))
    if names is not None:
        text = names.sub(" | ", text)
    stop = STOP_WORDS[lang]
    found = set()
    for fragment in BREAK.split(text):
        words = [w.lower() for w in WORD.findall(fragment)]
        for size in PHRASE_WORDS:
            for start in range(len(words) - size + 1):
                phrase = words[start:start + size]
                if not any(w in stop or w.isdigit() for w in phrase):
                    found.add(" ".join(phrase))
    return found


def repeated_phrases(data):
    """(limit, [(lang, phrase, cards)]): phrases on the most cards, most frequent first."""
    cards = data["professions"]
    limit = len(cards) * REPEAT_SHARE
    counts = []
    for lang in LANGS:
        names = [name_pattern(c[f"name_{lang}"]) for c in data["colleges"] if c[f"name_{lang}"]]
        names = re.compile("|".join(names), re.IGNORECASE) if names else None
        counter = Counter()
        for record in cards:
            counter.update(card_phrases(record, lang, names))
        counts += [(lang, phrase, n) for phrase, n in counter.items()]
    counts.sort(key=lambda item: (-item[2], item[0], item[1]))
    return limit, counts


# Sameness is a fault of a whole atlas: a handful of cards (a test's, a sector's booklet) share
# words by nature, so the check starts once the atlas has this many cards.
SAMENESS_FROM = 40


def check_repeated_phrases(data):
    if len(data["professions"]) < SAMENESS_FROM:
        return
    limit, counts = repeated_phrases(data)
    for lang, phrase, n in counts:
        if n <= limit:
            break
        yield Problem("data/professions", f"{n} of {len(data['professions'])} cards", lang,
                      f"the phrase «{phrase}» repeats on more than a quarter of the cards: vary the wording")


CHECKS = [check_age_sources, check_study_notes, check_named_specialties_linked, check_repeated_phrases]


def validate(data):
    """The cards' prose against data/ as it is written. The build runs these before it lays the
    editing area's approved changes over data/: what a college adds or renames there must never
    stop a publish because a card was written before it (that prose is the editors' to update)."""
    return [found for check in CHECKS for found in check(data)]
TOP_PHRASES = 10


def report(data):
    """For `atlas check-data`: each card check's count of problems, the limit on repeats and the
    phrases on the most cards, so that an editor sees a formula coming before it crosses the line."""
    counts = {check.__name__.removeprefix("check_").replace("_", " "): sum(1 for _ in check(data)) for check in CHECKS}
    limit, phrases = repeated_phrases(data)
    return counts, limit, phrases[:TOP_PHRASES]
