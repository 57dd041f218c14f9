"""The atlas's two languages, and reading `x_kk`/`x_ru` columns as one field in a language.

No Flask here: the queries, the build and the pages all use it."""

import json
from functools import lru_cache

LANGUAGES = ("kk", "ru")
NAMES = {"kk": "Қазақша", "ru": "Русский"}


def other_of(lang):
    return "ru" if lang == "kk" else "kk"


@lru_cache(maxsize=1024)
def localising_plan(columns, lang, lists):
    """How to read rows with these columns in lang: (key, column, the other language's column
    or None, whether it holds a JSON list) for each key of the result. Worked out once per
    query shape, not for every column of every row."""
    other = other_of(lang)
    plan = []
    for index, column in enumerate(columns):
        if column.endswith(("_kk", "_ru")):
            base, suffix = column[:-3], column[-2:]
            if suffix != lang:
                continue
            counterpart = f"{base}_{other}"
            plan.append((base, index, columns.index(counterpart) if counterpart in columns else None, base in lists))
        else:
            plan.append((column, index, None, column in lists))
    return tuple(plan)


def localise(cursor, lang, lists=()):
    """The rows of an executed query with `x_kk`/`x_ru` pairs turned into `x` in lang, falling
    back to the other language when a field awaits translation (the key `x_fallback` is then
    True); columns named in lists are JSON lists, decoded."""
    plan = localising_plan(tuple(d[0] for d in cursor.description), lang, tuple(lists))
    found = []
    for record in cursor.fetchall():
        result = {}
        for key, index, counterpart, is_list in plan:
            value = record[index]
            if counterpart is not None and not value:
                value = record[counterpart]
                result[f"{key}_fallback"] = bool(value)
            if is_list:
                value = json.loads(value) if value else []
            result[key] = value
        found.append(result)
    return found
