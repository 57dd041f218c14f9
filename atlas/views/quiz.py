"""The interest questionnaire and its result, which is a URL holding the answers."""

from flask import Blueprint, abort, redirect, render_template, request, url_for

from .. import queries
from ..features import quiz
from ..web.db import get_db
from ..web.i18n import current_language
from ..web.caching.pages import cached
from ..web.security import public_url

bp = Blueprint("quiz", __name__, url_prefix="/<lang>/quiz")


def questionnaire(db, lang):
    types, statements, scale = queries.list_quiz(db, lang)
    return types, statements, scale, max(item["value"] for item in scale)


@bp.get("")
@cached
def index():
    db, lang = get_db(), current_language()
    types, statements, scale, _ = questionnaire(db, lang)
    return render_template("quiz/index.html", statements=statements, scale=scale, answers={}, missing=[])


@bp.get("/result")
def result():
    db, lang = get_db(), current_language()
    types, statements, scale, top = questionnaire(db, lang)
    if "a" not in request.args:
        # The form's answers, one parameter per statement: check them, then move to the short URL.
        answers, missing = {}, []
        for statement in statements:
            raw = request.args.get(statement["id"], "")
            if len(raw) == 1 and raw in quiz.DIGITS[:top + 1]:
                answers[statement["id"]] = int(raw)
            elif raw == "":
                missing.append(statement["id"])
            else:
                abort(400, description=statement["id"])
        if missing:
            return render_template("quiz/index.html", statements=statements, scale=scale, answers=answers,
                                   missing=missing)
        return redirect(url_for("quiz.result", a=quiz.encode(answers, statements)), code=303)
    answers = quiz.decode(request.args["a"], statements, top)
    if answers is None:
        abort(400, description="a")
    shares = quiz.scores(answers, statements, top)
    interests = quiz.strongest(shares)
    matches = quiz.match(queries.list_professions_with_codes(db, lang), shares)
    for profession in matches:
        profession["routes"] = queries.list_study_routes(db, lang, profession["slug"])
        profession["shared_names"] = [types[letter]["name"] for letter in profession["shared"]]
        # What the work is, in the card's own words: "why it fits" differs from one profession to the next.
        first_task = (profession["tasks"] or [""])[0]
        profession["example_task"] = first_task[:1].lower() + first_task[1:]
    return render_template("quiz/result.html", types=types, shares=shares, interests=interests,
                           alike=quiz.undifferentiated(shares),
                           matches=matches, order=sorted(quiz.TYPES, key=lambda t: -shares[t]),
                           share_url=public_url(request.full_path.rstrip("?")))
