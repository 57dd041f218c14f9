"""The interest quiz: a plain form, a result that is a URL, matches that agree with the answers."""

import sqlite3
from contextlib import closing

import pytest
import yaml
from bs4 import BeautifulSoup

from atlas.paths import ROOT
from atlas.features import quiz

QUIZ = yaml.safe_load((ROOT / "data" / "quiz.yaml").read_text(encoding="utf-8"))
STATEMENTS = QUIZ["statements"]


def answers_liking(letters, liked=2, other=0):
    return {s["id"]: liked if s["type"] in letters else other for s in STATEMENTS}


def code_for(letters):
    return quiz.encode(answers_liking(letters), STATEMENTS)


@pytest.fixture(scope="module")
def professions(db_path):
    with closing(sqlite3.connect(db_path)) as db:
        return [{"slug": r[0], "riasec": r[1], "name": r[0]} for r in db.execute("select slug, riasec from professions")]


def test_questionnaire_size_and_balance():
    assert 30 <= len(STATEMENTS) <= 48
    assert {t: sum(s["type"] == t for s in STATEMENTS) for t in "RIASEC"} == {t: len(STATEMENTS) // 6 for t in "RIASEC"}


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_quiz_is_a_plain_form(client, lang):
    soup = BeautifulSoup(client.get(f"/{lang}/quiz").data, "html.parser")
    form = soup.select_one("form.quiz")
    assert form["method"] == "get" and form["action"] == f"/{lang}/quiz/result"
    assert len(form.select("fieldset legend")) == len(STATEMENTS)
    assert len(form.select("input[type=radio]")) == len(STATEMENTS) * len(QUIZ["scale"])


def test_submitting_the_form_leads_to_a_short_result_url(client):
    params = {s["id"]: str(v) for s, v in zip(STATEMENTS, [2, 1, 0] * 20)}
    response = client.get("/ru/quiz/result", query_string=params)
    assert response.status_code == 303
    location = response.headers["Location"]
    assert location.startswith("/ru/quiz/result?a=") and len(location.split("a=")[1]) == len(STATEMENTS)
    assert client.get(location).status_code == 200


def test_missing_answers_are_named_and_kept(client):
    params = {s["id"]: "2" for s in STATEMENTS[:-2]}
    soup = BeautifulSoup(client.get("/kk/quiz/result", query_string=params).data, "html.parser")
    assert len(soup.select("#quiz-missing li")) == 2
    assert len(soup.select("input[type=radio][checked]")) == len(STATEMENTS) - 2


@pytest.mark.parametrize("query", ["a=123", "a=" + "3" * 42, "a=" + "x" * 42, "r1=9"])
def test_malformed_answers_are_a_400(client, query):
    assert client.get(f"/ru/quiz/result?{query}").status_code == 400


@pytest.mark.parametrize("letters", ["R", "I", "A", "S", "E", "C", "RI", "SE", "AE", "CI", "RC"])
def test_suggestions_agree_with_the_answers(professions, letters):
    shares = quiz.scores(answers_liking(letters), STATEMENTS, 2)
    assert quiz.strongest(shares) == sorted(letters, key="RIASEC".index)
    for match in quiz.match(professions, shares):
        assert match["riasec"][0] in letters
        assert all(shares[letter] >= quiz.NOT_DISLIKED for letter in match["riasec"][:2])


def test_nothing_is_suggested_when_nothing_is_liked(professions):
    shares = quiz.scores(answers_liking("", other=0), STATEMENTS, 2)
    assert quiz.strongest(shares) == [] and quiz.match(professions, shares) == []


@pytest.mark.parametrize("lang, letters, expected", [
    ("ru", "RI", "/ru/professions/boat-motorist"), ("kk", "SE", "/kk/professions/hotel-administrator"),
])
def test_result_page_explains_and_suggests(client, lang, letters, expected):
    soup = BeautifulSoup(client.get(f"/{lang}/quiz/result?a={code_for(letters)}").data, "html.parser")
    assert len(soup.select("section.interest")) == len(letters)
    links = [a["href"] for a in soup.select(".card-list a[href*='/professions/']")]
    assert expected in links
    assert soup.select_one("table.scores")


@pytest.mark.parametrize("value", [0, 1, 2], ids=["all dislike", "all don't know", "all like"])
def test_answers_all_alike_name_no_interests(professions, value):
    """Regression: all "like" or all "don't know" named R, I and A, the first three in table order."""
    shares = quiz.scores({s["id"]: value for s in STATEMENTS}, STATEMENTS, 2)
    assert quiz.undifferentiated(shares)
    assert quiz.strongest(shares) == [] and quiz.match(professions, shares) == []


@pytest.mark.parametrize("lang, words", [("ru", "слишком похожи"), ("kk", "тым ұқсас")])
def test_result_page_says_answers_all_alike_cannot_tell(client, lang, words):
    code = quiz.encode({s["id"]: 2 for s in STATEMENTS}, STATEMENTS)
    soup = BeautifulSoup(client.get(f"/{lang}/quiz/result?a={code}").data, "html.parser")
    assert words in soup.select_one("p.lead").get_text()
    assert not soup.select("section.interest") and not soup.select(".card-list")


def test_why_it_fits_is_specific_to_each_profession(client):
    soup = BeautifulSoup(client.get(f"/ru/quiz/result?a={code_for('RI')}").data, "html.parser")
    reasons = [li.select_one("p").get_text() for li in soup.select(".card-list .card-item")]
    assert len(reasons) > 1 and len(set(reasons)) == len(reasons)
    assert all("в этой работе" in reason for reason in reasons)
