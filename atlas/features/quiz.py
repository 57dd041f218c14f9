"""Scoring the interest questionnaire (RIASEC, Holland) and matching professions to it.

Pure functions of the answers: nothing is stored, the answers travel in the result's URL
as one digit per statement.
"""

TYPES = "RIASEC"
WEIGHTS = (3, 2, 1)  # the first letter of a profession's code counts most
STRONG = 0.5  # a type is one of the person's interests from half of its maximum score
NOT_DISLIKED = 0.25  # a profession's second type may be weaker, but not one the person dislikes
MATCHES = 10
# Answers this alike (every type's share within this distance of the others) do not tell which
# interests lead: all "like" or all "don't know" would otherwise name three types in table order.
FLAT = 0.15
DIGITS = "0123456789"  # str.isdigit() also accepts "²", which int() rejects


def encode(answers, statements):
    """The answers as one digit per statement, in the statements' order."""
    return "".join(str(answers[s["id"]]) for s in statements)


def decode(code, statements, top_value):
    """{statement id: value} from the URL's digits, or None when they cannot be answers."""
    if len(code) != len(statements) or not all(c in DIGITS and int(c) <= top_value for c in code):
        return None
    return {s["id"]: int(c) for s, c in zip(statements, code)}


def scores(answers, statements, top_value):
    """Each type's share of its maximum, from 0 to 1."""
    total = {t: 0 for t in TYPES}
    maximum = {t: 0 for t in TYPES}
    for statement in statements:
        total[statement["type"]] += answers[statement["id"]]
        maximum[statement["type"]] += top_value
    return {t: (total[t] / maximum[t] if maximum[t] else 0.0) for t in TYPES}


def undifferentiated(shares):
    """True when no type stands out from the others, so the result cannot name leading interests."""
    return max(shares.values()) - min(shares.values()) < FLAT


def strongest(shares, limit=3):
    """The person's interests: up to `limit` types at or above STRONG, strongest first; none when
    the answers are too alike to tell them apart."""
    if undifferentiated(shares):
        return []
    ranked = sorted(TYPES, key=lambda t: (-shares[t], TYPES.index(t)))
    return [t for t in ranked if shares[t] >= STRONG][:limit]


def fit(code, shares, interests):
    """How well a profession's code agrees with the answers, or None when it does not:
    its main type must be one of the person's two strongest interests, and its second (if any)
    one the person does not dislike, so a profession is never suggested on one letter alone."""
    if not code or code[0] not in interests[:2]:
        return None
    if len(code) > 1 and shares[code[1]] < NOT_DISLIKED:
        return None
    return sum(weight * shares[letter] for weight, letter in zip(WEIGHTS, code)) / sum(WEIGHTS[:len(code)])


def match(professions, shares, limit=MATCHES):
    """The professions that fit, best first, each with the letters they share with the person."""
    interests = strongest(shares)
    if not interests:
        return []
    found = []
    for profession in professions:
        score = fit(profession["riasec"], shares, interests)
        if score is not None:
            shared = [letter for letter in profession["riasec"] if letter in interests]
            found.append({**profession, "fit": score, "shared": shared})
    found.sort(key=lambda p: (-p["fit"], p["name"]))
    return found[:limit]
